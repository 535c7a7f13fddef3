/**
 * A scenario as data: its matrix group, where it sits in the test tree, why it is skipped (if it is),
 * and its body, which runs on a fresh device session whose validation reports must stay empty.
 */
import type { ConformanceBackend } from './backend.js';
import type { DeviceTarget } from './device-target.js';
import type { ScenarioGroup } from './matrix.js';
import type { ConformanceOptions } from './options.js';
import { ScenarioSession } from './session.js';
import { formatReports, type ValidationLayerFactory } from './validation-stack.js';

/** What scenarios of one physical device are built from. */
export interface TargetContext {
  readonly backend: ConformanceBackend;
  readonly options: ConformanceOptions;
  readonly target: DeviceTarget;
  /** The validation layer to stack, when the suite runs stacked. */
  readonly layer: ValidationLayerFactory | undefined;
}

export interface ScenarioSpec {
  readonly group: ScenarioGroup;
  /** The describe blocks above the test, outermost first (below the device's). */
  readonly path: readonly string[];
  readonly title: string;
  /** Why this scenario cannot run on this target, or undefined when it can. */
  readonly skipReason?: string | undefined;
  readonly timeout?: number;
  /** Synchronous, or a Promise (a scenario that waits with waitForFencesAsync); the session closes when it settles. */
  readonly body: (session: ScenarioSession) => void | Promise<void>;
}

export { deviceAccessSkip, SKIP } from './skips.js';

/**
 * Runs a scenario once on a fresh session: throws what the body threw, or the layer's reports. Returns a
 * Promise when the body does (and only then, so that synchronous scenarios stay synchronous for callers that
 * run them outside vitest).
 */
export function runScenario(ctx: TargetContext, spec: ScenarioSpec): void | Promise<void> {
  const session = new ScenarioSession(ctx.backend, ctx.target, ctx.options, ctx.layer);
  let result: void | Promise<void>;
  try {
    result = spec.body(session);
  } catch (error) {
    return finish(session, error);
  }
  if (result instanceof Promise)
    return result.then(
      () => finish(session),
      (error: unknown) => finish(session, error),
    );
  finish(session);
}

/** Closes the session; rethrows the body's failure (naming the layer's reports first), or checks for reports. */
function finish(session: ScenarioSession, ...failure: [] | [unknown]): void {
  if (failure.length === 0) {
    session.close();
    session.assertNoReports();
    return;
  }
  const [error] = failure;
  // A call the layer refused was skipped (or threw) and breaks the scenario further on: name the report first.
  if (session.reports.length > 0 && error instanceof Error) {
    error.message = `${error.message}\nvalidation reports before the failure:\n${formatReports(session.reports)}`;
  }
  session.close();
  throw error;
}
