/**
 * The compute chapters on a real driver (lavapipe in CI): buffers filled through persistent mappings, device
 * copies, fills and dispatches that consume them, fences waited synchronously and asynchronously, and the
 * results read back through the same mappings.
 *
 * - "positive": valid usage only; scripts/khronos-crosscheck.sh runs these under the Khronos validation layer.
 * - "pointer safety": what the addon itself refuses (stale handles, a submission whose buffers are gone).
 * - "process-isolated": device destroy, process exit and worker termination with work or waits pending, each
 *   in its own process (fixtures/compute-case.mjs) so that a crash shows as a signal.
 *
 * These tests drive the backend (NativeDeviceBackend) below the front, with the values the front passes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  VkAccessFlagBits,
  VkBufferUsageFlagBits,
  VkCommandBufferUsageFlagBits,
  VkDescriptorType,
  VkmapArgumentError,
  VkmapStateError,
  VkPipelineStageFlagBits,
  VkQueueFlagBits,
  VkShaderStageFlagBits,
} from '@vkmap/core';
import type { NativeRecordedCommand } from '../src/compute/encode.js';
import type { NativeCommandBuffer, NativeQueue } from '../src/compute/records.js';
import { openCompute, spirv, type ComputeFixture, type MappedBuffer } from './compute-backend.js';
import { skipNote, unavailable } from './helpers.js';

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
const { VK_BUFFER_USAGE_TRANSFER_SRC_BIT, VK_BUFFER_USAGE_TRANSFER_DST_BIT } = VkBufferUsageFlagBits;
const { VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT } = VkBufferUsageFlagBits;
const TRANSFER = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
const STAGE = VkPipelineStageFlagBits;
const ACCESS = VkAccessFlagBits;
const COMPUTE = VkShaderStageFlagBits.VK_SHADER_STAGE_COMPUTE_BIT;
const { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER: STORAGE, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER: UNIFORM } = VkDescriptorType;

/** A barrier that makes the device's writes in `srcStage` visible to host reads through the mapping. */
function toHost(srcStage: number, srcAccess: number, target: MappedBuffer): NativeRecordedCommand {
  return {
    kind: 'pipelineBarrier',
    srcStageMask: srcStage,
    dstStageMask: STAGE.VK_PIPELINE_STAGE_HOST_BIT,
    dependencyFlags: 0,
    memoryBarriers: [],
    bufferMemoryBarriers: [
      {
        srcAccessMask: srcAccess,
        dstAccessMask: ACCESS.VK_ACCESS_HOST_READ_BIT,
        buffer: target.buffer,
        offset: 0n,
        size: target.size,
      },
    ],
  };
}

