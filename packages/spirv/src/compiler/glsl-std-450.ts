// GLSL.std.450 extended instructions as JS expressions. Componentwise instructions give one expression per
// component from the components of their operands; the few that mix components (Length, Cross, ...) are
// written out. Every float result is rounded to float32; see the README for how each relates to lavapipe.
import { SpirvError } from '../errors.js';
import { GLSL_STD_450_NAMES } from '../grammar.js';

const F = (e: string) => `Math.fround(${e})`;

/** Operand components (JS expressions) and the signedness of integer operands. */
export interface ExtArgs {
  readonly args: readonly (readonly string[])[];
  /** Whether the result's scalar type is a signed integer, an unsigned integer, or neither. */
  readonly resultInt: 'signed' | 'unsigned' | undefined;
}

type Componentwise = (x: readonly string[], result: ExtArgs['resultInt']) => string;

const s = (e: string) => `(${e} | 0)`;
const u = (e: string) => `(${e} >>> 0)`;
const int = (e: string, result: ExtArgs['resultInt']) => (result === 'unsigned' ? `((${e}) >>> 0)` : `((${e}) | 0)`);

const COMPONENTWISE: Record<string, Componentwise> = {
  Round: ([x]) => `rt.roundEven(${x})`,
  RoundEven: ([x]) => `rt.roundEven(${x})`,
  Trunc: ([x]) => `Math.trunc(${x})`,
  FAbs: ([x]) => `Math.abs(${x})`,
  SAbs: ([x], r) => int(`Math.abs(${s(x!)})`, r),
  FSign: ([x]) => `rt.fsign(${x})`,
  SSign: ([x], r) => int(`(${s(x!)} > 0 ? 1 : ${s(x!)} < 0 ? -1 : 0)`, r),
  Floor: ([x]) => `Math.floor(${x})`,
  Ceil: ([x]) => `Math.ceil(${x})`,
  Fract: ([x]) => F(`${x} - Math.floor(${x})`),
  Radians: ([x]) => F(`${x} * ${Math.fround(Math.PI / 180)}`),
  Degrees: ([x]) => F(`${x} * ${Math.fround(180 / Math.PI)}`),
  Sin: ([x]) => F(`Math.sin(${x})`),
  Cos: ([x]) => F(`Math.cos(${x})`),
  Tan: ([x]) => F(`Math.tan(${x})`),
  Asin: ([x]) => F(`Math.asin(${x})`),
  Acos: ([x]) => F(`Math.acos(${x})`),
  Atan: ([x]) => F(`Math.atan(${x})`),
  Sinh: ([x]) => F(`Math.sinh(${x})`),
  Cosh: ([x]) => F(`Math.cosh(${x})`),
  Tanh: ([x]) => F(`Math.tanh(${x})`),
  Asinh: ([x]) => F(`Math.asinh(${x})`),
  Acosh: ([x]) => F(`Math.acosh(${x})`),
  Atanh: ([x]) => F(`Math.atanh(${x})`),
  Atan2: ([y, x]) => F(`Math.atan2(${y}, ${x})`),
  Pow: ([x, y]) => F(`Math.pow(${x}, ${y})`),
  Exp: ([x]) => F(`Math.exp(${x})`),
  Log: ([x]) => F(`Math.log(${x})`),
  Exp2: ([x]) => F(`Math.pow(2, ${x})`),
  Log2: ([x]) => F(`Math.log2(${x})`),
  Sqrt: ([x]) => F(`Math.sqrt(${x})`),
  InverseSqrt: ([x]) => F(`1 / ${F(`Math.sqrt(${x})`)}`),
  FMin: ([x, y]) => `rt.fmin(${x}, ${y})`,
  NMin: ([x, y]) => `rt.fmin(${x}, ${y})`,
  UMin: ([x, y], r) => int(`Math.min(${u(x!)}, ${u(y!)})`, r),
  SMin: ([x, y], r) => int(`Math.min(${s(x!)}, ${s(y!)})`, r),
  FMax: ([x, y]) => `rt.fmax(${x}, ${y})`,
  NMax: ([x, y]) => `rt.fmax(${x}, ${y})`,
  UMax: ([x, y], r) => int(`Math.max(${u(x!)}, ${u(y!)})`, r),
  SMax: ([x, y], r) => int(`Math.max(${s(x!)}, ${s(y!)})`, r),
  FClamp: ([x, lo, hi]) => `rt.fmin(rt.fmax(${x}, ${lo}), ${hi})`,
  NClamp: ([x, lo, hi]) => `rt.fmin(rt.fmax(${x}, ${lo}), ${hi})`,
  UClamp: ([x, lo, hi], r) => int(`Math.min(Math.max(${u(x!)}, ${u(lo!)}), ${u(hi!)})`, r),
  SClamp: ([x, lo, hi], r) => int(`Math.min(Math.max(${s(x!)}, ${s(lo!)}), ${s(hi!)})`, r),
  FMix: ([x, y, a]) => F(`${F(`${x} * ${F(`1 - ${a}`)}`)} + ${F(`${y} * ${a}`)}`),
  Step: ([edge, x]) => `(${x} < ${edge} ? 0 : 1)`,
  SmoothStep: ([e0, e1, x]) => `rt.smoothStep(${e0}, ${e1}, ${x})`,
  Fma: ([a, b, c]) => F(`${F(`${a} * ${b}`)} + ${c}`),
  Ldexp: ([x, e]) => F(`${x} * Math.pow(2, ${s(e!)})`),
  FindILsb: ([x], r) => int(`rt.findLsb(${x})`, r),
  FindSMsb: ([x], r) => int(`rt.findSMsb(${x})`, r),
  FindUMsb: ([x], r) => int(`rt.findUMsb(${x})`, r),
};

