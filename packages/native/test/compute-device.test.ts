/**
 * The compute chapters end to end through the public Device on a real driver (lavapipe in CI), bare and
 * with the validation layer stacked: a buffer filled through a persistent mapping, a device copy, fill or
 * dispatch that consumes it, a fence waited synchronously or asynchronously, and the result read back
 * through the same mapping. The misuse the front refuses (destroying what pending work uses) is refused here
 * before the addon is reached. scripts/khronos-crosscheck.sh runs this file under the Khronos layer.
 * Device destroy, instance destroy and process exit with work pending run in their own processes
 * (fixtures/compute-device-case.ts, bundled from the workspace sources), so that a crash shows as a signal.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  VK_WHOLE_SIZE,
  VkAccessFlagBits,
  VkBufferUsageFlagBits,
  VkDescriptorType,
  VkFenceCreateFlagBits,
  VkMemoryPropertyFlagBits,
  VkPipelineBindPoint,
  VkPipelineStageFlagBits,
  VkQueueFlagBits,
  VkShaderStageFlagBits,
  type Buffer,
  type Device,
  type DeviceMemory,
  type MappedMemory,
} from '@vkmap/core';
import { spirv } from './compute-backend.js';
import { openFixture, skipNote, unavailable, type Fixture } from './helpers.js';

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
const USAGE = VkBufferUsageFlagBits;
const STAGE = VkPipelineStageFlagBits;
const ACCESS = VkAccessFlagBits;
const COMPUTE = VkShaderStageFlagBits.VK_SHADER_STAGE_COMPUTE_BIT;
const BIND_COMPUTE = VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_COMPUTE;
const { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER: STORAGE, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER: UNIFORM } = VkDescriptorType;

interface Mapped {
  readonly buffer: Buffer;
  readonly memory: DeviceMemory;
  readonly mapping: MappedMemory;
  readonly words: Uint32Array;
}

for (const validation of [false, true]) {
  describe.skipIf(unavailable)(`native compute through the Device${validation ? ', validated' : ''}${skipNote}`, () => {
    let f: Fixture;
    let device: Device;
    let family: number;
    let coherent: boolean;
    beforeEach(() => {
      f = openFixture([], { validation });
      device = f.device;
      family = f.physicalDevice
        .getQueueFamilyProperties()
        .findIndex((q) => (q.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT) !== 0);
      const type = f.physicalDevice.getMemoryProperties().memoryTypes[f.hostVisibleType]!;
      coherent = (type.propertyFlags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0;
    });
    afterEach(() => f.instance.destroy());

    /** A buffer with its own host-visible memory, bound and mapped for its whole life. */
    function mapped(size: number, usage: number): Mapped {
      const buffer = device.createBuffer({ size, usage });
      const requirements = device.getBufferMemoryRequirements(buffer);
      const memory = device.allocateMemory({ allocationSize: requirements.size, memoryTypeIndex: f.hostVisibleType });
      device.bindBufferMemory(buffer, memory, 0);
      const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
      return {
        buffer,
        memory,
        mapping,
        words: new Uint32Array(mapping.data.buffer, mapping.data.byteOffset, size / 4),
      };
    }

    const flush = (m: Mapped) => {
      if (!coherent) device.flushMappedMemoryRanges([{ memory: m.memory, offset: 0, size: VK_WHOLE_SIZE }]);
    };
    const invalidate = (m: Mapped) => {
      if (!coherent) device.invalidateMappedMemoryRanges([{ memory: m.memory, offset: 0, size: VK_WHOLE_SIZE }]);
    };

    function commandBuffer() {
      const pool = device.createCommandPool({ queueFamilyIndex: family });
      return device.allocateCommandBuffers({ commandPool: pool, commandBufferCount: 1 })[0]!;
    }

    it('copies and fills through persistent mappings; the fence is waited synchronously', () => {
      const src = mapped(4096, USAGE.VK_BUFFER_USAGE_TRANSFER_SRC_BIT);
      const dst = mapped(4096, USAGE.VK_BUFFER_USAGE_TRANSFER_DST_BIT);
      for (let i = 0; i < 1024; i++) src.words[i] = i * 3 + 1;
      flush(src);
      const cb = commandBuffer();
      device.beginCommandBuffer(cb);
      device.cmdCopyBuffer(cb, src.buffer, dst.buffer, [{ srcOffset: 0, dstOffset: 0, size: 2048 }]);
      device.cmdFillBuffer(cb, dst.buffer, 2048, VK_WHOLE_SIZE, 0xabcdef01);
      device.cmdPipelineBarrier(cb, {
        srcStageMask: STAGE.VK_PIPELINE_STAGE_TRANSFER_BIT,
        dstStageMask: STAGE.VK_PIPELINE_STAGE_HOST_BIT,
        bufferMemoryBarriers: [
          {
            srcAccessMask: ACCESS.VK_ACCESS_TRANSFER_WRITE_BIT,
            dstAccessMask: ACCESS.VK_ACCESS_HOST_READ_BIT,
            buffer: dst.buffer,
            offset: 0,
            size: VK_WHOLE_SIZE,
          },
        ],
      });
      device.endCommandBuffer(cb);
      const queue = device.getDeviceQueue(family, 0);
      const fence = device.createFence();
      device.queueSubmit(queue, [{ commandBuffers: [cb] }], fence);
      expect(device.waitForFences([fence], true, UINT64_MAX)).toBe('VK_SUCCESS');
      expect(device.getFenceStatus(fence)).toBe('VK_SUCCESS');
      invalidate(dst);
      for (let i = 0; i < 512; i++) expect(dst.words[i]).toBe(i * 3 + 1);
      for (let i = 512; i < 1024; i++) expect(dst.words[i]).toBe(0xabcdef01);
    });

    it('dispatches with storage and uniform buffers, push and specialization constants; the fence is waited asynchronously', async () => {
      const values = mapped(4096, USAGE.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      const params = mapped(256, USAGE.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT);
      for (let i = 0; i < 1024; i++) values.words[i] = i;
      params.words[0] = 100;
      flush(values);
      flush(params);
      const module = device.createShaderModule({ code: spirv('double') });
      const setLayout = device.createDescriptorSetLayout({
        bindings: [
          { binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
          { binding: 1, descriptorType: UNIFORM, descriptorCount: 1, stageFlags: COMPUTE },
        ],
      });
      const layout = device.createPipelineLayout({
        setLayouts: [setLayout],
        pushConstantRanges: [{ stageFlags: COMPUTE, offset: 0, size: 8 }],
      });
      const [pipeline] = device.createComputePipelines([
        {
          stage: {
            stage: COMPUTE,
            module,
            name: 'main',
            specializationInfo: {
              mapEntries: [{ constantID: 1, offset: 0, size: 4 }],
              data: new Uint8Array(Uint32Array.of(5).buffer), // FACTOR = 5
            },
          },
          layout,
        },
      ]);
      const pool = device.createDescriptorPool({
        maxSets: 1,
        poolSizes: [
          { type: STORAGE, descriptorCount: 1 },
          { type: UNIFORM, descriptorCount: 1 },
        ],
      });
      const [set] = device.allocateDescriptorSets({ descriptorPool: pool, setLayouts: [setLayout] });
      device.updateDescriptorSets([
        {
          dstSet: set!,
          dstBinding: 0,
          descriptorType: STORAGE,
          bufferInfo: [{ buffer: values.buffer, offset: 0, range: VK_WHOLE_SIZE }],
        },
        {
          dstSet: set!,
          dstBinding: 1,
          descriptorType: UNIFORM,
          bufferInfo: [{ buffer: params.buffer, offset: 0, range: 16 }],
        },
      ]);
      const cb = commandBuffer();
      device.beginCommandBuffer(cb);
      device.cmdBindPipeline(cb, BIND_COMPUTE, pipeline!);
      device.cmdBindDescriptorSets(cb, BIND_COMPUTE, layout, 0, [set!]);
      device.cmdPushConstants(cb, layout, COMPUTE, 0, new Uint8Array(Uint32Array.of(1000, 7).buffer));
      device.cmdDispatch(cb, 16, 1, 1); // 16 x 64 invocations
      device.cmdPipelineBarrier(cb, {
        srcStageMask: STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
        dstStageMask: STAGE.VK_PIPELINE_STAGE_HOST_BIT,
        memoryBarriers: [
          { srcAccessMask: ACCESS.VK_ACCESS_SHADER_WRITE_BIT, dstAccessMask: ACCESS.VK_ACCESS_HOST_READ_BIT },
        ],
      });
      device.endCommandBuffer(cb);
      const fence = device.createFence();
      device.queueSubmit(device.getDeviceQueue(family, 0), [{ commandBuffers: [cb] }], fence);
      // Pending work holds what it uses: the front refuses to destroy it, before the driver could be reached.
      expect(() => device.destroyBuffer(values.buffer)).toThrow();
      await expect(device.waitForFencesAsync([fence], true, UINT64_MAX)).resolves.toBe('VK_SUCCESS');
      invalidate(values);
      for (let i = 0; i < 1000; i++) expect(values.words[i]).toBe(i * 5 + 7 + 100);
      for (let i = 1000; i < 1024; i++) expect(values.words[i]).toBe(i);
      device.destroyShaderModule(module);
    });

    it('resets a signaled fence and times out on it; destroying the device leaves nothing waiting', async () => {
      const fence = device.createFence({ flags: VkFenceCreateFlagBits.VK_FENCE_CREATE_SIGNALED_BIT });
      expect(device.getFenceStatus(fence)).toBe('VK_SUCCESS');
      device.resetFences([fence]);
      expect(device.getFenceStatus(fence)).toBe('VK_NOT_READY');
      expect(device.waitForFences([fence], true, 1_000_000)).toBe('VK_TIMEOUT');
      await expect(device.waitForFencesAsync([fence], true, 20_000_000)).resolves.toBe('VK_TIMEOUT');
      const queue = device.getDeviceQueue(family, 0);
      device.queueSubmit(queue, [], fence);
      device.queueWaitIdle(queue);
      device.deviceWaitIdle();
      expect(device.getFenceStatus(fence)).toBe('VK_SUCCESS');
    });
  });
}

