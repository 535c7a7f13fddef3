// Benchmark of the virtual block's TLSF (not a test): allocate and free cost per operation with 1k, 10k
// and 100k live allocations of random sizes (16 B to 1 MiB, alignment 16), and the fragmentation left
// behind. The stream of allocations and frees, and its replay, are in ./stream.mjs, shared with the side by
// side against VMA's own C++ TLSF virtual block (VmaVirtualBlock), which replays the very same stream:
//   node apps/bench/src/allocator/run.mjs --vma-header path/to/vk_mem_alloc.h
// (from the repository root; see apps/bench/src/allocator/index.mjs). This file measures vkmap alone.
//
// Run after the build: `node --expose-gc bench/virtual-block.bench.mjs` (pnpm bench does both).
//   BENCH_LIVE=1000,10000,100000  live allocation counts
//   BENCH_REPEATS=5               interleaved repetitions; the table shows the median of their medians
//   BENCH_BASELINE=path/to/dist   also measure another build of this package (an older commit's dist),
//                                 side by side in the same process, as "baseline block" / "baseline core"
//   --json                        machine-readable results
//   BENCH_PIN=0                   do not pin the process to one CPU (by default it re-runs itself under
//                                 `taskset -c 1` where taskset exists: on this shared 2-core machine an
//                                 unpinned run moves between cores and varies by 20 %, a pinned one by 2 %)
//
// Three APIs: "block" is the public virtual block with allocation objects (`block.allocate({ size,
// alignment })` / `block.free(allocation)`), "handle" the public virtual block with number handles
// (`block.allocateHandle(size, alignment)` + `block.offsetOf(handle)` / `block.free(handle)`, as VMA's
// VmaVirtualAllocation), "core" the bare `TlsfAlgorithm`. Every allocation also reads its offset.
// Two patterns (stream.mjs has the details):
//   steady  fill to N live, then rounds of: free K random live allocations (timed), allocate K new ones
//           (timed), K = N/8 capped at 2048, so the live count stays within 12.5 % of N; the median round.
//   fill    from empty, allocate N (timed), then free all N in random order (timed): the mean per op.
// Each measurement runs in its own copy of the benchmark code (fresh JIT feedback, so one API's object
// shapes do not make another's call sites polymorphic), after a warm-up, with gc() before it. GC work
// caused by the API itself (allocation objects) falls inside the timed rounds, as it does for users.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { DEFAULT_SEED, MAX_SIZE, MIN_SIZE, MiB, ALIGNMENT, makeStream, median, replayStream } from './stream.mjs';

if (process.env.BENCH_PIN !== '0' && process.env.BENCH_PINNED !== '1') {
  const pinned = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  // Without taskset (ENOENT) the benchmark runs unpinned below.
  if (!pinned.error) process.exit(pinned.status ?? 1);
}

const LIVE_COUNTS = (process.env.BENCH_LIVE ?? '1000,10000,100000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const json = process.argv.includes('--json');

const implementations = [{ label: '', module: await import('../dist/index.js') }];
if (process.env.BENCH_BASELINE) {
  const url = pathToFileURL(resolve(process.env.BENCH_BASELINE, 'index.js')).href;
  implementations.push({ label: 'baseline ', module: await import(url) });
}

const cases = [];
for (const { label, module } of implementations) {
  const apis = ['block', 'handle', 'core'].filter(
    (api) => api !== 'handle' || 'allocateHandle' in module.VirtualBlock.prototype,
  );
  for (const api of apis)
    for (const live of LIVE_COUNTS) cases.push({ name: `${label}${api}`, module, api, live, runs: [] });
}
const streams = new Map();
/** Each repetition replays a stream of its own seed, the same for every implementation and API. */
function streamOf(live, repeat) {
  const key = `${live}/${repeat}`;
  if (!streams.has(key)) streams.set(key, makeStream(live, DEFAULT_SEED + repeat));
  return streams.get(key);
}
for (let repeat = 0; repeat < REPEATS; repeat++) {
  // Alternate the order so that neither implementation always runs first (or last) in a repetition.
  const order = repeat % 2 === 0 ? cases : [...cases].reverse();
  for (const c of order) c.runs.push(replayStream(c.module, c.api, streamOf(c.live, repeat)));
}

const round1 = (value) => (value === undefined ? undefined : Math.round(value * 10) / 10);
const results = cases.map((c) => {
  const pick = (key) => median(c.runs.map((run) => run[key]));
  const steadyAllocateNs = pick('steadyAllocateNs');
  const steadyFreeNs = pick('steadyFreeNs');
  return {
    implementation: c.name,
    live: c.live,
    steadyAllocateNs: round1(steadyAllocateNs),
    steadyFreeNs: round1(steadyFreeNs),
    fillAllocateNs: round1(pick('fillAllocateNs')),
    drainFreeNs: round1(pick('drainFreeNs')),
    fragmentation: Math.round(pick('fragmentation') * 1000) / 1000,
    freeRanges: c.runs.at(-1).freeRanges,
    fill: Math.round(pick('fill') * 1000) / 1000,
  };
});

if (json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const cell = (value, width) => String(value ?? '-').padStart(width);
  console.log(
    `TLSF virtual block: random sizes ${MIN_SIZE} B to ${MAX_SIZE / MiB} MiB, alignment ${ALIGNMENT}, block twice the live bytes; ` +
      `median of ${REPEATS} repetitions (node ${process.version})`,
  );
  console.log(
    'ns per operation (vkmap alone; for VMA side by side: node apps/bench/src/allocator/run.mjs --vma-header <vk_mem_alloc.h>)',
  );
  console.log('');
  console.log('                         | steady (N live) |  fill 0->N  drain N->0 |');
  console.log('implementation   live   | alloc    free   |  alloc       free      | fragmentation  free ranges  fill');
  for (const r of results) {
    console.log(
      `${r.implementation.padEnd(16)} ${String(r.live).padStart(6)}   |` +
        `${cell(r.steadyAllocateNs, 6)} ${cell(r.steadyFreeNs, 7)}   |` +
        `${cell(r.fillAllocateNs, 7)} ${cell(r.drainFreeNs, 10)}      |` +
        `${cell(r.fragmentation, 14)} ${cell(r.freeRanges, 12)} ${cell(r.fill, 5)}`,
    );
  }
  console.log('');
  console.log(
    'fragmentation = 1 - largest free range / free bytes, after the steady rounds (0: all free space in one range)',
  );
}
