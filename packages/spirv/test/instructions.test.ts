// One instruction at a time: each row runs one invocation computing `<instruction> a b ...` on raw operand
// words, and the result word is checked against the SPIR-V specification (and, where it leaves the result
// undefined, against the choice the README documents).
import { describe, expect, it } from 'vitest';
import { compileComputePipeline, parseModule } from '../src/index.js';
import { type Kind, operationModule } from './assembler.js';
import { bytesOf } from './helpers.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Float bits of x. */
const fb = (x: number) => {
  f32[0] = x;
  return u32[0]!;
};
const NAN = 0x7fc00000;
const INT_MIN = 0x80000000;

function run(
  instruction: string,
  kinds: readonly Kind[],
  result: Kind,
  rows: readonly (readonly number[])[],
): number[] {
  const kernel = compileComputePipeline(parseModule(operationModule(instruction, kinds, result)));
  const input = Uint32Array.from(rows.flat().map((v) => v >>> 0));
  const out = new Uint32Array(rows.length);
  kernel.dispatch({ groupCountX: rows.length, bindings: { '0.0': bytesOf(input), '0.1': bytesOf(out) } });
  return [...out];
}

type Case = readonly [
  instruction: string,
  kinds: readonly Kind[],
  result: Kind,
  rows: readonly (readonly number[])[],
  expected: readonly number[],
];

function cases(title: string, list: readonly Case[]) {
  describe(title, () => {
    it.each(list.map((c) => [c[0], c] as const))('%s', (_name, [instruction, kinds, result, rows, expected]) => {
      expect(run(instruction, kinds, result, rows).map((v) => `0x${v.toString(16)}`)).toEqual(
        expected.map((v) => `0x${(v >>> 0).toString(16)}`),
      );
    });
  });
}

const U = ['uint', 'uint'] as const;
const I = ['int', 'int'] as const;
const F = ['float', 'float'] as const;

cases('integer arithmetic (wrap-around; division by zero as documented)', [
  [
    'OpIAdd $T',
    U,
    'uint',
    [
      [0xffffffff, 1],
      [2, 3],
    ],
    [0, 5],
  ],
  ['OpIAdd $T', I, 'int', [[0x7fffffff, 1]], [INT_MIN]],
  ['OpISub $T', U, 'uint', [[0, 1]], [0xffffffff]],
  [
    'OpIMul $T',
    U,
    'uint',
    [
      [0x10000, 0x10000],
      [0xffffffff, 0xffffffff],
      [3, 5],
    ],
    [0, 1, 15],
  ],
  [
    'OpUDiv $T',
    U,
    'uint',
    [
      [7, 2],
      [7, 0],
      [0xffffffff, 2],
    ],
    [3, 0xffffffff, 0x7fffffff],
  ],
  [
    'OpSDiv $T',
    I,
    'int',
    [
      [-7, 2],
      [7, -2],
      [7, 0],
      [INT_MIN, -1],
    ],
    [-3, -3, 0, INT_MIN],
  ],
  ['OpSDiv $T', U, 'uint', [[-7, 2]], [-3]],
  [
    'OpUMod $T',
    U,
    'uint',
    [
      [7, 3],
      [7, 0],
      [0xffffffff, 10],
    ],
    [1, 0xffffffff, 5],
  ],
  [
    'OpSRem $T',
    I,
    'int',
    [
      [-7, 2],
      [7, -2],
      [-7, -2],
      [7, 0],
      [INT_MIN, -1],
    ],
    [-1, 1, -1, -1, 0],
  ],
  [
    'OpSMod $T',
    I,
    'int',
    [
      [-7, 2],
      [7, -2],
      [-7, -2],
      [6, -3],
      [7, 0],
      [INT_MIN, -1],
    ],
    [1, -1, -1, 0, -1, 0],
  ],
  ['OpSNegate $T', ['int'], 'int', [[5], [INT_MIN]], [-5, INT_MIN]],
]);

