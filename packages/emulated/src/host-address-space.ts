/**
 * The simulated host virtual address space from which the emulator hands out mapped pointers,
 * as a process's address space does for a real driver's vkMapMemory.
 *
 * Every byte is free, reserved (address space held with no access, like mmap with PROT_NONE,
 * which VK_EXT_map_memory_placed maps into) or mapped. The space is kept as a sorted array of
 * runs that cover it exactly; adjacent free runs are always merged. Reserved and mapped runs are
 * never merged, so each mapping stays its own run and can be unmapped exactly.
 */
import { alignUp, isPowerOfTwo } from '@vkmap/core';

export type RunState = 'free' | 'reserved' | 'mapped';

export interface AddressRun {
  /** First address of the run. */
  readonly start: bigint;
  /** One past the last address of the run. */
  readonly end: bigint;
  readonly state: RunState;
  /** Who reserved or mapped the run; undefined for free runs. */
  readonly owner: object | undefined;
}

export type PlaceResult = 'ok' | 'outside' | 'not-reserved' | 'overlaps-mapping';

export interface HostAddressSpaceOptions {
  /** First address of the space; a multiple of pageSize. */
  readonly base: bigint;
  /** Bytes; a positive multiple of pageSize. */
  readonly size: bigint;
  /** A power of two. */
  readonly pageSize: bigint;
}

export interface AddressSpaceStats {
  readonly freeBytes: bigint;
  readonly reservedBytes: bigint;
  readonly mappedBytes: bigint;
  readonly largestFreeRun: bigint;
  readonly runCount: number;
}

function makeRun(start: bigint, end: bigint, state: RunState, owner: object | undefined): AddressRun {
  return Object.freeze({ start, end, state, owner: state === 'free' ? undefined : owner });
}

export class HostAddressSpace {
  readonly base: bigint;
  readonly size: bigint;
  readonly pageSize: bigint;
  #runs: AddressRun[];

  constructor(options: HostAddressSpaceOptions) {
    const { base, size, pageSize } = options;
    if (!isPowerOfTwo(pageSize)) throw new RangeError(`pageSize must be a power of two, got ${pageSize}`);
    if (base < 0n || base % pageSize !== 0n)
      throw new RangeError(`base must be a non-negative multiple of pageSize, got ${base}`);
    if (size <= 0n || size % pageSize !== 0n)
      throw new RangeError(`size must be a positive multiple of pageSize, got ${size}`);
    this.base = base;
    this.size = size;
    this.pageSize = pageSize;
    this.#runs = [makeRun(base, base + size, 'free', undefined)];
  }

  /**
   * Maps `length` bytes, rounded up to whole pages, at the lowest address of the space that is
   * free and a multiple of max(alignment, pageSize). Returns that address, or undefined when no
   * single free run can hold the mapping (the space is exhausted or too fragmented).
   */
  mapAnywhere(length: bigint, alignment: bigint, owner: object): bigint | undefined {
    return this.#allocate(length, alignment, 'mapped', owner);
  }

  /** Like mapAnywhere, but marks the range reserved by `owner` instead of mapped. */
  reserve(length: bigint, alignment: bigint, owner: object): bigint | undefined {
    return this.#allocate(length, alignment, 'reserved', owner);
  }

  /**
   * Maps [start, start + length) for `owner` inside existing reservations (of any owner).
   * start and length must be page-aligned. Changes nothing unless the result is 'ok'.
   * 'outside' when the range leaves the space, 'overlaps-mapping' when any byte is mapped,
   * 'not-reserved' when any byte is free.
   */
  place(start: bigint, length: bigint, owner: object): PlaceResult {
    if (length <= 0n) throw new RangeError(`length must be positive, got ${length}`);
    if (start % this.pageSize !== 0n || length % this.pageSize !== 0n) {
      throw new RangeError(`start and length must be multiples of the page size ${this.pageSize}`);
    }
    const end = start + length;
    if (start < this.base || end > this.base + this.size) return 'outside';
    const touched = this.#runs.filter((r) => r.start < end && r.end > start);
    if (touched.some((r) => r.state === 'mapped')) return 'overlaps-mapping';
    if (touched.some((r) => r.state === 'free')) return 'not-reserved';
    this.#setRange(start, end, 'mapped', owner);
    return 'ok';
  }

