import { alignDown, alignUp, VkmapStateError } from '@vkmap/core';
import { NO_SPACE, type BlockAlgorithm, type RegionVisitor } from './block-algorithm.js';

/*
 * Linear allocation: new allocations go after the last one, never into holes. Two sequences of entries:
 *
 * - `lower` grows upward from offset 0, in offset order; frees at its front advance `lowerBegin`.
 * - `upper` is empty, or a ring buffer (allocations that wrapped around to offset 0, below the first live
 *   entry of `lower`, created later, in offset order), or the upper stack of a double stack (allocations
 *   with `upperAddress`, growing down from the end, in decreasing offset order).
 *
 * So one algorithm serves as a stack (free in reverse order), a queue / ring buffer (free in allocation
 * order) and a double stack. The handle of an allocation is its offset.
 */

type UpperMode = 'empty' | 'ring-buffer' | 'double-stack';

interface Entry {
  readonly offset: number;
  readonly size: number;
  live: boolean;
}

export class LinearAlgorithm implements BlockAlgorithm {
  readonly name = 'linear' as const;
  readonly size: number;

  private lower: Entry[] = [];
  private lowerBegin = 0;
  private lowerDead = 0;
  private upper: Entry[] = [];
  private upperDead = 0;
  private mode: UpperMode = 'empty';
  private usedBytes = 0;
  private liveCount = 0;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size <= 0)
      throw new RangeError(`linear block size must be a positive safe integer (got ${size})`);
    this.size = size;
  }

  get allocationCount(): number {
    return this.liveCount;
  }

  get allocatedBytes(): number {
    return this.usedBytes;
  }

  get freeBytes(): number {
    return this.size - this.usedBytes;
  }

  get isEmpty(): boolean {
    return this.liveCount === 0;
  }

  get freeRangeCount(): number {
    let count = 0;
    this.forEachRegion((_offset, _size, handle) => {
      if (handle === NO_SPACE) count += 1;
    });
    return count;
  }

  /** How the upper sequence is used now, for statistics and tests. */
  get upperMode(): UpperMode {
    return this.mode;
  }

  allocate(size: number, alignment: number, upperAddress: boolean): number {
    if (size <= 0 || size > this.size - this.usedBytes) return NO_SPACE;
    return upperAddress ? this.allocateUpper(size, alignment) : this.allocateLower(size, alignment);
  }

  free(handle: number): void {
    const found = this.find(handle);
    if (!found) {
      throw new VkmapStateError(
        `allocation at offset ${handle} is not live in this linear block: it was freed already or belongs to another block`,
      );
    }
    const [entries, index] = found;
    const entry = entries[index]!;
    entry.live = false;
    this.liveCount -= 1;
    this.usedBytes -= entry.size;
    if (entries === this.lower) {
      this.lowerDead += 1;
      while (this.lowerBegin < this.lower.length && !this.lower[this.lowerBegin]!.live) {
        this.lowerBegin += 1;
        this.lowerDead -= 1;
      }
      while (this.lower.length > this.lowerBegin && !this.lower[this.lower.length - 1]!.live) {
        this.lower.pop();
        this.lowerDead -= 1;
      }
    } else {
      this.upperDead += 1;
      while (this.upper.length > 0 && !this.upper[this.upper.length - 1]!.live) {
        this.upper.pop();
        this.upperDead -= 1;
      }
    }
    this.tidy();
  }

  isLive(handle: number): boolean {
    return this.find(handle) !== undefined;
  }

  offsetOf(handle: number): number {
    this.require(handle);
    return handle;
  }

  sizeOf(handle: number): number {
    const [entries, index] = this.require(handle);
    return entries[index]!.size;
  }

  forEachRegion(visit: RegionVisitor): void {
    let cursor = 0;
    const emit = (entry: Entry) => {
      if (!entry.live) return;
      if (entry.offset > cursor) visit(cursor, entry.offset - cursor, NO_SPACE);
      visit(entry.offset, entry.size, entry.offset);
      cursor = entry.offset + entry.size;
    };
    if (this.mode === 'ring-buffer') for (const entry of this.upper) emit(entry);
    for (let i = this.lowerBegin; i < this.lower.length; i++) emit(this.lower[i]!);
    if (this.mode === 'double-stack') for (let i = this.upper.length - 1; i >= 0; i--) emit(this.upper[i]!);
    if (cursor < this.size) visit(cursor, this.size - cursor, NO_SPACE);
  }

  largestFreeRange(): number {
    let largest = 0;
    this.forEachRegion((_offset, size, handle) => {
      if (handle === NO_SPACE && size > largest) largest = size;
    });
    return largest;
  }

  clear(): void {
    this.lower = [];
    this.lowerBegin = 0;
    this.lowerDead = 0;
    this.upper = [];
    this.upperDead = 0;
    this.mode = 'empty';
    this.usedBytes = 0;
    this.liveCount = 0;
  }

  private allocateLower(size: number, alignment: number): number {
    if (this.mode !== 'ring-buffer') {
      const last = this.lower[this.lower.length - 1];
      const offset = alignUp(last ? last.offset + last.size : 0, alignment);
      const limit = this.mode === 'double-stack' ? this.upper[this.upper.length - 1]!.offset : this.size;
      if (offset + size <= limit) return this.push(this.lower, offset, size);
    }
    // Wrap around: the ring continues below the oldest live entry of `lower`.
    if (this.mode !== 'double-stack' && this.lowerBegin < this.lower.length) {
      const last = this.upper[this.upper.length - 1];
      const offset = alignUp(last ? last.offset + last.size : 0, alignment);
      if (offset + size <= this.lower[this.lowerBegin]!.offset) {
        this.mode = 'ring-buffer';
        return this.push(this.upper, offset, size);
      }
    }
    return NO_SPACE;
  }

  private allocateUpper(size: number, alignment: number): number {
    if (this.mode === 'ring-buffer') return NO_SPACE;
    const top = this.upper.length > 0 ? this.upper[this.upper.length - 1]!.offset : this.size;
    if (size > top) return NO_SPACE;
    const offset = alignDown(top - size, alignment);
    const last = this.lower[this.lower.length - 1];
    if (offset < (last ? last.offset + last.size : 0)) return NO_SPACE;
    this.mode = 'double-stack';
    return this.push(this.upper, offset, size);
  }

  private push(entries: Entry[], offset: number, size: number): number {
    entries.push({ offset, size, live: true });
    this.liveCount += 1;
    this.usedBytes += size;
    return offset;
  }

  /** Restores the invariants after a free: `lower` empty means the ring buffer becomes `lower`. */
  private tidy(): void {
    if (this.lowerBegin === this.lower.length) {
      this.lower = [];
      this.lowerBegin = 0;
      this.lowerDead = 0;
      if (this.mode === 'ring-buffer') {
        this.lower = this.upper.filter((entry) => entry.live);
        this.upper = [];
        this.upperDead = 0;
      }
    } else if (this.lowerBegin > 32 && this.lowerBegin * 2 > this.lower.length) {
      this.lower = this.lower.slice(this.lowerBegin);
      this.lowerBegin = 0;
    }
    if (this.lowerDead > 32 && this.lowerDead * 2 > this.lower.length - this.lowerBegin) {
      this.lower = this.lower.slice(this.lowerBegin).filter((entry) => entry.live);
      this.lowerBegin = 0;
      this.lowerDead = 0;
    }
    if (this.upper.length === 0) {
      this.mode = 'empty';
      this.upperDead = 0;
    }
  }

  private find(handle: number): [Entry[], number] | undefined {
    if (typeof handle !== 'number' || !Number.isSafeInteger(handle) || handle < 0) return undefined;
    const inLower = search(this.lower, this.lowerBegin, handle, true);
    if (inLower !== -1) return [this.lower, inLower];
    const inUpper = search(this.upper, 0, handle, this.mode !== 'double-stack');
    if (inUpper !== -1) return [this.upper, inUpper];
    return undefined;
  }

  private require(handle: number): [Entry[], number] {
    const found = this.find(handle);
    if (!found) throw new VkmapStateError(`allocation at offset ${handle} is not live in this linear block`);
    return found;
  }
}

/** Binary search for a live entry at `offset` in entries sorted by offset (ascending or descending). */
function search(entries: readonly Entry[], begin: number, offset: number, ascending: boolean): number {
  let low = begin;
  let high = entries.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = entries[middle]!.offset;
    if (at === offset) return entries[middle]!.live ? middle : -1;
    if (at < offset === ascending) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