cases('shifts (the shift count is taken modulo 32) and bit operations', [
  [
    'OpShiftLeftLogical $T',
    U,
    'uint',
    [
      [1, 31],
      [1, 33],
      [3, 32],
    ],
    [0x80000000, 2, 3],
  ],
  [
    'OpShiftRightLogical $T',
    U,
    'uint',
    [
      [0x80000000, 31],
      [0x80000000, 32],
    ],
    [1, 0x80000000],
  ],
  [
    'OpShiftRightArithmetic $T',
    I,
    'int',
    [
      [INT_MIN, 31],
      [-16, 2],
    ],
    [-1, -4],
  ],
  ['OpShiftRightArithmetic $T', U, 'uint', [[0x80000000, 4]], [0xf8000000]],
  ['OpBitwiseAnd $T', U, 'uint', [[0xf0f0, 0xff00]], [0xf000]],
  ['OpBitwiseOr $T', U, 'uint', [[0xf0f0, 0xff00]], [0xfff0]],
  ['OpBitwiseXor $T', U, 'uint', [[0xf0f0, 0xff00]], [0x0ff0]],
  ['OpNot $T', ['uint'], 'uint', [[0], [0xffff0000]], [0xffffffff, 0xffff]],
  ['OpBitCount $T', ['uint'], 'uint', [[0xffffffff], [0], [0x80000001]], [32, 0, 2]],
  ['OpBitReverse $T', ['uint'], 'uint', [[1], [0xf0]], [0x80000000, 0x0f000000]],
  [
    'OpBitFieldInsert $T',
    ['uint', 'uint', 'uint', 'uint'],
    'uint',
    [
      [0xffffffff, 0, 4, 8],
      [0, 0xff, 28, 4],
    ],
    [0xfffff00f, 0xf0000000],
  ],
  [
    'OpBitFieldUExtract $T',
    ['uint', 'uint', 'uint'],
    'uint',
    [
      [0xabcd1234, 8, 8],
      [0xabcd1234, 0, 0],
    ],
    [0x12, 0],
  ],
  [
    'OpBitFieldSExtract $T',
    ['int', 'uint', 'uint'],
    'int',
    [
      [0xf00, 8, 4],
      [0x700, 8, 4],
    ],
    [-1, 7],
  ],
]);

cases('comparisons and logical operations', [
  [
    'OpULessThan $T',
    U,
    'bool',
    [
      [1, 0x80000000],
      [0x80000000, 1],
    ],
    [1, 0],
  ],
  [
    'OpSLessThan $T',
    U,
    'bool',
    [
      [1, 0x80000000],
      [0x80000000, 1],
    ],
    [0, 1],
  ],
  [
    'OpUGreaterThanEqual $T',
    U,
    'bool',
    [
      [5, 5],
      [4, 5],
    ],
    [1, 0],
  ],
  ['OpSGreaterThan $T', I, 'bool', [[-1, -2]], [1]],
  [
    'OpIEqual $T',
    ['int', 'uint'],
    'bool',
    [
      [-1, 0xffffffff],
      [1, 2],
    ],
    [1, 0],
  ],
  ['OpINotEqual $T', U, 'bool', [[1, 2]], [1]],
  [
    'OpFOrdLessThan $T',
    F,
    'bool',
    [
      [fb(1), fb(2)],
      [NAN, fb(2)],
    ],
    [1, 0],
  ],
  [
    'OpFUnordLessThan $T',
    F,
    'bool',
    [
      [fb(1), fb(2)],
      [NAN, fb(2)],
      [fb(3), fb(2)],
    ],
    [1, 1, 0],
  ],
  [
    'OpFOrdEqual $T',
    F,
    'bool',
    [
      [fb(-0), fb(0)],
      [NAN, NAN],
    ],
    [1, 0],
  ],
  [
    'OpFUnordEqual $T',
    F,
    'bool',
    [
      [NAN, fb(1)],
      [fb(1), fb(2)],
    ],
    [1, 0],
  ],
  [
    'OpFOrdNotEqual $T',
    F,
    'bool',
    [
      [NAN, fb(1)],
      [fb(1), fb(2)],
    ],
    [0, 1],
  ],
  [
    'OpFUnordNotEqual $T',
    F,
    'bool',
    [
      [NAN, fb(1)],
      [fb(1), fb(1)],
    ],
    [1, 0],
  ],
  [
    'OpFOrdGreaterThanEqual $T',
    F,
    'bool',
    [
      [fb(2), fb(2)],
      [NAN, fb(2)],
    ],
    [1, 0],
  ],
  [
    'OpFUnordGreaterThan $T',
    F,
    'bool',
    [
      [NAN, fb(2)],
      [fb(1), fb(2)],
    ],
    [1, 0],
  ],
  ['OpIsNan $T', ['float'], 'bool', [[NAN], [fb(1)], [0x7f800000]], [1, 0, 0]],
  ['OpIsInf $T', ['float'], 'bool', [[0x7f800000], [0xff800000], [NAN]], [1, 1, 0]],
  [
    'OpLogicalAnd $T',
    ['bool', 'bool'],
    'bool',
    [
      [1, 1],
      [1, 0],
    ],
    [1, 0],
  ],
  [
    'OpLogicalOr $T',
    ['bool', 'bool'],
    'bool',
    [
      [0, 0],
      [1, 0],
    ],
    [0, 1],
  ],
  [
    'OpLogicalEqual $T',
    ['bool', 'bool'],
    'bool',
    [
      [0, 0],
      [1, 0],
    ],
    [1, 0],
  ],
  [
    'OpLogicalNotEqual $T',
    ['bool', 'bool'],
    'bool',
    [
      [0, 0],
      [1, 0],
    ],
    [0, 1],
  ],
  ['OpLogicalNot $T', ['bool'], 'bool', [[0], [1]], [1, 0]],
  [
    'OpSelect $T',
    ['bool', 'uint', 'uint'],
    'uint',
    [
      [1, 10, 20],
      [0, 10, 20],
    ],
    [10, 20],
  ],
]);

