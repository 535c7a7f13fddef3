// Every shader of the corpus (src/corpus, `@vkmap/spirv/corpus`), in each compiled form, on several sizes and
// seeds: the executor's outputs must equal the CPU reference byte for byte. (edge_cases has no CPU reference:
// lavapipe-golden.test.ts pins it to lavapipe's results; here it only has to run.)
import { describe, expect, it } from 'vitest';
import { CORPUS } from '../src/corpus/cases.js';
import { CorpusKernels } from '../src/corpus/execute.js';
import { corpusFiles } from '../src/corpus/plan.js';

const SEEDS = [1, 2, 3];
const kernels = new CorpusKernels();

describe.each(CORPUS.map((shader) => [shader.name, shader] as const))('%s', (_name, shader) => {
  it.each(corpusFiles(shader).flatMap((file) => shader.sizes.map((size) => [file, size] as const)))(
    '%s, size %i',
    (file, size) => {
      for (const seed of SEEDS) {
        const run = shader.plan(size, seed);
        const actual = kernels.run(run, file);
        for (const [name, { expected }] of Object.entries(run.outputs)) {
          if (!expected) continue;
          const a = actual[name]!;
          if (Buffer.from(a).equals(Buffer.from(expected))) continue;
          const words = (b: Uint8Array) => new Uint32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
          const first = words(a).findIndex((w, i) => w !== words(expected)[i]);
          expect.fail(
            `${file} size ${size} seed ${seed}: ${name} differs first at word ${first}: got 0x${words(a)[first]?.toString(16)}, expected 0x${words(expected)[first]?.toString(16)}`,
          );
        }
      }
    },
  );
});
