/**
 * Misuse that every backend must refuse the same way before it reaches the backend (issue 15): cyclic pNext
 * chains, getters that end objects while a call reads its arguments, flush and invalidate ranges outside the
 * mapping or off the atom grid; and what no backend may let happen to a mapped view: its buffer moved away by
 * a transfer, a vkmap call left half done because the application marked the buffer, a stale view reaching
 * another memory object. Each refused call changes nothing.
 */
import { markAsUntransferable } from 'node:worker_threads';
import { expect } from 'vitest';
import {
  alignUp,
  VK_WHOLE_SIZE,
  VkmapArgumentError,
  VkmapStateError,
  VkStructureType,
  type Device,
  type DeviceMemory,
  type MappedMemoryRange,
} from '@vkmap/core';
import { assertSameBytes, pattern } from '../bytes.js';
import { captureThrow, withContext } from '../context.js';
import { mapMemory2Of } from '../entry-points.js';
import type { HostVisibleType } from '../device-target.js';
import type { ScenarioSession } from '../session.js';

type Views = 'stable' | 'detach';

function deviceOf(session: ScenarioSession, views?: Views): Device {
  return session.target.physicalDevice.createDevice({
    ...session.target.createInfo,
    validation: false,
    ...(views ? { views } : {}),
  });
}

function withDevice(session: ScenarioSession, views: Views | undefined, body: (device: Device) => void): void {
  const device = deviceOf(session, views);
  try {
    body(device);
  } finally {
    device.destroy();
  }
}

function expectRefused(error: unknown, kind: typeof VkmapArgumentError | typeof VkmapStateError, argument: string) {
  expect(error, `threw ${String(error)}`).toBeInstanceOf(kind);
  expect((error as VkmapArgumentError).argument).toBe(argument);
}

/** A mapped allocation holding a pattern, and a check that it still does. */
function mappedPattern(device: Device, type: HostVisibleType, size: bigint, seed: number) {
  const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
  const mapping = device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
  const bytes = pattern(seed, Number(size));
  mapping.data.set(bytes);
  return {
    memory,
    mapping,
    check: (what: string) => {
      expect(mapping.isMapped, `still mapped after ${what}`).toBe(true);
      assertSameBytes(mapping.data, bytes, `the bytes after ${what}`);
    },
  };
}

export function cyclicChains(session: ScenarioSession): void {
  const { target } = session;
  const type = target.hostVisibleTypes[0]!;
  withDevice(session, undefined, (device) => {
    const kept = mappedPattern(device, type, alignUp(4096n, target.atomSize), 61);
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index });
    const self: Record<string, unknown> = {
      sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
      flags: 0,
    };
    self.pNext = self;
    const two: Record<string, unknown> = { sType: 1000, pNext: { sType: 1001 } };
    (two.pNext as Record<string, unknown>).pNext = two;
    const range = (chain: unknown): MappedMemoryRange => ({
      memory: kept.memory,
      offset: 0,
      size: VK_WHOLE_SIZE,
      pNext: chain as never,
    });
    const calls: [string, string, () => unknown][] = [
      [
        'vkAllocateMemory',
        'pAllocateInfo.pNext',
        () => device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index, pNext: self as never }),
      ],
      ['vkFlushMappedMemoryRanges', 'pMemoryRanges[0].pNext', () => device.flushMappedMemoryRanges([range(two)])],
      [
        'vkInvalidateMappedMemoryRanges',
        'pMemoryRanges[1].pNext',
        () => device.invalidateMappedMemoryRanges([range(null), range(self)]),
      ],
    ];
    const map2 = mapMemory2Of(target.capabilities);
    if (map2) {
      const name = map2.name;
      const map = (info: object) =>
        name === 'vkMapMemory2' ? device.mapMemory2(info as never) : device.mapMemory2KHR(info as never);
      const unmap = (info: object) =>
        name === 'vkMapMemory2' ? device.unmapMemory2(info as never) : device.unmapMemory2KHR(info as never);
      calls.push([name, 'pMemoryMapInfo.pNext', () => map({ memory, offset: 0, size: VK_WHOLE_SIZE, pNext: self })]);
      calls.push([
        name.replace('Map', 'Unmap'),
        'pMemoryUnmapInfo.pNext',
        () => unmap({ memory: kept.memory, pNext: two }),
      ]);
    }
    for (const [command, argument, call] of calls) {
      withContext(command, () => {
        const error = captureThrow(call, `${command} with a cyclic pNext chain`);
        expectRefused(error, VkmapArgumentError, argument);
        expect((error as Error).message).toMatch(/the chain has a cycle/);
      });
    }
    kept.check('calls with cyclic chains');
    device.mapMemory(memory, 0n, VK_WHOLE_SIZE); // the memory the refused map2 named is not mapped
    device.unmapMemory(memory);
  });
}

