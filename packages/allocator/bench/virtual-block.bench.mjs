// Benchmark of the virtual block's TLSF (not a test): allocate and free cost per operation with 1k, 10k
// and 100k live allocations of random sizes (16 B to 1 MiB, alignment 16), the fragmentation left
// behind, and the ratio to VMA's own C++ TLSF virtual block measured on the same 2-core machine.
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
// Two patterns:
//   steady  fill to N live, then rounds of: free K random live allocations (timed), allocate K new ones
//           (timed), K = N/8 capped at 2048, so the live count stays within 12.5 % of N; the median round.
//   fill    from empty, allocate N (timed), then free all N in random order (timed): the mean per op.
// Each measurement runs in its own copy of the benchmark code (fresh JIT feedback, so one API's object
// shapes do not make another's call sites polymorphic), after a warm-up, with gc() before it. GC work
// caused by the API itself (allocation objects) falls inside the timed rounds, as it does for users.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

if (process.env.BENCH_PIN !== '0' && process.env.BENCH_PINNED !== '1') {
  const pinned = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  // Without taskset (ENOENT) the benchmark runs unpinned below.
  if (!pinned.error) process.exit(pinned.status ?? 1);
}

const MiB = 1024 * 1024;
const MIN_SIZE = 16;
const MAX_SIZE = MiB;
const ALIGNMENT = 16;
const LIVE_COUNTS = (process.env.BENCH_LIVE ?? '1000,10000,100000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const OPS_PER_MEASUREMENT = 1 << 17;
const json = process.argv.includes('--json');

/** VMA 3.x TLSF virtual block (C++, -O2) on this machine: ns per allocate / free. */
const VMA_REFERENCE = {
  1000: { allocate: 60, free: 40 },
  10000: { allocate: 60, free: 40 },
  100000: { allocate: 400, free: undefined },
};

const implementations = [{ label: '', module: await import('../dist/index.js') }];
if (process.env.BENCH_BASELINE) {
  const url = pathToFileURL(resolve(process.env.BENCH_BASELINE, 'index.js')).href;
  implementations.push({ label: 'baseline ', module: await import(url) });
}

/** xorshift32, so every run sees the same sizes and victims. */
function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function randomSizes(count, next) {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = MIN_SIZE + Math.floor(next() * (MAX_SIZE - MIN_SIZE + 1));
  return out;
}

/** Distinct random indices below `live`: a partial Fisher-Yates. */
function randomVictims(live, count, next) {
  const order = new Int32Array(live);
  for (let i = 0; i < live; i++) order[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (live - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order.subarray(0, count);
}

/** The timed loops, as source: each measurement compiles its own copy, so its call sites only ever see one API. */
function kernelSource(api) {
  // Each allocation also reads its offset (what a caller allocates for), as vmaVirtualAllocate returns it.
  const allocate = {
    block:
      'const a = block.allocate({ size: sizes[i], alignment: ALIGNMENT }); slots[indices[i]] = a; sum += a.offset;',
    handle: 'const h = block.allocateHandle(sizes[i], ALIGNMENT); slots[indices[i]] = h; sum += block.offsetOf(h);',
    core: 'const h = block.allocate(sizes[i], ALIGNMENT, false); if (h < 0) fail(); slots[indices[i]] = h; sum += block.offsetOf(h);',
  }[api];
  return `
    const ALIGNMENT = ${ALIGNMENT};
    const fail = () => { throw new Error('out of space'); };
    const now = () => process.hrtime.bigint();
    let checksum = 0;
    return {
      allocateInto(block, slots, indices, sizes, count) {
        let sum = 0;
        const start = now();
        for (let i = 0; i < count; i++) { ${allocate} }
        const ns = Number(now() - start);
        checksum += sum;
        return ns;
      },
      freeFrom(block, slots, indices, count) {
        const start = now();
        for (let i = 0; i < count; i++) block.free(slots[indices[i]]);
        return Number(now() - start);
      },
      get checksum() { return checksum; },
    };`;
}

function makeBlock(module, api, size) {
  return api === 'core' ? new module.TlsfAlgorithm(size) : module.createVirtualBlock({ size });
}

function fragmentationOf(block, api) {
  if (api !== 'core') {
    const stats = block.calculateStatistics();
    return { fragmentation: block.fragmentation(), freeRanges: stats.unusedRangeCount };
  }
  const free = block.freeBytes;
  return { fragmentation: free === 0 ? 0 : 1 - block.largestFreeRange() / free, freeRanges: block.freeRangeCount };
}

/** One measurement of one implementation, API and live count: both patterns. */
function measure(module, api, live, seed) {
  const kernel = new Function('process', kernelSource(api))(process);
  const next = random(seed ^ live);
  // Twice the expected bytes of the live set: the block is about half full in steady state.
  const blockSize = Math.ceil(live * ((MIN_SIZE + MAX_SIZE) / 2) * 2);
  const identity = Int32Array.from({ length: live }, (_, i) => i);

  // Warm-up on the same code, until the loops are optimized.
  {
    const warmLive = Math.min(live, 4096);
    const block = makeBlock(module, api, Math.ceil(warmLive * MAX_SIZE * 2));
    const slots = new Array(warmLive).fill(api === 'block' ? null : 0);
    for (let round = 0; round < 40; round++) {
      kernel.allocateInto(block, slots, identity, randomSizes(warmLive, next), warmLive);
      kernel.freeFrom(block, slots, randomVictims(warmLive, warmLive, next), warmLive);
    }
  }

  // fill: allocate N from empty, free N in random order.
  const block = makeBlock(module, api, blockSize);
  const slots = new Array(live).fill(api === 'block' ? null : 0);
  const initial = randomSizes(live, next);
  globalThis.gc?.();
  const fillNs = kernel.allocateInto(block, slots, identity, initial, live) / live;
  const drainOrder = randomVictims(live, live, next);
  const drainNs = kernel.freeFrom(block, slots, drainOrder, live) / live;

  // steady: fill again, then rounds of free K / allocate K.
  kernel.allocateInto(block, slots, identity, randomSizes(live, next), live);
  const batch = Math.max(1, Math.min(live >> 3, 2048));
  const rounds = Math.max(8, Math.floor(OPS_PER_MEASUREMENT / batch));
  const victims = [];
  const sizes = [];
  for (let round = 0; round < rounds; round++) {
    victims.push(randomVictims(live, batch, next).slice());
    sizes.push(randomSizes(batch, next));
  }
  const allocNs = new Float64Array(rounds);
  const freeNs = new Float64Array(rounds);
  globalThis.gc?.();
  for (let round = 0; round < rounds; round++) {
    freeNs[round] = kernel.freeFrom(block, slots, victims[round], batch) / batch;
    allocNs[round] = kernel.allocateInto(block, slots, victims[round], sizes[round], batch) / batch;
  }
  const { fragmentation, freeRanges } = fragmentationOf(block, api);
  return {
    steadyAllocateNs: median(allocNs),
    steadyFreeNs: median(freeNs),
    fillAllocateNs: fillNs,
    drainFreeNs: drainNs,
    fragmentation,
    freeRanges,
    fill: block.getStatistics
      ? Number(block.getStatistics().allocationBytes) / blockSize
      : block.allocatedBytes / blockSize,
  };
}

const cases = [];
for (const { label, module } of implementations) {
  const apis = ['block', 'handle', 'core'].filter(
    (api) => api !== 'handle' || 'allocateHandle' in module.VirtualBlock.prototype,
  );
  for (const api of apis)
    for (const live of LIVE_COUNTS) cases.push({ name: `${label}${api}`, module, api, live, runs: [] });
}
for (let repeat = 0; repeat < REPEATS; repeat++) {
  // Alternate the order so that neither implementation always runs first (or last) in a repetition.
  const order = repeat % 2 === 0 ? cases : [...cases].reverse();
  for (const c of order) c.runs.push(measure(c.module, c.api, c.live, 0x9e3779b9 + repeat));
}

const round1 = (value) => (value === undefined ? undefined : Math.round(value * 10) / 10);
const results = cases.map((c) => {
  const pick = (key) => median(c.runs.map((run) => run[key]));
  const reference = VMA_REFERENCE[c.live];
  const steadyAllocateNs = pick('steadyAllocateNs');
  const steadyFreeNs = pick('steadyFreeNs');
  return {
    implementation: c.name,
    live: c.live,
    steadyAllocateNs: round1(steadyAllocateNs),
    steadyFreeNs: round1(steadyFreeNs),
    fillAllocateNs: round1(pick('fillAllocateNs')),
    drainFreeNs: round1(pick('drainFreeNs')),
    allocateVsVma: reference?.allocate ? Math.round((steadyAllocateNs / reference.allocate) * 100) / 100 : undefined,
    freeVsVma: reference?.free ? Math.round((steadyFreeNs / reference.free) * 100) / 100 : undefined,
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
    'ns per operation; "x VMA" = steady ns / VMA C++ TLSF virtual block on this machine (60 alloc / 40 free at 1k-10k, 400 alloc at 100k)',
  );
  console.log('');
  console.log('                         |      steady (N live)       |  fill 0->N  drain N->0 |');
  console.log(
    'implementation   live   | alloc  x VMA   free  x VMA |  alloc       free      | fragmentation  free ranges  fill',
  );
  for (const r of results) {
    console.log(
      `${r.implementation.padEnd(16)} ${String(r.live).padStart(6)}   |` +
        `${cell(r.steadyAllocateNs, 6)} ${cell(r.allocateVsVma, 6)} ${cell(r.steadyFreeNs, 6)} ${cell(r.freeVsVma, 6)} |` +
        `${cell(r.fillAllocateNs, 7)} ${cell(r.drainFreeNs, 10)}      |` +
        `${cell(r.fragmentation, 14)} ${cell(r.freeRanges, 12)} ${cell(r.fill, 5)}`,
    );
  }
  console.log('');
  console.log(
    'fragmentation = 1 - largest free range / free bytes, after the steady rounds (0: all free space in one range)',
  );
}
