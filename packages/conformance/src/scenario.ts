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
  readonly body: (session: ScenarioSession) => void;
}

/** Reasons shared by several scenarios, worded for test names. */
export const SKIP = {
  noDeviceAccess: 'backend has no device-side access',
  noFaults: 'backend has no fault injection',
  noHeapBudgetCap: 'backend cannot cap a heap budget',
  noBudget: 'device has no VK_EXT_memory_budget',
  inexactUsage: 'backend reports heap usage as an estimate (exactHeapUsage unset)',
  noMapMemory2: 'device has neither Vulkan 1.4 nor VK_KHR_map_memory2',
  noHostVisibleType: 'device has no HOST_VISIBLE memory type',
  noPlaced: 'device has no VK_EXT_map_memory_placed memoryMapPlaced',
  noRangePlaced: 'device has no memoryMapRangePlaced',
  noUnmapReserve: 'device has no memoryUnmapReserve',
} as const;

/** Runs a scenario once on a fresh session: throws what the body threw, or the layer's reports. */
export function runScenario(ctx: TargetContext, spec: ScenarioSpec): void {
  const session = new ScenarioSession(ctx.backend, ctx.target, ctx.options, ctx.layer);
  try {
    spec.body(session);
  } catch (error) {
    // A call the layer refused was skipped (or threw) and breaks the scenario further on: name the report first.
    if (session.reports.length > 0 && error instanceof Error) {
      error.message = `${error.message}\nvalidation reports before the failure:\n${formatReports(session.reports)}`;
    }
    throw error;
  } finally {
    session.close();
  }
  session.assertNoReports();
}
