// shaders/edge_cases.comp probes what SPIR-V leaves undefined (division by zero, shifts past the width,
// out-of-range conversions, NaN and signed-zero handling, ...). The executor picks lavapipe's behaviour for
// those cases; this test pins it to lavapipe's actual results, recorded once as SHA-256 prefixes of each
// result column. Recorded from lavapipe of Mesa 25.0.7 (LLVM 15.0.6, x86-64, 256-bit vectors) with a minimal
// Vulkan harness running the same .spv on the same inputs (src/corpus/edge-cases.ts). The native backend's
// corpus test (packages/native/test/spirv-corpus.test.ts) compares the same run with the live driver in CI. NaNs in float columns are
// compared as one canonical NaN: payloads and signs of NaN results are not portable.
//
// Columns that do not match lavapipe, on purpose (see the README): smod (lavapipe computes OpSMod as OpSRem
// when the operands' signs differ; the executor follows the SPIR-V specification) and the transcendental
// functions exp, sin, pow and log2 (lavapipe uses its own polynomial approximations).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileComputePipeline } from '../src/index.js';
import { COLUMNS, column, edgeInputs, LAVAPIPE_DEPARTURES } from '../src/corpus/edge-cases.js';
import { bytesOf, loadShader } from './helpers.js';

const LAVAPIPE: Record<(typeof COLUMNS)[number], string> = {
  udiv: 'abbb6850a801875f',
  sdiv: '08b15269a3ad43f6',
  umod: 'a399ce20789b7686',
  smod: '7a15831dd0cc5c60',
  shl: '08314a9985a7304a',
  shr: 'a07d986b966d3fb5',
  sar: '611a22b331676328',
  f2u: '61b2d2f195c83d0b',
  f2s: 'dcdb9ba0acaa667f',
  fmin: 'cd77ca6f52f034a2',
  fmax: '16e05a2ebbf20559',
  round: '2a04808808c25cd4',
  fract: '252e26b830a66679',
  fdiv: '011a6cc9aee1087d',
  sqrt: '1f33212c982981a9',
  fmul: '23b6a4be3cedc52c',
  inversesqrt: 'bf095dded5df1d54',
  exp: '858cfcbe4a309c11',
  sin: '7903756f6ca29c32',
  fsub: 'cdf1014fd0ceaa5b',
  clamp: '5e224aebd5067a82',
  sign: '8d4cde8ebc564b02',
  floor: 'bbd5ddd5c87c5efb',
  fmod: '95e8a859b52a6c3f',
  u2f: 'fef28700a94c07d9',
  s2f: '381b4893795cf750',
  bitfieldExtract: '83a859ba0ba9c07e',
  findMSB: '9df76c34d20bd85d',
  fma: 'b78e5b278f7014eb',
  pow: 'e63f3da57f2d1f7c',
  log2: '362ea319e73d3426',
  mix: '7547fe28520a639e',
  packHalf2x16: '5fc578c7f222c191',
  unpackHalf2x16: '3e0d3aee92de41c3',
  smoothstep: '054e1ea583c7b876',
  length: 'f90cb0ea49a0ae94',
  normalize: 'ef63b5bd7e09d23e',
  fadd: 'a78ef3b74e92f472',
  roundEven: '2a04808808c25cd4',
  trunc: 'c1d81479da114b0b',
};

const DIFFERENT_ON_PURPOSE: ReadonlySet<string> = LAVAPIPE_DEPARTURES;

describe.each(['edge_cases.spv', 'edge_cases.opt.spv'])('%s', (file) => {
  const input = edgeInputs();
  const n = input.length / 2;
  const results = new Uint32Array(n * COLUMNS.length);
  compileComputePipeline(loadShader(file)).dispatch({
    groupCountX: n,
    bindings: { '0.0': bytesOf(input), '0.1': bytesOf(results) },
  });
  const hash = (i: number) => createHash('sha256').update(column(results, i)).digest('hex').slice(0, 16);

  it.each(COLUMNS.map((name, i) => [name, i] as const).filter(([name]) => !DIFFERENT_ON_PURPOSE.has(name)))(
    '%s matches lavapipe',
    (name, i) => {
      expect(hash(i)).toBe(LAVAPIPE[name]);
    },
  );

  it.each([...DIFFERENT_ON_PURPOSE])('%s differs from lavapipe (documented)', (name) => {
    expect(hash(COLUMNS.indexOf(name as never))).not.toBe(LAVAPIPE[name as keyof typeof LAVAPIPE]);
  });
});
