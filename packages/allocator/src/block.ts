import type { DeviceMemory } from '@vkmap/core';
import type { AllocationState } from './allocation.js';
import type { BlockAlgorithm } from './block-algorithm.js';
import type { MemoryMapping } from './mapping.js';

/** A VkDeviceMemory that allocations live in: a shared block, or one dedicated allocation's own memory. */
export interface MemoryHolder {
  readonly memory: DeviceMemory;
  readonly memoryTypeIndex: number;
  /** Bytes of the VkDeviceMemory. */
  readonly size: number;
  readonly mapping: MemoryMapping;
}

/** One VkDeviceMemory shared by many allocations, placed by a block algorithm. */
export class MemoryBlock implements MemoryHolder {
  /** Freed allocations whose views may still be alive, by handle: their ranges are not free yet. */
  readonly quarantine = new Map<number, AllocationState>();
  /** Set when the block's memory is freed: a quarantine ending later has nothing to give back. */
  destroyed = false;

  constructor(
    /** Unique within the allocator, as in VMA's detailed map. */
    readonly id: number,
    readonly memory: DeviceMemory,
    readonly memoryTypeIndex: number,
    readonly size: number,
    readonly metadata: BlockAlgorithm,
    readonly mapping: MemoryMapping,
  ) {}
}

/** The VkDeviceMemory of one dedicated allocation. */
export class DedicatedMemory implements MemoryHolder {
  constructor(
    readonly memory: DeviceMemory,
    readonly memoryTypeIndex: number,
    readonly size: number,
    readonly mapping: MemoryMapping,
  ) {}
}
