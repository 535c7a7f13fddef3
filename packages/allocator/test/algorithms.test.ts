import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearAlgorithm, NO_SPACE, TlsfAlgorithm, type BlockAlgorithm } from '@vkmap/allocator';
import { checkTiling } from './fixtures.js';

type Op = { kind: 'alloc'; size: number; alignLog2: number; upper: boolean } | { kind: 'free'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('alloc' as const),
    size: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 70_000 })),
    alignLog2: fc.integer({ min: 0, max: 12 }),
    upper: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
);

/** Runs a random sequence and checks after every step: no overlap, alignment, totals. */
function exercise(make: () => BlockAlgorithm, ops: Op[], useUpper: boolean): void {
  const algorithm = make();
  const live = new Map<number, { offset: number; size: number }>();
  for (const step of ops) {
    if (step.kind === 'alloc') {
      const alignment = 2 ** step.alignLog2;
      const before = { free: algorithm.freeBytes, count: algorithm.allocationCount };
      const handle = algorithm.allocate(step.size, alignment, useUpper && step.upper);
      if (handle === NO_SPACE) {
        expect({ free: algorithm.freeBytes, count: algorithm.allocationCount }).toEqual(before);
        continue;
      }
      const offset = algorithm.offsetOf(handle);
      expect(offset % alignment).toBe(0);
      expect(algorithm.sizeOf(handle)).toBe(step.size);
      expect(offset + step.size).toBeLessThanOrEqual(algorithm.size);
      for (const other of live.values()) {
        expect(offset + step.size <= other.offset || other.offset + other.size <= offset).toBe(true);
      }
      expect(live.has(handle)).toBe(false);
      live.set(handle, { offset, size: step.size });
    } else if (live.size > 0) {
      const handles = [...live.keys()];
      const handle = handles[step.pick % handles.length]!;
      algorithm.free(handle);
      live.delete(handle);
      expect(algorithm.isLive(handle)).toBe(false);
    }
    checkTiling(algorithm);
    for (const [handle, where] of live) expect(algorithm.offsetOf(handle)).toBe(where.offset);
  }
  for (const handle of live.keys()) algorithm.free(handle);
  expect(algorithm.isEmpty).toBe(true);
  expect(algorithm.freeBytes).toBe(algorithm.size);
  if (algorithm.name === 'tlsf') expect(algorithm.freeRangeCount).toBe(1);
}

/** The TLSF's private node records, bitmaps and list heads, for the free-list consistency check. */
interface TlsfInternals {
  f64: Float64Array;
  i32: Int32Array;
  head: number;
  listHeads: Int32Array;
  secondLevelBits: Int32Array;
  classBitsLow: number;
  classBitsHigh: number;
}

/** List index of a free range below 2^32 bytes, as the TLSF computes it (8-byte steps to 256, then 32 per power of two). */
function listOf(size: number): number {
  if (size <= 256) return (size - 1) >>> 3;
  const msb = 31 - Math.clz32(size);
  return ((msb - 7) << 5) | ((size >>> (msb - 5)) & 31);
}

/**
 * Checks the TLSF's free lists against its chain of ranges: every free range is in exactly one list, the
 * one of its size; links run both ways; each head carries its list's mark (-4 - list); the bitmaps mark
 * exactly the non-empty lists.
 */
function checkFreeLists(tlsf: TlsfAlgorithm): void {
  const t = tlsf as unknown as TlsfInternals;
  const fail = (message: string): never => {
    throw new Error(`TLSF free lists: ${message}`);
  };
  const freeInChain = new Set<number>();
  for (let node = t.head; node !== -1; node = t.i32[8 * node + 5]!) {
    const link = t.i32[8 * node + 6]!;
    if (link === -3) fail(`spare node ${node} in the chain of ranges`);
    if (link !== -2) freeInChain.add(node);
  }
  const inLists = new Set<number>();
  for (let list = 0; list < t.listHeads.length; list++) {
    let previous = -1;
    for (let node = t.listHeads[list]!; node !== -1; node = t.i32[8 * node + 7]!) {
      if (inLists.has(node)) fail(`node ${node} twice in the lists`);
      inLists.add(node);
      if (!freeInChain.has(node)) fail(`node ${node} of list ${list} is not a free range of the chain`);
      const link = t.i32[8 * node + 6]!;
      if (link !== (previous === -1 ? -4 - list : previous))
        fail(`node ${node} of list ${list} links back to ${link}, not ${previous === -1 ? 'the head mark' : previous}`);
      const size = t.f64[4 * node + 1]!;
      if (size < 2 ** 32 && listOf(size) !== list)
        fail(`a range of ${size} bytes sits in list ${list}, not ${listOf(size)}`);
      previous = node;
    }
    const marked = (t.secondLevelBits[list >>> 5]! & (1 << (list & 31))) !== 0;
    if (marked !== (t.listHeads[list] !== -1)) fail(`the bit of list ${list} is ${marked ? 'set' : 'clear'}`);
  }
  if (inLists.size !== freeInChain.size)
    fail(`${freeInChain.size} free ranges in the chain, ${inLists.size} in the lists`);
  for (let cls = 0; cls < t.secondLevelBits.length; cls++) {
    const marked = ((cls < 32 ? t.classBitsLow : t.classBitsHigh) & (1 << (cls & 31))) !== 0;
    if (marked !== (t.secondLevelBits[cls] !== 0)) fail(`the bit of class ${cls} is ${marked ? 'set' : 'clear'}`);
  }
}

