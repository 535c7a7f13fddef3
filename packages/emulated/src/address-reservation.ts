import type { BackendAddressRange } from '@vkmap/core';

/**
 * Address space held with no access for placed maps (the emulator's mmap(PROT_NONE)): the backend's record
 * of one range, whose runs in the address space carry `token` as their owner.
 */
export class EmulatedAddressReservation implements BackendAddressRange {
  readonly address: bigint;
  readonly size: bigint;
  readonly token: object;

  constructor(address: bigint, size: bigint, token: object = {}) {
    this.address = address;
    this.size = size;
    this.token = token;
  }

  contains(start: bigint, length: bigint): boolean {
    return start >= this.address && start + length <= this.address + this.size;
  }
}
