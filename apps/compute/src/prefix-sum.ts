/**
 * The prefix sum: n u32 values in, their inclusive prefix sum out, verified against the CPU.
 *
 * The data goes in through a persistently mapped upload buffer (non-coherent memory where the device has a
 * host-visible type without HOST_COHERENT, so the flush matters; rounded to nonCoherentAtomSize by the
 * allocator) and comes back through a persistently mapped readback buffer in HOST_CACHED memory, invalidated
 * over just the bytes read. Two paths:
 *
 * - direct: the shaders read the upload buffer and write the readback buffer (then scan in place there);
 * - staging: a copy moves the input into DEVICE_LOCAL memory the host cannot map, the passes run there, and a
 *   copy brings the result to the readback buffer: the layout for a discrete GPU, whose host-visible memory the
 *   GPU reaches only over the bus.
 *
 * All of one path's work is one command buffer and one submission: barriers between the passes
 * (compute -> compute), around the copies, and to the host at the end. `--skip-flush`, `--skip-invalidate`
 * and `--no-barrier` leave out the flush, the invalidate or every barrier, to show what goes wrong.
 */
import {
  AllocationCreateFlagBits as F,
  MemoryUsage,
  createAllocator,
  type AllocationCreateInfo,
  type Allocator,
  type BufferAllocation,
} from '@vkmap/allocator';
import {
  VkBufferUsageFlagBits,
  VkDescriptorType,
  VkMemoryPropertyFlagBits,
  VkPipelineBindPoint,
  type CommandBuffer,
  type DescriptorPool,
  type DescriptorSet,
  type Device,
} from '@vkmap/core';
import {
  Barriers,
  COMPUTE_STAGE,
  createComputePipeline,
  createPipelineLayout,
  submitAndWait,
  wordBytes,
} from './compute-kit.js';
import { AppError, UsageError } from './errors.js';
import type { Gpu, Hazard } from './gpu.js';
import { hasDeviceOnlyMemory, nonCoherentMask, reportType, type MemoryTypeReport } from './memory.js';
import type { Progress } from './progress.js';
import { cpuPrefixSum, planScan, WORD, type ScanPlan } from './scan-plan.js';
import { scanAddSpirv, scanWorkgroupSpirv } from './shaders.generated.js';

const USAGE = VkBufferUsageFlagBits;
const STORAGE_BUFFER = VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
const BIND_COMPUTE = VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_COMPUTE;
/** Push constants of both shaders: groupBase, count. */
const PUSH_CONSTANT_BYTES = 8;

export type ScanPath = 'direct' | 'staging';
export type PathChoice = 'auto' | ScanPath;

export interface PrefixSumOptions {
  readonly elements: number;
  /** 'auto': direct, and staging too where the device has DEVICE_LOCAL memory the host cannot map. */
  readonly path: PathChoice;
  /** Memory type of the upload buffer; undefined: the app's choice. */
  readonly uploadType: number | undefined;
  /** Memory type of the readback buffer; undefined: the allocator's choice (HOST_CACHED). */
  readonly readbackType: number | undefined;
  readonly skipFlush: boolean;
  readonly skipInvalidate: boolean;
  readonly noBarrier: boolean;
  /** Seed of the input values. */
  readonly seed: number;
}

export interface Mismatch {
  /** Elements that differ from the CPU's prefix sum. */
  readonly wrongElements: number;
  /** The first of them. */
  readonly index: number;
  readonly expected: number;
  readonly actual: number;
}

export interface Timings {
  /** Host writes through the mapping, and the flush. */
  readonly uploadMs: number;
  /** From the submit to the end of the fence wait. */
  readonly dispatchMs: number;
  /** The invalidate, and host reads through the mapping (a copy out). */
  readonly readbackMs: number;
}

export interface Throughput {
  readonly uploadGBps: number;
  /** Input bytes per second of dispatch time. */
  readonly dispatchGBps: number;
  readonly readbackGBps: number;
}