export function gettersThatEndObjects(session: ScenarioSession): void {
  const { target } = session;
  const type = target.hostVisibleTypes[0]!;
  const map2 = mapMemory2Of(target.capabilities);
  if (map2) {
    withDevice(session, undefined, (device) => {
      const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index });
      let reads = 0;
      const info = {
        memory,
        get offset() {
          reads++;
          device.freeMemory(memory);
          return 0;
        },
        size: VK_WHOLE_SIZE,
      };
      const error = captureThrow(
        () => (map2.name === 'vkMapMemory2' ? device.mapMemory2(info) : device.mapMemory2KHR(info)),
        'a map whose offset getter frees the memory',
      );
      expectRefused(error, VkmapStateError, 'pMemoryMapInfo.memory');
      expect(reads, 'the getter ran once').toBe(1);
    });
  }
  withDevice(session, undefined, (device) => {
    const kept = mappedPattern(device, type, alignUp(4096n, target.atomSize), 62);
    const error = captureThrow(
      () =>
        device.flushMappedMemoryRanges([
          {
            get memory(): DeviceMemory {
              device.unmapMemory(kept.memory);
              return kept.memory;
            },
            offset: 0,
            size: VK_WHOLE_SIZE,
          },
        ]),
      'a flush whose memory getter unmaps the memory',
    );
    expectRefused(error, VkmapStateError, 'pMemoryRanges[0].memory');
  });
  const device = deviceOf(session);
  const error = captureThrow(
    () =>
      device.allocateMemory({
        get allocationSize() {
          device.destroy();
          return 4096;
        },
        memoryTypeIndex: type.index,
      }),
    'an allocation whose size getter destroys the device',
  );
  expectRefused(error, VkmapStateError, 'device');
  expect(device.isDestroyed).toBe(true);
}

export function rangesOutsideTheMapping(session: ScenarioSession): void {
  const { target } = session;
  const type = target.hostVisibleTypes[0]!;
  const atom = target.atomSize;
  withDevice(session, undefined, (device) => {
    const size = alignUp(8192n, atom) * 2n;
    const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
    const start = size / 4n;
    const length = size / 4n;
    const end = start + length;
    const mapping = device.mapMemory(memory, start, length);
    const bytes = pattern(63, Number(length));
    mapping.data.set(bytes);
    const cases: [string, bigint, bigint, string, string][] = [
      ['before the mapping', 0n, atom, 'size', 'VUID-VkMappedMemoryRange-size-00685'],
      ['at its end', end, atom, 'size', 'VUID-VkMappedMemoryRange-size-00685'],
      ['past its end', end - atom, 2n * atom, 'size', 'VUID-VkMappedMemoryRange-size-00685'],
      ['VK_WHOLE_SIZE from its end', end, VK_WHOLE_SIZE, 'size', 'VUID-VkMappedMemoryRange-size-00686'],
      ['VK_WHOLE_SIZE from before it', 0n, VK_WHOLE_SIZE, 'size', 'VUID-VkMappedMemoryRange-size-00686'],
    ];
    if (atom > 1n) {
      cases.push(['an offset off the atom grid', start + 1n, atom, 'offset', 'VUID-VkMappedMemoryRange-offset-00687']);
      cases.push(['a size off the atom grid', start, atom - 1n, 'size', 'VUID-VkMappedMemoryRange-size-01390']);
    }
    for (const command of ['flushMappedMemoryRanges', 'invalidateMappedMemoryRanges'] as const) {
      for (const [what, offset, rangeSize, member, vuid] of cases) {
        withContext(`${command} ${what}`, () => {
          const error = captureThrow(() => device[command]([{ memory, offset, size: rangeSize }]), what);
          expectRefused(error, VkmapArgumentError, `pMemoryRanges[0].${member}`);
          expect((error as Error).message).toContain(vuid);
        });
      }
    }
    expect(mapping.isMapped).toBe(true);
    assertSameBytes(mapping.data, bytes, 'the mapping after the refused ranges');
    device.flushMappedMemoryRanges([{ memory, offset: start, size: length }]);
    device.invalidateMappedMemoryRanges([{ memory, offset: start, size: VK_WHOLE_SIZE }]);
    device.unmapMemory(memory);
  });
}

