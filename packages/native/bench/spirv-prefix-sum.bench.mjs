#!/usr/bin/env node
// Side by side in one run: a 1 Mi-element u32 inclusive prefix sum (the corpus's multi-pass scan from
// @vkmap/spirv/corpus: scan_workgroup.spv, 256-wide workgroups with barriers and workgroup memory, recursively
// over the workgroup totals, then scan_add.spv; 5 dispatches for 2^20 elements) on
//   - the native device (lavapipe in CI; the llvmpipe device where the loader finds one, else the first),
//   - the emulated GPU (@vkmap/emulated, 'lavapipe' profile), which runs the same .spv through @vkmap/spirv,
// through the same public API code (bench/corpus-device.mjs: persistent mappings, one command buffer with
// barriers, a fence), in both compiled forms (glslang, spirv-opt -O). Timed: queueSubmit + waitForFences, that
// is the dispatches, not the upload or the readback; the median of --runs runs after one warm-up run. Every
// run's result is checked against the CPU. Also timed: the executor alone (@vkmap/spirv's kernels over plain
// bytes, no device), to show what the emulated device adds. Prints each time and the ratio emulated / native
// against the target (10x). Runs the built packages (dist/): `pnpm bench` builds first.
//
//   node bench/spirv-prefix-sum.bench.mjs [--elements N] [--runs N] [--json] [--quick]
//
// --quick: 64 Ki elements, 1 run: a smoke run (test/bench.test.ts) whose numbers mean nothing and which never
// fails on the ratio. Without --quick the exit code is 1 when emulated is slower than 10x native. Where the
// native backend cannot load, the native side and the ratio are reported as unavailable, with the reason.
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEmulatedInstance } from '@vkmap/emulated';
import { createNativeInstance, isNativeAvailable } from '@vkmap/native';
import { CorpusKernels, copyBuffers, prefixSumPlan, prefixSumReference } from '@vkmap/spirv/corpus';
import { CorpusDevice } from './corpus-device.mjs';

export const TARGET_RATIO = 10;
const FORMS = [
  ['glslang', 'scan_workgroup.spv'],
  ['spirv-opt -O', 'scan_workgroup.opt.spv'],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function input(elements) {
  const data = new Uint32Array(elements);
  let seed = 12345;
  for (let i = 0; i < elements; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    data[i] = seed >>> 8;
  }
  return data;
}

function check(label, bytes, expected) {
  if (!Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(expected))
    throw new Error(`${label}: the prefix sum is wrong`);
}

/** Times `runs` submissions (after one warm-up) of the plan's command buffer on `corpus`; ms per run. */
function timeDevice(label, corpus, plan, caseFile, expected, runs) {
  const run = { buffers: plan.buffers, dispatches: plan.dispatches, outputs: {} };
  const prepareStart = performance.now();
  const prepared = corpus.prepare(run, caseFile);
  const prepareMs = performance.now() - prepareStart;
  const times = [];
  try {
    for (let i = 0; i <= runs; i++) {
      prepared.upload(plan.buffers);
      const start = performance.now();
      prepared.submit();
      const ms = performance.now() - start;
      if (i > 0) times.push(ms);
      check(label, prepared.read().data, expected);
    }
  } finally {
    prepared.destroy();
  }
  return { ms: median(times), runs: times, prepareMs };
}

/** The executor alone: the same dispatches on @vkmap/spirv kernels over plain bytes. */
function timeExecutor(label, plan, caseFile, expected, runs) {
  const kernels = new CorpusKernels();
  const compileStart = performance.now();
  for (const dispatch of plan.dispatches) kernels.kernel(dispatch, caseFile);
  const compileMs = performance.now() - compileStart;
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const buffers = copyBuffers(plan);
    const start = performance.now();
    for (const dispatch of plan.dispatches) kernels.dispatch(dispatch, caseFile, buffers);
    const ms = performance.now() - start;
    if (i > 0) times.push(ms);
    check(label, buffers.data, expected);
  }
  return { ms: median(times), runs: times, compileMs };
}

