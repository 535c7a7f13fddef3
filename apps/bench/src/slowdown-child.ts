#!/usr/bin/env node
/**
 * One fresh process of the process-wide slowdown check: optionally open the native device and run `--cycles`
 * map + unmap pairs, then time a scalar Float32Array loop over ordinary memory (never mapped). The runner
 * compares a process that never loaded vkmap (`--views none`) with processes after 10,000 cycles in each view
 * mode: V8 turns off its typed-array fast path for the whole process at the first ArrayBuffer detach.
 *
 *   node dist/slowdown-child.js --views none|stable|detach [--cycles N] [--device I] [--type T] [--passes N]
 * Prints {"nsPerOp": median ns per pass, "min": ..., "cycles": N}.
 */
import { performance } from 'node:perf_hooks';

const ELEMENTS = 1 << 16; // 256 KiB: in cache, so the loop measures the JIT's code, not memory bandwidth

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : (process.argv[at + 1] ?? fallback);
}

/** The measured loop: a load, a multiply-add and a store per element. */
function scale(values: Float32Array, factor: number): void {
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor + 1;
}

const views = option('--views', 'none');
const cycles = views === 'none' ? 0 : Number(option('--cycles', '10000'));
const passes = Number(option('--passes', '200'));
let detached: boolean | null = null;

if (views !== 'none') {
  const { VK_WHOLE_SIZE } = await import('@vkmap/core');
  const { openDevice } = await import('./cases/device.js');
  const open = openDevice({ deviceIndex: Number(option('--device', '0')), views: views as 'stable' | 'detach' });
  const memory = open.device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: Number(option('--type', '0')) });
  let view: Uint8Array | undefined;
  for (let i = 0; i < cycles; i++) {
    const mapping = open.device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    const data: Uint8Array = mapping.data;
    data[0] = i; // the view is handed out and touched, as an application would
    view = data;
    open.device.unmapMemory(memory);
  }
  // What the backend did with the last view at unmap: detached (length 0) or left addressable.
  detached = view !== undefined && view.byteLength === 0;
  open.device.freeMemory(memory);
  // The device stays open: the process goes on after its mapping work, as an application does.
}

const values = new Float32Array(ELEMENTS).map((_, i) => i % 7);
for (let i = 0; i < passes / 4; i++) scale(values, 0.5); // warm-up: the JIT optimises the loop
const times: number[] = [];
for (let i = 0; i < passes; i++) {
  const start = performance.now();
  scale(values, 0.5);
  times.push((performance.now() - start) * 1e6);
}
times.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ nsPerOp: times[times.length >> 1], min: times[0], cycles, views, detached })}\n`,
);
process.exit(0);