export interface PathResult {
  readonly path: ScanPath;
  readonly upload: MemoryTypeReport;
  readonly readback: MemoryTypeReport;
  /** The DEVICE_LOCAL buffer the staging path works in; null on the direct path. */
  readonly deviceLocal: MemoryTypeReport | null;
  readonly timings: Timings;
  readonly throughput: Throughput;
  readonly verified: boolean;
  readonly mismatch: Mismatch | null;
  /** What the validation layer reported during this path's run. */
  readonly hazards: readonly Hazard[];
}

export interface PrefixSumResult {
  readonly elements: number;
  readonly bytes: number;
  readonly workgroupSize: number;
  readonly dispatches: number;
  readonly levels: number;
  readonly cpuScanMs: number;
  readonly runs: readonly PathResult[];
  /** Paths 'auto' left out, and why. */
  readonly skippedPaths: readonly { readonly path: ScanPath; readonly reason: string }[];
  /** The allocator's memory picture (buildStatsSvg) while the last path's buffers were live. */
  readonly statsSvg: string;
}

/** Small values (0..999), so a wrong element reads well: the prefix sums wrap around 2^32 only past 4 million. */
export function inputValues(count: number, seed: number): Uint32Array {
  const values = new Uint32Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[i] = (state >>> 0) % 1000;
  }
  return values;
}

function compare(actual: Uint32Array, expected: Uint32Array): Mismatch | null {
  let wrongElements = 0;
  let index = -1;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      if (index < 0) index = i;
      wrongElements += 1;
    }
  }
  return index < 0 ? null : { wrongElements, index, expected: expected[index]!, actual: actual[index]! };
}

const gigabytesPerSecond = (bytes: number, ms: number) => (ms > 0 ? bytes / (ms * 1e6) : 0);

/** The paths to run, and those left out with the reason. */
export function choosePaths(
  gpu: Gpu,
  choice: PathChoice,
): { paths: ScanPath[]; skipped: PrefixSumResult['skippedPaths'] } {
  if (choice !== 'auto') return { paths: [choice], skipped: [] };
  if (hasDeviceOnlyMemory(gpu.memoryTypes)) return { paths: ['direct', 'staging'], skipped: [] };
  return {
    paths: ['direct'],
    skipped: [
      {
        path: 'staging',
        reason:
          'every DEVICE_LOCAL memory type of this device is host-visible (or it has none), so the direct path already works in the memory a staging copy would move the data to (--path staging runs it anyway)',
      },
    ],
  };
}

/** The scan's pipelines and their layouts, shared by the paths of a run. */
class ScanPipelines {
  readonly setLayout;
  readonly layout;
  readonly scan;
  readonly add;

  constructor(
    private readonly device: Device,
    workgroupSize: number,
  ) {
    this.setLayout = device.createDescriptorSetLayout({
      bindings: [0, 1, 2].map((binding) => ({
        binding,
        descriptorType: STORAGE_BUFFER,
        descriptorCount: 1,
        stageFlags: COMPUTE_STAGE,
      })),
    });
    this.layout = createPipelineLayout(device, this.setLayout, PUSH_CONSTANT_BYTES);
    this.scan = createComputePipeline(device, scanWorkgroupSpirv(), this.layout, [workgroupSize]);
    this.add = createComputePipeline(device, scanAddSpirv(), this.layout, [workgroupSize]);
  }

  destroy(): void {
    this.device.destroyPipeline(this.scan);
    this.device.destroyPipeline(this.add);
    this.device.destroyPipelineLayout(this.layout);
    this.device.destroyDescriptorSetLayout(this.setLayout);
  }
}

/** The buffers of one path. */
interface PathBuffers {
  readonly upload: BufferAllocation;
  readonly readback: BufferAllocation;
  readonly deviceLocal: BufferAllocation | null;
  readonly sums: BufferAllocation;
}

/**
 * An allocation in exactly memory type `index` (--upload-type, --readback-type), persistently mapped, for
 * measuring each host-visible type: the property flags are the caller's choice here, not the usage's (VMA's
 * HOST_ACCESS_RANDOM, for one, requires HOST_CACHED).
 */
