/**
 * Objects every backend hands out the same way: the VkDeviceMemory handle and the live mapping with its
 * view. Backends create them and end mappings; the bytes and their detachment stay the backend's job.
 */
import type { DeviceMemory, MappedMemory } from './contract/index.js';
import { VkmapStateError } from './errors.js';
import { IssuedHandle } from './issued-handle.js';

/** An immutable VkDeviceMemory handle; the backend keeps its state elsewhere. */
export class DeviceMemoryHandle extends IssuedHandle implements DeviceMemory {
  readonly objectType = 'VkDeviceMemory' as const;
  readonly handle: bigint;
  readonly allocationSize: bigint;
  readonly memoryTypeIndex: number;

  constructor(handle: bigint, allocationSize: bigint, memoryTypeIndex: number) {
    super();
    this.handle = handle;
    this.allocationSize = allocationSize;
    this.memoryTypeIndex = memoryTypeIndex;
    Object.freeze(this);
  }

  override toString(): string {
    return `VkDeviceMemory(0x${this.handle.toString(16)}, ${this.allocationSize} bytes, type ${this.memoryTypeIndex})`;
  }
}

/** What a mapping is made of: its fixed members, and the view over exactly the mapped range. */
export interface HostMappingInit extends Omit<MappedMemory, 'isMapped' | 'data'> {
  readonly view: Uint8Array;
}

let endHostMappingOf: (mapping: HostMapping, reason: string) => void;

/** A live mapping: its view until the backend ends it, a clear error after. */
export class HostMapping implements MappedMemory {
  readonly memory: DeviceMemory;
  readonly offset: bigint;
  readonly size: bigint;
  readonly address: bigint;
  readonly isCoherent: boolean;
  readonly isPlaced: boolean;
  #view: Uint8Array | undefined;
  #endedBy = '';

  static {
    endHostMappingOf = (mapping, reason) => {
      mapping.#view = undefined;
      mapping.#endedBy = reason;
    };
  }

  constructor(init: HostMappingInit) {
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
        `the mapping of ${String(this.memory)} at offset ${this.offset} has ended (${this.#endedBy}); map the memory again to reach its bytes`,
      );
    }
    return this.#view;
  }
}

/**
 * Ends a mapping for good: `data` throws from now on. A function rather than a method so that users of a
 * mapping cannot end it without unmapping; the backend detaches the view's buffer itself.
 */
export function endHostMapping(mapping: HostMapping, reason: string): void {
  endHostMappingOf(mapping, reason);
}
