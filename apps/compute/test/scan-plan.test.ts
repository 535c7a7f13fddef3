/** How the prefix sum is cut into levels, segments and dispatches from a device's limits. */
import { describe, expect, it } from 'vitest';
import { cpuPrefixSum, planScan, type ScanLimits } from '../src/scan-plan.js';

const DESKTOP: ScanLimits = {
  maxComputeWorkGroupSize: [1024, 1024, 64],
  maxComputeWorkGroupInvocations: 1024,
  maxComputeWorkGroupCount: [2 ** 31 - 1, 65535, 65535],
  maxComputeSharedMemorySize: 49152,
  maxStorageBufferRange: 2 ** 32 - 1,
  minStorageBufferOffsetAlignment: 16n,
};

describe('planScan', () => {
  it('one workgroup: one level, one dispatch', () => {
    const plan = planScan(200, DESKTOP);
    expect(plan.workgroupSize).toBe(256);
    expect(plan.levels).toEqual([
      { count: 200, groups: 1, sumsOffset: 0, segments: [{ groupBase: 0, groups: 1, first: 0, count: 200 }] },
    ]);
    expect(plan.dispatches).toBe(1);
  });

  it('1 Mi values: three levels, their totals at aligned offsets, scan and add passes', () => {
    const plan = planScan(1 << 20, DESKTOP);
    expect(plan.levels.map((l) => [l.count, l.groups, l.sumsOffset])).toEqual([
      [1 << 20, 4096, 0],
      [4096, 16, 16384],
      [16, 1, 16448],
    ]);
    expect(plan.sumsBytes).toBe(16464);
    expect(plan.dispatches).toBe(5);
  });

  it('the workgroup size follows the smallest of the limits (128 on Apple M1, shared memory too)', () => {
    expect(planScan(1000, { ...DESKTOP, maxComputeWorkGroupInvocations: 128 }).workgroupSize).toBe(128);
    expect(planScan(1000, { ...DESKTOP, maxComputeWorkGroupSize: [192, 1, 1] }).workgroupSize).toBe(128);
    expect(planScan(1000, { ...DESKTOP, maxComputeSharedMemorySize: 1024 }).workgroupSize).toBe(128);
  });

  it('levels too large for one dispatch are cut into segments (65535 workgroups, 128 MiB descriptors)', () => {
    const lavapipe = {
      ...DESKTOP,
      maxComputeWorkGroupCount: [65535, 65535, 65535] as const,
      maxStorageBufferRange: 2 ** 27,
    };
    const plan = planScan(64 << 20, lavapipe);
    const level0 = plan.levels[0]!;
    expect(level0.groups).toBe(262144);
    expect(level0.segments.map((s) => s.groups)).toEqual([65535, 65535, 65535, 65535, 4]);
    expect(level0.segments.at(-1)).toEqual({ groupBase: 262140, groups: 4, first: 262140 * 256, count: 1024 });
    expect(plan.dispatches).toBe(15);
    const small = planScan(10_000, { ...DESKTOP, maxStorageBufferRange: 4096 });
    expect(small.levels[0]!.segments.map((s) => [s.first, s.count])).toEqual([
      [0, 1024],
      [1024, 1024],
      [2048, 1024],
      [3072, 1024],
      [4096, 1024],
      [5120, 1024],
      [6144, 1024],
      [7168, 1024],
      [8192, 1024],
      [9216, 784],
    ]);
  });

  it('the CPU reference wraps around 2^32 as the shader does', () => {
    expect([...cpuPrefixSum(Uint32Array.of(1, 2, 0xffff_ffff, 5))]).toEqual([1, 3, 2, 7]);
  });
});
