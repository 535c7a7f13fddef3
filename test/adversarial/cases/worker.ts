/**
 * worker.terminate() while the worker is inside addon calls: the worker loops on one call (waitForFences
 * that times out, allocate/free, map/unmap, device create/destroy, or addon calls that throw); the main
 * thread terminates it after a random delay, 10 times. The process must never abort (SIGABRT): an error
 * that can no longer be thrown once the environment is stopping must be dropped, not turned into a fatal
 * error.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Device } from '@vkmap/core';
import { loadBinding } from '../../../packages/native/src/binding.js';
import { createInstance, openDevice, type OpenParams } from './common.js';

export type WorkerOp = 'waitForFences' | 'allocate' | 'map' | 'createDevice' | 'throwing' | 'addonThrowing';

export interface WorkerParams extends OpenParams {
  op: WorkerOp;
  tries?: number;
}

/** The worker thread's side: open, say 'ready', then loop on the operation until terminated. */
export function workerMain(): void {
  const p = workerData as WorkerParams;
  const instance = createInstance(p.backend);
  const opened = openDevice(instance, p);
  const device: Device = opened.device;
  const type = opened.hostVisibleType;
  parentPort!.postMessage('ready');
  let n = 0;
  for (;;) {
    n++;
    switch (p.op) {
      case 'waitForFences': {
        const fence = device.createFence();
        device.waitForFences([fence], true, 20_000_000n); // 20 ms, never signaled: a timeout each time
        device.destroyFence(fence);
        break;
      }
      case 'allocate':
        device.freeMemory(device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: type }));
        break;
      case 'map': {
        const memory = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: type });
        for (let i = 0; i < 64; i++) {
          device.mapMemory(memory, 0, 65536).data[i] = i;
          device.unmapMemory(memory);
        }
        device.freeMemory(memory);
        break;
      }
      case 'createDevice':
        openDevice(instance, p).device.destroy();
        break;
      case 'throwing':
        // Refused calls: each throws, many of them from the backend.
        try {
          device.allocateMemory({ allocationSize: 1n << 60n, memoryTypeIndex: type });
        } catch {}
        try {
          device.mapMemory({ objectType: 'VkDeviceMemory', handle: BigInt(n) } as never, 0, 1);
        } catch {}
        break;
      case 'addonThrowing': {
        // The addon's own error paths (each builds an error object with properties, then throws it).
        const binding = loadBinding();
        try {
          binding.destroyDevice(0x7fffffff);
        } catch {}
        try {
          binding.freeMemory(0x7fffffff, BigInt(n));
        } catch {}
        try {
          binding.allocateMemory(0x7fffffff, 1n, 0, undefined);
        } catch {}
        break;
      }
    }
  }
}

export async function workerTerminate(p: WorkerParams) {
  if (p.op === 'addonThrowing' && p.backend !== 'native') return { tries: [] };
  const script = process.argv[1]!;
  const tries: { exitCode: number; delayMs: number; ready: boolean }[] = [];
  for (let i = 0; i < (p.tries ?? 10); i++) {
    const worker = new Worker(script, { workerData: p });
    const ready = await new Promise<boolean>((resolve) => {
      worker.once('message', () => resolve(true));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    const delayMs = Math.floor(Math.random() * 30);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const exitCode = await worker.terminate();
    tries.push({ exitCode, delayMs, ready });
  }
  return { tries };
}