// Beside the package root (build/ is ignored), so that the bundled src/binding.ts finds the addon as it does
// from src/ and dist/.
const bundle = fileURLToPath(new URL('../build/compute-device-case.bundle.mjs', import.meta.url));
const shaders = fileURLToPath(new URL('./shaders', import.meta.url));

function runCase(name: string) {
  const child = spawnSync(process.execPath, [bundle, name, shaders], { encoding: 'utf8', timeout: 60_000 });
  const output = child.stdout.split('\n');
  // Anything else the child printed (the Khronos layer's messages under khronos-crosscheck.sh) passes through.
  const other = output.filter((line) => line !== '' && !line.startsWith('{'));
  if (other.length > 0) process.stdout.write(`${other.join('\n')}\n`);
  const lines = output
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { status: child.status, signal: child.signal, lines, stderr: child.stderr };
}

describe.skipIf(unavailable)(`native compute through the Device, process-isolated${skipNote}`, () => {
  beforeAll(async () => {
    const aliases = new URL('../../../scripts/workspace-aliases.mjs', import.meta.url).href;
    const { workspaceSourceAliases } = (await import(aliases)) as { workspaceSourceAliases: Record<string, string> };
    await build({
      entryPoints: [fileURLToPath(new URL('./fixtures/compute-device-case.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      alias: workspaceSourceAliases,
      external: ['*.node', 'node-gyp-build'],
      logLevel: 'warning',
    });
  });
  afterAll(() => rmSync(bundle, { force: true }));

  for (const name of ['destroy-during-wait', 'destroy-during-wait-validated']) {
    it(`device.destroy() while waitForFencesAsync waits on pending work waits for it and resolves the wait (${name})`, () => {
      const run = runCase(name);
      expect(run.signal, run.stderr).toBeNull();
      expect(run.status, run.stderr).toBe(0);
      expect(run.lines).toContainEqual({ destroyed: true, viewHarmless: true });
      expect(run.lines).toContainEqual({ settled: 'resolved', value: 'VK_SUCCESS', afterDestroy: true });
    });
  }

  it('process.exit() with work pending exits with its code, after the device went idle', () => {
    const run = runCase('exit-with-pending-work');
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(3);
    expect(run.lines).toContainEqual({ exiting: true });
  });

  it('instance.destroy() with work pending destroys its device after the work finished', () => {
    const run = runCase('instance-destroy-with-pending-work');
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(run.lines).toContainEqual({ destroyed: true });
  });
});
