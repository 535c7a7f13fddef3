/**
 * Where mappings land in the simulated host address space: normal maps anywhere free (with `address -
 * offset` a multiple of minMemoryMapAlignment), placed maps exactly at their address inside a reservation,
 * and the reservations themselves. What the front has checked (the placed range lies inside one of this
 * device's reservations) is not checked again; whether those pages are still free is the address space's.
 */
import { alignUp, VkError, VkmapStateError } from '@vkmap/core';
import { EmulatedAddressReservation } from './address-reservation.js';
import type { AddressRunOf, EmulatedMemory } from './device-memory.js';
import type { HostAddressSpace } from './host-address-space.js';

export class HostMapper {
  readonly space: HostAddressSpace;
  private readonly mapAlignment: bigint;
  private readonly reservations = new Set<EmulatedAddressReservation>();

  constructor(space: HostAddressSpace, minMemoryMapAlignment: number) {
    this.space = space;
    this.mapAlignment = BigInt(minMemoryMapAlignment);
  }

  /** The host address of byte `offset` of a mapping at `run`. */
  addressOf(run: AddressRunOf, offset: bigint): bigint {
    return run.placed ? run.start : run.start + (offset % this.mapAlignment);
  }

  /** Free address space for a normal map of [offset, offset + size). */
  claim(command: string, owner: EmulatedMemory, offset: bigint, size: bigint): AddressRunOf {
    const length = alignUp((offset % this.mapAlignment) + size, this.space.pageSize);
    const start = this.space.mapAnywhere(length, this.mapAlignment, owner);
    if (start === undefined) {
      const stats = this.space.stats();
      throw new VkError(
        command,
        'VK_ERROR_MEMORY_MAP_FAILED',
        `no contiguous free range of ${length} bytes in the host address space (largest free run ${stats.largestFreeRun}, ${stats.freeBytes} bytes free in all)`,
      );
    }
    return { start, length, placed: false };
  }

  /** The pages at `address` for a placed map, if they are still reserved and free. */
  claimPlaced(command: string, owner: EmulatedMemory, address: bigint, size: bigint): AddressRunOf {
    const length = alignUp(size, this.space.pageSize);
    const result = this.space.place(address, length, owner);
    if (result !== 'ok') {
      throw new VkError(
        command,
        'VK_ERROR_MEMORY_MAP_FAILED',
        result === 'overlaps-mapping'
          ? `placed range 0x${address.toString(16)} (+${length} bytes) overlaps a live mapping`
          : `placed range 0x${address.toString(16)} (+${length} bytes) is not entirely reserved (${result})`,
      );
    }
    return { start: address, length, placed: true };
  }

  /**
   * Ends a mapping's run. With `keep`, its pages stay reserved: by the reservation a placed mapping lay
   * in, or by a new reservation (returned) over a normal mapping's pages.
   */
  release(owner: EmulatedMemory, run: AddressRunOf, keep: boolean): EmulatedAddressReservation | undefined {
    let kept: EmulatedAddressReservation | undefined;
    if (keep) {
      kept = run.placed ? this.reservationAround(run.start, run.length) : undefined;
      if (!kept) {
        kept = new EmulatedAddressReservation(run.start, run.length);
        this.reservations.add(kept);
      }
    }
    this.space.unmap(run.start, run.length, owner, kept?.token);
    return kept;
  }

  reserve(length: bigint, alignment: bigint): EmulatedAddressReservation {
    const token = {};
    const start = this.space.reserve(length, alignment, token);
    if (start === undefined) {
      throw new VkError(
        'reserveAddressRange',
        'VK_ERROR_OUT_OF_HOST_MEMORY',
        `no free run of ${length} bytes aligned to ${alignment} is left in the host address space`,
      );
    }
    const range = new EmulatedAddressReservation(start, length, token);
    this.reservations.add(range);
    return range;
  }

  /**
   * Frees the reserved pages of a range; pages a mapping holds (placed in a hole) stay as they are. A range
   * released already is refused, as the native addon refuses it (the front never asks twice).
   */
  releaseReservation(range: EmulatedAddressReservation): void {
    if (!this.reservations.has(range)) throw new VkmapStateError('this address range has already been released');
    this.space.releaseReserved(range.token);
    this.reservations.delete(range);
  }

  /** Forgets every reservation (the address space ends with its device). */
  forgetAll(): void {
    this.reservations.clear();
  }

  private reservationAround(start: bigint, length: bigint): EmulatedAddressReservation | undefined {
    for (const range of this.reservations) if (range.contains(start, length)) return range;
    return undefined;
  }
}