/** The GLSL.std.450 instructions compiled (componentwise and the others below). */
export const SUPPORTED_GLSL_STD_450: ReadonlySet<string> = new Set([
  ...Object.keys(COMPONENTWISE),
  'Length',
  'Distance',
  'Cross',
  'Normalize',
  'FaceForward',
  'Reflect',
  'PackHalf2x16',
  'UnpackHalf2x16',
  'PackUnorm4x8',
  'PackSnorm4x8',
  'UnpackUnorm4x8',
  'UnpackSnorm4x8',
  'PackUnorm2x16',
  'PackSnorm2x16',
  'UnpackUnorm2x16',
  'UnpackSnorm2x16',
]);

/** Left-to-right sum of products, each step rounded to float32 (the order lavapipe's lowering uses). */
export function dotExpression(a: readonly string[], b: readonly string[]): string {
  let sum = F(`${a[0]} * ${b[0]}`);
  for (let i = 1; i < a.length; i++) sum = F(`${sum} + ${F(`${a[i]} * ${b[i]}`)}`);
  return sum;
}

export function glslName(instruction: number): string {
  return GLSL_STD_450_NAMES.get(instruction) ?? `instruction ${instruction}`;
}

/**
 * The JS for one GLSL.std.450 instruction: `pre` statements (using temporaries named from `temp`) and one
 * expression per result component.
 */
export function glslStd450(
  instruction: number,
  input: ExtArgs,
  resultCount: number,
  temp: string,
): { pre: string[]; components: string[] } {
  const name = glslName(instruction);
  const { args } = input;
  const componentwise = COMPONENTWISE[name];
  if (componentwise) {
    const components: string[] = [];
    for (let c = 0; c < resultCount; c++)
      components.push(
        componentwise(
          args.map((a) => (a.length === 1 ? a[0]! : a[c]!)),
          input.resultInt,
        ),
      );
    return { pre: [], components };
  }
  const x = args[0]!;
  switch (name) {
    case 'Length':
      return { pre: [], components: [x.length === 1 ? `Math.abs(${x[0]})` : F(`Math.sqrt(${dotExpression(x, x)})`)] };
    case 'Distance': {
      const y = args[1]!;
      const pre = x.map((xi, i) => `const ${temp}_${i} = ${F(`${xi} - ${y[i]}`)};`);
      const d = x.map((_, i) => `${temp}_${i}`);
      return { pre, components: [d.length === 1 ? `Math.abs(${d[0]})` : F(`Math.sqrt(${dotExpression(d, d)})`)] };
    }
    case 'Cross': {
      const y = args[1]!;
      const c = (i: number, j: number) => F(`${F(`${x[i]} * ${y[j]}`)} - ${F(`${x[j]} * ${y[i]}`)}`);
      return { pre: [], components: [c(1, 2), c(2, 0), c(0, 1)] };
    }
    case 'Normalize': {
      if (x.length === 1) return { pre: [], components: [`rt.fsign(${x[0]})`] };
      const pre = [`const ${temp} = rt.normalize([${x.join(', ')}]);`];
      return { pre, components: x.map((_, k) => `${temp}[${k}]`) };
    }
    case 'FaceForward': {
      const [n, i, nref] = args as [string[], string[], string[]];
      const pre = [`const ${temp} = ${dotExpression(nref, i)} < 0;`];
      return { pre, components: n.map((ni) => `(${temp} ? ${ni} : -${ni})`) };
    }
    case 'Reflect': {
      const [i, n] = args as [string[], string[]];
      const pre = [`const ${temp} = ${F(`2 * ${dotExpression(n, i)}`)};`];
      return { pre, components: i.map((ii, k) => F(`${ii} - ${F(`${temp} * ${n[k]}`)}`)) };
    }
    case 'PackHalf2x16':
      return { pre: [], components: [`((rt.toHalfBits(${x[0]}) | (rt.toHalfBits(${x[1]}) << 16)) >>> 0)`] };
    case 'UnpackHalf2x16':
      return { pre: [], components: [`rt.fromHalfBits(${x[0]} & 0xffff)`, `rt.fromHalfBits(${x[0]} >>> 16)`] };
    case 'PackUnorm4x8':
      return { pre: [], components: [`rt.packUnorm(${x[0]}, ${x[1]}, ${x[2]}, ${x[3]})`] };
    case 'PackSnorm4x8':
      return { pre: [], components: [`rt.packSnorm(${x[0]}, ${x[1]}, ${x[2]}, ${x[3]})`] };
    case 'PackUnorm2x16':
      return { pre: [], components: [`rt.packUnorm16(${x[0]}, ${x[1]})`] };
    case 'PackSnorm2x16':
      return { pre: [], components: [`rt.packSnorm16(${x[0]}, ${x[1]})`] };
    case 'UnpackUnorm4x8':
      return { pre: [], components: [0, 1, 2, 3].map((k) => F(`((${x[0]} >>> ${8 * k}) & 0xff) / 255`)) };
    case 'UnpackSnorm4x8':
      return {
        pre: [],
        components: [0, 1, 2, 3].map((k) => `Math.max(-1, ${F(`(((${x[0]} << ${24 - 8 * k}) >> 24)) / 127`)})`),
      };
    case 'UnpackUnorm2x16':
      return { pre: [], components: [0, 1].map((k) => F(`((${x[0]} >>> ${16 * k}) & 0xffff) / 65535`)) };
    case 'UnpackSnorm2x16':
      return {
        pre: [],
        components: [0, 1].map((k) => `Math.max(-1, ${F(`(((${x[0]} << ${16 - 16 * k}) >> 16)) / 32767`)})`),
      };
    default:
      throw new SpirvError(`GLSL.std.450 ${name} is not supported`, { opcodeName: `GLSL.std.450 ${name}` });
  }
}
