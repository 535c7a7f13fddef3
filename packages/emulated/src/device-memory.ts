import type { DeviceMemoryHandle } from '@vkmap/core';
import type { EmulatedMappedMemory } from './mapped-memory.js';
import type { MemoryContents } from './memory-contents.js';

/** What the device knows of one allocation. */
export interface MemoryRecord {
  readonly memory: DeviceMemoryHandle;
  readonly heapIndex: number;
  readonly propertyFlags: number;
  readonly contents: MemoryContents;
  mapping: EmulatedMappedMemory | null;
}
