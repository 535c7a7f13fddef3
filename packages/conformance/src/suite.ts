/**
 * `defineConformanceSuite`: registers the whole suite for one backend as vitest `describe` / `it` blocks,
 * one describe per physical device, and writes the matrix after the last test.
 */
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import type { Instance } from '@vkmap/core';
import type { ConformanceBackend } from './backend.js';
import { collectScenarios } from './catalogue.js';
import { describeTarget } from './device-target.js';
import { findWorkspaceRoot, MatrixRecorder, renderMatrix, writeMatrix } from './matrix.js';
import { resolveOptions } from './options.js';
import { runScenario, type ScenarioSpec, type TargetContext } from './scenario.js';
import { validationLayer } from './validation-stack.js';

export function defineConformanceSuite(backend: ConformanceBackend): void {
  const options = resolveOptions(backend.options);
  const suiteName = options.validation ? `${backend.name}+validation` : backend.name;
  const matrix = new MatrixRecorder(suiteName);

  describe(`conformance: ${suiteName}`, () => {
    let instance: Instance | undefined;
    afterAll(() => {
      instance?.destroy();
      publishMatrix(matrix, options.resultsDir);
    });

    const skipAll = (reason: string) => {
      matrix.recordRowSkip('(all devices)', reason);
      it.skip(`every scenario (skipped: ${reason})`, () => {});
    };

    const layer = options.validation ? validationLayer : undefined;
    try {
      instance = backend.createInstance();
    } catch (error) {
      return skipAll(`createInstance failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const devices = backend.devices?.(instance) ?? instance.enumeratePhysicalDevices();
    if (devices.length === 0) return skipAll('the instance has no physical device');

    devices.forEach((physicalDevice, index) => {
      const ctx: TargetContext = { backend, options, target: describeTarget(backend, physicalDevice, index), layer };
      describe(ctx.target.label, () => registerTree(ctx, matrix, collectScenarios(ctx), 0));
    });
  });
}

/** Registers specs as nested describes by their paths, in order of first appearance. */
function registerTree(ctx: TargetContext, matrix: MatrixRecorder, specs: readonly ScenarioSpec[], depth: number): void {
  const items: (ScenarioSpec | { readonly describe: string; readonly specs: ScenarioSpec[] })[] = [];
  const children = new Map<string, ScenarioSpec[]>();
  for (const spec of specs) {
    const name = spec.path[depth];
    if (name === undefined) {
      items.push(spec);
      continue;
    }
    let list = children.get(name);
    if (!list) {
      list = [];
      children.set(name, list);
      items.push({ describe: name, specs: list });
    }
    list.push(spec);
  }
  for (const item of items) {
    if ('describe' in item) describe(item.describe, () => registerTree(ctx, matrix, item.specs, depth + 1));
    else registerTest(ctx, matrix, item);
  }
}

/** One spec as an `it` (or an `it.skip` whose name carries the reason), its outcome recorded in the matrix. */
function registerTest(ctx: TargetContext, matrix: MatrixRecorder, spec: ScenarioSpec): void {
  const device = ctx.target.label;
  if (spec.skipReason !== undefined) {
    matrix.recordSkip(device, spec.group, spec.skipReason);
    it.skip(`${spec.title} (skipped: ${spec.skipReason})`, () => {});
    return;
  }
  matrix.register(device, spec.group);
  const record = (passed: boolean) => matrix.recordOutcome(device, spec.group, spec.title, passed);
  it(
    spec.title,
    () => {
      let result: void | Promise<void>;
      try {
        result = runScenario(ctx, spec);
      } catch (error) {
        record(false);
        throw error;
      }
      if (!(result instanceof Promise)) return record(true);
      return result.then(
        () => record(true),
        (error: unknown) => {
          record(false);
          throw error;
        },
      );
    },
    spec.timeout ?? ctx.options.testTimeout,
  );
}

function publishMatrix(matrix: MatrixRecorder, resultsDir: string | undefined): void {
  const fragment = matrix.fragment();
  const written = writeMatrix(fragment, resultsDir ?? join(findWorkspaceRoot(), 'test-results'));
  console.log(
    `\nConformance matrix: ${fragment.suite}\n\n${renderMatrix([fragment])}\n\n` +
      `Combined matrix of ${written.fragments.length} suite${written.fragments.length === 1 ? '' : 's'}: ${written.markdownPath} (and ${written.jsonPath})\n`,
  );
}
