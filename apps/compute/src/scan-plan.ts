/**
 * How a prefix sum of n values is cut into dispatches, from the device's limits alone (no Vulkan calls):
 *
 * - level 0 scans the n input values in workgroups of W and writes each workgroup's total to its sums; level 1
 *   scans those totals in place, and so on up to a level of one workgroup; then, from the top down, each level's
 *   scan_add adds the scanned totals of the earlier workgroups to its values;
 * - W (specialization constant 0 of both shaders) is the largest power of two up to 256 that the device's
 *   workgroup size, invocation and shared-memory limits allow (128 on Apple's and SwiftShader's limits);
 * - a level with more workgroups than one dispatch may have (maxComputeWorkGroupCount[0]: 65535 on many
 *   devices) or more bytes than one storage descriptor may cover (maxStorageBufferRange: 128 MiB on lavapipe and
 *   Adreno) is dispatched in segments, each with its own descriptor set over its part of the buffer and its first
 *   workgroup's number in the level as a push constant.
 *
 * Every level's totals live in one scratch buffer, at offsets aligned to minStorageBufferOffsetAlignment.
 */
import { alignUp, type PhysicalDeviceLimits } from '@vkmap/core';

/** The shaders' default workgroup size, and the largest the app asks for. */
export const MAX_WORKGROUP_SIZE = 256;
/** Bytes of one value (u32). */
export const WORD = 4;

/** One dispatch of a level: workgroups [groupBase, groupBase + groups) over values [first, first + count). */
export interface Segment {
  readonly groupBase: number;
  readonly groups: number;
  readonly first: number;
  readonly count: number;
}

export interface ScanLevel {
  readonly count: number;
  readonly groups: number;
  /** Byte offset of this level's workgroup totals in the sums buffer. */
  readonly sumsOffset: number;
  readonly segments: readonly Segment[];
}

export interface ScanPlan {
  readonly elements: number;
  readonly workgroupSize: number;
  readonly levels: readonly ScanLevel[];
  /** Bytes of the sums buffer. */
  readonly sumsBytes: number;
  /** Dispatches per prefix sum (scan and add passes of every segment). */
  readonly dispatches: number;
}

export type ScanLimits = Pick<
  PhysicalDeviceLimits,
  | 'maxComputeWorkGroupSize'
  | 'maxComputeWorkGroupInvocations'
  | 'maxComputeWorkGroupCount'
  | 'maxComputeSharedMemorySize'
  | 'maxStorageBufferRange'
  | 'minStorageBufferOffsetAlignment'
>;

function largestPowerOfTwoAtMost(value: number): number {
  return 2 ** Math.floor(Math.log2(value));
}

export function planScan(elements: number, limits: ScanLimits): ScanPlan {
  if (!Number.isSafeInteger(elements) || elements < 1) throw new RangeError(`elements must be >= 1 (got ${elements})`);
  // scan_workgroup.comp keeps two arrays of W u32 in workgroup memory.
  const workgroupSize = largestPowerOfTwoAtMost(
    Math.min(
      MAX_WORKGROUP_SIZE,
      limits.maxComputeWorkGroupSize[0],
      limits.maxComputeWorkGroupInvocations,
      limits.maxComputeSharedMemorySize / (2 * WORD),
    ),
  );
  const maxGroupsPerDispatch = Math.min(
    limits.maxComputeWorkGroupCount[0],
    Math.floor(limits.maxStorageBufferRange / (workgroupSize * WORD)),
  );
  const alignment = Math.max(Number(limits.minStorageBufferOffsetAlignment), WORD);

  const levels: ScanLevel[] = [];
  let count = elements;
  let sumsOffset = 0;
  let dispatches = 0;
  for (;;) {
    const groups = Math.ceil(count / workgroupSize);
    const segments: Segment[] = [];
    for (let groupBase = 0; groupBase < groups; groupBase += maxGroupsPerDispatch) {
      const segmentGroups = Math.min(maxGroupsPerDispatch, groups - groupBase);
      const first = groupBase * workgroupSize;
      segments.push({
        groupBase,
        groups: segmentGroups,
        first,
        count: Math.min(count - first, segmentGroups * workgroupSize),
      });
    }
    levels.push({ count, groups, sumsOffset, segments });
    // The scan pass of every level; the add pass of every level below the top one.
    dispatches += segments.length * (groups > 1 ? 2 : 1);
    sumsOffset = alignUp(sumsOffset + groups * WORD, alignment);
    if (groups === 1) break;
    count = groups;
  }
  return { elements, workgroupSize, levels, sumsBytes: sumsOffset, dispatches };
}

/** The inclusive prefix sum in 32-bit arithmetic, as the shaders compute it: the CPU reference. */
export function cpuPrefixSum(values: Uint32Array): Uint32Array {
  const out = new Uint32Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum = (sum + values[i]!) >>> 0;
    out[i] = sum;
  }
  return out;
}
