import type { DeviceMemory } from '@vkmap/core';
import type { EmulatedMappedMemory } from './mapped-memory.js';
import type { MemoryContents } from './memory-contents.js';

/** The VkDeviceMemory handle the emulator hands out: immutable, state kept by the device. */
export class EmulatedDeviceMemory implements DeviceMemory {
  readonly objectType = 'VkDeviceMemory' as const;
  readonly handle: bigint;
  readonly allocationSize: bigint;
  readonly memoryTypeIndex: number;

  constructor(handle: bigint, allocationSize: bigint, memoryTypeIndex: number) {
    this.handle = handle;
    this.allocationSize = allocationSize;
    this.memoryTypeIndex = memoryTypeIndex;
    Object.freeze(this);
  }
}

/** What the device knows of one allocation. */
export interface MemoryRecord {
  readonly memory: EmulatedDeviceMemory;
  readonly heapIndex: number;
  readonly propertyFlags: number;
  readonly contents: MemoryContents;
  mapping: EmulatedMappedMemory | null;
}
