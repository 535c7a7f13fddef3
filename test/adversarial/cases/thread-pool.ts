/**
 * Thread-pool holders of a mapped view: crypto.randomFill(view, cb) and fs.read(fd, view, ...) are started,
 * then the mapping ends (unmap, free, device destroy, instance destroy) while Node's thread pool still
 * writes through the view's raw pointer. Then a later allocation is mapped and filled: none of its bytes may
 * change when the pending write lands, and the process must not die of a signal.
 */
import { randomFill } from 'node:crypto';
import { closeSync, openSync, read, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Device, Instance } from '@vkmap/core';
import { createInstance, openDevice, type OpenParams } from './common.js';

export interface ThreadPoolParams extends OpenParams {
  holder: 'randomFill' | 'fsRead';
  end: 'unmap' | 'free' | 'deviceDestroy' | 'instanceDestroy';
  rounds?: number;
}

const SIZE = 4 * 1024 * 1024;
const LATER = 0x5a;

function startHolder(holder: ThreadPoolParams['holder'], view: Uint8Array, fd: number): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      if (holder === 'randomFill')
        randomFill(view, (error) => resolve(error ? ((error as NodeJS.ErrnoException).code ?? error.name) : null));
      else
        read(fd, view, 0, view.byteLength, 0, (error) =>
          resolve(error ? ((error as NodeJS.ErrnoException).code ?? error.name) : null),
        );
    } catch (error) {
      resolve(`sync:${(error as Error).name}`);
    }
  });
}

export async function threadPool(p: ThreadPoolParams) {
  const file = join(tmpdir(), `vkmap-adv-${process.pid}.bin`);
  writeFileSync(file, Buffer.alloc(SIZE, 0xab));
  const fd = openSync(file, 'r');
  const rounds: { holderError: string | null; laterChanged: number; laterLength: number }[] = [];
  try {
    for (let round = 0; round < (p.rounds ?? 4); round++) {
      let instance: Instance = createInstance(p.backend);
      let { device, hostVisibleType } = openDevice(instance, p);
      const memory = device.allocateMemory({ allocationSize: SIZE, memoryTypeIndex: hostVisibleType });
      const view = device.mapMemory(memory, 0, SIZE).data;
      const pending = startHolder(p.holder, view, fd);
      switch (p.end) {
        case 'unmap':
          device.unmapMemory(memory);
          break;
        case 'free':
          device.freeMemory(memory);
          break;
        case 'deviceDestroy':
          device.destroy();
          device = openDevice(instance, p).device;
          break;
        case 'instanceDestroy':
          instance.destroy();
          instance = createInstance(p.backend);
          device = openDevice(instance, p).device;
          break;
      }
      const later = laterAllocation(device, hostVisibleType);
      const holderError = await pending;
      await new Promise((resolve) => setTimeout(resolve, 10));
      let laterChanged = 0;
      for (let i = 0; i < later.length; i++) if (later[i] !== LATER) laterChanged++;
      rounds.push({ holderError, laterChanged, laterLength: later.length });
      instance.destroy();
    }
  } finally {
    closeSync(fd);
    unlinkSync(file);
  }
  return { rounds };
}

/** A second allocation of the same size and type, mapped and filled with LATER. */
function laterAllocation(device: Device, type: number): Uint8Array {
  const memory = device.allocateMemory({ allocationSize: SIZE, memoryTypeIndex: type });
  const data = device.mapMemory(memory, 0, SIZE).data;
  data.fill(LATER);
  return data;
}
