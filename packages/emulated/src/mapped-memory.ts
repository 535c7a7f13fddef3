import { VkmapStateError, type DeviceMemory, type MappedMemory } from '@vkmap/core';

/** A live mapping handed to the caller; `end()` detaches it for good. */
export class EmulatedMappedMemory implements MappedMemory {
  readonly memory: DeviceMemory;
  readonly offset: bigint;
  readonly size: bigint;
  readonly address: bigint;
  readonly isCoherent: boolean;
  readonly isPlaced: boolean;
  /** Start and length of the address run this mapping occupies in the host address space. */
  readonly run: { readonly start: bigint; readonly length: bigint };
  private bytes: Uint8Array | null;

  constructor(init: {
    memory: DeviceMemory;
    offset: bigint;
    size: bigint;
    address: bigint;
    isCoherent: boolean;
    isPlaced: boolean;
    run: { start: bigint; length: bigint };
    bytes: Uint8Array;
  }) {
    this.memory = init.memory;
    this.offset = init.offset;
    this.size = init.size;
    this.address = init.address;
    this.isCoherent = init.isCoherent;
    this.isPlaced = init.isPlaced;
    this.run = init.run;
    this.bytes = init.bytes;
  }

  get isMapped(): boolean {
    return this.bytes !== null;
  }

  get data(): Uint8Array {
    if (!this.bytes) {
      throw new VkmapStateError(
        `the mapping of memory ${this.memory.handle} at offset ${this.offset} has ended (unmapped, freed or its device destroyed); map it again to reach its bytes`,
      );
    }
    return this.bytes;
  }

  /** Marks the mapping ended; the memory object detaches the buffer itself. */
  end(): void {
    this.bytes = null;
  }
}
