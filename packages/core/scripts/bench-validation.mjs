#!/usr/bin/env node
/**
 * The validation layer's overhead on a map/unmap pair (a benchmark, not a test). Bare and wrapped devices
 * are measured side by side in one process, interleaved in rounds, and the medians compared:
 * - emulated: a bare emulated device against the same kind of device wrapped by withValidation;
 * - stub: a device whose map and unmap return at once, so what remains of a wrapped call is the layer;
 * - native: the first Vulkan device (lavapipe here), where @vkmap/native loads.
 * Uses the built packages (pnpm bench builds first). Pins itself to one CPU with taskset where it exists
 * (BENCH_PIN=0 to opt out): on a shared 2-core machine that cuts the run-to-run spread several-fold.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

if (process.env.BENCH_PIN !== '0' && process.env.BENCH_PINNED !== '1') {
  const pinned = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  if (!pinned.error) process.exit(pinned.status ?? 1);
}

const { VK_WHOLE_SIZE, withValidation } = await import('../dist/index.js');
const { createEmulatedInstance, getBuiltInProfile } = await import('../../emulated/dist/index.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const OPS_PER_ROUND = Number(process.env.BENCH_OPS ?? 20_000);

function emulatedDevice() {
  const profile = { ...getBuiltInProfile('stress'), id: 'stress-bench', apiVersion: (1 << 22) | (4 << 12) };
  return createEmulatedInstance({ profiles: [profile] })
    .enumeratePhysicalDevices()[0]
    .createDevice();
}

/** A device whose map and unmap return at once. */
function stubDevice(template) {
  const mapping = { offset: 0n, size: 4096n, address: 0x1000_0000n, isCoherent: true, isPlaced: false, isMapped: true };
  return Object.assign(Object.create(template), { mapMemory: () => mapping, unmapMemory: () => undefined });
}

async function nativeDevices() {
  let native;
  try {
    native = await import('../../native/dist/index.js');
  } catch (error) {
    return { skipped: `@vkmap/native is not built (${error.message.split('\n')[0]})` };
  }
  const availability = native.isNativeAvailable();
  if (!availability.available) return { skipped: availability.reason };
  const open = () => {
    const physicalDevice = native.createNativeInstance().enumeratePhysicalDevices()[0];
    const type = physicalDevice.getMemoryProperties().memoryTypes.findIndex((t) => (t.propertyFlags & 0x6) === 0x6);
    return { device: physicalDevice.createDevice(), type, name: physicalDevice.getProperties().deviceName };
  };
  const bare = open();
  const wrapped = open();
  return { bare: bare.device, validated: withValidation(wrapped.device), type: bare.type, name: bare.name };
}

/** One timed round of map+unmap pairs: ns per pair. */
function round(device, memory) {
  const start = performance.now();
  for (let i = 0; i < OPS_PER_ROUND; i++) {
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    device.unmapMemory(memory);
  }
  return ((performance.now() - start) * 1e6) / OPS_PER_ROUND;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

function compare(label, bare, validated, allocationType) {
  const bareMemory = bare.allocateMemory({ allocationSize: 4096, memoryTypeIndex: allocationType });
  const validatedMemory = validated.allocateMemory({ allocationSize: 4096, memoryTypeIndex: allocationType });
  round(bare, bareMemory); // warm-up
  round(validated, validatedMemory);
  const times = { bare: [], validated: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first so neither always runs on a warmer or colder machine.
    const order = r % 2 === 0 ? ['bare', 'validated'] : ['validated', 'bare'];
    for (const kind of order)
      times[kind].push(kind === 'bare' ? round(bare, bareMemory) : round(validated, validatedMemory));
  }
  const b = median(times.bare);
  const v = median(times.validated);
  console.log(label);
  console.log(`  bare        ${b.toFixed(0).padStart(7)} ns per map/unmap pair`);
  console.log(`  validated   ${v.toFixed(0).padStart(7)} ns per map/unmap pair`);
  console.log(`  validated / bare = ${(v / b).toFixed(2)}x; the layer adds ${(v - b).toFixed(0)} ns per pair`);
}

console.log(
  `node ${process.version}, ${process.platform}/${process.arch}${process.env.BENCH_PINNED === '1' ? ', pinned to CPU 1' : ''}; ` +
    `one op = mapMemory + unmapMemory of 4 KiB; median of ${ROUNDS} interleaved rounds of ${OPS_PER_ROUND} ops`,
);
compare(
  'emulated backend (stress profile, HOST_VISIBLE|HOST_COHERENT type)',
  emulatedDevice(),
  withValidation(emulatedDevice()),
  1,
);
const template = emulatedDevice();
compare('stub backend (the layer alone)', stubDevice(template), withValidation(stubDevice(template)), 1);
const native = await nativeDevices();
if (native.skipped) console.log(`native backend: skipped (${native.skipped})`);
else compare(`native backend (${native.name})`, native.bare, native.validated, native.type);
