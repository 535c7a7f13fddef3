/** Byte patterns and comparisons that stay fast on megabyte views and say where they differ. */

const patternCache = new Map<number, Uint8Array>();

/**
 * `length` bytes of a deterministic pattern for `seed`, starting `start` bytes into it. Patterns of
 * different seeds differ at every byte (no two neighbouring seeds agree on any position), so a stale or
 * misplaced byte never passes by coincidence.
 */
export function pattern(seed: number, length: number, start = 0): Uint8Array {
  const needed = start + length;
  let cached = patternCache.get(seed);
  if (!cached || cached.length < needed) {
    const size = Math.max(needed, cached ? cached.length * 2 : 4096);
    cached = new Uint8Array(size);
    const base = (seed * 0x5b) & 0xff;
    for (let i = 0; i < size; i++) cached[i] = (base + i + (i >>> 8) * 3 + (i >>> 16) * 7) & 0xff;
    patternCache.set(seed, cached);
  }
  return cached.subarray(start, needed);
}

/** Index of the first byte where `actual` and `expected` differ (or their lengths do), else -1. */
export function firstDifference(actual: Uint8Array, expected: Uint8Array): number {
  const length = Math.min(actual.length, expected.length);
  for (let i = 0; i < length; i++) if (actual[i] !== expected[i]) return i;
  return actual.length === expected.length ? -1 : length;
}

/** Throws an Error naming `what` and the first differing byte, if the bytes differ. */
export function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string, baseOffset = 0): void {
  const at = firstDifference(actual, expected);
  if (at < 0) return;
  if (at >= actual.length || at >= expected.length) {
    throw new Error(`${what}: ${actual.length} bytes where ${expected.length} were expected`);
  }
  let count = 0;
  for (let i = at; i < Math.min(actual.length, expected.length); i++) if (actual[i] !== expected[i]) count++;
  throw new Error(
    `${what}: byte at offset ${baseOffset + at} is 0x${hex(actual[at]!)}, expected 0x${hex(expected[at]!)} ` +
      `(${count} of ${expected.length} bytes differ)`,
  );
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}
