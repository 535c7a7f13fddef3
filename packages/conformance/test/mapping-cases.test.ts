import { describe, expect, it } from 'vitest';
import { VK_WHOLE_SIZE } from '@vkmap/core';
import { mappingCases, rangeSets } from '../src/index.js';

describe('CTS mapping cases', () => {
  it('rounds allocation sizes up and map ranges out to the atom, dropping what does not fit', () => {
    const cases = mappingCases(64n, 1n << 30n);
    expect(new Set(cases.map((c) => c.allocationSize))).toEqual(new Set([64n, 320n, 4096n, 8128n, 1048640n]));
    for (const c of cases) {
      expect(c.offset % 64n).toBe(0n);
      expect(c.size % 64n).toBe(0n);
      expect(c.offset + c.size).toBeLessThanOrEqual(c.allocationSize);
    }
    expect(cases).toContainEqual({ allocationSize: 8128n, offset: 1024n, size: 4096n, whole: false });
    expect(cases.filter((c) => c.whole)).toHaveLength(5);
    const keys = cases.map((c) => `${c.allocationSize}:${c.offset}:${c.size}:${c.whole}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('leaves out allocations above maxMemoryAllocationSize', () => {
    expect(mappingCases(256n, 8192n).every((c) => c.allocationSize <= 8192n)).toBe(true);
  });

  it('splits a mapping into whole, middle half and two halves, atom-aligned and inside it', () => {
    const [whole, middle, halves] = rangeSets(256n, 1024n, 64n);
    expect(whole!.ranges).toEqual([[256n, VK_WHOLE_SIZE]]);
    expect(middle!.ranges).toEqual([[512n, 512n]]);
    expect(halves!.ranges).toEqual([
      [256n, 512n],
      [768n, 512n],
    ]);
    expect(rangeSets(0n, 64n, 64n)[2]!.ranges).toEqual([[0n, 64n]]);
  });
});
