// Two copies of @vkmap/core in one process: the allocator's out-of-memory fallbacks still recognise the
// backend's VkError, and `instanceof` holds across the copies. Copies arise from two installed versions
// (a nested node_modules/@vkmap/core) or from the CommonJS and ES module builds of one version loaded side
// by side (the dual-package hazard).
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installApp, runNode, writeFiles } from './install.js';

const tarballs = inject('tarballs');
const apps: string[] = [];
afterAll(() => {
  for (const app of apps) rmSync(app, { recursive: true, force: true });
});

/** core, spirv, emulated and allocator installed from their tarballs (core satisfies the others' peer dependency). */
function install(name: string): string {
  const app = installApp(name, [tarballs.core, tarballs.spirv, tarballs.emulated, tarballs.allocator]);
  apps.push(app);
  return app;
}

// `coreA`: the copy the backend (@vkmap/emulated) throws from. `coreB`: the copy @vkmap/allocator catches with.
// The stress profile's heap 0 is 32 MiB with 4 MiB preferred blocks; heap budgets make vkAllocateMemory fail
// with VK_ERROR_OUT_OF_DEVICE_MEMORY exactly where each fallback starts.
const SCENARIO = `
const KiB = 1024, MiB = 1024 * KiB;
const result = { distinctCopies: coreA.VkError !== coreB.VkError && coreA.VkmapError !== coreB.VkmapError };
function makeDevice() {
  return createEmulatedInstance({ profiles: ['stress'] }).enumeratePhysicalDevices()[0].createEmulatedDevice();
}
function caught(f) {
  try { f(); } catch (e) { return e; }
  throw new Error('expected a throw');
}

// 1. A new block cannot be created at the preferred size: the block vector tries half the size.
{
  const device = makeDevice();
  const allocator = createAllocator(device);
  allocator.allocateMemory({ size: 4096, alignment: 1, memoryTypeBits: 0b1 });
  allocator.allocateMemory({ size: 1 * MiB, alignment: 1, memoryTypeBits: 0b1 });
  device.faults.setHeapBudget(0, device.getMemoryBudget().heapUsage[0] + 2560n * BigInt(KiB));
  const squeezed = allocator.allocateMemory({ size: 1200 * KiB, alignment: 1, memoryTypeBits: 0b1 });
  result.smallerBlock = { dedicated: squeezed.isDedicated, size: Number(squeezed.memory.allocationSize) };
  allocator.destroy({ freeLeakedAllocations: true });
}

// 2. No block fits the budget at all: the allocation falls back to its own (dedicated) memory.
{
  const device = makeDevice();
  const allocator = createAllocator(device);
  device.faults.setHeapBudget(0, 100n * BigInt(KiB));
  const small = allocator.allocateMemory({ size: 4096, alignment: 1, memoryTypeBits: 0b1 });
  result.dedicatedFallback = small.isDedicated;
  allocator.freeMemory(small);
  allocator.destroy();
}

// 3. Nothing fits: the allocator's error (copy B) and the backend's (copy A) are VkErrors to both copies.
{
  const device = makeDevice();
  const allocator = createAllocator(device);
  device.faults.setHeapBudget(0, 0n);
  const fromAllocator = caught(() => allocator.allocateMemory({ size: 4096, alignment: 1, memoryTypeBits: 0b1 }));
  const memory = { allocationSize: 4096, memoryTypeIndex: 0 };
  const fromBackend = caught(() => device.allocateMemory(memory));
  result.errors = {
    allocatorResult: fromAllocator.result,
    backendResult: fromBackend.result,
    allocatorErrorIsVkErrorA: fromAllocator instanceof coreA.VkError,
    allocatorErrorIsVkErrorB: fromAllocator instanceof coreB.VkError,
    backendErrorIsVkErrorB: fromBackend instanceof coreB.VkError,
    backendErrorIsVkmapErrorB: fromBackend instanceof coreB.VkmapError,
    backendErrorIsErrorB: fromBackend instanceof Error,
    guardB: coreB.isVkError(fromBackend),
    // Plain prototype identity (what instanceof would be without the brand) says "different class".
    prototypeIdentityB: Function.prototype[Symbol.hasInstance].call(coreB.VkError, fromBackend),
    // The brand is exact: a VkError is not a ValidationError or an argument error of the other copy.
    notValidationErrorB: !(fromBackend instanceof coreB.ValidationError),
    notArgumentErrorB: !(fromBackend instanceof coreB.VkmapArgumentError),
    argumentErrorIsVkmapErrorB: new coreA.VkmapArgumentError('size', 'bad') instanceof coreB.VkmapError,
    plainErrorNotVkErrorB: !(new Error('x') instanceof coreB.VkError) && !coreB.isVkError({ result: 'VK_ERROR_OUT_OF_DEVICE_MEMORY' }),
  };
  allocator.destroy();
}
console.log(JSON.stringify(result));
`;

