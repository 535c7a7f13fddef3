#!/usr/bin/env node
// Times a 1 Mi-element u32 inclusive prefix sum (the corpus's multi-pass scan, src/corpus/scan.ts:
// scan_workgroup.spv with barriers and workgroup memory, then scan_add.spv) on the SPIR-V executor alone, from
// the package's build (dist/). The side-by-side run against lavapipe through the public API, on the native and
// the emulated device in one process, is @vkmap/native's bench/spirv-prefix-sum.bench.mjs (`pnpm bench` runs
// both).
//
//   node bench/prefix-sum.bench.mjs [--elements N] [--runs N] [--lavapipe-ms MS] [--json]
//
// --lavapipe-ms: lavapipe's time for the same .spv files on the same machine; the ratio executor / lavapipe is
// printed and checked against the target (10x). Importable: `benchPrefixSum({ elements, runs })` returns the
// timings.
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const TARGET_RATIO = 10;

async function load() {
  try {
    return await import('../dist/corpus/index.js');
  } catch (error) {
    throw new Error('build @vkmap/spirv first (pnpm build): the benchmark runs the built package', { cause: error });
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the benchmark; returns milliseconds per prefix sum (median) for the glslang and spirv-opt -O forms. */
export async function benchPrefixSum({ elements = 1 << 20, runs = 5 } = {}) {
  const corpus = await load();
  const input = new Uint32Array(elements);
  let seed = 12345;
  for (let i = 0; i < elements; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    input[i] = seed >>> 8;
  }
  const expected = corpus.prefixSumReference(input);
  const plan = corpus.prefixSumPlan(input);

  const results = {};
  for (const [label, caseFile] of [
    ['glslang', 'scan_workgroup.spv'],
    ['spirv-opt -O', 'scan_workgroup.opt.spv'],
  ]) {
    const kernels = new corpus.CorpusKernels();
    const compileStart = performance.now();
    for (const dispatch of plan.dispatches) kernels.kernel(dispatch, caseFile);
    const compileMs = performance.now() - compileStart;
    const times = [];
    for (let run = 0; run <= runs; run++) {
      const buffers = corpus.copyBuffers(plan);
      const start = performance.now();
      for (const dispatch of plan.dispatches) kernels.dispatch(dispatch, caseFile, buffers);
      const ms = performance.now() - start;
      if (run > 0) times.push(ms); // run 0 warms up the JIT
      if (!Buffer.from(buffers.data).equals(Buffer.from(expected.buffer)))
        throw new Error(`${label}: the prefix sum is wrong`);
    }
    results[label] = { ms: median(times), compileMs, runs: times };
  }
  return { elements, results };
}

function option(name) {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

if (
  import.meta.url === pathToFileURL(process.argv[1] ?? '').href ||
  fileURLToPath(import.meta.url) === process.argv[1]
) {
  const elements = Number(option('--elements') ?? 1 << 20);
  const runs = Number(option('--runs') ?? 5);
  const lavapipeMs = option('--lavapipe-ms') === undefined ? undefined : Number(option('--lavapipe-ms'));
  const report = await benchPrefixSum({ elements, runs });
  let failed = false;
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ ...report, lavapipeMs }, null, 2));
  } else {
    console.log(
      `u32 inclusive prefix sum, ${elements} elements (multi-pass: scan_workgroup + scan_add), median of ${runs}:`,
    );
    for (const [label, r] of Object.entries(report.results)) {
      const ratio =
        lavapipeMs === undefined
          ? ''
          : `  ${(r.ms / lavapipeMs).toFixed(2)}x lavapipe (${lavapipeMs} ms; target <= ${TARGET_RATIO}x)`;
      console.log(`  ${label.padEnd(13)} ${r.ms.toFixed(1)} ms (compile ${r.compileMs.toFixed(1)} ms)${ratio}`);
      if (lavapipeMs !== undefined && r.ms / lavapipeMs > TARGET_RATIO) failed = true;
    }
    if (lavapipeMs === undefined) console.log('  (pass --lavapipe-ms <ms> to compare with lavapipe on this machine)');
  }
  if (failed) process.exitCode = 1;
}
