/**
 * The addon declares the Vulkan structures it uses itself (src/addon/vk_minimal.h) so that it builds with
 * no Vulkan SDK. test/addon/header-layout.cc checks every one of them against the Khronos header with
 * static_asserts; this compiles it, so a layout mistake fails the test run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const check = fileURLToPath(new URL('./addon/header-layout.cc', import.meta.url));
const addonSources = fileURLToPath(new URL('../src/addon', import.meta.url));
const khronosHeader = '/usr/include/vulkan/vulkan_core.h';
const compiler = process.env.CXX ?? 'g++';
const hasCompiler = spawnSync(compiler, ['--version']).status === 0;
const required = process.env.VKMAP_REQUIRE_NATIVE === '1';
const missing = !hasCompiler
  ? `no C++ compiler (${compiler})`
  : !existsSync(khronosHeader)
    ? `no Khronos header at ${khronosHeader} (Debian: libvulkan-dev, which scripts/setup-vulkan.sh installs)`
    : '';

describe('addon header layout', () => {
  it.skipIf(missing !== '' && !required)(
    `vk_minimal.h matches vulkan_core.h in size and member offsets${missing && !required ? ` (skipped: ${missing})` : ''}`,
    () => {
      expect(missing, 'CI (VKMAP_REQUIRE_NATIVE=1) needs a compiler and the Khronos header').toBe('');
      const result = spawnSync(compiler, ['-std=c++17', '-fsyntax-only', `-I${addonSources}`, check], {
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
    },
  );
});