const ESM_NESTED = `import * as coreA from '@vkmap/core';
import * as coreB from './node_modules/@vkmap/allocator/node_modules/@vkmap/core/dist/index.js';
import { createEmulatedInstance } from '@vkmap/emulated';
import { createAllocator } from '@vkmap/allocator';
${SCENARIO}`;

const CJS_NESTED = `const coreA = require('@vkmap/core');
const coreB = require('./node_modules/@vkmap/allocator/node_modules/@vkmap/core');
const { createEmulatedInstance } = require('@vkmap/emulated');
const { createAllocator } = require('@vkmap/allocator');
${SCENARIO}`;

// One version, both builds: the backend from import (ES module core), the allocator from require (CommonJS core).
const DUAL_BUILDS = `import { createRequire } from 'node:module';
import * as coreA from '@vkmap/core';
import { createEmulatedInstance } from '@vkmap/emulated';
const require = createRequire(import.meta.url);
const coreB = require('@vkmap/core');
const { createAllocator } = require('@vkmap/allocator');
${SCENARIO}`;

interface Result {
  distinctCopies: boolean;
  smallerBlock: { dedicated: boolean; size: number };
  dedicatedFallback: boolean;
  errors: Record<string, unknown>;
}

function expectFallbacksAcrossCopies(result: Result): void {
  expect(result.distinctCopies).toBe(true);
  expect(result.smallerBlock).toEqual({ dedicated: false, size: 2 * 1024 * 1024 });
  expect(result.dedicatedFallback).toBe(true);
  expect(result.errors).toEqual({
    allocatorResult: 'VK_ERROR_OUT_OF_DEVICE_MEMORY',
    backendResult: 'VK_ERROR_OUT_OF_DEVICE_MEMORY',
    allocatorErrorIsVkErrorA: true,
    allocatorErrorIsVkErrorB: true,
    backendErrorIsVkErrorB: true,
    backendErrorIsVkmapErrorB: true,
    backendErrorIsErrorB: true,
    guardB: true,
    prototypeIdentityB: false,
    notValidationErrorB: true,
    notArgumentErrorB: true,
    argumentErrorIsVkmapErrorB: true,
    plainErrorNotVkErrorB: true,
  });
}

describe('duplicated @vkmap/core', () => {
  it('CommonJS and ES module builds of one version side by side: the allocator (require) falls back on the backend (import) errors', () => {
    const app = install('dual-builds');
    writeFiles(app, { 'dual-builds.mjs': DUAL_BUILDS });
    expectFallbacksAcrossCopies(JSON.parse(runNode(process.execPath, app, 'dual-builds.mjs')) as Result);
  });

  describe('a second version nested under @vkmap/allocator', () => {
    let app = '';
    let nested = '';
    beforeAll(() => {
      app = install('nested-core');
      nested = join(app, 'node_modules', '@vkmap', 'allocator', 'node_modules', '@vkmap', 'core');
      cpSync(join(app, 'node_modules', '@vkmap', 'core'), nested, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(nested, 'package.json'), 'utf8')) as { version: string };
      manifest.version = `${manifest.version}-duplicate.1`;
      writeFileSync(join(nested, 'package.json'), JSON.stringify(manifest, null, 2));
      writeFiles(app, {
        'nested.mjs': ESM_NESTED,
        'nested.cjs': CJS_NESTED,
        'which.cjs': `console.log(require.resolve('@vkmap/core', { paths: [require.resolve('@vkmap/allocator')] }));`,
      });
    });

    it('the allocator resolves the nested copy', () => {
      expect(runNode(process.execPath, app, 'which.cjs').trim()).toBe(join(nested, 'dist', 'index.cjs'));
    });

    it('ES modules: the allocator falls back to smaller blocks and to dedicated memory, and instanceof holds across copies', () => {
      expectFallbacksAcrossCopies(JSON.parse(runNode(process.execPath, app, 'nested.mjs')) as Result);
    });

    it('CommonJS: the same', () => {
      expectFallbacksAcrossCopies(JSON.parse(runNode(process.execPath, app, 'nested.cjs')) as Result);
    });
  });
});
