import type { HostAddressRange } from '../contract/index.js';
import { VkmapStateError } from '../errors.js';
import { hex } from '../validation/report.js';

/** What a range asks of the device that reserved it. */
export interface RangeOwner {
  /** A live placed mapping inside [address, address + size), described, or undefined when there is none. */
  placedMappingInside(address: bigint, size: bigint): string | undefined;
  /** Hands the range back to the backend and forgets it. */
  release(): void;
}

/**
 * A reserved host address range as the application holds it, the same object for the same backend range
 * (a reserving unmap of a placed mapping returns the range it lay in). It is a child of its device.
 */
export class FrontHostAddressRange implements HostAddressRange {
  readonly address: bigint;
  readonly size: bigint;
  private owner: RangeOwner | undefined;

  constructor(owner: RangeOwner, address: bigint, size: bigint) {
    this.owner = owner;
    this.address = address;
    this.size = size;
  }

  get isReserved(): boolean {
    return this.owner !== undefined;
  }

  contains(address: bigint, length: bigint): boolean {
    return address >= this.address && address + length <= this.address + this.size;
  }

  release(): void {
    const owner = this.owner;
    if (!owner) return;
    const inside = owner.placedMappingInside(this.address, this.size);
    if (inside) {
      throw new VkmapStateError(
        `the address range ${hex(this.address)} (+${this.size} bytes) still holds a live placed mapping (${inside}); unmap it before releasing the range`,
      );
    }
    owner.release();
    this.owner = undefined;
  }

  /** The range ended with its device. */
  forget(): void {
    this.owner = undefined;
  }

  toString(): string {
    return `HostAddressRange(${hex(this.address)}, ${this.size} bytes${this.isReserved ? '' : ', released'})`;
  }
}
