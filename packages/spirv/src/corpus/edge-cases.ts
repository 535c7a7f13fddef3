// Inputs and result columns of shaders/edge_cases.comp, which probes what SPIR-V leaves undefined or
// implementation-defined: one invocation per (a, b) pair of raw bits writes one result per column. Shared by the
// corpus (the run on every backend) and the golden test (lavapipe's recorded results). The executor matches
// lavapipe on every column except the departures its README documents.
import { bitsFloat as float, smod, srem } from '../scalar.js';

export const COLUMNS = [
  'udiv',
  'sdiv',
  'umod',
  'smod',
  'shl',
  'shr',
  'sar',
  'f2u',
  'f2s',
  'fmin',
  'fmax',
  'round',
  'fract',
  'fdiv',
  'sqrt',
  'fmul',
  'inversesqrt',
  'exp',
  'sin',
  'fsub',
  'clamp',
  'sign',
  'floor',
  'fmod',
  'u2f',
  's2f',
  'bitfieldExtract',
  'findMSB',
  'fma',
  'pow',
  'log2',
  'mix',
  'packHalf2x16',
  'unpackHalf2x16',
  'smoothstep',
  'length',
  'normalize',
  'fadd',
  'roundEven',
  'trunc',
] as const;

/** Columns holding float bits: any NaN there is compared as 0x7fc00000 (NaN payloads and signs are not portable). */
export const FLOAT_COLUMNS: ReadonlySet<number> = new Set([
  9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 29, 30, 31, 33, 34, 35, 36, 37, 38, 39,
]);

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bits = (x: number) => {
  f32[0] = x;
  return u32[0]!;
};

export const SPECIALS = [
  0,
  1,
  2,
  3,
  0x80000000,
  0xffffffff,
  0x7fffffff,
  31,
  32,
  33,
  100,
  0xfffffff9,
  bits(0.5),
  bits(1.5),
  bits(2.5),
  bits(-0.5),
  bits(-1.5),
  bits(-2.5),
  0x7fc00000,
  0xffc00000,
  0x7f800000,
  0xff800000,
  bits(1e10),
  bits(-1e10),
  bits(4294967296),
  bits(3e9),
  bits(-3e9),
  bits(2147483648),
  bits(-2147483648),
  bits(-2147483904),
  0x00000001,
  0x00400000,
  bits(-1),
  bits(-0.25),
  bits(7.75),
  bits(65504),
  bits(70000),
  bits(1e-5),
  bits(-3.3),
];

/** Every pair of specials, then 400 pseudo-random pairs. */
export function edgeInputs(): Uint32Array {
  const pairs: number[] = [];
  for (const a of SPECIALS) for (const b of SPECIALS) pairs.push(a, b);
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < 400; i++) pairs.push(next(), next());
  return Uint32Array.from(pairs);
}

/** Which NaN comes out is not portable: in float columns every NaN bit pattern counts as the quiet NaN 0x7fc00000. */
function canonical(column: number, w: number): number {
  return FLOAT_COLUMNS.has(column) && (w & 0x7f800000) === 0x7f800000 && (w & 0x7fffff) !== 0 ? 0x7fc00000 : w;
}

/** One column of results, NaNs canonical in float columns, as bytes. */
export function column(results: Uint32Array, index: number): Uint8Array {
  const n = results.length / COLUMNS.length;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const w = results[i * COLUMNS.length + index]!;
    out[i] = canonical(index, w);
  }
  return new Uint8Array(out.buffer);
}

/**
 * Columns where the executor does not match lavapipe, on purpose (the README's table): `smod` (lavapipe computes
 * OpSMod like OpSRem when the operands' signs differ; the executor follows the specification) and the
 * transcendental functions (lavapipe uses its own approximations; the executor the host's Math, rounded).
 */
export const LAVAPIPE_DEPARTURES: ReadonlySet<(typeof COLUMNS)[number]> = new Set([
  'smod',
  'exp',
  'sin',
  'pow',
  'log2',
]);

