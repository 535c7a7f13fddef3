/**
 * Detachment: once a mapping ends (unmap, free, device destroy) its views are detached (length 0, their
 * methods throw), `mapping.data` throws, and a stale view never reads or writes memory again.
 */
import { expect } from 'vitest';
import { alignUp, VK_WHOLE_SIZE, type Device, type DeviceMemory, type MappedMemory } from '@vkmap/core';
import { assertSameBytes, pattern } from '../bytes.js';
import { withContext } from '../context.js';
import { entryPointsOf } from '../entry-points.js';
import { SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';

/** Everything a caller can try on an ended mapping and its old view. */
export function expectEnded(mapping: MappedMemory, view: Uint8Array): void {
  expect(mapping.isMapped).toBe(false);
  expect(() => mapping.data).toThrow();
  expect(view.byteLength).toBe(0);
  expect(view.length).toBe(0);
  expect(view[0]).toBeUndefined();
  expect(() => view.fill(1)).toThrow(TypeError);
  expect(() => view.set([1])).toThrow();
  // Writes through a detached view are dropped by the language: they cannot reach any memory.
  view[0] = 0xaa;
  expect(view[0]).toBeUndefined();
}

interface MappedCase {
  readonly memory: DeviceMemory;
  readonly mapping: MappedMemory;
  readonly view: Uint8Array;
  readonly written: Uint8Array;
}

/** Allocates and maps (whole or the second half) through each entry point, writing a known pattern. */
function mapEveryWay(session: ScenarioSession, seed: number): MappedCase[] {
  const { device, target } = session;
  const size = alignUp(8192n, target.atomSize);
  const cases: MappedCase[] = [];
  for (const type of target.hostVisibleTypes) {
    for (const entry of entryPointsOf(target.capabilities)) {
      for (const half of [false, true]) {
        const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
        const offset = half ? size / 2n : 0n;
        const mapping = entry.map(device, memory, offset, half ? size / 2n : VK_WHOLE_SIZE);
        const written = pattern(seed + cases.length, mapping.data.length);
        mapping.data.set(written);
        if (!type.coherent) device.flushMappedMemoryRanges([{ memory, offset, size: VK_WHOLE_SIZE }]);
        cases.push({ memory, mapping, view: mapping.data, written });
      }
    }
  }
  return cases;
}

function afterUnmap(session: ScenarioSession): void {
  const { device, target } = session;
  const entries = entryPointsOf(target.capabilities);
  mapEveryWay(session, 100).forEach(({ memory, mapping, view, written }, i) =>
    withContext(`case ${i}`, () => {
      entries[i % entries.length]!.unmap(device, memory);
      expectEnded(mapping, view);
      const again = device.mapMemory(memory, mapping.offset, mapping.size);
      expect(again.data === view, 'a remap hands out a new view').toBe(false);
      device.invalidateMappedMemoryRanges([{ memory, offset: mapping.offset, size: VK_WHOLE_SIZE }]);
      assertSameBytes(again.data, written, 'bytes after a write through the stale view and a remap');
      again.data.fill(0x55);
      expect(view.byteLength).toBe(0);
      device.freeMemory(memory);
    }),
  );
}

function afterFree(session: ScenarioSession): void {
  const { device } = session;
  const cases = mapEveryWay(session, 110);
  cases.forEach(({ memory, mapping, view }, i) =>
    withContext(`case ${i}`, () => {
      device.freeMemory(memory);
      expectEnded(mapping, view);
    }),
  );
  // New memory, likely at the old addresses, never shows through the old views.
  const fresh = mapEveryWay(session, 120);
  for (const { mapping, view } of cases) {
    expect(view.byteLength).toBe(0);
    expect(() => mapping.data).toThrow();
  }
  for (const { memory } of fresh) device.freeMemory(memory);
}

function afterDestroy(session: ScenarioSession): void {
  const device: Device = session.device;
  const cases = mapEveryWay(session, 130);
  device.destroy();
  expect(device.isDestroyed).toBe(true);
  cases.forEach(({ mapping, view }, i) => withContext(`case ${i}`, () => expectEnded(mapping, view)));
}

export function detachmentScenarios(ctx: TargetContext): ScenarioSpec[] {
  const skipReason = ctx.target.hostVisibleTypes.length === 0 ? SKIP.noHostVisibleType : undefined;
  const path = ['detachment'];
  return [
    {
      group: 'detach',
      path,
      title: 'views after unmap are detached and never see later data',
      skipReason,
      body: afterUnmap,
    },
    {
      group: 'detach',
      path,
      title: 'views after free are detached and never see new allocations',
      skipReason,
      body: afterFree,
    },
    { group: 'detach', path, title: 'views after device destroy are detached', skipReason, body: afterDestroy },
  ];
}
