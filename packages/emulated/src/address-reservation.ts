import { VkmapStateError, type HostAddressRange } from '@vkmap/core';
import type { HostAddressSpace } from './host-address-space.js';

/** Address space held with no access for placed maps (the emulator's mmap(PROT_NONE)). */
export class EmulatedHostAddressRange implements HostAddressRange {
  readonly address: bigint;
  readonly size: bigint;
  private reserved = true;
  private readonly space: HostAddressSpace;
  /** Owner identity of this range's runs in the address space. */
  readonly token: object;

  constructor(space: HostAddressSpace, token: object, address: bigint, size: bigint) {
    this.space = space;
    this.token = token;
    this.address = address;
    this.size = size;
  }

  get isReserved(): boolean {
    return this.reserved;
  }

  contains(start: bigint, length: bigint): boolean {
    return start >= this.address && start + length <= this.address + this.size;
  }

  release(): void {
    if (!this.reserved) return;
    if (this.space.overlapsMapping(this.address, this.size)) {
      throw new VkmapStateError(
        `address range 0x${this.address.toString(16)} (+${this.size} bytes) still holds a live placed mapping; unmap it before releasing the range`,
      );
    }
    this.space.releaseReserved(this.token);
    this.reserved = false;
  }

  /** Drops the range with its device (the host reclaims everything at destroy). */
  forget(): void {
    this.reserved = false;
  }
}
