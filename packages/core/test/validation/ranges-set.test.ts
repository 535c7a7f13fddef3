// RangeSet, the byte ranges the host-access checks track: random adds against a plain set of bytes, and the
// summarised message for many ranges (a scan over a changed buffer adds one range per run of changed bytes).
import { describe, expect, it } from 'vitest';
import { RangeSet } from '../../src/validation/ranges.js';

function bytesOf(set: RangeSet): number[] {
  const bytes: number[] = [];
  let previousEnd = -1n;
  for (const [start, end] of set) {
    expect(start > previousEnd, 'ranges are disjoint, non-adjacent and increasing').toBe(true);
    previousEnd = end;
    for (let i = start; i < end; i++) bytes.push(Number(i));
  }
  return bytes;
}

describe('RangeSet', () => {
  it('holds exactly the bytes added, in any order', () => {
    let seed = 1;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let trial = 0; trial < 500; trial++) {
      const set = new RangeSet();
      const expected = new Set<number>();
      for (let k = 0; k < 12; k++) {
        const start = next(64);
        const end = start + next(10);
        set.add(BigInt(start), BigInt(end));
        for (let i = start; i < end; i++) expected.add(i);
      }
      expect(bytesOf(set)).toEqual([...expected].sort((a, b) => a - b));
    }
  });

  it('adds a million increasing runs quickly and names the first eight in its message', () => {
    const set = new RangeSet();
    for (let i = 0n; i < 1_000_000n; i++) set.add(i * 4n, i * 4n + 1n);
    expect(set.toString()).toMatch(
      /^\[0, 1\), \[4, 5\),.*\[28, 29\), and 999992 more ranges \(1000000 bytes in all\)$/,
    );
  });
});