  /**
   * Ends `owner`'s mapping of exactly [start, start + length), length rounded up to whole pages
   * as mapAnywhere does. The range becomes free, or reserved by `keepReservedBy` when given.
   * Throws when that exact range is not one mapping of `owner`: that is a bug in the caller.
   */
  unmap(start: bigint, length: bigint, owner: object, keepReservedBy?: object): void {
    const end = start + alignUp(length, this.pageSize);
    const mapping = this.#runs.find((r) => r.start === start);
    if (mapping === undefined || mapping.end !== end || mapping.state !== 'mapped' || mapping.owner !== owner) {
      throw new Error(`[0x${start.toString(16)}, 0x${end.toString(16)}) is not a mapping of this owner`);
    }
    if (keepReservedBy === undefined) this.#setRange(start, end, 'free', undefined);
    else this.#setRange(start, end, 'reserved', keepReservedBy);
  }

  /** Frees every run reserved by `owner`, leaving its mapped runs alone. Returns the bytes freed. */
  releaseReserved(owner: object): bigint {
    let freed = 0n;
    this.#runs = this.#runs.map((r) => {
      if (r.state !== 'reserved' || r.owner !== owner) return r;
      freed += r.end - r.start;
      return makeRun(r.start, r.end, 'free', undefined);
    });
    this.#coalesce();
    return freed;
  }

  /** True when any byte of [start, start + length) is mapped. */
  overlapsMapping(start: bigint, length: bigint): boolean {
    const end = start + length;
    return this.#runs.some((r) => r.state === 'mapped' && r.start < end && r.end > start);
  }

  /** A snapshot of all runs, lowest address first. */
  runs(): readonly AddressRun[] {
    return Object.freeze([...this.#runs]);
  }

  stats(): AddressSpaceStats {
    const bytes: Record<RunState, bigint> = { free: 0n, reserved: 0n, mapped: 0n };
    let largestFreeRun = 0n;
    for (const r of this.#runs) {
      const length = r.end - r.start;
      bytes[r.state] += length;
      if (r.state === 'free' && length > largestFreeRun) largestFreeRun = length;
    }
    return {
      freeBytes: bytes.free,
      reservedBytes: bytes.reserved,
      mappedBytes: bytes.mapped,
      largestFreeRun,
      runCount: this.#runs.length,
    };
  }

  #allocate(length: bigint, alignment: bigint, state: RunState, owner: object): bigint | undefined {
    if (length <= 0n) throw new RangeError(`length must be positive, got ${length}`);
    if (!isPowerOfTwo(alignment)) throw new RangeError(`alignment must be a power of two, got ${alignment}`);
    const size = alignUp(length, this.pageSize);
    const align = alignment > this.pageSize ? alignment : this.pageSize;
    for (const r of this.#runs) {
      if (r.state !== 'free') continue;
      const start = alignUp(r.start, align);
      if (start + size <= r.end) {
        this.#setRange(start, start + size, state, owner);
        return start;
      }
    }
    return undefined;
  }

  /** Makes [start, end) one run of the given state, splitting the runs at its edges. */
  #setRange(start: bigint, end: bigint, state: RunState, owner: object | undefined): void {
    const first = this.#runs.findIndex((r) => r.end > start);
    const last = this.#runs.findIndex((r) => r.end >= end);
    const firstRun = this.#runs[first];
    const lastRun = this.#runs[last];
    if (firstRun === undefined || lastRun === undefined) throw new Error('range outside the address space');
    const pieces: AddressRun[] = [];
    if (firstRun.start < start) pieces.push(makeRun(firstRun.start, start, firstRun.state, firstRun.owner));
    pieces.push(makeRun(start, end, state, owner));
    if (lastRun.end > end) pieces.push(makeRun(end, lastRun.end, lastRun.state, lastRun.owner));
    this.#runs.splice(first, last - first + 1, ...pieces);
    this.#coalesce();
  }

  #coalesce(): void {
    const merged: AddressRun[] = [];
    for (const r of this.#runs) {
      const prev = merged[merged.length - 1];
      if (prev !== undefined && prev.state === 'free' && r.state === 'free') {
        merged[merged.length - 1] = makeRun(prev.start, r.end, 'free', undefined);
      } else {
        merged.push(r);
      }
    }
    this.#runs = merged;
  }
}
