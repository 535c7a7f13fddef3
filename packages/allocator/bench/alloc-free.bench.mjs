// Benchmark of the allocator's hot path (not a test): `allocateMemory` + `freeMemory` of one small
// HOST_VISIBLE block allocation, repeated, on the emulated backend and (where a Vulkan device loads) on the
// native one. After the first pair the block stays (the one empty block VMA keeps), so no pair reaches the
// driver: the time is the allocator's own work. Also counts the driver calls the loop made.
//
// Run after the build: `node --expose-gc bench/alloc-free.bench.mjs` (pinned with `taskset -c 1` where it
// exists, as the virtual block bench is).
//   BENCH_PAIRS=10000     pairs per measurement
//   BENCH_REPEATS=5       measurements per backend; the table shows min / median
//   BENCH_SIZE=65536      bytes per allocation
//   BENCH_WARMUP=50000    pairs before the first measurement
//   BENCH_BACKENDS=emulated,native
//   BENCH_DIST=path/to/dist/index.js   another build of this package (an older commit's dist) to measure
//   --json                machine-readable results
import { spawnSync } from 'node:child_process';

if (process.env.BENCH_PIN !== '0' && !process.env.BENCH_PINNED && process.platform === 'linux') {
  const taskset = spawnSync('taskset', ['-c', process.env.BENCH_CPU ?? '1', 'true']);
  if (taskset.status === 0) {
    const child = spawnSync(
      'taskset',
      ['-c', process.env.BENCH_CPU ?? '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } },
    );
    process.exit(child.status ?? 1);
  }
}

const pairs = Number(process.env.BENCH_PAIRS ?? 10_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const size = Number(process.env.BENCH_SIZE ?? 65_536);
const warmup = Number(process.env.BENCH_WARMUP ?? 50_000);
const backends = (process.env.BENCH_BACKENDS ?? 'emulated,native').split(',');
const json = process.argv.includes('--json');
const dist = process.env.BENCH_DIST ?? new URL('../dist/index.js', import.meta.url).href;
const { createAllocator, AllocationCreateFlagBits: F } = await import(
  dist.startsWith('file:') ? dist : new URL(dist, `file://${process.cwd()}/`).href
);

const HOST_VISIBLE = 0x2;

/** Counts the device's driver-level calls of interest by wrapping them on the instance. */
function counting(device) {
  const counts = { allocateMemory: 0, freeMemory: 0, getMemoryBudget: 0, mapMemory: 0 };
  for (const name of Object.keys(counts)) {
    const original = device[name];
    if (typeof original !== 'function') continue;
    device[name] = function (...args) {
      counts[name] += 1;
      return original.apply(this, args);
    };
  }
  return counts;
}

async function openDevice(backend) {
  if (backend === 'emulated') {
    const { createEmulatedInstance } = await import('@vkmap/emulated');
    const instance = createEmulatedInstance({ profiles: ['stress'] });
    return { instance, device: instance.enumeratePhysicalDevices()[0].createDevice() };
  }
  const { createNativeInstance, isNativeAvailable } = await import('@vkmap/native');
  const availability = isNativeAvailable();
  if (!availability.available) return { skipped: availability.reason ?? 'native backend unavailable' };
  const instance = createNativeInstance();
  return { instance, device: instance.enumeratePhysicalDevices()[0].createDevice() };
}

/** Wall and CPU (user + system) nanoseconds per pair: on a shared machine the CPU time is the steadier one. */
function loop(allocator, requirements, info, count) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) allocator.freeMemory(allocator.allocateMemory(requirements, info));
  const wall = Number(process.hrtime.bigint() - start) / count;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: ((used.user + used.system) * 1000) / count };
}

const results = [];
for (const backend of backends) {
  const opened = await openDevice(backend);
  if (opened.skipped) {
    results.push({ backend, skipped: opened.skipped });
    continue;
  }
  const { instance, device } = opened;
  const counts = counting(device);
  const allocator = createAllocator(device);
  const requirements = { size, alignment: 256, memoryTypeBits: 0xffffffff };
  const info = { flags: F.HOST_ACCESS_SEQUENTIAL_WRITE, requiredFlags: HOST_VISIBLE };
  // An application always has some allocation live; one here (dedicated memory, so the measured block still
  // empties on every free) also keeps V8's maps of the allocator's objects alive across gc(), which would
  // otherwise drop them and deoptimize the code that embeds them (--trace-deopt: "weak objects").
  const anchor = allocator.allocateMemory(requirements, { ...info, flags: info.flags | F.DEDICATED_MEMORY });
  // TurboFan needs tens of thousands of pairs here before the hot functions are compiled and stable: on a
  // loaded machine its compiles take tens of milliseconds (--trace-opt), during which the slower tiers run.
  loop(allocator, requirements, info, warmup);
  const wall = [];
  const cpu = [];
  for (let r = 0; r < repeats; r++) {
    globalThis.gc?.();
    for (const key of Object.keys(counts)) counts[key] = 0;
    const time = loop(allocator, requirements, info, pairs);
    wall.push(time.wall);
    cpu.push(time.cpu);
    if (process.env.BENCH_VERBOSE) console.error(backend, r, Math.round(time.wall), Math.round(time.cpu));
  }
  const min = (values) => Math.round(Math.min(...values));
  const median = (values) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
  results.push({
    backend,
    device: device.physicalDevice.getProperties().deviceName,
    pairs,
    size,
    wallMinNs: min(wall),
    wallMedianNs: median(wall),
    cpuMinNs: min(cpu),
    cpuMedianNs: median(cpu),
    driverCallsInLastRun: { ...counts },
  });
  allocator.freeMemory(anchor);
  allocator.destroy();
  device.destroy();
  instance.destroy();
}

const us = (ns) => `${(ns / 1000).toFixed(2)} us`;
if (json) console.log(JSON.stringify(results));
else {
  console.log(`allocateMemory + freeMemory of ${size} bytes, HOST_VISIBLE, ${pairs} pairs x ${repeats}`);
  for (const r of results) {
    if (r.skipped) console.log(`  ${r.backend.padEnd(9)} skipped: ${r.skipped}`);
    else {
      const calls = Object.entries(r.driverCallsInLastRun)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ');
      console.log(
        `  ${r.backend.padEnd(9)} per pair: wall min ${us(r.wallMinNs)} median ${us(r.wallMedianNs)}, CPU min ${us(r.cpuMinNs)} median ${us(r.cpuMedianNs)}\n            ${r.device}; device calls in one run of ${r.pairs}: ${calls}`,
      );
    }
  }
}
