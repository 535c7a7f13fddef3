import { VkmapStateError } from '@vkmap/core';
import { NO_SPACE, type BlockAlgorithm, type RegionVisitor } from './block-algorithm.js';
import { lowestBit } from './numbers.js';

/*
 * Two-Level Segregated Fit over [0, size): free ranges sit in size-class lists (first level: the highest
 * set bit of the size; second level: the next 5 bits), two levels of bitmaps find the first non-empty
 * list at or above a size in O(1), and neighbouring free ranges merge at once on free.
 *
 * Nodes are 32-byte records in one ArrayBuffer (array of structs: two cache lines hold four nodes), seen
 * through a Float64Array and an Int32Array, and linked by index, so allocate and free create no
 * JavaScript objects and touch one record per node:
 *
 *   f64[4n]      free: start of the range          used: offset of the allocation (aligned)
 *   f64[4n + 1]  free: bytes of the range          used: bytes requested
 *   i32[8n + 4]  previous node in offset order (-1: none)
 *   i32[8n + 5]  next node in offset order (-1: none)
 *   i32[8n + 6]  free: previous node in its free list; at the head of list L, HEAD_MARK - L
 *                used: USED    spare: SPARE
 *   i32[8n + 7]  free: next node in its free list (-1: none)        used: tag    spare: next spare
 *
 * A list's head carries its list index in the prev-free slot (HEAD_MARK - list: -4 and below), so unlinking a free
 * node never recomputes its size class, and the mark moves to the next node as a plain link value would.
 * Nodes in the offset-order chain are used or free (never spare): a neighbour is free when its prev-free
 * slot is not USED.
 *
 * Alignment padding stays inside the allocation's node instead of becoming a tiny free range of its own
 * (as it did when every unaligned request left a crumb in the free lists); it returns to free space when
 * the allocation is freed. It is not stored: the offset-order chain has no gaps, so a node starts where
 * the node before it ends (0 for the first), and padding = offset - that start. Regions and statistics
 * report padding as free bytes, merged with the free range before it.
 *
 * A used node's tag is a 31-bit serial given at allocation (`tagOf`): a caller that hands out allocation
 * objects keeps the tag in them and checks it on free (`isLiveWithTag`), in the record free reads anyway,
 * instead of a per-handle table of its own.
 *
 * A handle is the node's index, a small integer: cheap to pass around, but reused once freed, so callers
 * that hand handles to users (virtual blocks, the allocator) keep their own per-allocation liveness to
 * catch a stale or doubled free.
 */

const SECOND_LEVEL_BITS = 5;
const LISTS_PER_CLASS = 1 << SECOND_LEVEL_BITS;
/** Sizes up to this share class 0, in lists 8 bytes apart. */
const SMALL_SIZE_LIMIT = 256;
const SMALL_STEP_SHIFT = 3;
/** Class of a larger size: its highest bit minus this (so 257 bytes is class 1). */
const CLASS_SHIFT = 7;
/** Highest bit of a safe integer is at most 52. */
const CLASS_COUNT = 53 - CLASS_SHIFT;
const LIST_COUNT = CLASS_COUNT * LISTS_PER_CLASS;

/** Node indices stay small integers (V8 Smis); 2^26 nodes are 2 GiB of records. */
const INDEX_LIMIT = 2 ** 26;

/** Record layout: 4 float64 = 8 int32 slots per node. */
const F_OFFSET = 0;
const F_SIZE = 1;
const I_PREV_PHYSICAL = 4;
const I_NEXT_PHYSICAL = 5;
const I_PREV_FREE = 6;
const I_NEXT_FREE = 7;
/** Values of the prev-free slot that are not a list link (links are >= 0, head marks <= HEAD_MARK). */
const USED = -2;
const SPARE = -3;
/** The prev-free slot of the head of list L holds HEAD_MARK - L. */
const HEAD_MARK = -4;

const INITIAL_CAPACITY = 64;

