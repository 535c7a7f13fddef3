import { VkError, VkmapArgumentError, VkmapStateError, type DeviceSizeInput } from '@vkmap/core';
import type { BlockAlgorithm } from './block-algorithm.js';
import { createAlgorithm, toAlgorithmName, type AlgorithmName } from './create-algorithm.js';
import { toAlignment, toSafeSize } from './numbers.js';
import { TlsfAlgorithm } from './tlsf.js';
import { StatisticsAccumulator, type DetailedStatistics, type Statistics } from './statistics.js';
import { blockDetailedMap, toJsonNumber, detailedStatisticsJson } from './stats-json.js';

export interface VirtualBlockCreateInfo {
  /** Size of the range to manage, at most 2^53 - 1. */
  readonly size: DeviceSizeInput;
  /** 'tlsf' (default) or 'linear'. */
  readonly algorithm?: AlgorithmName;
}

export interface VirtualAllocationCreateInfo {
  readonly size: DeviceSizeInput;
  /** A power of two; 0 or absent for none. */
  readonly alignment?: DeviceSizeInput;
  /** Linear blocks only: allocate from the top (the upper stack of a double stack). */
  readonly upperAddress?: boolean;
  readonly userData?: unknown;
}

/**
 * One allocation of a virtual block. Offsets and sizes are `number`s: a virtual block spans at most 2^53 - 1.
 * Block handles are reused once freed, so the block tells a live allocation from a stale one by its serial
 * (TLSF: the node's tag, a 31-bit serial kept in the record that free reads anyway).
 */
export class VirtualAllocation {
  // Assigned in the constructor, not declared as class fields: that would first define them as undefined
  // (ES2022 class fields), costing a store each and widening every field to a tagged representation.
  /** Opaque; identifies the allocation within its block while it is live. */
  declare readonly handle: number;
  declare readonly offset: number;
  declare readonly size: number;
  /** The block it belongs to. */
  declare readonly block: VirtualBlock;
  /** @internal Unique within the block; the block keeps the serial of each live handle. */
  declare readonly serial: number;

  /** @internal Made by `VirtualBlock.allocate`. */
  constructor(handle: number, offset: number, size: number, block: VirtualBlock, serial: number) {
    (this as { handle: number }).handle = handle;
    (this as { offset: number }).offset = offset;
    (this as { size: number }).size = size;
    (this as { block: VirtualBlock }).block = block;
    (this as { serial: number }).serial = serial;
  }
}

export interface VirtualAllocationInfo {
  readonly offset: number;
  readonly size: number;
  readonly userData: unknown;
}

/**
 * VMA's virtual block: the allocation algorithm alone, over a range that is not device memory (a buffer
 * you sub-allocate yourself, a descriptor heap, an address range).
 */
export class VirtualBlock {
  readonly size: number;
  readonly algorithm: AlgorithmName;
  private readonly metadata: BlockAlgorithm;
  /** The same algorithm when it is TLSF: its node tags are the serials. */
  private readonly tlsf: TlsfAlgorithm | null;
  /** Linear blocks: the serial of the live allocation of each handle (an offset), so a stale object is caught. */
  private readonly sparseSerials: Map<number, number> | undefined;
  private nextSerial = 1;
  /**
   * Whether any handle may have a serial or user data to drop on free: false until the first allocation
   * object or user data, so that freeing a handle of a handle-only block checks one field.
   */
  private keepsHandleData = false;
  private readonly userData = new Map<number, unknown>();

  constructor(info: VirtualBlockCreateInfo) {
    if (typeof info !== 'object' || info === null)
      throw new VkmapArgumentError('pCreateInfo', 'must be an object with size (and algorithm)');
    this.size = toSafeSize(info.size, 'pCreateInfo.size');
    if (this.size === 0) throw new VkmapArgumentError('pCreateInfo.size', 'must be greater than 0');
    this.algorithm = toAlgorithmName(info.algorithm, 'pCreateInfo.algorithm');
    this.metadata = createAlgorithm(this.algorithm, this.size);
    this.tlsf = this.metadata instanceof TlsfAlgorithm ? this.metadata : null;
    this.sparseSerials = this.tlsf !== null ? undefined : new Map();
  }

  get isEmpty(): boolean {
    return this.metadata.isEmpty;
  }