function exactType(gpu: Gpu, option: string, index: number, name: string): AllocationCreateInfo {
  const type = gpu.memoryTypes[index];
  if (!type) throw new UsageError(`${option} ${index}: the device has memory types 0 to ${gpu.memoryTypes.length - 1}`);
  if (!type.hostVisible)
    throw new UsageError(`${option} ${index}: memory type ${index} (${type.properties}) is not HOST_VISIBLE`);
  return {
    flags: F.MAPPED | F.DEDICATED_MEMORY,
    usage: MemoryUsage.UNKNOWN,
    requiredFlags: VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT,
    memoryTypeBits: 1 << index,
    name,
  };
}

function createBuffers(
  allocator: Allocator,
  gpu: Gpu,
  path: ScanPath,
  plan: ScanPlan,
  options: PrefixSumOptions,
): PathBuffers {
  const size = plan.elements * WORD;
  const made: BufferAllocation[] = [];
  const create = (...args: Parameters<Allocator['createBuffer']>) => {
    const buffer = allocator.createBuffer(...args);
    made.push(buffer);
    return buffer;
  };
  try {
    // Written once, in order, by the host: non-coherent memory where there is some, to show the flush.
    const upload = create(
      {
        size,
        usage: path === 'direct' ? USAGE.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT : USAGE.VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
      },
      options.uploadType === undefined
        ? {
            flags: F.HOST_ACCESS_SEQUENTIAL_WRITE | F.MAPPED | F.DEDICATED_MEMORY,
            memoryTypeBits: nonCoherentMask(gpu.memoryTypes),
            name: 'upload',
          }
        : exactType(gpu, '--upload-type', options.uploadType, 'upload'),
    );
    // Read by the host: HOST_CACHED (HOST_ACCESS_RANDOM). Its own memory object, so that the validation layer,
    // which sees host reads only as the taking of a mapping's view, can tell when all of it is stale.
    const readback = create(
      {
        size,
        usage: path === 'direct' ? USAGE.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT : USAGE.VK_BUFFER_USAGE_TRANSFER_DST_BIT,
      },
      options.readbackType === undefined
        ? { flags: F.HOST_ACCESS_RANDOM | F.MAPPED | F.DEDICATED_MEMORY, name: 'readback' }
        : exactType(gpu, '--readback-type', options.readbackType, 'readback'),
    );
    const deviceLocal =
      path === 'staging'
        ? create(
            {
              size,
              usage:
                USAGE.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                USAGE.VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                USAGE.VK_BUFFER_USAGE_TRANSFER_DST_BIT,
            },
            {
              flags: F.DEDICATED_MEMORY,
              usage: MemoryUsage.AUTO_PREFER_DEVICE,
              requiredFlags: VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT,
              name: 'device-local',
            },
          )
        : null;
    const sums = create(
      { size: plan.sumsBytes, usage: USAGE.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT },
      { name: 'scan sums' },
    );
    return { upload, readback, deviceLocal, sums };
  } catch (error) {
    for (const { buffer, allocation } of made) allocator.destroyBuffer(buffer, allocation);
    throw error;
  }
}

/** One descriptor set per segment of every level: [level][segment]. */
function writeDescriptorSets(
  device: Device,
  pipelines: ScanPipelines,
  plan: ScanPlan,
  buffers: PathBuffers,
): { pool: DescriptorPool; sets: DescriptorSet[][] } {
  const setCount = plan.levels.reduce((n, level) => n + level.segments.length, 0);
  const pool = device.createDescriptorPool({
    maxSets: setCount,
    poolSizes: [{ type: STORAGE_BUFFER, descriptorCount: 3 * setCount }],
  });
  const allocated = device.allocateDescriptorSets({
    descriptorPool: pool,
    setLayouts: Array.from({ length: setCount }, () => pipelines.setLayout),
  });
  const sums = buffers.sums.buffer;
  const level0Src = (buffers.deviceLocal ?? buffers.upload).buffer;
  const level0Dst = (buffers.deviceLocal ?? buffers.readback).buffer;
  let next = 0;
  const sets = plan.levels.map((level, l) =>
    level.segments.map((segment) => {
      const set = allocated[next++]!;
      // Level 0 works on the path's buffers; each level above scans the totals of the one below, in place.
      const base = l === 0 ? 0 : plan.levels[l - 1]!.sumsOffset;
      const range = { offset: base + segment.first * WORD, range: segment.count * WORD };
      const bind = (dstBinding: number, buffer: typeof sums, offset: number, size: number) => ({
        dstSet: set,
        dstBinding,
        descriptorType: STORAGE_BUFFER,
        bufferInfo: [{ buffer, offset, range: size }],
      });
      device.updateDescriptorSets([
        bind(0, l === 0 ? level0Src : sums, range.offset, range.range),
        bind(1, l === 0 ? level0Dst : sums, range.offset, range.range),
        bind(2, sums, level.sumsOffset, level.groups * WORD),
      ]);
      return set;
    }),
  );
  return { pool, sets };
}