/** 2^k and 2^-k for k in [0, 64): exact, and a multiplication instead of Math.pow or a division. */
const POW2 = new Float64Array(64);
const POW2_INVERSE = new Float64Array(64);
for (let k = 0; k < 64; k++) {
  POW2[k] = 2 ** k;
  POW2_INVERSE[k] = 2 ** -k;
}

/** Index of the highest set bit of a safe integer of 2^32 or more. */
function highestBitAbove32(size: number): number {
  return 63 - Math.clz32(size * 2.3283064365386963e-10); // 2^-32; clz32 truncates the (exact) quotient
}

/** The list a free range of `size` bytes belongs to. */
function listIndexOf(size: number): number {
  if (size <= SMALL_SIZE_LIMIT) return (size - 1) >>> SMALL_STEP_SHIFT;
  if (size < 4294967296) {
    const msb = 31 - Math.clz32(size);
    return ((msb - CLASS_SHIFT) << SECOND_LEVEL_BITS) | ((size >>> (msb - SECOND_LEVEL_BITS)) & (LISTS_PER_CLASS - 1));
  }
  const msb = highestBitAbove32(size);
  // size / 2^(msb - 5) is below 64: ToInt32 truncates it to the top 6 bits, of which the mask keeps 5.
  return (
    ((msb - CLASS_SHIFT) << SECOND_LEVEL_BITS) |
    ((size * POW2_INVERSE[msb - SECOND_LEVEL_BITS]!) & (LISTS_PER_CLASS - 1))
  );
}

/** The first list whose every range holds at least `size` bytes. */
function goodFitListIndex(size: number): number {
  if (size <= SMALL_SIZE_LIMIT) return (size + 6) >>> SMALL_STEP_SHIFT;
  if (size < 2147483648) return listIndexOf(size + (1 << (31 - Math.clz32(size) - SECOND_LEVEL_BITS)) - 1);
  const msb = size < 4294967296 ? 31 : highestBitAbove32(size);
  return listIndexOf(size + POW2[msb - SECOND_LEVEL_BITS]! - 1);
}

/**
 * `value` rounded up to a multiple of `alignment`, a power of two: @vkmap/core's `alignUp` with a mask in
 * place of the division, for the search loop of every allocation. Exact for safe integers.
 */
function alignUpPowerOfTwo(value: number, alignment: number): number {
  if (alignment <= 2147483648) {
    // ToInt32 keeps the low 32 bits of any safe integer, which is all a mask below 2^31 looks at.
    const misalignment = value & (alignment - 1);
    return misalignment === 0 ? value : value + (alignment - misalignment);
  }
  return Math.ceil(value / alignment) * alignment;
}

export class TlsfAlgorithm implements BlockAlgorithm {
  readonly name = 'tlsf' as const;
  readonly size: number;

  private f64: Float64Array;
  private i32: Int32Array;
  private capacity = 0;
  /** Nodes ever used; those below it are live, free or spare. */
  private nodeCount = 0;
  private spareHead = -1;
  private head = 0;

  private readonly listHeads = new Int32Array(LIST_COUNT).fill(-1);
  private readonly secondLevelBits = new Int32Array(CLASS_COUNT);
  private classBitsLow = 0;
  private classBitsHigh = 0;

