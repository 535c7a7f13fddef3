// Every published package, installed from its tarball, loads with `import` and with `require` and works,
// on each Node.js release the packages support (Node 20, 22, 24; package.json engines).
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { installApp, nodeRuntime, root, runNode, SUPPORTED_NODE_MAJORS, writeFiles } from './install.js';
import { PUBLISHED } from './tarballs.setup.js';

const tarballs = inject('tarballs');
const apps: string[] = [];
afterAll(() => {
  for (const app of apps) rmSync(app, { recursive: true, force: true });
});

// One body, two headers: what a user of each module system writes.
const ESM_HEADER = `import { VK_WHOLE_SIZE, VkError, VkmapError, isVkError } from '@vkmap/core';
import { createEmulatedInstance, builtInProfiles } from '@vkmap/emulated';
import { createAllocator } from '@vkmap/allocator';
import { createNativeInstance, isNativeAvailable, NativeUnavailableError } from '@vkmap/native';
import { defineConformanceSuite, SeededPrng } from '@vkmap/conformance';
const moduleSystem = 'esm';
`;
const CJS_HEADER = `const { VK_WHOLE_SIZE, VkError, VkmapError, isVkError } = require('@vkmap/core');
const { createEmulatedInstance, builtInProfiles } = require('@vkmap/emulated');
const { createAllocator } = require('@vkmap/allocator');
const { createNativeInstance, isNativeAvailable, NativeUnavailableError } = require('@vkmap/native');
const { defineConformanceSuite, SeededPrng } = require('@vkmap/conformance');
const moduleSystem = 'cjs';
`;
const BODY = `
const result = { node: process.versions.node };
// @vkmap/core and @vkmap/emulated: map, write, unmap, map again, read.
const device = createEmulatedInstance({ profiles: ['nvidia-h100'] }).enumeratePhysicalDevices()[0].createDevice({ validation: true });
const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: 2 });
device.mapMemory(memory, 0, VK_WHOLE_SIZE).data.fill(42);
device.unmapMemory(memory);
result.emulated = device.mapMemory(memory, 0, VK_WHOLE_SIZE).data[4095];
result.profiles = builtInProfiles.length;
const error = new VkError('vkMapMemory', 'VK_ERROR_MEMORY_MAP_FAILED');
result.errors = error instanceof VkmapError && isVkError(error) && error.code === -5;
// @vkmap/allocator over the same device.
const allocator = createAllocator(device);
const allocation = allocator.allocateMemory({ size: 1000, alignment: 256, memoryTypeBits: 0b100 });
allocator.mapMemory(allocation).fill(7);
allocator.unmapMemory(allocation);
result.allocator = allocator.mapMemory(allocation)[999];
allocator.unmapMemory(allocation);
allocator.freeMemory(allocation);
allocator.destroy();
// @vkmap/conformance: what needs no vitest works everywhere.
result.prng = new SeededPrng(1).nextUint32() === new SeededPrng(1).nextUint32();
result.suite = typeof defineConformanceSuite;
if (moduleSystem === 'cjs') {
  try {
    defineConformanceSuite({ name: 'x', createInstance: () => undefined });
    result.suiteFromRequire = 'ran';
  } catch (e) {
    result.suiteFromRequire = e.message;
  }
}
// @vkmap/native: the JavaScript always loads; with the addon and a driver, one map.
const availability = isNativeAvailable();
result.native = { available: availability.available, reason: availability.reason ?? '', errorClass: typeof NativeUnavailableError };
if (availability.available) {
  const instance = createNativeInstance();
  const gpu = instance.enumeratePhysicalDevices()[0];
  const type = gpu.getMemoryProperties().memoryTypes.findIndex((t) => (t.propertyFlags & 6) === 6);
  const nativeDevice = gpu.createDevice();
  const nativeMemory = nativeDevice.allocateMemory({ allocationSize: 65536, memoryTypeIndex: type });
  nativeDevice.mapMemory(nativeMemory, 0, VK_WHOLE_SIZE).data.fill(9);
  nativeDevice.unmapMemory(nativeMemory);
  result.native.mapped = nativeDevice.mapMemory(nativeMemory, 0, VK_WHOLE_SIZE).data[65535];
  nativeDevice.destroy();
  instance.destroy();
}
console.log(JSON.stringify(result));
`;

interface Result {
  node: string;
  emulated: number;
  profiles: number;
  errors: boolean;
  allocator: number;
  prng: boolean;
  suite: string;
  suiteFromRequire?: string;
  native: { available: boolean; reason: string; errorClass: string; mapped?: number };
}

function vitestDir(): string {
  // The workspace's vitest: @vkmap/conformance's peer dependency, which is not packed.
  return join(root, 'node_modules', 'vitest');
}

describe('CommonJS and ES module consumers, from the packed tarballs', () => {
  let app: string | undefined;
  function theApp(): string {
    if (app) return app;
    app = installApp(
      'module-systems',
      [...PUBLISHED.map((pkg) => tarballs[pkg]), tarballs['node-gyp-build'], tarballs['node-addon-api']],
      { legacyPeerDeps: true },
    );
    apps.push(app);
    symlinkSync(vitestDir(), join(app, 'node_modules', 'vitest'), 'dir');
    writeFiles(app, { 'check.mjs': ESM_HEADER + BODY, 'check.cjs': CJS_HEADER + BODY });
    return app;
  }

  for (const major of SUPPORTED_NODE_MAJORS) {
    const runtime = nodeRuntime(major);
    for (const file of ['check.mjs', 'check.cjs'] as const) {
      const how = file === 'check.mjs' ? 'import' : 'require';
      it.runIf(runtime.path !== undefined)(
        `Node ${major}: ${how} of every package works${runtime.path ? '' : ` (skipped: ${runtime.reason})`}`,
        () => {
          const result = JSON.parse(runNode(runtime.path!, theApp(), file).trim()) as Result;
          expect(result.node.split('.')[0]).toBe(String(major));
          expect(result.emulated).toBe(42);
          expect(result.profiles).toBeGreaterThan(8);
          expect(result.errors).toBe(true);
          expect(result.allocator).toBe(7);
          expect(result.prng).toBe(true);
          expect(result.suite).toBe('function');
          if (how === 'require') expect(result.suiteFromRequire).toMatch(/vitest can only be loaded as an ES module/);
          expect(result.native.errorClass).toBe('function');
          if (result.native.available) expect(result.native.mapped).toBe(9);
          else expect(result.native.reason.length).toBeGreaterThan(0);
        },
      );
    }
  }
});