  /**
   * Takes `size` bytes at a multiple of `alignment`. Throws `VkError` VK_ERROR_OUT_OF_DEVICE_MEMORY (as
   * vmaVirtualAllocate returns) when no free range fits; the block is then unchanged.
   */
  allocate(info: VirtualAllocationCreateInfo): VirtualAllocation {
    // Plain numbers take the fast path; bigints and anything odd go through the checked conversions.
    const requested = info.size;
    const size =
      typeof requested === 'number' && requested > 0 && Number.isSafeInteger(requested)
        ? requested
        : this.checkedSize(info);
    const requestedAlignment = info.alignment;
    const alignment =
      typeof requestedAlignment === 'number' &&
      requestedAlignment >>> 0 === requestedAlignment &&
      requestedAlignment !== 0 &&
      (requestedAlignment & (requestedAlignment - 1)) === 0
        ? requestedAlignment
        : toAlignment(requestedAlignment, 'pCreateInfo.alignment');
    const upper = info.upperAddress === true;
    if (upper && this.algorithm !== 'linear') {
      throw new VkmapArgumentError('pCreateInfo.upperAddress', 'needs a linear virtual block (algorithm: "linear")');
    }
    const metadata = this.metadata;
    const handle = metadata.allocate(size, alignment, upper);
    if (handle < 0) this.throwOutOfMemory(size, alignment);
    let serial: number;
    const tlsf = this.tlsf;
    if (tlsf !== null) serial = tlsf.tagOf(handle);
    else {
      serial = this.nextSerial++;
      this.keepsHandleData = true;
      this.sparseSerials!.set(handle, serial);
    }
    if (info.userData !== undefined) {
      this.userData.set(handle, info.userData);
      this.keepsHandleData = true;
    }
    return new VirtualAllocation(handle, metadata.offsetOf(handle), size, this, serial);
  }

  /**
   * `allocate` without the allocation object, as vmaVirtualAllocate hands out a VmaVirtualAllocation:
   * returns the allocation's handle, a non-negative integer to pass to `offsetOf`, `sizeOf`, `free`,
   * `getAllocationInfo` and `setAllocationUserData`. The fast path for many small allocations: nothing is
   * created per call, and a handle kept in an `Int32Array` or a plain array costs the garbage collector
   * nothing. Like VMA's handles, a handle is reused once its allocation is freed, so freeing one twice is
   * caught only until the block hands it out again; `allocate`'s objects catch every stale free.
   * Throws `VkError` VK_ERROR_OUT_OF_DEVICE_MEMORY when no free range fits.
   */
  allocateHandle(size: DeviceSizeInput, alignment?: DeviceSizeInput): number {
    const bytes =
      typeof size === 'number' && size > 0 && Number.isSafeInteger(size) ? size : this.checkedSize({ size });
    const align =
      alignment === undefined
        ? 1
        : typeof alignment === 'number' &&
            alignment >>> 0 === alignment &&
            alignment !== 0 &&
            (alignment & (alignment - 1)) === 0
          ? alignment
          : toAlignment(alignment, 'alignment');
    const handle = this.metadata.allocate(bytes, align, false);
    if (handle < 0) this.throwOutOfMemory(bytes, align);
    return handle;
  }

  /** Offset of a live allocation (object or handle). */
  offsetOf(allocation: VirtualAllocation | number): number {
    return this.metadata.offsetOf(
      typeof allocation === 'number' ? allocation : this.handleOf(allocation, 'allocation'),
    );
  }

  /** Size of a live allocation (object or handle), as requested. */
  sizeOf(allocation: VirtualAllocation | number): number {
    return this.metadata.sizeOf(typeof allocation === 'number' ? allocation : this.handleOf(allocation, 'allocation'));
  }

  /** Frees an allocation: an object from `allocate`, or a handle from `allocateHandle` (or an object's `handle`). */
  free(allocation: VirtualAllocation | number): void {
    if (typeof allocation === 'number') {
      this.metadata.free(allocation); // throws for a handle that is not live
      if (this.keepsHandleData) this.forget(allocation);
      return;
    }
    let handle = allocation?.handle;
    if (typeof handle !== 'number' || allocation.block !== this || !this.isLiveSerial(handle, allocation.serial)) {
      handle = this.handleOf(allocation, 'allocation');
    }
    this.metadata.free(handle);
    if (this.keepsHandleData) this.forget(handle);
  }

  /** Drops what the block keeps about a freed handle: its serial (linear blocks) and user data. */
  private forget(handle: number): void {
    if (this.sparseSerials !== undefined) this.sparseSerials.delete(handle);
    if (this.userData.size !== 0) this.userData.delete(handle);
  }

