import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VkmapStateError, type DeviceMemory } from '@vkmap/core';
import type { NativeDevice } from '../src/index.js';
import { openFixture, skipNote, unavailable, type Fixture } from './helpers.js';

describe.skipIf(unavailable)(`native mapped views, views: 'detach'${skipNote}`, () => {
  let f: Fixture;
  let memory: DeviceMemory;
  beforeEach(() => {
    f = openFixture();
    // The fixture's device is replaced by one in detach mode, of the same physical device.
    f.device.destroy();
    f.device = f.physicalDevice.createDevice({ validation: false, views: 'detach' });
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

  // Transfers (structuredClone, postMessage, ArrayBuffer.prototype.transfer) are covered per Node
  // version, each in a child process, by view-escapes.test.ts.

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

describe.skipIf(unavailable)(`native mapped views, views: 'stable' (the default)${skipNote}`, () => {
  let f: Fixture;
  let memory: DeviceMemory;
  beforeEach(() => {
    f = openFixture();
    memory = f.device.allocateMemory({ allocationSize: 8192, memoryTypeIndex: f.hostVisibleType });
  });
  afterEach(() => f.instance.destroy());

  it('is one view over exactly the mapped range', () => {
    const mapping = f.device.mapMemory(memory, 1024, 2048);
    expect(mapping.data).toBe(mapping.data);
    expect(mapping.data.byteLength).toBe(2048);
    expect(mapping.data.buffer.byteLength).toBe(2048);
  });

  // What lavapipe's aliased windows do; device memory ('placed', 'driver') is covered by view-lifetime.test.ts.
  const aliased = (mapped: DeviceMemory) => (f.device as NativeDevice).viewStrategy(mapped) === 'alias';

  it('stays over the memory object after unmap; mapping.data throws', () => {
    const mapping = f.device.mapMemory(memory, 0, 4096);
    const view = mapping.data;
    if (!aliased(memory)) return;
    view[0] = 9;
    f.device.unmapMemory(memory);
    expect(mapping.isMapped).toBe(false);
    expect(() => mapping.data).toThrow(/has ended/);
    expect(view.length).toBe(4096);
    expect(view[0]).toBe(9);
    view[1] = 10;
    expect(f.device.mapMemory(memory, 0, 4096).data[1]).toBe(10);
  });

  for (const [what, end] of [
    ['free', (x: Fixture, m: DeviceMemory) => x.device.freeMemory(m)],
    ['device destroy', (x: Fixture) => x.device.destroy()],
  ] as const) {
    it(`reads zeros after ${what}, and keeps only its own writes`, () => {
      const mapping = f.device.mapMemory(memory, 0, 4096);
      const view = mapping.data;
      if (!aliased(memory)) return;
      view.fill(7);
      end(f, memory);
      expect(mapping.isMapped).toBe(false);
      expect(() => mapping.data).toThrow(VkmapStateError);
      expect(view.length).toBe(4096);
      expect(view.every((b) => b === 0)).toBe(true);
      view.fill(3);
      expect(view.every((b) => b === 3)).toBe(true);
    });
  }

  it('is the same Uint8Array for every map of the same range, and a new one for another range', () => {
    const first = f.device.mapMemory(memory, 0, 8192).data;
    if (!aliased(memory)) return;
    f.device.unmapMemory(memory);
    for (let i = 0; i < 200; i++) {
      const mapping = f.device.mapMemory(memory, 0, 8192);
      expect(mapping.data).toBe(first);
      mapping.data[i] = i & 0xff;
      f.device.unmapMemory(memory);
    }
    expect(first.length).toBe(8192);
    const other = f.device.mapMemory(memory, 0, 4096).data;
    expect(other).not.toBe(first);
    expect(other[199]).toBe(199);
  });
});
