/**
 * A missing loader or driver must give a clear error, never a crash. The addon opens the loader once per
 * process, so these cases run in child processes with the loader or the drivers hidden.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VkError, VkmapArgumentError, VkmapStateError } from '@vkmap/core';
import { NativeUnavailableError } from '../src/index.js';
import { translateError } from '../src/errors.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
// Resolved here, where the test runs, so the child needs no module resolution of its own.
const nodeGypBuild = createRequire(import.meta.url).resolve('node-gyp-build');

/** Runs `body` (with `binding` in scope) in a child node with `env` added; returns its last line as JSON. */
function inChild<T>(body: string, env: Record<string, string> = {}): T {
  const script = `
    let binding;
    try { binding = require(${JSON.stringify(nodeGypBuild)})(${JSON.stringify(packageRoot)}); }
    catch (e) { console.log(JSON.stringify({ addonError: e.message.split('\\n')[0] })); process.exit(0); }
    ${body}`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: packageRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** Runs createInstance in a child with `env` and returns what it threw (or 'created'). */
function childCreateInstance(env: Record<string, string>): { kind?: string; message: string; vkResult?: number } {
  return inChild(
    `try { const r = binding.createInstance(1 << 22 | 4 << 12); binding.destroyInstance(r.id); console.log(JSON.stringify({ message: 'created' })); }
     catch (e) { console.log(JSON.stringify({ kind: e.vkmapKind, message: e.message, vkResult: e.vkResult })); }`,
    env,
  );
}

// What this machine has, asked of a child with this process's environment (VKMAP_VULKAN_LIBRARY included,
// so pointing it at a missing file simulates a machine without the Vulkan loader).
const probe = inChild<{ addonError?: string; loaded?: boolean; error?: string }>(
  'const l = binding.loaderInfo(); console.log(JSON.stringify({ loaded: l.loaded, error: l.error }));',
);
const addonNote = probe.addonError ? ` (skipped: the addon does not load: ${probe.addonError})` : '';
const loaderNote = probe.loaded
  ? ''
  : ` (skipped: no Vulkan loader here, so no driver lookup to fail: ${probe.error ?? probe.addonError})`;

describe.skipIf(!!probe.addonError)(`native without a loader or driver${addonNote}`, () => {
  it('names the packages to install when libvulkan.so.1 is missing', () => {
    const result = childCreateInstance({ VKMAP_VULKAN_LIBRARY: '/nonexistent/libvulkan.so.1' });
    expect(result.kind).toBe('unavailable');
    expect(result.message).toContain('libvulkan1');
    expect(result.message).toContain('mesa-vulkan-drivers');
  });

  it.skipIf(!probe.loaded)(
    `reports VK_ERROR_INCOMPATIBLE_DRIVER with the packages to install when no driver is found${loaderNote}`,
    (context) => {
      const result = childCreateInstance({
        VK_DRIVER_FILES: '/nonexistent/icd.json',
        VK_ICD_FILENAMES: '/nonexistent/icd.json',
      });
      // A loader that ignores both variables finds its drivers anyway: nothing to check.
      context.skip(result.message === 'created', 'the Vulkan loader ignores VK_DRIVER_FILES and VK_ICD_FILENAMES');
      expect(result.kind).toBe('vk');
      expect(result.vkResult).toBe(-9);
      expect(result.message).toContain('mesa-vulkan-drivers');
    },
  );
});

describe('a missing addon', () => {
  const override = '@VKMAP/NATIVE_PREBUILD'; // node-gyp-build looks only there when it is set
  afterEach(() => {
    delete process.env[override];
    vi.resetModules();
  });

  it('tells an npm user what was looked for, what exists and what to do', async () => {
    process.env[override] = '/nonexistent/vkmap-native';
    vi.resetModules();
    const { loadBinding, PREBUILT_GLIBC_FLOOR } = await import('../src/binding.js');
    const errors = await import('../src/errors.js'); // the fresh module graph's class
    let message = '';
    try {
      loadBinding();
    } catch (error) {
      expect(error).toBeInstanceOf(errors.NativeUnavailableError);
      message = (error as Error).message;
    }
    expect(message).toContain(
      `Looked for a binary for ${process.platform}-${process.env.npm_config_arch || process.arch}`,
    );
    expect(message).toContain('this package has prebuilds for: ');
    expect(message).toContain(`linux-x64 and linux-arm64 with glibc >= ${PREBUILT_GLIBC_FLOOR}`);
    expect(message).toContain('npm rebuild @vkmap/native');
    expect(message).toContain('@vkmap/emulated');
    expect(message).not.toContain('pnpm --filter');
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