describe('TLSF algorithm', () => {
  it('keeps alignment padding inside the allocation instead of leaving crumbs in the free lists', () => {
    const tlsf = new TlsfAlgorithm(1 << 20);
    // Unaligned sizes at alignment 256: each allocation after the first starts with padding.
    const handles = Array.from({ length: 50 }, (_, i) => tlsf.allocate(1000 + i, 256, false));
    for (const handle of handles) expect(tlsf.offsetOf(handle) % 256).toBe(0);
    // Regions report the padding as free: one range per padded gap, plus the tail.
    const gaps = handles
      .slice(1)
      .filter((handle, i) => tlsf.offsetOf(handle) > tlsf.offsetOf(handles[i]!) + tlsf.sizeOf(handles[i]!)).length;
    expect(gaps).toBe(48); // 1000 + 24 = 1024 leaves no gap after it
    expect(checkTiling(tlsf).freeRanges).toBe(gaps + 1);
    expect(tlsf.largestFreeRange()).toBe((1 << 20) - (tlsf.offsetOf(handles[49]!) + 1049));
    // Padding is reported as free bytes (allocatedBytes is what was asked for).
    expect(tlsf.allocatedBytes).toBe(handles.reduce((sum, _, i) => sum + 1000 + i, 0));
    for (const handle of handles.filter((_, i) => i % 2 === 0)) tlsf.free(handle);
    checkTiling(tlsf);
    for (const handle of handles.filter((_, i) => i % 2 === 1)) tlsf.free(handle);
    expect(tlsf.freeRangeCount).toBe(1);
    expect(tlsf.largestFreeRange()).toBe(1 << 20);
  });

  it('never overlaps and adds up with sizes and alignments far above 2^32 (padding of 2^31 and more too)', () => {
    const bigOp = fc.oneof(
      fc.record({
        kind: fc.constant('alloc' as const),
        size: fc.integer({ min: 1, max: 2 ** 44 }),
        alignLog2: fc.integer({ min: 0, max: 40 }),
        upper: fc.constant(false),
      }),
      fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2 ** 40, max: 2 ** 50 }), fc.array(bigOp, { maxLength: 60 }), (size, ops) =>
        exercise(() => new TlsfAlgorithm(size), ops, false),
      ),
      { numRuns: 100 },
    );
  });

  it('never overlaps, keeps alignment and adds up, for random allocate/free sequences', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), fc.array(op, { maxLength: 120 }), (size, ops) =>
        exercise(() => new TlsfAlgorithm(size), ops, false),
      ),
      { numRuns: 200 },
    );
  });

  it('manages blocks far beyond 2^32 bytes', () => {
    const tlsf = new TlsfAlgorithm(2 ** 45);
    const a = tlsf.allocate(2 ** 40, 2 ** 20, false);
    const b = tlsf.allocate(3 * 2 ** 33 + 5, 4096, false);
    expect(tlsf.offsetOf(b) % 4096).toBe(0);
    expect(tlsf.offsetOf(b)).toBeGreaterThanOrEqual(2 ** 40);
    checkTiling(tlsf);
    tlsf.free(a);
    tlsf.free(b);
    expect(tlsf.largestFreeRange()).toBe(2 ** 45);
  });

  it('fills a block exactly and refuses one byte more', () => {
    const tlsf = new TlsfAlgorithm(4096);
    const handles = Array.from({ length: 64 }, () => tlsf.allocate(64, 64, false));
    expect(handles.every((h) => h !== NO_SPACE)).toBe(true);
    expect(tlsf.allocate(1, 1, false)).toBe(NO_SPACE);
    tlsf.free(handles[10]!);
    expect(tlsf.offsetOf(tlsf.allocate(64, 1, false))).toBe(640);
  });

  it('throws on a double free and leaves the block unchanged', () => {
    const tlsf = new TlsfAlgorithm(1024);
    const handle = tlsf.allocate(100, 1, false);
    tlsf.free(handle);
    expect(() => tlsf.free(handle)).toThrow(/not live/);
    expect(tlsf.freeBytes).toBe(1024);
  });

  it('merges a freed range with free neighbours that sit side by side in one free list, in either order', () => {
    for (const cFirst of [false, true]) {
      for (const interior of [false, true]) {
        const tlsf = new TlsfAlgorithm(1 << 16);
        // a | b | c | guard | d | guard | e | guard | rest, where a, c, d and e are 1000 bytes: their free
        // ranges share one list, in the reverse order of their frees.
        const [a, b, c] = [tlsf.allocate(1000, 1, false), tlsf.allocate(500, 1, false), tlsf.allocate(1000, 1, false)];
        tlsf.allocate(100, 1, false);
        const d = tlsf.allocate(1000, 1, false);
        tlsf.allocate(100, 1, false);
        const e = tlsf.allocate(1000, 1, false);
        tlsf.allocate(100, 1, false);
        // a and c next to each other in the list (c before a, or a before c); with `interior`, between d
        // (freed first, the tail) and e (freed last, the head), otherwise one of them is the head.
        if (interior) tlsf.free(d);
        for (const handle of cFirst ? [c, a] : [a, c]) tlsf.free(handle);
        if (interior) tlsf.free(e);
        checkFreeLists(tlsf);
        tlsf.free(b);
        checkFreeLists(tlsf);
        checkTiling(tlsf);
        const regions: [number, number, number][] = [];
        tlsf.forEachRegion((offset, size, handle) => regions.push([offset, size, handle]));
        expect(regions[0]).toEqual([0, 2500, NO_SPACE]);
      }
    }
  });

  it('keeps its free lists consistent with its ranges over random allocate/free sequences', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), fc.array(op, { maxLength: 150 }), (size, ops) => {
        const tlsf = new TlsfAlgorithm(size);
        const live: number[] = [];
        for (const step of ops) {
          if (step.kind === 'alloc') {
            const handle = tlsf.allocate(step.size, 2 ** step.alignLog2, false);
            if (handle !== NO_SPACE) live.push(handle);
          } else if (live.length > 0) tlsf.free(live.splice(step.pick % live.length, 1)[0]!);
          checkFreeLists(tlsf);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('clear frees everything at once', () => {
    const tlsf = new TlsfAlgorithm(1 << 16);
    for (let i = 0; i < 100; i++) tlsf.allocate(100 + i, 16, false);
    tlsf.clear();
    checkTiling(tlsf);
    expect(tlsf.isEmpty).toBe(true);
    expect(tlsf.allocate(1 << 16, 1, false)).not.toBe(NO_SPACE);
  });
});

