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
 * Allocations and frees after which the allocator's own checks fetch the device's figures again, as
 * VMA's GetHeapBudgets does (its `m_OperationsSinceBudgetFetch < 30`).
 */
export const BUDGET_FETCH_INTERVAL = 30;

/**
 * This allocator's own per-heap accounting (blocks and allocations, counts and bytes), updated on every
 * allocation and free, and a cache of the process-wide figures of VK_EXT_memory_budget, as VMA's
 * VmaCurrentBudgetData keeps them.
 *
 * Asking the driver (vkGetPhysicalDeviceMemoryProperties2 with VkPhysicalDeviceMemoryBudgetPropertiesEXT)
 * costs far more than an allocation from an existing block (about 65 us on lavapipe, which reads
 * /proc/meminfo), so the allocator's own checks use the cached figures and fetch them again only:
 * - after `BUDGET_FETCH_INTERVAL` allocations and frees (VMA: 30), for what others did meanwhile,
 * - at the first check after a driver allocation succeeded or failed, or a driver free (the process
 *   usage moved, or the figures proved wrong; VMA instead moves the cached usage by its block bytes, which
 *   a refetch at that rare point makes unnecessary),
 * - when the application calls `getHeapBudgets`, `buildStatsString`, `buildStatsSvg` or
 *   `setCurrentFrameIndex`, and
 * - right before a WITHIN_BUDGET request allocates device memory: that check guards a vkAllocateMemory,
 *   which costs more than the fetch, so it takes the driver's figure of the moment.
 * Without VK_EXT_memory_budget the driver is asked once (the first time, to learn that it has none) and
 * never again: usage is this allocator's block bytes and the budget 80 % of the heap.
 */
export class BudgetTracker {
  private readonly heapIndexOfType: Int32Array;
  private readonly heapSize: readonly bigint[];
  /** 80 % of each heap: the budget without VK_EXT_memory_budget. */
  private readonly defaultBudget: readonly bigint[];
  private readonly defaultBudgetNumber: Float64Array;
  private readonly blockCount: Float64Array;
  private readonly blockBytes: Float64Array;
  private readonly allocationCount: Float64Array;
  private readonly allocationBytes: Float64Array;
  /** Whether the device reports VK_EXT_memory_budget (learned by the first fetch). */
  private readonly hasBudgetExtension: boolean;
  /** The figures of the last fetch, as reported and as numbers. */
  private reportedUsage: readonly bigint[] = [];
  private reportedBudget: readonly bigint[] = [];
  private readonly usageAtFetch: Float64Array;
  private readonly budgetAtFetch: Float64Array;
  private operationsSinceFetch = 0;
  /** Set when a driver allocation or free happened (or failed) since the last fetch. */
  private stale = false;

  constructor(
    private readonly device: Device,
    memoryProperties: PhysicalDeviceMemoryProperties,
  ) {
    const heaps = memoryProperties.memoryHeaps.length;
    this.heapIndexOfType = Int32Array.from(memoryProperties.memoryTypes, (type) => type.heapIndex);
    this.heapSize = memoryProperties.memoryHeaps.map((heap) => heap.size);
    this.defaultBudget = this.heapSize.map((size) => (size * 8n) / 10n);
    this.defaultBudgetNumber = Float64Array.from(this.defaultBudget, Number);
    this.blockCount = new Float64Array(heaps);
    this.blockBytes = new Float64Array(heaps);
    this.allocationCount = new Float64Array(heaps);
    this.allocationBytes = new Float64Array(heaps);
    this.usageAtFetch = new Float64Array(heaps);
    this.budgetAtFetch = new Float64Array(heaps);
    this.hasBudgetExtension = this.fetch();
  }

  heapOf(memoryTypeIndex: number): number {
    return this.heapIndexOfType[memoryTypeIndex]!;
  }

  /** A driver allocation of `size` bytes succeeded (a block or dedicated memory). */
  addBlock(memoryTypeIndex: number, size: number): void {
    const heap = this.heapIndexOfType[memoryTypeIndex]!;
    this.blockCount[heap]! += 1;
    this.blockBytes[heap]! += size;
    this.stale = true;
  }

  /** A driver free of `size` bytes. */
  removeBlock(memoryTypeIndex: number, size: number): void {
    const heap = this.heapIndexOfType[memoryTypeIndex]!;
    this.blockCount[heap]! -= 1;
    this.blockBytes[heap]! -= size;
    this.stale = true;
  }

  /** A driver allocation failed: the cached figures may be wrong. */
  driverAllocationFailed(): void {
    this.stale = true;
  }

  addAllocation(memoryTypeIndex: number, size: number): void {
    const heap = this.heapIndexOfType[memoryTypeIndex]!;
    this.allocationCount[heap]! += 1;
    this.allocationBytes[heap]! += size;
    this.operationsSinceFetch += 1;
  }

  removeAllocation(memoryTypeIndex: number, size: number): void {
    const heap = this.heapIndexOfType[memoryTypeIndex]!;
    this.allocationCount[heap]! -= 1;
    this.allocationBytes[heap]! -= size;
    this.operationsSinceFetch += 1;
  }

  /** Fetches the device's figures now (getHeapBudgets, setCurrentFrameIndex). */
  refresh(): void {
    if (this.hasBudgetExtension) this.fetch();
  }

  /** Per heap: this allocator's accounting and the device's figures of now (vmaGetHeapBudgets). */
  getHeapBudgets(): HeapBudget[] {
    this.refresh();
    return this.heapSize.map((_size, index) => {
      const own = BigInt(this.blockBytes[index]!);
      return {
        statistics: {
          blockCount: this.blockCount[index]!,
          allocationCount: this.allocationCount[index]!,
          blockBytes: own,
          allocationBytes: BigInt(this.allocationBytes[index]!),
        },
        usage: this.hasBudgetExtension ? this.reportedUsage[index]! : own,
        budget: this.hasBudgetExtension ? this.reportedBudget[index]! : this.defaultBudget[index]!,
      };
    });
  }

  /**
   * Whether `bytes` more in the heap of `memoryTypeIndex` would stay within its budget. From the cached
   * figures (see the class), unless `fresh`: then from the driver's figures of now.
   */
  fitsBudget(memoryTypeIndex: number, bytes: number, fresh = false): boolean {
    const heap = this.heapIndexOfType[memoryTypeIndex]!;
    if (!this.hasBudgetExtension) return this.blockBytes[heap]! + bytes <= this.defaultBudgetNumber[heap]!;
    if (fresh || this.stale || this.operationsSinceFetch >= BUDGET_FETCH_INTERVAL) this.fetch();
    return this.usageAtFetch[heap]! + bytes <= this.budgetAtFetch[heap]!;
  }

  /** Asks the device; returns whether it reports VK_EXT_memory_budget. */
  private fetch(): boolean {
    const reported = this.device.getMemoryBudget();
    this.operationsSinceFetch = 0;
    this.stale = false;
    if (!reported) return false;
    this.reportedUsage = [...reported.heapUsage];
    this.reportedBudget = [...reported.heapBudget];
    for (let heap = 0; heap < this.heapSize.length; heap++) {
      this.usageAtFetch[heap] = Number(reported.heapUsage[heap]!);
      this.budgetAtFetch[heap] = Number(reported.heapBudget[heap]!);
    }
    return true;
  }
}