describe.skipIf(unavailable)(`native compute${skipNote}`, () => {
  let f: ComputeFixture;
  let queue: NativeQueue;
  beforeEach(() => {
    f = openCompute();
    queue = f.backend.getQueue(f.family, 0);
  });
  afterEach(() => f.destroy());

  /** One command buffer of a fresh pool, recorded with `commands`. */
  function record(commands: readonly NativeRecordedCommand[], flags = 0): NativeCommandBuffer {
    const pool = f.backend.createCommandPool({ flags: 0, queueFamilyIndex: f.family });
    const [commandBuffer] = f.backend.allocateCommandBuffers(pool, 1);
    f.backend.recordCommandBuffer(commandBuffer!, flags, commands);
    return commandBuffer!;
  }

  /** The pieces of a dispatch of double.comp: pipeline, layout, set over `values` and `params`. */
  function doublePipeline(values: MappedBuffer, params: MappedBuffer, factor?: number) {
    const { backend } = f;
    const module = backend.createShaderModule(spirv('double'));
    const setLayout = backend.createDescriptorSetLayout([
      { binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
      { binding: 1, descriptorType: UNIFORM, descriptorCount: 1, stageFlags: COMPUTE },
    ]);
    const layout = backend.createPipelineLayout({
      setLayouts: [setLayout],
      pushConstantRanges: [{ stageFlags: COMPUTE, offset: 0, size: 8 }],
    });
    const specialization =
      factor === undefined
        ? undefined
        : {
            // constant 0: the workgroup size (32 instead of 64); constant 1: FACTOR
            mapEntries: [
              { constantID: 0, offset: 0, size: 4 },
              { constantID: 1, offset: 4, size: 4 },
            ],
            data: new Uint8Array(Uint32Array.of(32, factor).buffer),
          };
    const pipeline = backend.createComputePipeline({ module, entryPoint: 'main', specialization, layout });
    backend.destroyShaderModule(module); // a pipeline outlives its module
    const pool = backend.createDescriptorPool({
      flags: 0,
      maxSets: 1,
      poolSizes: [
        { type: STORAGE, descriptorCount: 1 },
        { type: UNIFORM, descriptorCount: 1 },
      ],
    });
    const [set] = backend.allocateDescriptorSets(pool, [setLayout]);
    backend.updateDescriptorSets([
      {
        set: set!,
        binding: 0,
        arrayElement: 0,
        descriptorType: STORAGE,
        buffers: [{ buffer: values.buffer, offset: 0n, range: values.size }],
      },
      {
        set: set!,
        binding: 1,
        arrayElement: 0,
        descriptorType: UNIFORM,
        buffers: [{ buffer: params.buffer, offset: 0n, range: 16n }],
      },
    ]);
    return { pipeline, layout, set: set!, setLayout, pool };
  }

  describe('positive', () => {
    it('reports its queue families, with a compute family, and returns the queues it was created with', () => {
      const families = f.physical.description.queueFamilies;
      expect(families.length).toBeGreaterThan(0);
      expect(families[f.family]!.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT).not.toBe(0);
      expect(families[f.family]!.queueCount).toBeGreaterThan(0);
      expect(queue.handle).not.toBe(0n);
      expect(queue).toMatchObject({ queueFamilyIndex: f.family, queueIndex: 0 });
      expect(f.backend.getQueue(f.family, 0)).toBe(queue);
    });

    it('creates buffers with memory requirements, binds them and destroys them', () => {
      const buffer = f.backend.createBuffer({ size: 1000n, usage: VK_BUFFER_USAGE_STORAGE_BUFFER_BIT });
      const requirements = f.backend.getBufferMemoryRequirements(buffer);
      expect(requirements.size).toBeGreaterThanOrEqual(1000n);
      expect(requirements.alignment & (requirements.alignment - 1n)).toBe(0n);
      expect(requirements.memoryTypeBits & (1 << f.memoryType)).not.toBe(0);
      f.backend.destroyBuffer(buffer);
    });

    it('copies and fills through persistent mappings, waited with a fence (synchronous wait)', () => {
      const src = f.mappedBuffer(4096, TRANSFER);
      const dst = f.mappedBuffer(4096, TRANSFER);
      for (let i = 0; i < 1024; i++) src.words[i] = i * 7 + 1;
      dst.words.fill(0xdeadbeef);
      f.flush(src);
      const commandBuffer = record([
        {
          kind: 'copyBuffer',
          src: src.buffer,
          dst: dst.buffer,
          regions: [{ srcOffset: 0n, dstOffset: 0n, size: 2048n }],
        },
        { kind: 'fillBuffer', dst: dst.buffer, offset: 2048n, size: 1024n, data: 0x01020304 },
        toHost(STAGE.VK_PIPELINE_STAGE_TRANSFER_BIT, ACCESS.VK_ACCESS_TRANSFER_WRITE_BIT, dst),
      ]);
      const fence = f.backend.createFence(false);
      f.backend.queueSubmit(queue, [[commandBuffer]], fence);
      expect(f.backend.waitForFences([fence], true, UINT64_MAX)).toBe(true);
      expect(f.backend.getFenceStatus(fence)).toBe(true);
      f.invalidate(dst);
      for (let i = 0; i < 512; i++) expect(dst.words[i]).toBe(i * 7 + 1);
      for (let i = 512; i < 768; i++) expect(dst.words[i]).toBe(0x01020304);
      for (let i = 768; i < 1024; i++) expect(dst.words[i]).toBe(0xdeadbeef);
    });

    it('waits asynchronously without blocking the event loop, and the mapping stays valid meanwhile', async () => {
      // spin.comp: about a tenth of a second of lavapipe's time.
      const values = f.mappedBuffer(4096 * 4, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      const other = f.mappedBuffer(256, TRANSFER);
      values.words.fill(0);
      f.flush(values);
      const { backend } = f;
      const setLayout = backend.createDescriptorSetLayout([
        { binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
      ]);
      const layout = backend.createPipelineLayout({
        setLayouts: [setLayout],
        pushConstantRanges: [{ stageFlags: COMPUTE, offset: 0, size: 4 }],
      });
      const module = backend.createShaderModule(spirv('spin'));
      const pipeline = backend.createComputePipeline({ module, entryPoint: 'main', specialization: undefined, layout });
      const pool = backend.createDescriptorPool({
        flags: 0,
        maxSets: 1,
        poolSizes: [{ type: STORAGE, descriptorCount: 1 }],
      });
      const [set] = backend.allocateDescriptorSets(pool, [setLayout]);
      backend.updateDescriptorSets([
        {
          set: set!,
          binding: 0,
          arrayElement: 0,
          descriptorType: STORAGE,
          buffers: [{ buffer: values.buffer, offset: 0n, range: values.size }],
        },
      ]);
      const iterations = 100_000;
      const commandBuffer = record([
        { kind: 'bindPipeline', pipeline },
        { kind: 'bindDescriptorSets', layout, firstSet: 0, sets: [set!], dynamicOffsets: [] },
        {
          kind: 'pushConstants',
          layout,
          stageFlags: COMPUTE,
          offset: 0,
          values: new Uint8Array(Uint32Array.of(iterations).buffer),
        },
        { kind: 'dispatch', groupCountX: 4096 / 64, groupCountY: 1, groupCountZ: 1 },
        toHost(STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, ACCESS.VK_ACCESS_SHADER_WRITE_BIT, values),
      ]);
      const fence = backend.createFence(false);
      backend.queueSubmit(queue, [[commandBuffer]], fence);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const wait = backend.waitForFencesAsync([fence], true, UINT64_MAX);
      // Persistent mappings stay valid and usable while the device works (here on memory it does not use).
      other.words[0] = 7;
      expect(other.words[0]).toBe(7);
      await expect(wait).resolves.toBe(true);
      clearInterval(timer);
      expect(ticks, 'timers ran while the fence was waited for').toBeGreaterThan(0);
      f.invalidate(values);
      let expected = 0;
      for (let k = 0; k < iterations; k++) expected = (Math.imul(expected, 1664525) + 1013904223) >>> 0;
      expect(values.words[0]).toBe(expected);
      expect(values.words[4095]).toBe(expected);
    });

    it('dispatches a shader with a storage and a uniform buffer, push constants and specialization constants', async () => {
      const values = f.mappedBuffer(4096, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      const params = f.mappedBuffer(256, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT);
      for (let i = 0; i < 1024; i++) values.words[i] = i;
      params.words[0] = 1000;
      f.flush(values);
      f.flush(params);
      const { pipeline, layout, set } = doublePipeline(values, params, 3);
      const push = new Uint8Array(Uint32Array.of(1000, 5).buffer); // count 1000, addend 5
      const commandBuffer = record([
        { kind: 'bindPipeline', pipeline },
        { kind: 'bindDescriptorSets', layout, firstSet: 0, sets: [set], dynamicOffsets: [] },
        { kind: 'pushConstants', layout, stageFlags: COMPUTE, offset: 0, values: push },
        { kind: 'dispatch', groupCountX: 32, groupCountY: 1, groupCountZ: 1 }, // 32 x 32 = 1024 invocations
        toHost(STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, ACCESS.VK_ACCESS_SHADER_WRITE_BIT, values),
      ]);
      const fence = f.backend.createFence(false);
      f.backend.queueSubmit(queue, [[commandBuffer]], fence);
      expect(await f.backend.waitForFencesAsync([fence], true, UINT64_MAX)).toBe(true);
      f.invalidate(values);
      for (let i = 0; i < 1000; i++) expect(values.words[i]).toBe(i * 3 + 5 + 1000);
      for (let i = 1000; i < 1024; i++) expect(values.words[i]).toBe(i);

      // The same command buffer again (not one-time): the shader runs on its own output.
      f.backend.resetFences([fence]);
      expect(f.backend.getFenceStatus(fence)).toBe(false);
      f.backend.queueSubmit(queue, [[commandBuffer]], fence);
      f.backend.queueWaitIdle(queue);
      f.invalidate(values);
      expect(values.words[10]).toBe((10 * 3 + 1005) * 3 + 1005);
    });

    it('doubles without specialization, with a COMPUTE -> HOST memory barrier, and re-records a command buffer', () => {
      const values = f.mappedBuffer(1024, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | TRANSFER);
      const params = f.mappedBuffer(256, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT);
      for (let i = 0; i < 256; i++) values.words[i] = i + 1;
      params.words[0] = 0;
      f.flush(values);
      f.flush(params);
      const { pipeline, layout, set } = doublePipeline(values, params);
      const pool = f.backend.createCommandPool({ flags: 0x2, queueFamilyIndex: f.family }); // RESET_COMMAND_BUFFER
      const [commandBuffer] = f.backend.allocateCommandBuffers(pool, 1);
      const dispatch: NativeRecordedCommand[] = [
        { kind: 'bindPipeline', pipeline },
        { kind: 'bindDescriptorSets', layout, firstSet: 0, sets: [set], dynamicOffsets: [] },
        {
          kind: 'pushConstants',
          layout,
          stageFlags: COMPUTE,
          offset: 0,
          values: new Uint8Array(Uint32Array.of(256, 0).buffer),
        },
        { kind: 'dispatch', groupCountX: 4, groupCountY: 1, groupCountZ: 1 }, // workgroups of 64
        {
          kind: 'pipelineBarrier',
          srcStageMask: STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
          dstStageMask: STAGE.VK_PIPELINE_STAGE_HOST_BIT,
          dependencyFlags: 0,
          memoryBarriers: [
            { srcAccessMask: ACCESS.VK_ACCESS_SHADER_WRITE_BIT, dstAccessMask: ACCESS.VK_ACCESS_HOST_READ_BIT },
          ],
          bufferMemoryBarriers: [],
        },
      ];
      f.backend.recordCommandBuffer(
        commandBuffer!,
        VkCommandBufferUsageFlagBits.VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
        dispatch,
      );
      f.backend.queueSubmit(queue, [[commandBuffer!]], undefined);
      f.backend.deviceWaitIdle();
      f.invalidate(values);
      for (let i = 0; i < 256; i++) expect(values.words[i]).toBe((i + 1) * 2);

      // Recorded again (replacing the one-time recording): a fill, then the doubling.
      f.backend.recordCommandBuffer(commandBuffer!, 0, [
        { kind: 'fillBuffer', dst: values.buffer, offset: 0n, size: 1024n, data: 21 },
        {
          kind: 'pipelineBarrier',
          srcStageMask: STAGE.VK_PIPELINE_STAGE_TRANSFER_BIT,
          dstStageMask: STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
          dependencyFlags: 0,
          memoryBarriers: [],
          bufferMemoryBarriers: [
            {
              srcAccessMask: ACCESS.VK_ACCESS_TRANSFER_WRITE_BIT,
              dstAccessMask: ACCESS.VK_ACCESS_SHADER_READ_BIT | ACCESS.VK_ACCESS_SHADER_WRITE_BIT,
              buffer: values.buffer,
              offset: 0n,
              size: values.size,
            },
          ],
        },
        ...dispatch,
      ]);
      const fence = f.backend.createFence(false);
      f.backend.queueSubmit(queue, [[commandBuffer!]], fence);
      expect(f.backend.waitForFences([fence], true, UINT64_MAX)).toBe(true);
      f.invalidate(values);
      expect([...values.words.subarray(0, 4)]).toEqual([42, 42, 42, 42]);
      f.backend.resetCommandBuffer(commandBuffer!);
      f.backend.freeCommandBuffers(pool, [commandBuffer!]);
      f.backend.destroyCommandPool(pool);
    });

    it('signals a fence submitted with no work, and creates fences signaled', async () => {
      const signaled = f.backend.createFence(true);
      expect(f.backend.getFenceStatus(signaled)).toBe(true);
      expect(f.backend.waitForFences([signaled], true, 0n)).toBe(true);
      await expect(f.backend.waitForFencesAsync([signaled], false, 0n)).resolves.toBe(true);
      const fence = f.backend.createFence(false);
      f.backend.queueSubmit(queue, [], fence);
      await expect(f.backend.waitForFencesAsync([fence, signaled], true, UINT64_MAX)).resolves.toBe(true);
      f.backend.destroyFence(fence);
      f.backend.destroyFence(signaled);
    });

    it('times out on a fence nothing signals: synchronously and asynchronously', async () => {
      const fence = f.backend.createFence(false);
      expect(f.backend.waitForFences([fence], true, 0n)).toBe(false);
      expect(f.backend.waitForFences([fence], true, 5_000_000n)).toBe(false);
      const start = performance.now();
      await expect(f.backend.waitForFencesAsync([fence], true, 50_000_000n)).resolves.toBe(false);
      expect(performance.now() - start).toBeGreaterThanOrEqual(45);
      expect(f.backend.getFenceStatus(fence)).toBe(false);
    });

    it('frees descriptor sets and command buffers, and resets pools', () => {
      const values = f.mappedBuffer(256, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | TRANSFER);
      const params = f.mappedBuffer(256, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT);
      const { setLayout } = doublePipeline(values, params);
      const pool = f.backend.createDescriptorPool({
        flags: 0x1,
        maxSets: 2,
        poolSizes: [
          { type: STORAGE, descriptorCount: 2 },
          { type: UNIFORM, descriptorCount: 2 },
        ],
      });
      const sets = f.backend.allocateDescriptorSets(pool, [setLayout, setLayout]);
      expect(new Set(sets.map((s) => s.handle)).size).toBe(2);
      f.backend.freeDescriptorSets(pool, [sets[0]!]);
      const [again] = f.backend.allocateDescriptorSets(pool, [setLayout]);
      expect(again).toBeDefined();
      f.backend.destroyDescriptorPool(pool);
      const commandPool = f.backend.createCommandPool({ flags: 0, queueFamilyIndex: f.family });
      const commandBuffers = f.backend.allocateCommandBuffers(commandPool, 3);
      f.backend.recordCommandBuffer(commandBuffers[0]!, 0, [
        { kind: 'fillBuffer', dst: values.buffer, offset: 0n, size: 4n, data: 1 },
      ]);
      f.backend.resetCommandPool(commandPool);
      f.backend.freeCommandBuffers(commandPool, commandBuffers.slice(1));
      f.backend.destroyCommandPool(commandPool);
    });
  });

  describe('pointer safety (the addon refuses what would reach the driver unsound)', () => {
    it('refuses a submission whose buffer was destroyed, or whose memory was freed, since it was recorded', () => {
      const src = f.mappedBuffer(256, TRANSFER);
      const dst = f.mappedBuffer(256, TRANSFER);
      const copy = record([
        {
          kind: 'copyBuffer',
          src: src.buffer,
          dst: dst.buffer,
          regions: [{ srcOffset: 0n, dstOffset: 0n, size: 256n }],
        },
      ]);
      f.backend.freeMemory(dst.memory);
      expect(() => f.backend.queueSubmit(queue, [[copy]], undefined)).toThrow(/bound to VkBuffer .* has been freed/);
      f.backend.destroyBuffer(src.buffer);
      expect(() => f.backend.queueSubmit(queue, [[copy]], undefined)).toThrow(VkmapStateError);
      expect(() => f.backend.queueSubmit(queue, [[copy]], undefined)).toThrow(
        /VkBuffer .* has been destroyed since it was recorded/,
      );
    });

    it('refuses a submission whose descriptor set holds a destroyed buffer, or whose pipeline was destroyed', () => {
      const values = f.mappedBuffer(256, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
      const params = f.mappedBuffer(256, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT);
      const { pipeline, layout, set } = doublePipeline(values, params);
      const run = record([
        { kind: 'bindPipeline', pipeline },
        { kind: 'bindDescriptorSets', layout, firstSet: 0, sets: [set], dynamicOffsets: [] },
        { kind: 'pushConstants', layout, stageFlags: COMPUTE, offset: 0, values: new Uint8Array(8) },
        { kind: 'dispatch', groupCountX: 1, groupCountY: 1, groupCountZ: 1 },
      ]);
      f.backend.destroyBuffer(params.buffer);
      expect(() => f.backend.queueSubmit(queue, [[run]], undefined)).toThrow(/written to VkDescriptorSet/);
      f.backend.destroyPipeline(pipeline);
      expect(() => f.backend.queueSubmit(queue, [[run]], undefined)).toThrow(/VkPipeline .* has been destroyed/);
    });

    it('refuses a command buffer never recorded, and a one-time submission submitted twice', () => {
      const pool = f.backend.createCommandPool({ flags: 0, queueFamilyIndex: f.family });
      const [blank] = f.backend.allocateCommandBuffers(pool, 1);
      expect(() => f.backend.queueSubmit(queue, [[blank!]], undefined)).toThrow(/not executable/);
      const target = f.mappedBuffer(256, TRANSFER);
      const once = record([{ kind: 'fillBuffer', dst: target.buffer, offset: 0n, size: 256n, data: 9 }], 0x1);
      f.backend.queueSubmit(queue, [[once]], undefined);
      expect(() => f.backend.queueSubmit(queue, [[once]], undefined)).toThrow(/not executable/);
      f.backend.queueWaitIdle(queue);
    });

    it('refuses stale and forged handles, and malformed command lists, before the driver sees them', () => {
      const buffer = f.backend.createBuffer({ size: 64n, usage: TRANSFER });
      f.backend.destroyBuffer(buffer);
      expect(() => f.backend.destroyBuffer(buffer)).toThrow(/is not a live VkBuffer/);
      expect(() => f.backend.getBufferMemoryRequirements({ handle: 0x1234n })).toThrow(VkmapStateError);
      expect(() =>
        f.backend.queueSubmit({ handle: 0x1000n, queueFamilyIndex: 0, queueIndex: 0 }, [], undefined),
      ).toThrow(/not a live VkQueue/);
      expect(() => f.backend.getQueue(f.family, 99)).toThrow(VkmapArgumentError);
      const target = f.mappedBuffer(256, TRANSFER);
      const pool = f.backend.createCommandPool({ flags: 0, queueFamilyIndex: f.family });
      const [commandBuffer] = f.backend.allocateCommandBuffers(pool, 1);
      expect(() =>
        f.backend.recordCommandBuffer(commandBuffer!, 0, [
          { kind: 'copyBuffer', src: target.buffer, dst: { handle: 77n }, regions: [] },
        ]),
      ).toThrow(VkmapStateError);
      const pools = [
        f.backend.createDescriptorPool({ flags: 1, maxSets: 1, poolSizes: [{ type: STORAGE, descriptorCount: 1 }] }),
      ];
      pools.push(
        f.backend.createDescriptorPool({ flags: 1, maxSets: 1, poolSizes: [{ type: STORAGE, descriptorCount: 1 }] }),
      );
      const layout = f.backend.createDescriptorSetLayout([
        { binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
      ]);
      const [set] = f.backend.allocateDescriptorSets(pools[0]!, [layout]);
      expect(() => f.backend.freeDescriptorSets(pools[1]!, [set!])).toThrow(/not allocated from this pool/);
    });

    it('ends an asynchronous wait when its fence is destroyed: the promise rejects, nothing waits on a dead fence', async () => {
      const fence = f.backend.createFence(false);
      const wait = f.backend.waitForFencesAsync([fence], true, UINT64_MAX);
      await new Promise((resolve) => setTimeout(resolve, 30));
      f.backend.destroyFence(fence);
      await expect(wait).rejects.toThrow(/was destroyed before it was signaled/);
    });
  });
});

const caseScript = fileURLToPath(new URL('./fixtures/compute-case.mjs', import.meta.url));

/** Runs one case of fixtures/compute-case.mjs in its own process: its JSON lines, exit status and signal. */
function runCase(name: string) {
  const child = spawnSync(process.execPath, [caseScript, name], { encoding: 'utf8', timeout: 60_000 });
  const output = child.stdout.split('\n');
  // Anything else the child printed (the Khronos layer's messages under khronos-crosscheck.sh) passes through.
  const other = output.filter((line) => line !== '' && !line.startsWith('{'));
  if (other.length > 0) process.stdout.write(`${other.join('\n')}\n`);
  const lines = output
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { status: child.status, signal: child.signal, lines, stderr: child.stderr };
}

describe.skipIf(unavailable)(`native compute, process-isolated${skipNote}`, () => {
  it('destroying a device while an async wait waits on pending work resolves it: the device waits idle first', () => {
    const run = runCase('destroy-during-wait');
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(run.lines).toContainEqual({ settled: 'resolved', value: true, afterDestroy: true });
  });

  it('destroying a device while an async wait waits on a fence nothing will signal rejects it', () => {
    const run = runCase('destroy-during-unsignaled-wait');
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(run.lines).toContainEqual({ settled: 'rejected', kind: 'state', afterDestroy: true });
  });

  it('process.exit() with work pending waits for the device to go idle, and exits with its code', () => {
    const run = runCase('exit-with-pending-work');
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(3);
    expect(run.lines).toContainEqual({ exiting: true });
  });

  it('process.exit() during an async wait that nothing will signal exits promptly', () => {
    const run = runCase('exit-during-wait');
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(4);
  });

  it('the process ending naturally with work pending waits for it (environment teardown)', () => {
    const run = runCase('natural-exit-with-pending-work');
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
  });

  it('worker.terminate() during an async wait that nothing will signal tears the worker down', () => {
    const run = runCase('terminate-worker-during-wait');
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(run.lines).toContainEqual({ terminated: true });
  });
});