cases('conversions (out-of-range float to integer saturates; NaN gives 0)', [
  [
    'OpConvertFToS $T',
    ['float'],
    'int',
    [[fb(-1.5)], [fb(2.99)], [fb(3e9)], [fb(-3e9)], [NAN]],
    [-1, 2, 0x7fffffff, INT_MIN, 0],
  ],
  [
    'OpConvertFToU $T',
    ['float'],
    'uint',
    [[fb(1.5)], [fb(-1)], [fb(5e9)], [NAN], [fb(3e9)]],
    [1, 0, 0xffffffff, 0, 3e9],
  ],
  ['OpConvertSToF $T', ['int'], 'float', [[-3], [INT_MIN]], [fb(-3), fb(-2147483648)]],
  [
    'OpConvertUToF $T',
    ['uint'],
    'float',
    [[0xffffffff], [16777217], [16777219]],
    [fb(4294967296), fb(16777216), fb(16777220)],
  ],
  ['OpBitcast $T', ['float'], 'uint', [[fb(1.5)], [NAN]], [fb(1.5), NAN]],
  ['OpSConvert $T', ['int'], 'int', [[-5]], [-5]],
  ['OpUConvert $T', ['uint'], 'uint', [[0xffffffff]], [0xffffffff]],
  [
    'OpQuantizeToF16 $T',
    ['float'],
    'float',
    [[fb(1 + 2 ** -11)], [fb(1 + 3 * 2 ** -11)], [fb(70000)], [fb(1e-6)]],
    [fb(1), fb(1 + 2 ** -9), 0x7f800000, 0],
  ],
]);

const ff = Math.fround;
cases('float arithmetic (rounded to float32 after every operation, never fused)', [
  [
    'OpFAdd $T',
    F,
    'float',
    [
      [fb(16777216), fb(1)],
      [fb(0.1), fb(0.2)],
    ],
    [fb(16777216), fb(ff(ff(0.1) + ff(0.2)))],
  ],
  ['OpFSub $T', F, 'float', [[fb(1), fb(1)]], [0]],
  [
    'OpFMul $T',
    F,
    'float',
    [
      [fb(0.1), fb(10)],
      [fb(1e30), fb(1e30)],
    ],
    [fb(ff(ff(0.1) * 10)), 0x7f800000],
  ],
  [
    'OpFDiv $T',
    F,
    'float',
    [
      [fb(1), fb(3)],
      [fb(1), fb(0)],
      [fb(-1), fb(0)],
    ],
    [fb(ff(1 / 3)), 0x7f800000, 0xff800000],
  ],
  ['OpFNegate $T', ['float'], 'float', [[0], [fb(2)]], [0x80000000, fb(-2)]],
  [
    'OpFRem $T',
    F,
    'float',
    [
      [fb(-7), fb(2)],
      [fb(7), fb(-2)],
    ],
    [fb(-1), fb(1)],
  ],
  [
    'OpFMod $T',
    F,
    'float',
    [
      [fb(-7), fb(2)],
      [fb(7), fb(-2)],
      [fb(5.5), fb(2)],
    ],
    [fb(1), fb(-1), fb(1.5)],
  ],
]);