  /** Frees every allocation at once; allocation objects still held read as freed. */
  clear(): void {
    this.metadata.clear();
    this.sparseSerials?.clear();
    this.userData.clear();
  }

  getAllocationInfo(allocation: VirtualAllocation | number): VirtualAllocationInfo {
    const handle = this.liveHandle(allocation);
    return {
      offset: this.metadata.offsetOf(handle),
      size: this.metadata.sizeOf(handle),
      userData: this.userData.get(handle),
    };
  }

  setAllocationUserData(allocation: VirtualAllocation | number, userData: unknown): void {
    const handle = this.liveHandle(allocation);
    if (userData === undefined) this.userData.delete(handle);
    else {
      this.userData.set(handle, userData);
      this.keepsHandleData = true;
    }
  }

  /** Cheap totals (vmaGetVirtualBlockStatistics). */
  getStatistics(): Statistics {
    return {
      blockCount: 1,
      allocationCount: this.metadata.allocationCount,
      blockBytes: BigInt(this.size),
      allocationBytes: BigInt(this.metadata.allocatedBytes),
    };
  }

  /** Walks the block (vmaCalculateVirtualBlockStatistics). */
  calculateStatistics(): DetailedStatistics {
    const stats = new StatisticsAccumulator();
    stats.addBlockContents(this.metadata, (_handle, size) => size);
    return stats.toDetailed();
  }

  /** Share of free bytes outside the largest free range, in [0, 1]: 0 when all free space is one range. */
  fragmentation(): number {
    const free = this.metadata.freeBytes;
    return free === 0 ? 0 : 1 - this.metadata.largestFreeRange() / free;
  }

  /** JSON as vmaBuildVirtualBlockStatsString writes it: "Stats", and with `detailedMap` a "Details" map. */
  buildStatsString(detailedMap = true): string {
    const json: Record<string, unknown> = { Stats: detailedStatisticsJson(this.calculateStatistics()) };
    if (detailedMap) {
      json.Details = blockDetailedMap(this.metadata, (handle, size) => {
        const entry: Record<string, unknown> = { Size: toJsonNumber(size) };
        const userData = this.userData.get(handle);
        if (userData !== undefined) entry.CustomData = String(userData);
        return entry;
      });
    }
    return JSON.stringify(json, null, 2);
  }

  /** Whether `handle` is live and is the allocation that got `serial`. */
  private isLiveSerial(handle: number, serial: number): boolean {
    return this.tlsf !== null ? this.tlsf.isLiveWithTag(handle, serial) : this.sparseSerials!.get(handle) === serial;
  }

  private throwOutOfMemory(size: number, alignment: number): never {
    throw new VkError(
      'vmaVirtualAllocate',
      'VK_ERROR_OUT_OF_DEVICE_MEMORY',
      `no free range of ${size} bytes aligned to ${alignment} in this ${this.size}-byte virtual block (${this.metadata.freeBytes} bytes free, largest free range ${this.metadata.largestFreeRange()})`,
    );
  }

  private checkedSize(info: VirtualAllocationCreateInfo): number {
    if (typeof info !== 'object' || info === null)
      throw new VkmapArgumentError('pCreateInfo', 'must be an object with size (and alignment)');
    const size = toSafeSize(info.size, 'pCreateInfo.size');
    if (size === 0) throw new VkmapArgumentError('pCreateInfo.size', 'must be greater than 0');
    return size;
  }

  /** The handle of a live allocation given as an object or a handle; throws otherwise. */
  private liveHandle(allocation: VirtualAllocation | number): number {
    if (typeof allocation !== 'number') return this.handleOf(allocation, 'allocation');
    if (!this.metadata.isLive(allocation))
      throw new VkmapStateError(`allocation: handle ${allocation} is not a live allocation of this virtual block`);
    return allocation;
  }

  private handleOf(allocation: VirtualAllocation, argument: string): number {
    if (!(allocation instanceof VirtualAllocation)) {
      throw new VkmapArgumentError(argument, 'must be a VirtualAllocation returned by allocate()');
    }
    if (allocation.block !== this) {
      throw new VkmapStateError(
        `${argument}: the virtual allocation at offset ${allocation.offset} belongs to another virtual block`,
      );
    }
    if (!this.isLiveSerial(allocation.handle, allocation.serial)) {
      throw new VkmapStateError(
        `${argument}: the virtual allocation at offset ${allocation.offset} has been freed already`,
      );
    }
    return allocation.handle;
  }
}

export function createVirtualBlock(info: VirtualBlockCreateInfo): VirtualBlock {
  return new VirtualBlock(info);
}