function openNative() {
  const availability = isNativeAvailable();
  if (!availability.available) return { reason: availability.reason ?? 'the native backend is unavailable' };
  const instance = createNativeInstance();
  const devices = instance.enumeratePhysicalDevices();
  const physical = devices.find((d) => /llvmpipe/i.test(d.getProperties().deviceName)) ?? devices[0];
  if (!physical) {
    instance.destroy();
    return { reason: 'the Vulkan loader finds no physical device' };
  }
  const device = physical.createDevice({});
  return { instance, device, name: physical.getProperties().deviceName, corpus: new CorpusDevice(physical, device) };
}

function openEmulated() {
  const instance = createEmulatedInstance({ profiles: ['lavapipe'] });
  const [physical] = instance.enumeratePhysicalDevices();
  const device = physical.createDevice({});
  return { instance, device, name: `emulated ${physical.profile.id}`, corpus: new CorpusDevice(physical, device) };
}

function close(side) {
  if (!side.instance) return;
  side.corpus.destroy();
  side.device.destroy();
  side.instance.destroy();
}

/**
 * Runs the benchmark: per compiled form, ms per prefix sum (median) on the native device, the emulated device
 * and the executor alone, and the ratio emulated / native (null where native is unavailable).
 */
export function benchSpirvPrefixSum({ elements = 1 << 20, runs = 5 } = {}) {
  const data = input(elements);
  const plan = prefixSumPlan(data);
  const reference = prefixSumReference(data);
  const expected = Buffer.from(reference.buffer, reference.byteOffset, reference.byteLength);
  const native = openNative();
  const emulated = openEmulated();
  try {
    const forms = {};
    for (const [form, caseFile] of FORMS) {
      const nativeResult = native.corpus
        ? timeDevice(`${native.name}, ${form}`, native.corpus, plan, caseFile, expected, runs)
        : null;
      const emulatedResult = timeDevice(`${emulated.name}, ${form}`, emulated.corpus, plan, caseFile, expected, runs);
      const executor = timeExecutor(`executor, ${form}`, plan, caseFile, expected, runs);
      forms[form] = {
        native: nativeResult,
        emulated: emulatedResult,
        executor,
        ratio: nativeResult ? emulatedResult.ms / nativeResult.ms : null,
      };
    }
    return {
      elements,
      dispatches: plan.dispatches.length,
      runs,
      native: native.corpus ? { device: native.name } : { unavailable: native.reason },
      emulated: { device: emulated.name },
      targetRatio: TARGET_RATIO,
      forms,
    };
  } finally {
    close(native);
    close(emulated);
  }
}

function option(name) {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

function print(report) {
  const ms = (r) => `${r.ms.toFixed(1)} ms`;
  console.log(
    `u32 inclusive prefix sum, ${report.elements} elements (scan_workgroup + scan_add, ${report.dispatches} dispatches), ` +
      `submit + fence wait, median of ${report.runs}:`,
  );
  console.log(
    `  native:   ${report.native.device ?? `unavailable (${report.native.unavailable})`}\n  emulated: ${report.emulated.device}`,
  );
  for (const [form, r] of Object.entries(report.forms)) {
    const ratio =
      r.ratio === null
        ? 'ratio n/a (no native device)'
        : `ratio ${r.ratio.toFixed(2)}x (target <= ${report.targetRatio}x: ${r.ratio <= report.targetRatio ? 'met' : 'MISSED'})`;
    console.log(
      `  ${form.padEnd(13)} native ${r.native ? ms(r.native) : 'n/a'}, emulated ${ms(r.emulated)}, ` +
        `executor alone ${ms(r.executor)} (compile ${r.executor.compileMs.toFixed(1)} ms); ${ratio}`,
    );
  }
}

if (
  import.meta.url === pathToFileURL(process.argv[1] ?? '').href ||
  fileURLToPath(import.meta.url) === process.argv[1]
) {
  const quick = process.argv.includes('--quick');
  const elements = Number(option('--elements') ?? (quick ? 1 << 16 : 1 << 20));
  const runs = Number(option('--runs') ?? (quick ? 1 : 5));
  const report = benchSpirvPrefixSum({ elements, runs });
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ...report, quick }, null, 2));
  else print(report);
  const missed = Object.values(report.forms).some((r) => r.ratio !== null && r.ratio > TARGET_RATIO);
  if (missed && !quick) process.exitCode = 1;
}