describe('linear algorithm', () => {
  it('never overlaps, keeps alignment and adds up, for random sequences with upper-address allocations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), fc.array(op, { maxLength: 120 }), (size, ops) =>
        exercise(() => new LinearAlgorithm(size), ops, true),
      ),
      { numRuns: 200 },
    );
  });

  it('works as a ring buffer: frees in allocation order let allocations wrap around', () => {
    const ring = new LinearAlgorithm(1000);
    const queue = [ring.allocate(400, 1, false), ring.allocate(400, 1, false)];
    ring.free(queue.shift()!);
    const wrapped = ring.allocate(300, 1, false);
    expect(ring.offsetOf(wrapped)).toBe(0);
    expect(ring.upperMode).toBe('ring-buffer');
    expect(ring.allocate(300, 1, false)).toBe(NO_SPACE); // 100 free after offset 800 and 100 before 400
    ring.free(queue.shift()!);
    // The wrapped allocations now form the lower sequence again.
    expect(ring.upperMode).toBe('empty');
    expect(ring.offsetOf(ring.allocate(600, 1, false))).toBe(300);
    checkTiling(ring);
  });

  it('works as a double stack: upper-address allocations grow down from the end', () => {
    const stack = new LinearAlgorithm(1000);
    const low = stack.allocate(300, 1, false);
    const high = stack.allocate(300, 64, true);
    expect(stack.offsetOf(high)).toBe(640);
    expect(stack.upperMode).toBe('double-stack');
    expect(stack.allocate(400, 1, false)).toBe(NO_SPACE);
    expect(stack.offsetOf(stack.allocate(340, 1, false))).toBe(300);
    stack.free(high);
    stack.free(low);
    checkTiling(stack);
  });

  it('works as a stack: freeing the top makes room again at once', () => {
    const stack = new LinearAlgorithm(256);
    const a = stack.allocate(128, 1, false);
    const b = stack.allocate(128, 1, false);
    stack.free(b);
    expect(stack.offsetOf(stack.allocate(100, 1, false))).toBe(128);
    stack.free(a);
    expect(stack.freeBytes).toBe(156);
  });
});