/** Every level's scan passes from the bottom up, then the add passes from the top down. */
function recordScan(
  device: Device,
  commandBuffer: CommandBuffer,
  plan: ScanPlan,
  pipelines: ScanPipelines,
  sets: DescriptorSet[][],
  barriers: Barriers,
): void {
  const dispatchLevel = (l: number) => {
    plan.levels[l]!.segments.forEach((segment, s) => {
      device.cmdBindDescriptorSets(commandBuffer, BIND_COMPUTE, pipelines.layout, 0, [sets[l]![s]!]);
      device.cmdPushConstants(
        commandBuffer,
        pipelines.layout,
        COMPUTE_STAGE,
        0,
        wordBytes([segment.groupBase, segment.count]),
      );
      device.cmdDispatch(commandBuffer, segment.groups, 1, 1);
    });
  };
  const top = plan.levels.length - 1;
  device.cmdBindPipeline(commandBuffer, BIND_COMPUTE, pipelines.scan);
  for (let l = 0; l <= top; l++) {
    if (l > 0) barriers.computeToCompute(commandBuffer);
    dispatchLevel(l);
  }
  if (top === 0) return;
  device.cmdBindPipeline(commandBuffer, BIND_COMPUTE, pipelines.add);
  for (let l = top - 1; l >= 0; l--) {
    barriers.computeToCompute(commandBuffer);
    dispatchLevel(l);
  }
}