/** The buffer of a mapped view cannot be moved away, in either view lifetime, and marking it breaks nothing. */
export function viewTransfers(session: ScenarioSession): void {
  const { target } = session;
  const type = target.hostVisibleTypes[0]!;
  const size = alignUp(4096n, target.atomSize);
  for (const views of ['stable', 'detach'] as const) {
    withContext(`${views} views`, () =>
      withDevice(session, views, (device) => {
        const kept = mappedPattern(device, type, size, 64);
        const buffer = kept.mapping.data.buffer as ArrayBuffer;
        // Copied (Node 20) or refused (Node 22 and later, and any keyed native view): never moved.
        try {
          structuredClone(buffer, { transfer: [buffer] });
        } catch {
          // refused: the buffer stays where it is
        }
        const { port1, port2 } = new MessageChannel();
        try {
          port1.postMessage(buffer, [buffer]);
        } catch {
          // refused
        } finally {
          port1.close();
          port2.close();
        }
        const prototype = ArrayBuffer.prototype as unknown as Record<
          string,
          ((...a: unknown[]) => unknown) | undefined
        >;
        for (const name of ['transfer', 'transferToFixedLength']) {
          const method = prototype[name];
          if (typeof method === 'function')
            expect(() => method.call(buffer), `ArrayBuffer.prototype.${name} of a mapped buffer`).toThrow();
        }
        kept.check('transfers of its buffer');
        markAsUntransferable(buffer);
        if (!type.coherent) device.flushMappedMemoryRanges([{ memory: kept.memory, offset: 0, size: VK_WHOLE_SIZE }]);
        device.unmapMemory(kept.memory);
        const again = device.mapMemory(kept.memory, 0n, VK_WHOLE_SIZE);
        assertSameBytes(again.data, pattern(64, Number(size)), 'a remap after the application marked the buffer');
        markAsUntransferable(again.data.buffer);
        device.freeMemory(kept.memory);
        const last = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
        markAsUntransferable(device.mapMemory(last, 0n, VK_WHOLE_SIZE).data.buffer);
      }),
    );
  }
}

/**
 * 'stable' views: a stale view never reaches another memory object. After unmap it reads the same object's
 * bytes, or (a backend's documented fallback) it was detached; after free its writes reach no new allocation.
 */
export function stableStaleViews(session: ScenarioSession): void {
  const { target } = session;
  const size = alignUp(65536n, target.atomSize);
  for (const type of target.hostVisibleTypes) {
    withContext(type.label, () => {
      const device = deviceOf(session, 'stable');
      const other = mappedPattern(device, type, size, 65);
      const first = mappedPattern(device, type, size, 66);
      const stale = first.mapping.data;
      if (!type.coherent) device.flushMappedMemoryRanges([{ memory: first.memory, offset: 0, size: VK_WHOLE_SIZE }]);
      device.unmapMemory(first.memory);
      expect(() => first.mapping.data, 'data of an ended mapping').toThrow();
      if (stale.byteLength !== 0) assertSameBytes(stale, pattern(66, Number(size)), 'a stale view after unmap');
      device.freeMemory(first.memory);
      const fresh = mappedPattern(device, type, size, 67);
      if (stale.byteLength !== 0) stale.fill(0x5a);
      fresh.check('writes through a stale view of freed memory');
      other.check('writes through a stale view of freed memory');
      device.destroy();
      if (stale.byteLength !== 0) stale[0] = 1; // harmless after destroy too
    });
  }
}
