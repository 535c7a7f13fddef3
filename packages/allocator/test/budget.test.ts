/**
 * The budget cache: allocating and freeing from existing blocks never asks the driver for
 * VK_EXT_memory_budget figures; the allocator's own checks use figures fetched at most every 30
 * allocations and frees (as VMA), after driver allocations, and when the application asks.
 */
import { describe, expect, it } from 'vitest';
import { AllocationCreateFlagBits as F, createAllocator } from '@vkmap/allocator';
import type { EmulatedDevice } from '@vkmap/emulated';
import { KiB, MiB, makeDevice } from './fixtures.js';

/** Counts the allocator's budget queries: it calls `device.getMemoryBudget()`. */
function countBudgetQueries(device: EmulatedDevice): { readonly count: number } {
  const counter = { count: 0 };
  const original = device.getMemoryBudget.bind(device);
  device.getMemoryBudget = () => {
    counter.count += 1;
    return original();
  };
  return counter;
}

const request = { size: 64 * KiB, alignment: 256, memoryTypeBits: 0b1 };

describe('heap budget cache', () => {
  it('asks the driver once per 30 allocations and frees, never per allocation, and exactly in getHeapBudgets', () => {
    const device = makeDevice('stress'); // heap 0: 32 MiB, VK_EXT_memory_budget
    const queries = countBudgetQueries(device);
    const allocator = createAllocator(device);
    expect(queries.count).toBe(1); // the figures of the start
    const first = allocator.allocateMemory(request);
    expect(queries.count).toBe(1); // a new block: nothing checks the budget without WITHIN_BUDGET
    allocator.freeMemory(first); // the emptied block: kept unless over budget; a driver allocation happened since the fetch
    expect(queries.count).toBe(2);
    expect(device.allocationCount).toBe(1);
    // 150 pairs = 300 allocations and frees, one empty-block check each pair: a fetch every 15 pairs.
    for (let i = 0; i < 150; i++) allocator.freeMemory(allocator.allocateMemory(request));
    expect(queries.count).toBe(2 + 10);
    expect(device.allocationCount).toBe(1); // the one empty block was kept throughout

    const kept = allocator.allocateMemory(request);
    const budgets = allocator.getHeapBudgets();
    expect(queries.count).toBe(13);
    expect(budgets[0]!.statistics).toEqual({
      blockCount: 1,
      allocationCount: 1,
      blockBytes: 512n * 1024n,
      allocationBytes: 64n * 1024n,
    });
    expect(budgets[0]!.usage).toBe(512n * 1024n);
    expect(budgets[0]!.budget).toBe(32n * BigInt(MiB));
    // buildStatsString reports the driver's figures of the moment too.
    device.faults.setHeapBudget(0, 3n * BigInt(MiB));
    const json = JSON.parse(allocator.buildStatsString(false));
    expect(queries.count).toBe(14);
    expect(json.MemoryInfo['Heap 0'].Budget).toEqual({ BudgetBytes: 3 * MiB, UsageBytes: 512 * 1024 });
    allocator.freeMemory(kept);
    allocator.destroy();
  });

  it('releases the emptied block once the cached figures say the heap is over budget: after 30 operations or setCurrentFrameIndex', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    allocator.freeMemory(allocator.allocateMemory(request)); // fetch after the block's allocation; block kept
    expect(device.allocationCount).toBe(1);
    device.faults.setHeapBudget(0, 256n * 1024n); // below the 512 KiB block: over budget from now on
    let pairs = 0;
    while (device.allocationCount === 1 && pairs < 100) {
      allocator.freeMemory(allocator.allocateMemory(request));
      pairs += 1;
    }
    // The cached figures hold for 30 allocations and frees: the 15th pair's free fetches and releases.
    expect(pairs).toBe(15);
    expect(device.allocationCount).toBe(0);

    const second = makeDevice('stress');
    const framed = createAllocator(second);
    framed.freeMemory(framed.allocateMemory(request));
    second.faults.setHeapBudget(0, 256n * 1024n);
    framed.freeMemory(framed.allocateMemory(request));
    expect(second.allocationCount).toBe(1); // cached: still within budget
    expect(framed.currentFrameIndex).toBe(0);
    framed.setCurrentFrameIndex(1); // a new frame: fresh figures, as vmaSetCurrentFrameIndex
    expect(framed.currentFrameIndex).toBe(1);
    framed.freeMemory(framed.allocateMemory(request));
    expect(second.allocationCount).toBe(0);
    expect(() => framed.setCurrentFrameIndex(-1)).toThrow(/32-bit unsigned integer/);
    allocator.destroy();
    framed.destroy();
  });

  it('WITHIN_BUDGET takes the driver figures of the moment before it allocates device memory', () => {
    const device = makeDevice('stress');
    const queries = countBudgetQueries(device);
    const allocator = createAllocator(device);
    const a = allocator.allocateMemory(request, { flags: F.WITHIN_BUDGET }); // a new block: one fresh fetch
    expect(queries.count).toBe(2);
    const b = allocator.allocateMemory(request, { flags: F.WITHIN_BUDGET }); // fits the block: no fetch
    expect(queries.count).toBe(2);
    expect(b.memory).toBe(a.memory);
    // The budget shrinks behind the allocator's back; no allocation or free happened since the last fetch.
    device.faults.setHeapBudget(0, device.getMemoryBudget()!.heapUsage[0]! + 100n * 1024n);
    expect(() =>
      allocator.allocateMemory({ size: 600 * KiB, alignment: 1, memoryTypeBits: 0b1 }, { flags: F.WITHIN_BUDGET }),
    ).toThrow(/WITHIN_BUDGET is set and .* would exceed the budget of heap 0/);
    expect(device.allocationCount).toBe(1);
    allocator.freeMemory(a);
    allocator.freeMemory(b);
    allocator.destroy();
  });

  it('without VK_EXT_memory_budget asks the device once, and judges by its own block bytes against 80 % of the heap', () => {
    const device = makeDevice('nvidia-gtx950-smallbar'); // no VK_EXT_memory_budget
    const queries = countBudgetQueries(device);
    const allocator = createAllocator(device);
    for (let i = 0; i < 100; i++)
      allocator.freeMemory(allocator.allocateMemory({ ...request, memoryTypeBits: 0xffffffff }));
    const heaps = allocator.getHeapBudgets();
    expect(queries.count).toBe(1);
    const type = allocator.findMemoryTypeIndex(0xffffffff);
    const heap = device.physicalDevice.getMemoryProperties().memoryTypes[type]!.heapIndex;
    expect(heaps[heap]!.statistics.blockCount).toBe(1); // the kept empty block
    expect(heaps[heap]!.usage).toBe(heaps[heap]!.statistics.blockBytes);
    expect(heaps[heap]!.budget).toBe((device.physicalDevice.getMemoryProperties().memoryHeaps[heap]!.size * 8n) / 10n);
    allocator.destroy();
  });
});
