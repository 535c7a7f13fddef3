// Scalar semantics shared by compiled kernels and by the evaluation of specialization-constant operations.
// Values: signed 32-bit integers as int32 numbers, unsigned as uint32 numbers, floats as float32-exact numbers,
// booleans as booleans. Where SPIR-V leaves a result undefined, these functions pick the value documented in
// the README (chosen to match lavapipe on x86-64 where its behaviour is known).

const scratch = new ArrayBuffer(4);
const scratchF32 = new Float32Array(scratch);
const scratchU32 = new Uint32Array(scratch);
const scratchI32 = new Int32Array(scratch);

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('@vkmap/spirv needs a little-endian host (SPIR-V buffer layouts are little-endian)');
}

export const fround = Math.fround;

/** The bits of a float32 as uint32 (NaN payloads are those the host's float conversion keeps). */
export function floatBits(value: number): number {
  scratchF32[0] = value;
  return scratchU32[0]!;
}

/** The bits of a float32 as int32. */
export function floatBitsSigned(value: number): number {
  scratchF32[0] = value;
  return scratchI32[0]!;
}

/** The float32 whose bits are `bits` (uint32 or int32). */
export function bitsFloat(bits: number): number {
  scratchU32[0] = bits;
  return scratchF32[0]!;
}

/** OpUDiv: division by zero gives 0xFFFFFFFF (as lavapipe). */
export function udiv(a: number, b: number): number {
  return b === 0 ? 0xffffffff : ((a >>> 0) / (b >>> 0)) >>> 0;
}

/** OpSDiv (truncating): division by zero gives 0; INT_MIN / -1 gives INT_MIN (as lavapipe). */
export function sdiv(a: number, b: number): number {
  return b === 0 ? 0 : ((a | 0) / (b | 0)) | 0;
}

/** OpUMod: modulo zero gives 0xFFFFFFFF (as lavapipe). */
export function umod(a: number, b: number): number {
  return b === 0 ? 0xffffffff : (a >>> 0) % (b >>> 0);
}

/** OpSRem: the sign of the result follows operand 1; remainder by zero gives -1. */
export function srem(a: number, b: number): number {
  return b === 0 ? -1 : ((a | 0) % (b | 0)) | 0;
}

/** OpSMod: the sign of the result follows operand 2; modulo zero gives -1. */
export function smod(a: number, b: number): number {
  if (b === 0) return -1;
  const r = ((a | 0) % (b | 0)) | 0;
  return r !== 0 && r < 0 !== (b | 0) < 0 ? (r + (b | 0)) | 0 : r;
}

/**
 * OpConvertFToS: truncation toward zero, saturating: NaN gives 0, values below -2^31 give INT_MIN, values at or
 * above 2^31 give INT_MAX (as lavapipe).
 */
export function f2s(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return x | 0;
}

/** OpConvertFToU: truncation toward zero, saturating: NaN and negative values give 0, values at or above 2^32 give 0xFFFFFFFF (as lavapipe). */
export function f2u(x: number): number {
  if (!(x > 0)) return 0;
  if (x >= 4294967295) return 4294967295;
  return x >>> 0;
}

/** OpBitCount. */
export function bitCount(v: number): number {
  let x = v >>> 0;
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** OpBitReverse (uint32 result). */
export function bitReverse(v: number): number {
  let x = v >>> 0;
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}

/** OpBitFieldInsert (uint32 result). Offset and count are taken modulo 32 as given; count 0 returns base. */
export function bitFieldInsert(base: number, insert: number, offset: number, count: number): number {
  if (count === 0) return base >>> 0;
  const mask = count >= 32 ? 0xffffffff : ((1 << count) - 1) << offset;
  return ((base & ~mask) | ((insert << offset) & mask)) >>> 0;
}

/** OpBitFieldUExtract (uint32 result). */
export function bitFieldUExtract(base: number, offset: number, count: number): number {
  if (count === 0) return 0;
  if (count >= 32) return base >>> 0;
  return ((base >>> offset) & ((1 << count) - 1)) >>> 0;
}

/** OpBitFieldSExtract (int32 result): the extracted field sign-extended from its top bit. */
export function bitFieldSExtract(base: number, offset: number, count: number): number {
  if (count === 0) return 0;
  if (count >= 32) return base | 0;
  const shift = 32 - count;
  return ((base >>> offset) << shift) >> shift;
}

/** FindILsb: index of the lowest set bit, -1 for 0. */
export function findLsb(v: number): number {
  const x = v | 0;
  return x === 0 ? -1 : 31 - Math.clz32(x & -x);
}

/** FindUMsb: index of the highest set bit, -1 for 0. */
export function findUMsb(v: number): number {
  return 31 - Math.clz32(v);
}

/** FindSMsb: for a negative value the highest 0 bit, otherwise the highest 1 bit; -1 for 0 and -1. */
export function findSMsb(v: number): number {
  const x = v | 0;
  return 31 - Math.clz32(x < 0 ? ~x : x);
}

/** OpFRem: a - b * trunc(a / b), each operation rounded to float32 (as lavapipe's lowering). */
export function frem(a: number, b: number): number {
  return fround(a - fround(b * Math.trunc(fround(a / b))));
}

/** OpFMod: a - b * floor(a / b), each operation rounded to float32 (as lavapipe's lowering). */
export function fmod(a: number, b: number): number {
  return fround(a - fround(b * Math.floor(fround(a / b))));
}

/** Round to nearest, ties to even (GLSL.std.450 RoundEven, and Round as lavapipe implements it). */
export function roundEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const below = Math.floor(x);
  const fraction = x - below;
  const r = fraction > 0.5 ? below + 1 : fraction < 0.5 ? below : below % 2 === 0 ? below : below + 1;
  // A zero result keeps the sign of x (-0.3 rounds to -0).
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** FMin: a NaN operand gives the other one; equal operands (+0 and -0) give the second (as lavapipe on x86). */
export function fmin(a: number, b: number): number {
  if (Number.isNaN(b)) return a;
  if (Number.isNaN(a)) return b;
  return a < b ? a : b;
}

/** FMax: a NaN operand gives the other one; equal operands (+0 and -0) give the second (as lavapipe on x86). */
export function fmax(a: number, b: number): number {
  if (Number.isNaN(b)) return a;
  if (Number.isNaN(a)) return b;
  return a > b ? a : b;
}

/** FSign: 1 or -1, and +0 for zeros and NaN (as lavapipe). */
export function fsign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** Float32 to IEEE half bits, rounding to nearest even; NaN becomes the quiet half NaN 0x7e00 with its sign (PackHalf2x16, QuantizeToF16). */
export function toHalfBits(value: number): number {
  const bits = floatBits(value);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | (mantissa !== 0 ? 0x7e00 : 0x7c00);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) !== 0)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) !== 0)) half++;
  return sign | half;
}

