/** @vkmap/allocator's allocateMemory + freeMemory of one size: a sub-allocation from a block, not a driver call. */
import { performance } from 'node:perf_hooks';
import { createAllocator } from '@vkmap/allocator';
import type { Device } from '@vkmap/core';

export function allocatorAllocateFree(device: Device, type: number, size: number, iterations: number): number {
  const allocator = createAllocator(device);
  const requirements = { size, alignment: 256, memoryTypeBits: 1 << type };
  try {
    // The first allocation creates the block; it stays (one empty block is kept), so the loop never reaches the driver.
    allocator.freeMemory(allocator.allocateMemory(requirements));
    const start = performance.now();
    for (let i = 0; i < iterations; i++) allocator.freeMemory(allocator.allocateMemory(requirements));
    return ((performance.now() - start) * 1e6) / iterations;
  } finally {
    allocator.destroy();
  }
}
