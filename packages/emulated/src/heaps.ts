import {
  VkError,
  VkMemoryHeapFlagBits,
  type MemoryHeap,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '@vkmap/core';
import type { FaultInjector } from './fault-injector.js';

/**
 * What each heap holds: allocations count against the heap's size (or the budget a fault caps it to) and
 * against maxMemoryAllocationSize, as a driver refuses them with VK_ERROR_OUT_OF_DEVICE_MEMORY.
 */
export class HeapAccounting {
  private readonly heaps: readonly MemoryHeap[];
  private readonly usage: bigint[];
  private readonly faults: FaultInjector;
  private readonly maxMemoryAllocationSize: bigint;

  constructor(heaps: readonly MemoryHeap[], maxMemoryAllocationSize: bigint, faults: FaultInjector) {
    this.heaps = heaps;
    this.usage = heaps.map(() => 0n);
    this.faults = faults;
    this.maxMemoryAllocationSize = maxMemoryAllocationSize;
  }

  /** Takes `size` bytes of heap `heapIndex`, or fails with VK_ERROR_OUT_OF_DEVICE_MEMORY changing nothing. */
  take(heapIndex: number, size: bigint): void {
    if (size > this.maxMemoryAllocationSize) {
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_OUT_OF_DEVICE_MEMORY',
        `${size} bytes exceed maxMemoryAllocationSize ${this.maxMemoryAllocationSize}`,
      );
    }
    const available = this.budgetOf(heapIndex) - this.usage[heapIndex]!;
    if (size > available) {
      const host = (this.heaps[heapIndex]!.flags & VkMemoryHeapFlagBits.VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) === 0;
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_OUT_OF_DEVICE_MEMORY',
        `heap ${heapIndex}${host ? ' (host)' : ''} has ${available > 0n ? available : 0n} of its budget free, ${size} requested`,
      );
    }
    this.usage[heapIndex]! += size;
  }

  give(heapIndex: number, size: bigint): void {
    this.usage[heapIndex]! -= size;
  }

  /** VK_EXT_memory_budget's view: each heap's budget (its size, or the cap a fault set) and usage. */
  budget(): PhysicalDeviceMemoryBudgetPropertiesEXT {
    return { heapBudget: this.heaps.map((_, index) => this.budgetOf(index)), heapUsage: [...this.usage] };
  }

  private budgetOf(heapIndex: number): bigint {
    const size = this.heaps[heapIndex]!.size;
    const cap = this.faults.heapBudgetLimit(heapIndex);
    return cap !== undefined && cap < size ? cap : size;
  }
}
