/**
 * The SPIR-V corpus (@vkmap/spirv/corpus: 13 GLSL shaders, each as glslang emits it and after spirv-opt -O, and
 * 2 WGSL shaders compiled by naga) through the public vkmap API on a real driver and on the emulated GPU, which
 * runs the same .spv through @vkmap/spirv: every shader, in each compiled form, on every problem size the corpus
 * lists and three seeds. Each run (bench/corpus-device.mjs) uses persistent mappings for the inputs and outputs
 * (flushed and invalidated where the memory is not HOST_COHERENT), descriptor sets made from the shader's
 * reflected bindings, push constants and specialization constants as the run sets them, one command buffer with
 * barriers between dispatches, and a fence wait. The final bytes of every buffer must be identical on
 * - the native device (lavapipe in CI: the llvmpipe device where the loader finds one, else the first),
 * - the emulated 'lavapipe' profile (HOST_COHERENT memory), and
 * - the emulated 'qualcomm-adreno-turnip' profile in its HOST_CACHED memory without HOST_COHERENT (so every flush
 *   and invalidate matters: the emulator shows stale bytes without them), with the validation layer stacked;
 * and every output must equal the corpus's CPU reference where it has one.
 *
 * Where lavapipe and the executor differ, as @vkmap/spirv's README documents ("Semantics where SPIR-V leaves a
 * choice"): OpSMod on operands of different signs (lavapipe computes OpSRem), the transcendental functions (the
 * host's Math rounded to float32, within an ulp or so of lavapipe's own approximations), and which NaN comes out.
 * The corpus avoids them everywhere except edge_cases, which probes exactly those cases: int_ops takes `%` only of
 * operands of one sign, and no other shader calls a transcendental function. edge_cases has no CPU reference (the
 * golden test in the spirv package pins its results to lavapipe's); here its words must be identical except as
 * `edgeCaseWordsAgree` allows: any NaN for a NaN in float columns, OpSMod's or OpSRem's result for smod on
 * operands of different signs, and at most TRANSCENDENTAL_ULPS between finite results of exp, sin, pow and log2.
 * Every other word of every shader, float arithmetic included (never contracted into fma: lavapipe lowers the
 * same way), is compared byte for byte. On another driver than lavapipe a float shader may legitimately differ
 * where that driver contracts a * b + c (SPIR-V allows it without NoContraction).
 *
 * Skipped, saying why, where the native backend cannot load (no Vulkan loader or device); with
 * VKMAP_REQUIRE_NATIVE=1 (CI) availability.test.ts fails instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device, Instance, PhysicalDevice } from '@vkmap/core';
import { createEmulatedInstance } from '@vkmap/emulated';
import { CORPUS, type CorpusOutput, type CorpusShader, corpusFiles } from '@vkmap/spirv/corpus';
import { CorpusDevice } from '../bench/corpus-device.mjs';
import { createNativeInstance } from '../src/index.js';
import { cappedApiVersion, skipNote, unavailable } from './helpers.js';

const SEEDS = [1, 2, 3];
/** The emulated profiles: lavapipe's own layout, and a mobile GPU whose cached memory is not HOST_COHERENT. */
const PROFILES = ['lavapipe', 'qualcomm-adreno-turnip'] as const;

interface Backend {
  readonly label: string;
  readonly device: Device;
  readonly corpus: CorpusDevice;
}

const words = (bytes: Uint8Array) => new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
const hex = (word: number | undefined) => (word === undefined ? 'nothing' : `0x${word.toString(16).padStart(8, '0')}`);

/** Why `actual` differs from `expected` (first differing word), or undefined where they agree. */
function difference(actual: Uint8Array, expected: Uint8Array, output?: CorpusOutput): string | undefined {
  if (actual.byteLength !== expected.byteLength) return `has ${actual.byteLength} bytes, not ${expected.byteLength}`;
  if (Buffer.from(actual).equals(Buffer.from(expected))) return undefined;
  const a = words(actual);
  const e = words(expected);
  const same = output?.sameWord ?? (() => false);
  const first = a.findIndex((w, i) => w !== e[i] && !same(i, w, e[i]!));
  return first < 0 ? undefined : `differs first at word ${first}: ${hex(a[first])}, not ${hex(e[first])}`;
}

