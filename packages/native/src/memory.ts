/** DeviceMemory and MappedMemory objects of the native backend. */
import { VkmapStateError, type DeviceMemory, type MappedMemory } from '@vkmap/core';

export class NativeDeviceMemory implements DeviceMemory {
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

  toString(): string {
    return `VkDeviceMemory(0x${this.handle.toString(16)}, ${this.allocationSize} bytes, type ${this.memoryTypeIndex})`;
  }
}

export interface MappingInit {
  readonly memory: DeviceMemory;
  readonly offset: bigint;
  readonly size: bigint;
  readonly address: bigint;
  readonly isCoherent: boolean;
  readonly isPlaced: boolean;
  readonly view: Uint8Array;
}

let endMappingOf: (mapping: NativeMappedMemory, reason: string) => void;

export class NativeMappedMemory implements MappedMemory {
  readonly memory: DeviceMemory;
  readonly offset: bigint;
  readonly size: bigint;
  readonly address: bigint;
  readonly isCoherent: boolean;
  readonly isPlaced: boolean;
  #view: Uint8Array | undefined;
  #endedBy = '';

  static {
    endMappingOf = (mapping, reason) => {
      mapping.#view = undefined;
      mapping.#endedBy = reason;
    };
  }

  constructor(init: MappingInit) {
    this.memory = init.memory;
    this.offset = init.offset;
    this.size = init.size;
    this.address = init.address;
    this.isCoherent = init.isCoherent;
    this.isPlaced = init.isPlaced;
    this.#view = init.view;
  }

  get isMapped(): boolean {
    return this.#view !== undefined;
  }

  get data(): Uint8Array {
    if (!this.#view) {
      throw new VkmapStateError(
        `the mapping of ${String(this.memory)} at offset ${this.offset} has ended (${this.#endedBy}); ` +
          'map the memory again to reach it',
      );
    }
    return this.#view;
  }
}

/** Marks a mapping as ended; the addon has already detached its ArrayBuffer. */
export function endMapping(mapping: NativeMappedMemory, reason: string): void {
  endMappingOf(mapping, reason);
}
