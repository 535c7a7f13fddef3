/** The command line: flags, values, and the defaults the modes give. */
import { describe, expect, it } from 'vitest';
import { SIZES } from '../src/modes.js';
import { parseOptions, UsageError } from '../src/options.js';
import { median, ratio, summarize } from '../src/stats.js';

describe('parseOptions', () => {
  it('defaults to the full run on device 0, no JSON', () => {
    expect(parseOptions([])).toMatchObject({
      mode: 'full',
      deviceIndex: 0,
      type: undefined,
      json: undefined,
      rounds: SIZES.full.rounds,
    });
  });

  it('takes --json with or without a path; the SVG goes next to a JSON file', () => {
    expect(parseOptions(['--json'])).toMatchObject({ json: '-', svg: undefined });
    expect(parseOptions(['--json', '--quick'])).toMatchObject({ json: '-', mode: 'quick' });
    expect(parseOptions(['--json', 'out/r.json'])).toMatchObject({ json: 'out/r.json', svg: 'out/r.svg' });
    expect(parseOptions(['--json', 'r.json', '--svg', 'c.svg'])).toMatchObject({ svg: 'c.svg' });
  });

  it('reads --device, --type, --rounds, --smoke and passes --vma-header through', () => {
    expect(
      parseOptions(['--device', '1', '--type', '2', '--smoke', '--vma-header', '/x/vk_mem_alloc.h']),
    ).toMatchObject({
      deviceIndex: 1,
      type: 2,
      mode: 'smoke',
      rounds: SIZES.smoke.rounds,
      vmaHeader: '/x/vk_mem_alloc.h',
    });
    expect(parseOptions(['--rounds', '3']).rounds).toBe(3);
  });

  it('refuses unknown flags, missing values and both modes at once', () => {
    expect(() => parseOptions(['--fast'])).toThrow(UsageError);
    expect(() => parseOptions(['--device'])).toThrow(/--device needs a value/);
    expect(() => parseOptions(['--type', '-1'])).toThrow(UsageError);
    expect(() => parseOptions(['--quick', '--smoke'])).toThrow(/exclude/);
  });
});

describe('stats', () => {
  it('takes medians, minima and ratios of positive finite numbers only', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([5, 2, 9])).toEqual({ median: 5, min: 2, max: 9, rounds: 3 });
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(10, 0)).toBeNull();
    expect(ratio(undefined, 4)).toBeNull();
    expect(ratio(Number.NaN, 4)).toBeNull();
  });
});
