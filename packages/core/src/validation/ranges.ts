/**
 * Sets of byte ranges of one memory object, [start, end) as bigints, kept sorted and merged: what submitted
 * work reads and writes of it, and what the host may still need to do about those bytes.
 */
/** How many ranges a message lists before it counts the rest. */
const MAX_RANGES_SHOWN = 8;

export class RangeSet {
  /** Disjoint, non-adjacent ranges in increasing order. */
  private ranges: [bigint, bigint][] = [];

  static of(start: bigint, end: bigint): RangeSet {
    const set = new RangeSet();
    set.add(start, end);
    return set;
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  *[Symbol.iterator](): IterableIterator<readonly [bigint, bigint]> {
    for (const range of this.ranges) yield range;
  }

  add(start: bigint, end: bigint): void {
    if (end <= start) return;
    const ranges = this.ranges;
    const last = ranges[ranges.length - 1];
    // Ranges mostly arrive in increasing order (a scan over bytes, a copy of a sorted set): append in O(1).
    if (!last || last[1] < start) {
      ranges.push([start, end]);
      return;
    }
    if (last[0] <= start) {
      if (end > last[1]) last[1] = end;
      return;
    }
    // The first range that ends at or after `start`, then every range that starts at or before `end`.
    let low = 0;
    let high = ranges.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (ranges[middle]![1] < start) low = middle + 1;
      else high = middle;
    }
    let past = low;
    while (past < ranges.length && ranges[past]![0] <= end) past++;
    if (past > low) {
      if (ranges[low]![0] < start) start = ranges[low]![0];
      if (ranges[past - 1]![1] > end) end = ranges[past - 1]![1];
    }
    ranges.splice(low, past - low, [start, end]);
  }

  addAll(other: RangeSet): void {
    for (const [s, e] of other.ranges) this.add(s, e);
  }

  subtract(start: bigint, end: bigint): void {
    if (end <= start) return;
    const kept: [bigint, bigint][] = [];
    for (const [s, e] of this.ranges) {
      if (e <= start || s >= end) kept.push([s, e]);
      else {
        if (s < start) kept.push([s, start]);
        if (e > end) kept.push([end, e]);
      }
    }
    this.ranges = kept;
  }

  subtractAll(other: RangeSet): void {
    for (const [s, e] of other.ranges) this.subtract(s, e);
  }

  /** Whether any byte of [start, end) is in the set. */
  intersects(start: bigint, end: bigint): boolean {
    return this.ranges.some(([s, e]) => s < end && start < e);
  }

  /** The bytes of [start, end) in the set. */
  within(start: bigint, end: bigint): RangeSet {
    const set = new RangeSet();
    for (const [s, e] of this.ranges) set.add(s > start ? s : start, e < end ? e : end);
    return set;
  }

  /** Whether every byte of [start, end) is in the set. */
  covers(start: bigint, end: bigint): boolean {
    if (end <= start) return true;
    return this.ranges.some(([s, e]) => s <= start && end <= e);
  }

  /** The set as text, for messages: [0, 256), [512, 1024); past eight ranges, the rest as a count. */
  toString(): string {
    const shown = this.ranges.slice(0, MAX_RANGES_SHOWN).map(([s, e]) => `[${s}, ${e})`);
    const hidden = this.ranges.length - shown.length;
    if (hidden > 0) {
      let bytes = 0n;
      for (const [s, e] of this.ranges) bytes += e - s;
      shown.push(`and ${hidden} more ranges (${bytes} bytes in all)`);
    }
    return shown.join(', ');
  }
}
