import { describe, expect, it } from 'vitest';
import { atomRange, toDeviceSize, VK_WHOLE_SIZE, VkmapArgumentError } from '@vkmap/core';

describe('toDeviceSize', () => {
  it('accepts safe integers and bigints', () => {
    expect(toDeviceSize(0, 'size')).toBe(0n);
    expect(toDeviceSize(Number.MAX_SAFE_INTEGER, 'size')).toBe(9007199254740991n);
    expect(toDeviceSize(VK_WHOLE_SIZE, 'size')).toBe(VK_WHOLE_SIZE);
  });
  it.each([
    [-1, /negative/],
    [1.5, /whole number/],
    [Number.NaN, /finite/],
    [2 ** 53, /MAX_SAFE_INTEGER/],
    [-1n, /negative/],
    [2n ** 64n, /64 bits/],
    ['12', /number or a bigint/],
  ])('rejects %s', (value, message) => {
    expect(() => toDeviceSize(value, 'offset')).toThrow(VkmapArgumentError);
    expect(() => toDeviceSize(value, 'offset')).toThrow(message);
    expect(() => toDeviceSize(value, 'offset')).toThrow(/^offset: /);
  });
});

describe('atomRange', () => {
  it('rounds the start down and the end up to the atom, clamped to the limit', () => {
    expect(atomRange(17n, 31n, 64n, 1000n)).toEqual({ offset: 0n, size: 64n });
    expect(atomRange(100n, 900n, 64n, 1000n)).toEqual({ offset: 64n, size: 936n });
    expect(atomRange(64n, VK_WHOLE_SIZE, 64n, 1000n)).toEqual({ offset: 64n, size: 936n });
    expect(atomRange(64n, 0n, 64n, 1000n)).toEqual({ offset: 64n, size: 0n });
  });
});
