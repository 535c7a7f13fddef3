import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { isNativeAvailable } from '../packages/native/src/index.js';

const work = mkdtempSync(join(tmpdir(), 'vkmap-selective-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Packed once for the whole project by tarballs.setup.ts.
const tarballs = inject('tarballs');

const nativeRequired = process.env.VKMAP_REQUIRE_NATIVE === '1';
// Whether a Vulkan loader and a device can be reached here (the workspace's own native backend says why not).
const native = isNativeAvailable();
const vulkanPresent = native.available;

describe('selective install', () => {
  it('packs @vkmap/core and @vkmap/emulated, installs the two tarballs with npm outside the workspace, and maps memory', () => {
    const app = join(work, 'app');
    mkdirSync(app, { recursive: true });
    // @vkmap/emulated runs shaders with @vkmap/spirv, its one dependency besides the core peer.
    const { core, emulated, spirv } = tarballs;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'selective-install-check', private: true, type: 'module' }),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', core, spirv, emulated], {
      cwd: app,
      stdio: 'pipe',
    });
    writeFileSync(
      join(app, 'check.mjs'),
      `import { VK_WHOLE_SIZE, VkError } from '@vkmap/core';
import { createEmulatedInstance, builtInProfiles } from '@vkmap/emulated';
const pd = createEmulatedInstance({ profiles: ['nvidia-h100'] }).enumeratePhysicalDevices()[0];
const device = pd.createDevice();
const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: 2 });
device.mapMemory(memory, 0, VK_WHOLE_SIZE).data.fill(42);
device.unmapMemory(memory);
const again = device.mapMemory(memory, 0, VK_WHOLE_SIZE).data;
console.log(JSON.stringify({ profiles: builtInProfiles.length, byte: again[4095], vkError: typeof VkError }));
`,
    );
    const output = execFileSync('node', ['check.mjs'], { cwd: app, encoding: 'utf8' });
    const result = JSON.parse(output.trim()) as { profiles: number; byte: number; vkError: string };
    expect(result.byte).toBe(42);
    expect(result.profiles).toBeGreaterThan(8);
    expect(result.vkError).toBe('function');
    const installed = readdirSync(join(app, 'node_modules', '@vkmap')).sort();
    expect(installed).toEqual(['core', 'emulated', 'spirv']);
  });

  it.runIf(nativeRequired || vulkanPresent)(
    `packs @vkmap/native with its prebuilt linux-x64 binary, installs it with npm and maps memory on a real driver${nativeRequired || vulkanPresent ? '' : ` (skipped: ${native.reason ?? 'native backend unavailable'})`}`,
    () => {
      const app = join(work, 'native-app');
      mkdirSync(app, { recursive: true });
      const { core, native } = tarballs;
      const listing = execFileSync('tar', ['-tzf', native], { encoding: 'utf8' });
      expect(listing).toMatch(/package\/prebuilds\/linux-x64\/[^\n]+\.node/);
      writeFileSync(
        join(app, 'package.json'),
        // npm 11 runs a dependency's install script only when allowScripts names it (by its file: spec here).
        JSON.stringify({
          name: 'native-install-check',
          private: true,
          type: 'module',
          allowScripts: { [`file:${native}`]: true },
        }),
      );
      // No compiler step: the install script finds the prebuilt binary (node-gyp would print "gyp info").
      const install = execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--foreground-scripts', core, native],
        { cwd: app, encoding: 'utf8' },
      );
      expect(install).not.toMatch(/gyp info/);
      writeFileSync(
        join(app, 'check.mjs'),
        `import { VK_WHOLE_SIZE } from '@vkmap/core';
import { createNativeInstance } from '@vkmap/native';
const instance = createNativeInstance();
const pd = instance.enumeratePhysicalDevices()[0];
const types = pd.getMemoryProperties().memoryTypes;
const type = types.findIndex((t) => (t.propertyFlags & 6) === 6);
const device = pd.createDevice();
const memory = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: type });
device.mapMemory(memory, 0, VK_WHOLE_SIZE).data.fill(7);
device.unmapMemory(memory);
const again = device.mapMemory(memory, 0, VK_WHOLE_SIZE).data;
console.log(JSON.stringify({ device: pd.getProperties().deviceName, first: again[0], last: again[65535] }));
device.destroy();
instance.destroy();
`,
      );
      const result = JSON.parse(execFileSync('node', ['check.mjs'], { cwd: app, encoding: 'utf8' }).trim()) as {
        device: string;
        first: number;
        last: number;
      };
      expect(result.first).toBe(7);
      expect(result.last).toBe(7);
      expect(result.device.length).toBeGreaterThan(0);
    },
  );
});
