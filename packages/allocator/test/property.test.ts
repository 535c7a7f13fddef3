import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VkError } from '@vkmap/core';
import { AllocationCreateFlagBits as F, createAllocator, type Allocation } from '@vkmap/allocator';
import { makeDevice } from './fixtures.js';

type Step =
  | { kind: 'allocate'; size: number; alignLog2: number; types: number; flags: number }
  | { kind: 'free'; pick: number }
  | { kind: 'map'; pick: number }
  | { kind: 'unmap'; pick: number }
  | { kind: 'write'; pick: number; value: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('allocate' as const),
      size: fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 3 << 20 })),
      alignLog2: fc.integer({ min: 0, max: 12 }),
      types: fc.integer({ min: 1, max: 31 }),
      flags: fc.constantFrom(0, F.MAPPED | F.HOST_ACCESS_RANDOM, F.HOST_ACCESS_SEQUENTIAL_WRITE, F.DEDICATED_MEMORY),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('map' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unmap' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      pick: fc.nat(),
      value: fc.integer({ min: 1, max: 255 }),
    }),
  },
);

function checkInvariants(allocations: readonly Allocation[], allocator: ReturnType<typeof createAllocator>): void {
  const byMemory = new Map<unknown, Allocation[]>();
  for (const a of allocations) {
    const list = byMemory.get(a.memory) ?? [];
    list.push(a);
    byMemory.set(a.memory, list);
    expect(a.offset + a.size).toBeLessThanOrEqual(a.memory.allocationSize);
  }
  for (const list of byMemory.values()) {
    list.sort((x, y) => Number(x.offset - y.offset));
    for (let i = 1; i < list.length; i++)
      expect(list[i - 1]!.offset + list[i - 1]!.size).toBeLessThanOrEqual(list[i]!.offset);
  }
  const stats = allocator.calculateStatistics();
  expect(stats.total.statistics.allocationCount).toBe(allocations.length);
  const json = JSON.parse(allocator.buildStatsString());
  let unused = 0;
  let blockBytes = 0;
  for (const type of Object.values(json.DefaultPools) as {
    Blocks: Record<string, { TotalBytes: number; UnusedBytes: number }>;
  }[]) {
    for (const block of Object.values(type.Blocks)) {
      unused += block.UnusedBytes;
      blockBytes += block.TotalBytes;
    }
  }
  const dedicatedBytes = allocations
    .filter((a) => a.isDedicated)
    .reduce((sum, a) => sum + Number(a.memory.allocationSize), 0);
  expect(BigInt(blockBytes + dedicatedBytes)).toBe(stats.total.statistics.blockBytes);
  // Freed allocations whose views may still be alive are quarantined: neither allocated nor free.
  expect(stats.total.statistics.allocationBytes + BigInt(unused) + stats.total.quarantineBytes).toBe(
    stats.total.statistics.blockBytes,
  );
  const heaps = allocator.getHeapBudgets();
  expect(heaps.reduce((sum, heap) => sum + heap.statistics.blockBytes, 0n)).toBe(stats.total.statistics.blockBytes);
}

describe('random allocate / free / map sequences', () => {
  for (const profile of ['stress', 'qualcomm-adreno-turnip', 'amd-radv-rx580-smallbar']) {
    it(`on ${profile} with fault injection: no overlap, alignment kept, statistics add up, data intact`, () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 1000 }), (steps, seed) => {
          const device = makeDevice(profile, seed);
          device.faults.failRandomly({
            target: 'allocate',
            probability: 0.15,
            result: 'VK_ERROR_OUT_OF_DEVICE_MEMORY',
          });
          device.faults.failRandomly({ target: 'map', probability: 0.1, result: 'VK_ERROR_MEMORY_MAP_FAILED' });
          const allocator = createAllocator(device, { preferredLargeHeapBlockSize: 8 << 20 });
          const live: Allocation[] = [];
          const contents = new Map<Allocation, number>();
          const pick = (n: number) => live[n % live.length]!;
          for (const s of steps) {
            if (s.kind === 'allocate') {
              const alignment = 2 ** s.alignLog2;
              try {
                const a = allocator.allocateMemory(
                  { size: s.size, alignment, memoryTypeBits: s.types },
                  { flags: s.flags },
                );
                expect(a.offset % BigInt(alignment)).toBe(0n);
                live.push(a);
              } catch (error) {
                expect(error).toBeInstanceOf(VkError);
              }
            } else if (live.length === 0) {
              continue;
            } else if (s.kind === 'free') {
              const a = pick(s.pick);
              if (a.mapCount > 0) {
                expect(() => allocator.freeMemory(a)).toThrow(/still mapped/);
                continue;
              }
              allocator.freeMemory(a);
              live.splice(live.indexOf(a), 1);
              contents.delete(a);
            } else if (s.kind === 'map') {
              const a = pick(s.pick);
              try {
                const view = allocator.mapMemory(a);
                expect(view.length).toBe(Number(a.size));
                const expected = contents.get(a);
                if (expected !== undefined) {
                  allocator.invalidateAllocation(a);
                  expect(view[0]).toBe(expected);
                  expect(view[view.length - 1]).toBe(expected);
                }
              } catch (error) {
                if (!(error instanceof VkError)) expect(String(error)).toMatch(/not HOST_VISIBLE/);
              }
            } else if (s.kind === 'unmap') {
              const a = pick(s.pick);
              if (a.mapCount === 0) expect(() => allocator.unmapMemory(a)).toThrow(/is not mapped/);
              else allocator.unmapMemory(a);
            } else {
              const a = pick(s.pick);
              try {
                allocator.copyMemoryToAllocation(new Uint8Array(Number(a.size)).fill(s.value), a);
                contents.set(a, s.value);
              } catch (error) {
                if (!(error instanceof VkError)) expect(String(error)).toMatch(/not HOST_VISIBLE/);
              }
            }
            checkInvariants(live, allocator);
          }
          allocator.destroy({ freeLeakedAllocations: true });
          expect(device.allocationCount).toBe(0);
        }),
        { numRuns: 60 },
      );
    });
  }
});