async function runPath(
  gpu: Gpu,
  allocator: Allocator,
  pipelines: ScanPipelines,
  plan: ScanPlan,
  path: ScanPath,
  input: Uint32Array,
  expected: Uint32Array,
  options: PrefixSumOptions,
  progress: Progress,
): Promise<{ result: PathResult; statsSvg: string }> {
  const { device } = gpu;
  const bytes = plan.elements * WORD;
  const buffers = createBuffers(allocator, gpu, path, plan, options);
  let pool: DescriptorPool | undefined;
  try {
    const written = writeDescriptorSets(device, pipelines, plan, buffers);
    pool = written.pool;
    const { sets } = written;
    const barriers = new Barriers(device, !options.noBarrier);
    // Upload: the host writes the input through the persistent mapping and flushes it (a no-op on coherent
    // memory). Timed is the second of two writes of the same bytes: the first one faults the mapping's pages in,
    // which a program that keeps its mapping pays once, not per upload.
    const source = new Uint8Array(input.buffer, input.byteOffset, bytes);
    buffers.upload.allocation.mappedData!.set(source);
    let start = performance.now();
    buffers.upload.allocation.mappedData!.set(source);
    if (!options.skipFlush) allocator.flushAllocation(buffers.upload.allocation, 0, bytes);
    const uploadMs = performance.now() - start;

    progress.start(`prefix sum (${path}): ${plan.dispatches} dispatches on the GPU`, true);
    const dispatchMs = await submitAndWait(device, gpu.queue, (commandBuffer) => {
      const { upload, readback, deviceLocal } = buffers;
      if (deviceLocal) {
        device.cmdCopyBuffer(commandBuffer, upload.buffer, deviceLocal.buffer, [
          { srcOffset: 0, dstOffset: 0, size: bytes },
        ]);
        barriers.transferToCompute(commandBuffer, deviceLocal.buffer);
      }
      recordScan(device, commandBuffer, plan, pipelines, sets, barriers);
      if (deviceLocal) {
        barriers.computeToTransfer(commandBuffer, deviceLocal.buffer);
        device.cmdCopyBuffer(commandBuffer, deviceLocal.buffer, readback.buffer, [
          { srcOffset: 0, dstOffset: 0, size: bytes },
        ]);
        barriers.toHost(commandBuffer, 'TRANSFER', readback.buffer);
      } else {
        barriers.toHost(commandBuffer, 'COMPUTE_SHADER', readback.buffer);
      }
    });
    progress.end();

    // Readback: invalidate just the bytes read (a no-op on coherent memory), then read them through the mapping
    // into an array whose pages are already in (fill), so that the time is the mapping's.
    const output = new Uint32Array(plan.elements).fill(1);
    start = performance.now();
    if (!options.skipInvalidate) allocator.invalidateAllocation(buffers.readback.allocation, 0, bytes);
    new Uint8Array(output.buffer).set(buffers.readback.allocation.mappedData!.subarray(0, bytes));
    const readbackMs = performance.now() - start;

    const mismatch = compare(output, expected);
    const typeOf = (buffer: BufferAllocation) => reportType(gpu.memoryTypes[buffer.allocation.memoryTypeIndex]!);
    const result: PathResult = {
      path,
      upload: typeOf(buffers.upload),
      readback: typeOf(buffers.readback),
      deviceLocal: buffers.deviceLocal ? typeOf(buffers.deviceLocal) : null,
      timings: { uploadMs, dispatchMs, readbackMs },
      throughput: {
        uploadGBps: gigabytesPerSecond(bytes, uploadMs),
        dispatchGBps: gigabytesPerSecond(bytes, dispatchMs),
        readbackGBps: gigabytesPerSecond(bytes, readbackMs),
      },
      verified: mismatch === null,
      mismatch,
      hazards: gpu.takeHazards(),
    };
    return { result, statsSvg: allocator.buildStatsSvg() };
  } finally {
    progress.end();
    if (pool) device.destroyDescriptorPool(pool);
    for (const buffer of [buffers.upload, buffers.readback, buffers.deviceLocal, buffers.sums]) {
      if (buffer) allocator.destroyBuffer(buffer.buffer, buffer.allocation);
    }
  }
}

export async function runPrefixSum(gpu: Gpu, options: PrefixSumOptions, progress: Progress): Promise<PrefixSumResult> {
  const limits = gpu.physicalDevice.getProperties().limits;
  const plan = planScan(options.elements, limits);
  const { paths, skipped } = choosePaths(gpu, options.path);
  if (paths.includes('staging') && !gpu.memoryTypes.some((t) => t.deviceLocal)) {
    throw new AppError(`${gpu.description.name} has no DEVICE_LOCAL memory for the staging path`);
  }

  progress.start(`prefix sum: ${options.elements} input values and their prefix sum on the CPU`, true);
  const input = inputValues(options.elements, options.seed);
  const cpuStart = performance.now();
  const expected = cpuPrefixSum(input);
  const cpuScanMs = performance.now() - cpuStart;
  progress.end();

  const allocator = createAllocator(gpu.device);
  const pipelines = new ScanPipelines(gpu.device, plan.workgroupSize);
  const runs: PathResult[] = [];
  let statsSvg = '';
  try {
    for (const path of paths) {
      const run = await runPath(gpu, allocator, pipelines, plan, path, input, expected, options, progress);
      runs.push(run.result);
      statsSvg = run.statsSvg;
    }
  } finally {
    pipelines.destroy();
    allocator.destroy();
  }
  return {
    elements: options.elements,
    bytes: options.elements * WORD,
    workgroupSize: plan.workgroupSize,
    dispatches: plan.dispatches,
    levels: plan.levels.length,
    cpuScanMs,
    runs,
    skippedPaths: skipped,
    statsSvg,
  };
}
