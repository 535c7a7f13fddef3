// Deterministic inputs for the corpus and the tests: a seeded generator, typed arrays of random values, byte
// views, and blocks (push constants, uniform buffers) written field by field.

/** Mulberry32: a small deterministic generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random u32 values below `limit`. */
export function u32Random(n: number, seed: number, limit = 2 ** 32): Uint32Array {
  const next = random(seed);
  return Uint32Array.from({ length: n }, () => Math.floor(next() * limit) >>> 0);
}

/** `n` random floats in [-scale / 2, scale / 2). */
export function f32Random(n: number, seed: number, scale = 100): Float32Array {
  const next = random(seed);
  return Float32Array.from({ length: n }, () => (next() - 0.5) * scale);
}

/** The bytes a typed array views. */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** A block of `size` zeroed bytes with 32-bit fields written at their offsets (little-endian). */
export function block(
  size: number,
  fields: readonly (readonly [offset: number, kind: 'u32' | 'i32' | 'f32', value: number])[],
): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (const [offset, kind, value] of fields) {
    if (kind === 'f32') view.setFloat32(offset, value, true);
    else if (kind === 'i32') view.setInt32(offset, value, true);
    else view.setUint32(offset, value, true);
  }
  return bytes;
}
