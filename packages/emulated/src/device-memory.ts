import type { MemoryContents } from './memory-contents.js';

/** The address run a live mapping occupies in the host address space. */
export interface AddressRunOf {
  readonly start: bigint;
  readonly length: bigint;
  /** Whether the map was placed (its run lies in a reservation). */
  readonly placed: boolean;
}

/** The emulated backend's record of one memory object, which the front hands back on every call. */
export interface EmulatedMemory {
  readonly size: bigint;
  readonly heapIndex: number;
  readonly contents: MemoryContents;
  /** The live mapping's address run; null while unmapped. */
  run: AddressRunOf | null;
}
