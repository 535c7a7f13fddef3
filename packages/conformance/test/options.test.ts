import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, parseSeeds, resolveOptions } from '../src/index.js';

describe('conformance options', () => {
  it('CI defaults: 2000 operations x 2 seeds', () => {
    expect(resolveOptions(undefined, {})).toMatchObject({ randomOps: 2000, seeds: [1, 2], validation: false });
  });

  it('options override defaults and the environment overrides options', () => {
    expect(resolveOptions({ randomOps: 10, seeds: [4] }, {})).toMatchObject({ randomOps: 10, seeds: [4] });
    expect(
      resolveOptions({ randomOps: 10 }, { VKMAP_CONFORMANCE_OPS: '50000', VKMAP_CONFORMANCE_SEEDS: '8x' }),
    ).toMatchObject({
      randomOps: 50000,
      seeds: [1, 2, 3, 4, 5, 6, 7, 8],
    });
    expect(resolveOptions({ randomOps: undefined }, {}).randomOps).toBe(DEFAULT_OPTIONS.randomOps);
  });

  it('parses seed lists and rejects bad values', () => {
    expect(parseSeeds('3, 17,42')).toEqual([3, 17, 42]);
    expect(parseSeeds('2x')).toEqual([1, 2]);
    expect(() => parseSeeds('a,b')).toThrow(/VKMAP_CONFORMANCE_SEEDS/);
    expect(() => resolveOptions({}, { VKMAP_CONFORMANCE_OPS: '-3' })).toThrow(/VKMAP_CONFORMANCE_OPS/);
  });
});