/** IEEE half bits to float; a NaN keeps its sign and payload (as lavapipe). */
export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f)
    return mantissa === 0 ? sign * Infinity : bitsFloat(((h & 0x8000) << 16) | 0x7f800000 | (mantissa << 13));
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** OpQuantizeToF16: the float rounded through half precision (denormal halves flush to zero as the spec allows). */
export function quantizeToF16(x: number): number {
  const h = toHalfBits(x);
  if ((h & 0x7c00) === 0) return h & 0x8000 ? -0 : 0;
  return fromHalfBits(h);
}

/** OpUMulExtended's high word. */
export function umulHigh(a: number, b: number): number {
  const a0 = a & 0xffff,
    a1 = a >>> 16,
    b0 = b & 0xffff,
    b1 = b >>> 16;
  const lo = a0 * b0;
  const mid1 = a1 * b0 + (lo >>> 16);
  const mid2 = a0 * b1 + (mid1 & 0xffff);
  return (a1 * b1 + Math.floor(mid1 / 65536) + Math.floor(mid2 / 65536)) >>> 0;
}

/** OpSMulExtended's high word (int32). */
export function smulHigh(a: number, b: number): number {
  let high = umulHigh(a >>> 0, b >>> 0) | 0;
  if ((a | 0) < 0) high = (high - (b | 0)) | 0;
  if ((b | 0) < 0) high = (high - (a | 0)) | 0;
  return high;
}

/** SmoothStep: t = clamp((x - e0) / (e1 - e0), 0, 1); t * (t * (3 - 2 * t)), each operation rounded to float32 (NIR's order). */
export function smoothStep(e0: number, e1: number, x: number): number {
  const t = fmin(fmax(fround(fround(x - e0) / fround(e1 - e0)), 0), 1);
  return fround(t * fround(t * fround(3 - fround(2 * t))));
}

/** PackUnorm4x8: round(clamp(c, 0, 1) * 255), ties to even. */
export function packUnorm(a: number, b: number, c: number, d: number): number {
  const q = (v: number) => roundEven(fround(fmin(fmax(v, 0), 1) * 255));
  return (q(a) | (q(b) << 8) | (q(c) << 16) | (q(d) << 24)) >>> 0;
}

/** PackSnorm4x8: round(clamp(c, -1, 1) * 127), ties to even. */
export function packSnorm(a: number, b: number, c: number, d: number): number {
  const q = (v: number) => roundEven(fround(fmin(fmax(v, -1), 1) * 127)) & 0xff;
  return (q(a) | (q(b) << 8) | (q(c) << 16) | (q(d) << 24)) >>> 0;
}

/** PackUnorm2x16. */
export function packUnorm16(a: number, b: number): number {
  const q = (v: number) => roundEven(fround(fmin(fmax(v, 0), 1) * 65535));
  return (q(a) | (q(b) << 16)) >>> 0;
}

/** PackSnorm2x16. */
export function packSnorm16(a: number, b: number): number {
  const q = (v: number) => roundEven(fround(fmin(fmax(v, -1), 1) * 32767)) & 0xffff;
  return (q(a) | (q(b) << 16)) >>> 0;
}

/**
 * GLSL.std.450 Normalize as lavapipe computes it: each component divided by the (float32) square root of the
 * dot product; a zero vector gives NaN.
 */
export function normalize(v: number[]): number[] {
  let dot = fround(v[0]! * v[0]!);
  for (let i = 1; i < v.length; i++) dot = fround(dot + fround(v[i]! * v[i]!));
  const length = fround(Math.sqrt(dot));
  return v.map((c) => fround(c / length));
}
