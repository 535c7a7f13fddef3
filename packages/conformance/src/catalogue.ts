/**
 * Every scenario of the suite for one physical device, in registration order, and a way to run them
 * outside vitest's test tree (for a backend's own checks, such as proving that the suite catches a
 * deliberately broken backend).
 */
import type { PhysicalDevice } from '@vkmap/core';
import type { ConformanceBackend } from './backend.js';
import { describeTarget } from './device-target.js';
import type { ScenarioGroup } from './matrix.js';
import { resolveOptions, type ConformanceOptions } from './options.js';
import { runScenario, type ScenarioSpec, type TargetContext } from './scenario.js';
import { cleanAtomScenarios } from './scenarios/clean-atoms.js';
import { detachmentScenarios } from './scenarios/detach.js';
import { errorResultScenarios } from './scenarios/errors.js';
import { mappingCaseScenarios } from './scenarios/mapping-cases.js';
import { misuseScenarios } from './scenarios/misuse.js';
import { computeScenarios } from './scenarios/compute.js';
import { placedMapScenarios } from './scenarios/placed.js';
import { randomOperationScenarios } from './scenarios/random-ops.js';
import { transferScenarios } from './scenarios/transfers.js';
import { validationLayer } from './validation-stack.js';

export function collectScenarios(ctx: TargetContext): ScenarioSpec[] {
  return [
    ...mappingCaseScenarios(ctx),
    ...cleanAtomScenarios(ctx),
    ...randomOperationScenarios(ctx),
    ...placedMapScenarios(ctx),
    ...errorResultScenarios(ctx),
    ...detachmentScenarios(ctx),
    ...transferScenarios(ctx),
    ...computeScenarios(ctx),
    ...misuseScenarios(ctx),
  ];
}

export interface RunnableScenario {
  readonly group: ScenarioGroup;
  /** Describe path and title, joined with " > ". */
  readonly name: string;
  /** Why it would be skipped; `run` must not be called then. */
  readonly skipReason: string | undefined;
  /**
   * Runs it on a fresh device; throws on failure. Synchronous, except for scenarios that wait
   * asynchronously (waitForFencesAsync, in the compute group): those return a Promise to await.
   */
  run(): void | Promise<void>;
}

/** The scenarios of one physical device of `backend`, ready to run without vitest's tree. */
export function conformanceScenarios(
  backend: ConformanceBackend,
  physicalDevice: PhysicalDevice,
  index = 0,
  overrides: Partial<ConformanceOptions> = {},
): RunnableScenario[] {
  const options = resolveOptions({ ...backend.options, ...overrides }, {});
  const layer = options.validation ? validationLayer : undefined;
  const ctx: TargetContext = { backend, options, target: describeTarget(backend, physicalDevice, index), layer };
  return collectScenarios(ctx).map((spec) => ({
    group: spec.group,
    name: [...spec.path, spec.title].join(' > '),
    skipReason: spec.skipReason,
    run: () => runScenario(ctx, spec),
  }));
}