const SMOD = COLUMNS.indexOf('smod');
const [EXP, SIN, POW, LOG2] = (['exp', 'sin', 'pow', 'log2'] as const).map((name) => COLUMNS.indexOf(name));

/** Float bits in one linear order (-0 and +0 both 0, denormals flushed to 0): the ulps between two are a difference. */
function linear(w: number): number {
  const magnitude = (w & 0x7f800000) === 0 ? 0 : w & 0x7fffffff;
  return w & 0x80000000 ? -magnitude : magnitude;
}

/** Inputs Vulkan sets no precision for: NaN, infinities, and denormals (which a device may flush to zero). */
const unbounded = (x: number) => !Number.isFinite(x) || (x !== 0 && Math.abs(x) < 2 ** -126);

/** One unit in the last place of float32 `v`. */
const ulp = (v: number) => 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v))), -126) - 23);

/**
 * Whether two results of a transcendental column agree within what Vulkan requires of each ("Precision and
 * Operation of SPIR-V Instructions": exp 3 + 2|x| ulp; log2 3 ulp, or 2^-21 absolute inside [0.5, 2]; pow as
 * exp2(y * log2(x)); sin 2^-11 absolute inside [-pi, pi]), with one more ulp for the executor's rounding of the
 * host's Math. Where Vulkan sets no precision (denormal, infinite or NaN inputs; sin outside [-pi, pi]; log2 of
 * a negative number; pow of x < 0, or of x = 0 with y <= 0) any two results agree. Denormal results count as
 * zero (a device may flush them).
 */
function withinPrecision(column: number, x: number, y: number, a: number, b: number): boolean {
  const ulps = Math.abs(linear(a) - linear(b));
  const nan = (w: number) => Number.isNaN(float(w));
  if (column === EXP) return unbounded(x) || (!nan(a) && !nan(b) && ulps <= 3 + 2 * Math.abs(x) + 1);
  if (column === SIN) {
    return unbounded(x) || Math.abs(x) > Math.PI || Math.abs(float(a) - float(b)) <= 2 ** -11;
  }
  if (column === LOG2) {
    if (unbounded(x) || x < 0) return true;
    if (x >= 0.5 && x <= 2) return Math.abs(float(a) - float(b)) <= 2 ** -21 + ulp(float(b));
    return ulps <= 3 + 1;
  }
  if (column === POW) {
    if (unbounded(x) || unbounded(y) || x < 0 || (x === 0 && y <= 0)) return true;
    if (x === 0) return ulps === 0;
    // exp2(t), t = y * log2(x): log2's error scaled by |y|, then exp2's own 3 + 2|t| ulps; as a relative error.
    const log = Math.log2(x);
    const logError = x >= 0.5 && x <= 2 ? 2 ** -21 : 3 * ulp(log);
    const t = y * log;
    const relative = Math.LN2 * (Math.abs(y) * logError + ulp(t)) + (3 + 2 * Math.abs(t) + 1) * 2 ** -23;
    return ulps <= Math.ceil(relative * 2 ** 24);
  }
  return false;
}

/**
 * Whether two backends' words of edge_cases' results agree: NaNs as one NaN in float columns; `smod` either
 * OpSMod's or OpSRem's result where the operands' signs differ; the transcendental columns within the precision
 * Vulkan requires (withinPrecision); every other word identical.
 */
export function edgeCaseWordsAgree(input: Uint32Array, index: number, a: number, b: number): boolean {
  const column = index % COLUMNS.length;
  const wa = canonical(column, a);
  const wb = canonical(column, b);
  if (wa === wb) return true;
  const row = (index - column) / COLUMNS.length;
  const ia = input[2 * row]!;
  const ib = input[2 * row + 1]!;
  if (column === SMOD) {
    const allowed = [smod(ia, ib) >>> 0, srem(ia, ib) >>> 0];
    return allowed.includes(wa) && allowed.includes(wb);
  }
  return withinPrecision(column, float(ia), float(ib), wa, wb);
}