function preferLavapipe(devices: readonly PhysicalDevice[]): PhysicalDevice {
  return devices.find((d) => /llvmpipe/i.test(d.getProperties().deviceName)) ?? devices[0]!;
}

describe.skipIf(unavailable)(`the SPIR-V corpus on lavapipe and on the emulated GPU, byte for byte${skipNote}`, () => {
  const instances: Instance[] = [];
  const backends: Backend[] = [];

  beforeAll(() => {
    const native = createNativeInstance({ apiVersion: cappedApiVersion });
    instances.push(native);
    const physical = preferLavapipe(native.enumeratePhysicalDevices());
    const nativeDevice = physical.createDevice({});
    backends.push({
      label: `native (${physical.getProperties().deviceName})`,
      device: nativeDevice,
      corpus: new CorpusDevice(physical, nativeDevice),
    });
    const emulated = createEmulatedInstance({ profiles: [...PROFILES] });
    instances.push(emulated);
    const [lavapipe, turnip] = emulated.enumeratePhysicalDevices();
    const lavapipeDevice = lavapipe!.createDevice({});
    backends.push({
      label: 'emulated lavapipe',
      device: lavapipeDevice,
      corpus: new CorpusDevice(lavapipe!, lavapipeDevice),
    });
    const turnipDevice = turnip!.createDevice({ validation: true });
    backends.push({
      label: 'emulated qualcomm-adreno-turnip (non-coherent memory, validated)',
      device: turnipDevice,
      corpus: new CorpusDevice(turnip!, turnipDevice, { preferNonCoherent: true }),
    });
  });

  afterAll(() => {
    for (const { corpus, device } of backends.splice(0)) {
      corpus.destroy();
      device.destroy();
    }
    for (const instance of instances.splice(0)) instance.destroy();
  });

  it('puts the buffers in HOST_COHERENT memory on lavapipe and in non-coherent memory on turnip', () => {
    const run = CORPUS.find((s) => s.name === 'saxpy')!.plan(100, 1);
    const coherence = backends.map(({ corpus }) => {
      const prepared = corpus.prepare(run, 'saxpy.spv');
      const { coherent } = prepared;
      prepared.destroy();
      return coherent;
    });
    expect(coherence).toEqual([true, true, false]);
  });

  const cases = (shader: CorpusShader) =>
    corpusFiles(shader).flatMap((file) => shader.sizes.map((size) => [file, size] as const));

  describe.each(CORPUS.map((shader) => [shader.name, shader] as const))('%s', (_name, shader) => {
    it.each(cases(shader))(
      '%s, size %i: every buffer identical on every backend, outputs equal to the CPU reference',
      (file, size) => {
        const problems: string[] = [];
        for (const seed of SEEDS) {
          const run = shader.plan(size, seed);
          const results = backends.map(({ corpus }) => corpus.run(run, file));
          const where = `${file} size ${size} seed ${seed}`;
          const [reference, ...others] = results;
          others.forEach((result, i) => {
            for (const name of Object.keys(run.buffers)) {
              const why = difference(result[name]!, reference![name]!, run.outputs[name]);
              if (why) problems.push(`${where}: ${name} on ${backends[i + 1]!.label} ${why} on ${backends[0]!.label}`);
            }
          });
          for (const [name, output] of Object.entries(run.outputs)) {
            if (!output.expected) continue;
            results.forEach((result, i) => {
              const why = difference(result[name]!, output.expected!);
              if (why) problems.push(`${where}: ${name} on ${backends[i]!.label} ${why} of the CPU reference`);
            });
          }
        }
        expect(problems).toEqual([]);
      },
      30_000,
    );
  });
});