  private liveCount = 0;
  private usedBytes = 0;
  private lastTag = 0;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size <= 0)
      throw new RangeError(`TLSF block size must be a positive safe integer (got ${size})`);
    this.size = size;
    this.f64 = new Float64Array(0);
    this.i32 = new Int32Array(0);
    this.grow(INITIAL_CAPACITY);
    this.reset();
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

  /** Separate free ranges, as `forEachRegion` reports them (a walk of the block). */
  get freeRangeCount(): number {
    let count = 0;
    let pending = false;
    let cursor = 0;
    const i32 = this.i32;
    const f64 = this.f64;
    for (let node = this.head; node !== -1; node = i32[8 * node + I_NEXT_PHYSICAL]!) {
      if (i32[8 * node + I_PREV_FREE]! !== USED) {
        pending = true;
        cursor = f64[4 * node + F_OFFSET]! + f64[4 * node + F_SIZE]!;
      } else {
        const offset = f64[4 * node + F_OFFSET]!;
        if (offset > cursor) pending = true;
        cursor = offset + f64[4 * node + F_SIZE]!;
        if (pending) count += 1;
        pending = false;
      }
    }
    return pending ? count + 1 : count;
  }

  get isEmpty(): boolean {
    return this.liveCount === 0;
  }

  /*
   * The hot path, written out like `free` below: the good-fit search over both bitmap levels, popping the
   * list head, and splitting off the rest, with no calls (TurboFan does not inline helpers into a function
   * this size, and each call spills everything live).
   */
  allocate(size: number, alignment: number, _upperAddress: boolean): number {
    if (!(size > 0)) return NO_SPACE;
    if (this.spareHead === -1 && this.nodeCount >= this.capacity && !this.ensureCapacity()) return NO_SPACE;
    // Every range in a list at or above the good fit of size + alignment - 1 fits at any alignment, so the
    // first such list's head is taken without looking further: O(1).
    const request = alignment > 1 ? size + alignment - 1 : size;
    let goodFit: number;
    if (request <= 256) goodFit = (request + 6) >>> 3;
    else if (request < 2147483648) {
      // listIndexOf(request rounded up to the next list boundary): below 2^32, so >>> and clz32 are exact.
      const bump = request + (1 << (31 - Math.clz32(request) - 5)) - 1;
      const msb = 31 - Math.clz32(bump);
      goodFit = ((msb - 7) << 5) | ((bump >>> (msb - 5)) & 31);
    } else goodFit = goodFitListIndex(request);

    const secondLevelBits = this.secondLevelBits;
    const i32 = this.i32;
    let node: number;
    let cls = goodFit >>> 5;
    let bits = cls < 46 ? secondLevelBits[cls]! & (-1 << (goodFit & 31)) : 0;
    if (bits === 0) {
      // firstClassAtOrAbove(cls + 1), written out; `-1 << n` shifts by n modulo 32.
      cls += 1;
      const low = cls < 32 ? this.classBitsLow & (-1 << cls) : 0;
      if (low !== 0) cls = 31 - Math.clz32(low & -low);
      else {
        const high = cls < 46 ? this.classBitsHigh & (cls <= 32 ? -1 : -1 << (cls - 32)) : 0;
        if (high === 0) cls = -1;
        else cls = 32 + 31 - Math.clz32(high & -high);
      }
      bits = cls === -1 ? 0 : secondLevelBits[cls]!;
    }
    if (bits !== 0) {
      // Pop the head of the list.
      const list = (cls << 5) | (31 - Math.clz32(bits & -bits));
      const listHeads = this.listHeads;
      node = listHeads[list]!;
      const nextFree = i32[(node << 3) | 7]!;
      listHeads[list] = nextFree;
      if (nextFree !== -1) i32[(nextFree << 3) | 6] = -4 - list;
      else if ((secondLevelBits[cls]! &= ~(1 << list)) === 0) {
        if (cls < 32) this.classBitsLow &= ~(1 << cls);
        else this.classBitsHigh &= ~(1 << cls);
      }
    } else {
      // Only here: a non-empty list at or above the good fit already proves there is room.
      if (size > this.size - this.usedBytes) return NO_SPACE;
      node = this.takeBelowGoodFit(size, alignment, goodFit);
      if (node === -1) return NO_SPACE;
    }

    // Turn `node` into the allocation, at its first `alignment` multiple; the rest after it stays free, in
    // a new node (linked as linkFree would).
    const f64 = this.f64;
    const at = node << 3;
    const start = f64[node << 2]!;
    const end = start + f64[(node << 2) | 1]!;
    let aligned = start;
    if (alignment > 1) {
      // alignUpPowerOfTwo, written out.
      if (alignment <= 2147483648) {
        const misalignment = start & (alignment - 1);
        if (misalignment !== 0) aligned = start + (alignment - misalignment);
      } else aligned = Math.ceil(start / alignment) * alignment;
    }
    const tag = (this.lastTag = (this.lastTag + 1) & 0x7fffffff);
    f64[node << 2] = aligned;
    f64[(node << 2) | 1] = size;
    i32[at | 6] = -2;
    i32[at | 7] = tag;
    this.liveCount += 1;
    this.usedBytes += size;
    const rest = end - aligned - size;
    if (rest > 0) {
      let tail = this.spareHead;
      if (tail !== -1) {
        this.spareHead = i32[(tail << 3) | 7]!;
      } else tail = this.nodeCount++;
      const next = i32[at | 5]!;
      const tailAt = tail << 3;
      f64[tail << 2] = aligned + size;
      f64[(tail << 2) | 1] = rest;
      i32[tailAt | 4] = node;
      i32[tailAt | 5] = next;
      if (next !== -1) i32[(next << 3) | 4] = tail;
      i32[at | 5] = tail;
      let list: number;
      if (rest <= 256) list = (rest - 1) >>> 3;
      else if (rest < 4294967296) {
        const msb = 31 - Math.clz32(rest);
        list = ((msb - 7) << 5) | ((rest >>> (msb - 5)) & 31);
      } else list = listIndexOf(rest);
      const listHeads = this.listHeads;
      const first = listHeads[list]!;
      listHeads[list] = tail;
      i32[tailAt | 6] = -4 - list;
      i32[tailAt | 7] = first;
      if (first !== -1) i32[(first << 3) | 6] = tail;
      else {
        const tailClass = list >>> 5;
        secondLevelBits[tailClass]! |= 1 << list;
        if (tailClass < 32) this.classBitsLow |= 1 << tailClass;
        else this.classBitsHigh |= 1 << tailClass;
      }
    }
    return node;
  }

  /*
   * Free is the hot path of a steady allocator, so the free-list and bitmap helpers are written out here
   * (TurboFan does not inline them into a function this size). At 10k live and more the records are
   * mostly out of L1/L2, so the order matters: both neighbours' records are read before any branch on
   * them (their cache misses overlap, also when the branch on "is it free" is mispredicted), and the rest
   * is stores: unlinking a free neighbour needs only its own record (its head mark names its list, no size
   * class to recompute), and pushing the merged range writes the old head's record without reading it.
   * Index arithmetic is `(node << 3) | slot`: no overflow checks, unlike `8 * node + slot`. Slots and
   * other constants are literals here and in `allocate` (the record layout at the top of the file; 31 is
   * LISTS_PER_CLASS - 1, 46 CLASS_COUNT): Node 20's TurboFan loads a module-level const from the module
   * context and checks it at every use, which was a tenth of the instructions of both paths.
   */
  free(handle: number): void {
    const i32 = this.i32;
    if (!(handle >>> 0 === handle && handle < this.nodeCount) || i32[(handle << 3) | 6] !== -2) {
      throw new VkmapStateError(
        `allocation handle ${handle} is not live in this TLSF block: it was freed already or belongs to another block`,
      );
    }
    // An int32 from here on: `merged` is this or `prev`, and a phi of the tagged parameter would be checked
    // for Smi or HeapNumber at every use.
    const node = handle | 0;
    const f64 = this.f64;
    const at = node << 3;
    const prev = i32[at | 4]!;
    const next = i32[at | 5]!;
    const prevLink = prev !== -1 ? i32[(prev << 3) | 6]! : -2;
    const nextLink = next !== -1 ? i32[(next << 3) | 6]! : -2;
    const size = f64[(node << 2) | 1]!;
    const end = f64[node << 2]! + size;
    // Where the node starts (its padding included): where `prev` ends. Same record as prevLink.
    let start = prev !== -1 ? f64[prev << 2]! + f64[(prev << 2) | 1]! : 0;
    this.liveCount -= 1;
    this.usedBytes -= size;

    const listHeads = this.listHeads;
    const secondLevelBits = this.secondLevelBits;
    let merged = node;
    let after = next;
    let nextEnd = end;
    if (prevLink !== -2) {
      // Merge with the free range before: it keeps its node, `handle` becomes spare.
      const prevAt = prev << 3;
      const nextFree = i32[prevAt | 7]!;
      start = f64[prev << 2]!;
      if (prevLink >= 0) i32[(prevLink << 3) | 7] = nextFree;
      else {
        const list = -4 - prevLink;
        listHeads[list] = nextFree;
        if (nextFree === -1) {
          // clearListBit, written out (a call here costs spills of everything live).
          const cls = list >>> 5;
          if ((secondLevelBits[cls]! &= ~(1 << list)) === 0) {
            if (cls < 32) this.classBitsLow &= ~(1 << cls);
            else this.classBitsHigh &= ~(1 << cls);
          }
        }
      }
      if (nextFree !== -1) i32[(nextFree << 3) | 6] = prevLink;
      i32[at | 6] = -3;
      i32[at | 7] = this.spareHead;
      this.spareHead = node;
      merged = prev;
    }
    if (nextLink !== -2) {
      // Merge with the free range after: its node becomes spare. Its links are read again: when both
      // neighbours sit side by side in one free list, unlinking `prev` just rewrote one of them.
      const nextAt = next << 3;
      const link = i32[nextAt | 6]!;
      const nextFree = i32[nextAt | 7]!;
      after = i32[nextAt | 5]!;
      nextEnd = f64[next << 2]! + f64[(next << 2) | 1]!;
      if (link >= 0) i32[(link << 3) | 7] = nextFree;
      else {
        const list = -4 - link;
        listHeads[list] = nextFree;
        if (nextFree === -1) {
          // clearListBit, written out (a call here costs spills of everything live).
          const cls = list >>> 5;
          if ((secondLevelBits[cls]! &= ~(1 << list)) === 0) {
            if (cls < 32) this.classBitsLow &= ~(1 << cls);
            else this.classBitsHigh &= ~(1 << cls);
          }
        }
      }
      if (nextFree !== -1) i32[(nextFree << 3) | 6] = link;
      i32[nextAt | 6] = -3;
      i32[nextAt | 7] = this.spareHead;
      this.spareHead = next;
    }
    if (merged !== node || after !== next) {
      // Nodes left the chain: `merged` now reaches `after`.
      i32[(merged << 3) | 5] = after;
      if (after !== -1) i32[(after << 3) | 4] = merged;
    }

    const span = nextEnd - start;
    // Push the merged range on the head of its list (listIndexOf and setListBit, written out). The bitmap
    // masks are `1 << list` and `1 << cls`: JavaScript shifts by the count modulo 32, the bit in its word.
    let list: number;
    if (span <= 256) list = (span - 1) >>> 3;
    else if (span < 4294967296) {
      const msb = 31 - Math.clz32(span);
      list = ((msb - 7) << 5) | ((span >>> (msb - 5)) & 31);
    } else list = listIndexOf(span);
    const first = listHeads[list]!;
    listHeads[list] = merged;
    f64[merged << 2] = start;
    f64[(merged << 2) | 1] = span;
    i32[(merged << 3) | 6] = -4 - list;
    i32[(merged << 3) | 7] = first;
    if (first !== -1) i32[(first << 3) | 6] = merged;
    else {
      const cls = list >>> 5;
      secondLevelBits[cls]! |= 1 << list;
      if (cls < 32) this.classBitsLow |= 1 << cls;
      else this.classBitsHigh |= 1 << cls;
    }
  }

  isLive(handle: number): boolean {
    // `>>> 0` leaves an integer in [0, 2^32) as it is and changes anything else (handles stay below 2^26).
    return handle >>> 0 === handle && handle < this.nodeCount && this.i32[(handle << 3) | 6] === -2;
  }

  /** The tag of a live allocation: a 31-bit serial, unlike the tags of the allocations before it in its node. */
  tagOf(handle: number): number {
    return this.i32[(this.requireNode(handle) << 3) | 7]!;
  }

  /** Whether `handle` is live and is the allocation that got `tag`. */
  isLiveWithTag(handle: number, tag: number): boolean {
    return (
      handle >>> 0 === handle &&
      handle < this.nodeCount &&
      this.i32[(handle << 3) | 6] === -2 &&
      this.i32[(handle << 3) | 7] === tag
    );
  }

  offsetOf(handle: number): number {
    if (!(handle >>> 0 === handle && handle < this.nodeCount && this.i32[(handle << 3) | 6] === -2))
      this.requireNode(handle);
    return this.f64[handle << 2]!;
  }

  sizeOf(handle: number): number {
    return this.f64[(this.requireNode(handle) << 2) | 1]!;
  }

  /** Regions in offset order; alignment padding is free space, merged with the free range before it. */
  forEachRegion(visit: RegionVisitor): void {
    const f64 = this.f64;
    const i32 = this.i32;
    let freeStart = 0;
    let freeSize = 0;
    /** Where the previous node ended: where this one starts. */
    let cursor = 0;
    for (let node = this.head; node !== -1; node = i32[8 * node + I_NEXT_PHYSICAL]!) {
      if (i32[8 * node + I_PREV_FREE]! !== USED) {
        if (freeSize === 0) freeStart = f64[4 * node + F_OFFSET]!;
        freeSize += f64[4 * node + F_SIZE]!;
        cursor = f64[4 * node + F_OFFSET]! + f64[4 * node + F_SIZE]!;
        continue;
      }
      const offset = f64[4 * node + F_OFFSET]!;
      const padding = offset - cursor;
      cursor = offset + f64[4 * node + F_SIZE]!;
      if (padding > 0) {
        if (freeSize === 0) freeStart = offset - padding;
        freeSize += padding;
      }
      if (freeSize > 0) visit(freeStart, freeSize, NO_SPACE);
      freeSize = 0;
      visit(offset, f64[4 * node + F_SIZE]!, node);
    }
    if (freeSize > 0) visit(freeStart, freeSize, NO_SPACE);
  }

  /** The largest free range a new allocation can take (padding kept inside allocations not counted). */
  largestFreeRange(): number {
    let list = -1;
    if (this.classBitsHigh !== 0) list = (32 + 31 - Math.clz32(this.classBitsHigh)) * LISTS_PER_CLASS;
    else if (this.classBitsLow !== 0) list = (31 - Math.clz32(this.classBitsLow)) * LISTS_PER_CLASS;
    if (list === -1) return 0;
    const second = this.secondLevelBits[list / LISTS_PER_CLASS]!;
    list += 31 - Math.clz32(second);
    let largest = 0;
    for (let node = this.listHeads[list]!; node !== -1; node = this.i32[8 * node + I_NEXT_FREE]!) {
      const size = this.f64[4 * node + F_SIZE]!;
      if (size > largest) largest = size;
    }
    return largest;
  }

  clear(): void {
    this.reset();
  }

  private reset(): void {
    const i32 = this.i32;
    const f64 = this.f64;
    this.listHeads.fill(-1);
    this.secondLevelBits.fill(0);
    this.classBitsLow = 0;
    this.classBitsHigh = 0;
    if (this.nodeCount === 0) this.nodeCount = 1;
    this.spareHead = -1;
    for (let node = this.nodeCount - 1; node >= 1; node--) this.recycle(node);
    this.liveCount = 0;
    this.usedBytes = 0;
    f64[F_OFFSET] = 0;
    f64[F_SIZE] = this.size;
    i32[I_PREV_PHYSICAL] = -1;
    i32[I_NEXT_PHYSICAL] = -1;
    this.head = 0;
    this.linkFree(0);
  }

  /**
   * Near full: ranges in the lists below the good fit may still fit; checks them one by one. Returns the
   * first that fits, out of its list, or -1.
   */
  private takeBelowGoodFit(size: number, alignment: number, goodFit: number): number {
    const f64 = this.f64;
    const i32 = this.i32;
    for (
      let below = this.firstListAtOrAbove(listIndexOf(size));
      below !== -1 && below < goodFit;
      below = this.firstListAtOrAbove(below + 1)
    ) {
      for (let node = this.listHeads[below]!; node !== -1; node = i32[8 * node + I_NEXT_FREE]!) {
        const start = f64[4 * node + F_OFFSET]!;
        if (alignUpPowerOfTwo(start, alignment) + size <= start + f64[4 * node + F_SIZE]!) {
          this.unlinkFree(node);
          return node;
        }
      }
    }
    return -1;
  }

  private firstListAtOrAbove(list: number): number {
    if (list >= LIST_COUNT) return -1;
    let cls = list >>> SECOND_LEVEL_BITS;
    let bits = this.secondLevelBits[cls]! & (-1 << (list & (LISTS_PER_CLASS - 1)));
    if (bits === 0) {
      cls = this.firstClassAtOrAbove(cls + 1);
      if (cls === -1) return -1;
      bits = this.secondLevelBits[cls]!;
    }
    return (cls << SECOND_LEVEL_BITS) | lowestBit(bits);
  }

  private firstClassAtOrAbove(cls: number): number {
    if (cls < 32) {
      const low = this.classBitsLow & (-1 << cls);
      if (low !== 0) return lowestBit(low);
      return this.classBitsHigh !== 0 ? 32 + lowestBit(this.classBitsHigh) : -1;
    }
    if (cls >= CLASS_COUNT) return -1;
    const high = this.classBitsHigh & (-1 << (cls - 32));
    return high !== 0 ? 32 + lowestBit(high) : -1;
  }

  private linkFree(node: number): void {
    const i32 = this.i32;
    const list = listIndexOf(this.f64[4 * node + F_SIZE]!);
    const first = this.listHeads[list]!;
    i32[8 * node + I_NEXT_FREE] = first;
    i32[8 * node + I_PREV_FREE] = HEAD_MARK - list;
    if (first !== -1) i32[8 * first + I_PREV_FREE] = node;
    else this.setListBit(list);
    this.listHeads[list] = node;
  }

  /** `list` has become non-empty. */
  private setListBit(list: number): void {
    const cls = list >>> SECOND_LEVEL_BITS;
    this.secondLevelBits[cls]! |= 1 << (list & (LISTS_PER_CLASS - 1));
    if (cls < 32) this.classBitsLow |= 1 << cls;
    else this.classBitsHigh |= 1 << (cls - 32);
  }

  /** Takes free `node` out of its list; its slots are rewritten by the caller. */
  private unlinkFree(node: number): void {
    const i32 = this.i32;
    const prev = i32[8 * node + I_PREV_FREE]!;
    const next = i32[8 * node + I_NEXT_FREE]!;
    if (prev >= 0) i32[8 * prev + I_NEXT_FREE] = next;
    else {
      const list = HEAD_MARK - prev;
      this.listHeads[list] = next;
      if (next === -1) this.clearListBit(list);
    }
    // The head mark moves to the next node as a link would.
    if (next !== -1) i32[8 * next + I_PREV_FREE] = prev;
  }

  /** `list` has become empty. */
  private clearListBit(list: number): void {
    const cls = list >>> SECOND_LEVEL_BITS;
    const remaining = (this.secondLevelBits[cls]! &= ~(1 << (list & (LISTS_PER_CLASS - 1))));
    if (remaining === 0) {
      if (cls < 32) this.classBitsLow &= ~(1 << cls);
      else this.classBitsHigh &= ~(1 << (cls - 32));
    }
  }

  private recycle(node: number): void {
    const at = 8 * node;
    this.i32[at + I_PREV_FREE] = SPARE;
    this.i32[at + I_NEXT_FREE] = this.spareHead;
    this.spareHead = node;
  }

  /** Makes room for the two nodes a split may need; false when the handle space is exhausted. */
  private ensureCapacity(): boolean {
    if (this.capacity >= INDEX_LIMIT) return false;
    this.grow(Math.min(INDEX_LIMIT, Math.max(INITIAL_CAPACITY, this.capacity * 2)));
    return true;
  }

  private grow(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * 32);
    const f64 = new Float64Array(buffer);
    f64.set(this.f64);
    this.f64 = f64;
    this.i32 = new Int32Array(buffer);
    this.capacity = capacity;
  }

  private requireNode(handle: number): number {
    if (!this.isLive(handle)) throw new VkmapStateError(`allocation handle ${handle} is not live in this TLSF block`);
    return handle;
  }
}
