import type { Device, PhysicalDeviceMemoryProperties } from '@vkmap/core';
import type { Statistics } from './statistics.js';

/** VmaBudget: one heap's use by this allocator and by the whole process, against what it may use. */
export interface HeapBudget {
  /** What this allocator holds in the heap. */
  readonly statistics: Statistics;
  /** Bytes of the heap in use by the process (VK_EXT_memory_budget), or this allocator's blocks without it. */
  readonly usage: bigint;
  /** Bytes the process may use (VK_EXT_memory_budget), or 80 % of the heap size without it. */
  readonly budget: bigint;
}

/**
 * Keeps this allocator's own per-heap accounting, and asks the device for the process-wide figures
 * where the backend reports VK_EXT_memory_budget.
 */
export class BudgetTracker {
  private readonly blockCount: number[];
  private readonly blockBytes: number[];
  private readonly allocationCount: number[];
  private readonly allocationBytes: number[];

  constructor(
    private readonly device: Device,
    private readonly memoryProperties: PhysicalDeviceMemoryProperties,
  ) {
    const heaps = memoryProperties.memoryHeaps.length;
    this.blockCount = new Array<number>(heaps).fill(0);
    this.blockBytes = new Array<number>(heaps).fill(0);
    this.allocationCount = new Array<number>(heaps).fill(0);
    this.allocationBytes = new Array<number>(heaps).fill(0);
  }

  heapOf(memoryTypeIndex: number): number {
    return this.memoryProperties.memoryTypes[memoryTypeIndex]!.heapIndex;
  }

  addBlock(memoryTypeIndex: number, size: number): void {
    const heap = this.heapOf(memoryTypeIndex);
    this.blockCount[heap]! += 1;
    this.blockBytes[heap]! += size;
  }

  removeBlock(memoryTypeIndex: number, size: number): void {
    const heap = this.heapOf(memoryTypeIndex);
    this.blockCount[heap]! -= 1;
    this.blockBytes[heap]! -= size;
  }

  addAllocation(memoryTypeIndex: number, size: number): void {
    const heap = this.heapOf(memoryTypeIndex);
    this.allocationCount[heap]! += 1;
    this.allocationBytes[heap]! += size;
  }

  removeAllocation(memoryTypeIndex: number, size: number): void {
    const heap = this.heapOf(memoryTypeIndex);
    this.allocationCount[heap]! -= 1;
    this.allocationBytes[heap]! -= size;
  }

  getHeapBudgets(): HeapBudget[] {
    const reported = this.device.getMemoryBudget();
    return this.memoryProperties.memoryHeaps.map((heap, index) => {
      const own = BigInt(this.blockBytes[index]!);
      return {
        statistics: {
          blockCount: this.blockCount[index]!,
          allocationCount: this.allocationCount[index]!,
          blockBytes: own,
          allocationBytes: BigInt(this.allocationBytes[index]!),
        },
        usage: reported ? reported.heapUsage[index]! : own,
        budget: reported ? reported.heapBudget[index]! : (heap.size * 8n) / 10n,
      };
    });
  }

  /** Whether `bytes` more in the heap of `memoryTypeIndex` would stay within its budget. */
  fitsBudget(memoryTypeIndex: number, bytes: number): boolean {
    const heap = this.heapOf(memoryTypeIndex);
    const budget = this.getHeapBudgets()[heap]!;
    return budget.usage + BigInt(bytes) <= budget.budget;
  }
}
