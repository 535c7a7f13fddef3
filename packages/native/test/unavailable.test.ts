/**
 * A missing loader or driver must give a clear error, never a crash. The addon opens the loader once per
 * process, so these cases run in child processes with the loader or the drivers hidden.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VkError, VkmapArgumentError, VkmapStateError } from '@vkmap/core';
import { NativeUnavailableError } from '../src/index.js';
import { translateError } from '../src/errors.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
// Resolved here, where the test runs, so the child needs no module resolution of its own.
const nodeGypBuild = createRequire(import.meta.url).resolve('node-gyp-build');
const built = existsSync(`${packageRoot}/build/Release/vkmap_native.node`) || existsSync(`${packageRoot}/prebuilds`);

/** Runs createInstance in a child with `env` and returns what it threw (or 'created'). */
function childCreateInstance(env: Record<string, string>): { kind?: string; message: string; vkResult?: number } {
  const script = `
    const binding = require(${JSON.stringify(nodeGypBuild)})(${JSON.stringify(packageRoot)});
    try { const r = binding.createInstance(1 << 22 | 4 << 12); binding.destroyInstance(r.id); console.log(JSON.stringify({ message: 'created' })); }
    catch (e) { console.log(JSON.stringify({ kind: e.vkmapKind, message: e.message, vkResult: e.vkResult })); }`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: packageRoot,
    env: { ...withoutLoaderOverride(process.env), ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function withoutLoaderOverride(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { VKMAP_VULKAN_LIBRARY: _ignored, ...rest } = env;
  return rest;
}

describe.skipIf(!built)(`native without a loader or driver${built ? '' : ' (skipped: the addon is not built)'}`, () => {
  it('names the packages to install when libvulkan.so.1 is missing', () => {
    const result = childCreateInstance({ VKMAP_VULKAN_LIBRARY: '/nonexistent/libvulkan.so.1' });
    expect(result.kind).toBe('unavailable');
    expect(result.message).toContain('libvulkan1');
    expect(result.message).toContain('mesa-vulkan-drivers');
  });

  it('reports VK_ERROR_INCOMPATIBLE_DRIVER with the packages to install when no driver is found', () => {
    const result = childCreateInstance({ VK_DRIVER_FILES: '/nonexistent/icd.json', VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    if (result.message === 'created') return; // a loader that ignores both variables: nothing to check
    expect(result.kind).toBe('vk');
    expect(result.vkResult).toBe(-9);
    expect(result.message).toContain('mesa-vulkan-drivers');
  });
});

describe('addon errors become @vkmap/core errors', () => {
  function addonError(fields: Record<string, unknown>): Error {
    return Object.assign(new Error(String(fields.message ?? 'message')), fields);
  }

  it('maps each kind to its class', () => {
    const vk = translateError(addonError({ vkmapKind: 'vk', command: 'vkMapMemory', vkResult: -5, detail: 'why' }));
    expect(vk).toBeInstanceOf(VkError);
    expect((vk as VkError).result).toBe('VK_ERROR_MEMORY_MAP_FAILED');
    expect((vk as VkError).message).toContain('why');
    expect(translateError(addonError({ vkmapKind: 'state' }))).toBeInstanceOf(VkmapStateError);
    const argument = translateError(addonError({ vkmapKind: 'argument', argument: 'size', detail: 'bad' }));
    expect(argument).toBeInstanceOf(VkmapArgumentError);
    expect((argument as VkmapArgumentError).argument).toBe('size');
    expect(translateError(addonError({ vkmapKind: 'unavailable' }))).toBeInstanceOf(NativeUnavailableError);
    const plain = new TypeError('x');
    expect(translateError(plain)).toBe(plain);
  });
});
