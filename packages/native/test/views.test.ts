import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VkmapStateError, type DeviceMemory } from '@vkmap/core';
import { openFixture, skipNote, unavailable, type Fixture } from './helpers.js';

describe.skipIf(unavailable)(`native mapped views${skipNote}`, () => {
  let f: Fixture;
  let memory: DeviceMemory;
  beforeEach(() => {
    f = openFixture();
    memory = f.device.allocateMemory({ allocationSize: 8192, memoryTypeIndex: f.hostVisibleType });
  });
  afterEach(() => f.instance.destroy());

  function expectDetached(view: Uint8Array): void {
    expect(view.length).toBe(0);
    expect(view.byteLength).toBe(0);
    expect(view.buffer.byteLength).toBe(0);
    expect(view[0]).toBeUndefined();
    view[0] = 1; // ignored, never reaches memory
    expect(() => view.fill(1)).toThrow(TypeError); // methods of a detached view throw
    expect(() => new Uint8Array(view.buffer, 0, 1)).toThrow(TypeError);
  }

  it('is one view over exactly the mapped range', () => {
    const mapping = f.device.mapMemory(memory, 1024, 2048);
    expect(mapping.data).toBe(mapping.data);
    expect(mapping.data.byteLength).toBe(2048);
    expect(mapping.data.buffer.byteLength).toBe(2048);
  });

  for (const [what, end] of [
    ['unmap', (x: Fixture, m: DeviceMemory) => x.device.unmapMemory(m)],
    ['free', (x: Fixture, m: DeviceMemory) => x.device.freeMemory(m)],
    ['device destroy', (x: Fixture) => x.device.destroy()],
  ] as const) {
    it(`is detached after ${what}: length 0, data throws, nothing reaches memory`, () => {
      const mapping = f.device.mapMemory(memory, 0, 4096);
      const view = mapping.data;
      const alias = new Uint32Array(view.buffer);
      view[0] = 9;
      end(f, memory);
      expect(mapping.isMapped).toBe(false);
      expect(() => mapping.data).toThrow(VkmapStateError);
      expect(() => mapping.data).toThrow(/has ended/);
      expectDetached(view);
      expect(alias.length).toBe(0);
    });
  }

  it('copies rather than moves on structuredClone with a transfer list', () => {
    const mapping = f.device.mapMemory(memory, 0, 4096);
    mapping.data[0] = 42;
    let clone: ArrayBuffer | undefined;
    try {
      const buffer = mapping.data.buffer as ArrayBuffer;
      clone = structuredClone(buffer, { transfer: [buffer] });
    } catch (error) {
      // Node 21+ refuses to transfer an untransferable buffer: also safe.
      expect((error as Error).name).toBe('DataCloneError');
    }
    expect(mapping.data.byteLength).toBe(4096); // still mapped, still ours
    f.device.unmapMemory(memory);
    expect(mapping.isMapped).toBe(false);
    if (clone) {
      // The clone is a copy taken while mapped: readable after unmap, and not the mapped memory.
      const bytes = new Uint8Array(clone);
      expect(bytes[0]).toBe(42);
      bytes[1] = 7;
      const check = f.device.mapMemory(memory, 0, 2);
      expect(check.data[1]).toBe(0);
    }
  });

  it('refuses ArrayBuffer transfer() where the runtime has it', () => {
    const mapping = f.device.mapMemory(memory, 0, 64);
    const buffer = mapping.data.buffer as ArrayBuffer & { transfer?: () => ArrayBuffer };
    if (typeof buffer.transfer === 'function') {
      expect(() => buffer.transfer!()).toThrow(VkmapStateError);
      expect(mapping.data.byteLength).toBe(64);
    }
  });

  it('gives a worker a copy on postMessage with a transfer list; nothing reads the old pointer after unmap', async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       let held;
       parentPort.on('message', (msg) => {
         if (msg.buffer) { held = new Uint8Array(msg.buffer); held[1] = 99; parentPort.postMessage({ first: held[0], length: held.length }); }
         else { parentPort.postMessage({ first: held ? held[0] : -1, second: held ? held[1] : -1, length: held ? held.length : -1 }); }
       });`,
      { eval: true },
    );
    try {
      const mapping = f.device.mapMemory(memory, 0, 4096);
      mapping.data[0] = 17;
      const buffer = mapping.data.buffer as ArrayBuffer;
      let posted = true;
      try {
        worker.postMessage({ buffer }, [buffer]);
      } catch (error) {
        posted = false; // Node 21+: DataCloneError, nothing moved
        expect((error as Error).name).toBe('DataCloneError');
      }
      if (posted) {
        const [first] = (await once(worker, 'message')) as [{ first: number; length: number }];
        expect(first).toEqual({ first: 17, length: 4096 });
      }
      expect(mapping.data.byteLength).toBe(4096);
      expect(mapping.data[1]).toBe(0); // the worker's write went to its copy
      f.device.unmapMemory(memory);
      f.device.freeMemory(memory);
      memory = f.device.allocateMemory({ allocationSize: 64, memoryTypeIndex: f.hostVisibleType });
      worker.postMessage({});
      const [after] = (await once(worker, 'message')) as [{ first: number; second: number; length: number }];
      if (posted) expect(after).toEqual({ first: 17, second: 99, length: 4096 });
    } finally {
      await worker.terminate();
    }
  });

  it('survives many map/unmap cycles at the same address', () => {
    const views: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) {
      const mapping = f.device.mapMemory(memory, 0, 8192);
      mapping.data[i] = i & 0xff;
      views.push(mapping.data);
      f.device.unmapMemory(memory);
    }
    for (const view of views) expect(view.length).toBe(0);
    const last = f.device.mapMemory(memory, 0, 8192);
    expect(last.data[199]).toBe(199);
  });
});