const glsl = (name: string) => `OpExtInst $T %glsl ${name}`;
cases('GLSL.std.450', [
  [
    glsl('FMin'),
    F,
    'float',
    [
      [NAN, fb(1)],
      [fb(1), NAN],
      [fb(2), fb(1)],
      [0, 0x80000000],
    ],
    [fb(1), fb(1), fb(1), 0x80000000],
  ],
  [
    glsl('FMax'),
    F,
    'float',
    [
      [NAN, fb(1)],
      [fb(2), fb(1)],
      [0x80000000, 0],
    ],
    [fb(1), fb(2), 0],
  ],
  [
    glsl('FClamp'),
    ['float', 'float', 'float'],
    'float',
    [
      [fb(5), fb(0), fb(1)],
      [fb(-5), fb(0), fb(1)],
    ],
    [fb(1), fb(0)],
  ],
  [glsl('UMin'), U, 'uint', [[0xffffffff, 1]], [1]],
  [glsl('SMin'), I, 'int', [[0xffffffff, 1]], [-1]],
  [glsl('UMax'), U, 'uint', [[0xffffffff, 1]], [0xffffffff]],
  [glsl('SMax'), I, 'int', [[0xffffffff, 1]], [1]],
  [glsl('SClamp'), ['int', 'int', 'int'], 'int', [[-50, -10, 10]], [-10]],
  [glsl('UClamp'), ['uint', 'uint', 'uint'], 'uint', [[0xfffffff0, 10, 20]], [20]],
  [glsl('Fma'), ['float', 'float', 'float'], 'float', [[fb(0.1), fb(10), fb(-1)]], [fb(ff(ff(ff(0.1) * 10) - 1))]],
  [glsl('RoundEven'), ['float'], 'float', [[fb(2.5)], [fb(3.5)], [fb(-0.5)]], [fb(2), fb(4), 0x80000000]],
  [glsl('Round'), ['float'], 'float', [[fb(2.5)], [fb(-2.5)], [fb(2.6)]], [fb(2), fb(-2), fb(3)]],
  [glsl('Trunc'), ['float'], 'float', [[fb(-2.5)]], [fb(-2)]],
  [glsl('Floor'), ['float'], 'float', [[fb(-0.5)]], [fb(-1)]],
  [glsl('Ceil'), ['float'], 'float', [[fb(-0.5)]], [0x80000000]],
  [glsl('Fract'), ['float'], 'float', [[fb(-0.25)], [fb(1.75)]], [fb(0.75), fb(0.75)]],
  [glsl('FAbs'), ['float'], 'float', [[fb(-2)]], [fb(2)]],
  [glsl('SAbs'), ['int'], 'int', [[-5], [INT_MIN]], [5, INT_MIN]],
  [glsl('FSign'), ['float'], 'float', [[fb(-3)], [0x80000000], [NAN]], [fb(-1), 0, 0]],
  [glsl('SSign'), ['int'], 'int', [[-3], [0], [9]], [-1, 0, 1]],
  [glsl('Sqrt'), ['float'], 'float', [[fb(2)], [fb(-1)]], [fb(Math.SQRT2), 0xffc00000]],
  [glsl('InverseSqrt'), ['float'], 'float', [[fb(4)]], [fb(0.5)]],
  [
    glsl('Step'),
    F,
    'float',
    [
      [fb(1), fb(0.5)],
      [fb(1), fb(1)],
    ],
    [0, fb(1)],
  ],
  [glsl('FMix'), ['float', 'float', 'float'], 'float', [[fb(0), fb(10), fb(0.25)]], [fb(2.5)]],
  [glsl('FindILsb'), ['uint'], 'int', [[8], [0]], [3, -1]],
  [glsl('FindUMsb'), ['uint'], 'int', [[0x80000000], [0]], [31, -1]],
  [glsl('FindSMsb'), ['int'], 'int', [[-1], [-2], [5]], [-1, 0, 2]],
  [glsl('Ldexp'), ['float', 'int'], 'float', [[fb(3), 4]], [fb(48)]],
  [glsl('Length'), ['float'], 'float', [[fb(-3)]], [fb(3)]],
  [glsl('Pow'), F, 'float', [[fb(2), fb(10)]], [fb(1024)]],
]);
