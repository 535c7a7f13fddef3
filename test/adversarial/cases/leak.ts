/**
 * Leak checks, each in its own child with --expose-gc: RSS growth over 10^5 allocate/map/unmap/free cycles
 * (after a warm-up), and over 500 devices created and dropped without destroy (garbage collection must
 * reclaim them: native devices hold driver memory outside the JavaScript heap).
 */
import { VK_WHOLE_SIZE } from '@vkmap/core';
import { collect, createInstance, open, openDevice, type OpenParams } from './common.js';

const MiB = 1024 * 1024;

/** What JavaScript holds: the heap in use, and the external memory (ArrayBuffers included) it keeps alive. */
function jsMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** RSS once garbage collection settled: the least of three samples, each after full collections. */
async function settledRss(): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    await collect();
    least = Math.min(least, process.memoryUsage().rss);
  }
  return least;
}

export async function leakCycles(p: OpenParams & { cycles: number; warmup: number }) {
  const { instance, device, hostVisibleType } = open(p);
  const cycle = () => {
    const memory = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: hostVisibleType });
    const data = device.mapMemory(memory, 0, VK_WHOLE_SIZE).data;
    data[0] = 1;
    device.unmapMemory(memory);
    device.freeMemory(memory);
  };
  for (let i = 0; i < p.warmup; i++) cycle();
  const before = await settledRss();
  const jsBefore = jsMemory();
  const started = performance.now();
  for (let i = 0; i < p.cycles; i++) {
    cycle();
    if (i % 10_000 === 9_999) await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  const after = await settledRss();
  instance.destroy();
  return {
    cycles: p.cycles,
    beforeMiB: before / MiB,
    afterMiB: after / MiB,
    growthMiB: (after - before) / MiB,
    seconds,
    jsBeforeMiB: jsBefore / MiB,
    jsAfterMiB: jsMemory() / MiB,
  };
}

export async function leakDevices(
  p: OpenParams & {
    devices: number;
    warmup: number;
    dropInstances?: boolean;
    destroy?: boolean | 'batch';
    work?: 'none' | 'allocate' | 'map';
  },
) {
  const instance = createInstance(p.backend);
  let created = 0;
  let finalized = 0;
  const collected = new FinalizationRegistry<null>(() => finalized++);
  const makeAndDrop = (n: number) => {
    const kept: { destroy(): void }[] = [];
    for (let i = 0; i < n; i++) {
      const owner = p.dropInstances ? createInstance(p.backend) : instance;
      const { device, hostVisibleType } = openDevice(owner, p);
      // Something live in it: an allocation, mapped.
      collected.register(device, null);
      created++;
      const work = p.work ?? 'map';
      if (work !== 'none') {
        const memory = device.allocateMemory({ allocationSize: 1 << 20, memoryTypeIndex: hostVisibleType });
        if (work === 'map') device.mapMemory(memory, 0, VK_WHOLE_SIZE).data[0] = 1;
      }
      // The baseline: the same work, destroyed explicitly.
      if (p.destroy === true) (p.dropInstances ? owner : device).destroy();
      if (p.destroy === 'batch') kept.push(p.dropInstances ? owner : device);
    }
    for (const object of kept) object.destroy();
  };
  // Batches of 10 dropped devices, each followed by garbage collection: at most a batch is alive at once.
  // The warm-up runs the same batches, so that RSS reaches the plateau of one batch of live devices (and of
  // the driver's and malloc's caches) before it is measured.
  const batches = async (n: number, onBatch?: () => void) => {
    for (let done = 0; done < n; done += 10) {
      makeAndDrop(Math.min(10, n - done));
      await collect(2);
      onBatch?.();
    }
  };
  await batches(p.warmup);
  await collect(6);
  const before = process.memoryUsage().rss;
  let peak = before;
  const started = performance.now();
  await batches(p.devices, () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  });
  await collect(8);
  const after = process.memoryUsage().rss;
  const seconds = (performance.now() - started) / 1000;
  instance.destroy();
  return {
    devices: p.devices,
    beforeMiB: before / MiB,
    afterMiB: after / MiB,
    peakMiB: peak / MiB,
    growthMiB: (after - before) / MiB,
    seconds,
    created,
    finalized,
  };
}
