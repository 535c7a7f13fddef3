#!/usr/bin/env node
/**
 * One batch of the WebGPU peer, in its own process (the runner starts one per round: a dawn.node crash after
 * about 2000 map cycles in one process was reported here): a MAP_WRITE buffer's mapAsync(WRITE) + getMappedRange + a byte
 * written + unmap, round trip, `--iterations` times after a warm-up, through the `webgpu` package (Dawn) on
 * whatever adapter it finds (on Linux, a Vulkan one: lavapipe here).
 *
 *   node dist/peers/webgpu-child.js --size <bytes> --iterations <n>
 * Prints {"nsPerOp": n, "adapter": "..."} or {"error": "why it cannot run"}.
 */
import { performance } from 'node:perf_hooks';

const MAP_WRITE_USAGE = 0x0002; // GPUBufferUsage.MAP_WRITE
const COPY_SRC_USAGE = 0x0004; // GPUBufferUsage.COPY_SRC
const MAP_MODE_WRITE = 0x0002; // GPUMapMode.WRITE

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

function finish(value: object): never {
  process.stdout.write(`${JSON.stringify(value)}\n`);
  process.exit(0);
}

const keepAlive = new Set<unknown>();
const size = option('--size', 65536);
const iterations = option('--iterations', 500);

let webgpu: typeof import('webgpu');
try {
  webgpu = await import('webgpu');
} catch (error) {
  finish({
    error: `the webgpu package does not load: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
  });
}
Object.assign(globalThis, webgpu.globals);
// The GPU object must stay reachable while its adapter and device are used: once it is collected, Dawn's instance
// goes with it and the process crashes a few hundred map cycles later (SIGSEGV / SIGABRT, "Owner died").
const gpu = webgpu.create([]);
const adapter = await gpu.requestAdapter();
if (!adapter)
  finish({ error: 'navigator.gpu.requestAdapter() found no adapter (Dawn needs a Vulkan device on Linux)' });
const info = adapter.info;
const device = await adapter.requestDevice();
const buffer = device.createBuffer({ size, usage: MAP_WRITE_USAGE | COPY_SRC_USAGE });

async function cycle(i: number): Promise<void> {
  await buffer.mapAsync(MAP_MODE_WRITE);
  new Uint8Array(buffer.getMappedRange())[0] = i;
  buffer.unmap();
}

for (let i = 0; i < Math.min(50, iterations); i++) await cycle(i);
const start = performance.now();
for (let i = 0; i < iterations; i++) await cycle(i);
const nsPerOp = ((performance.now() - start) * 1e6) / iterations;
buffer.destroy();
device.destroy();
keepAlive.add(gpu);
finish({ nsPerOp, adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') });
