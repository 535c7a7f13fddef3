/**
 * Error results: VK_ERROR_OUT_OF_DEVICE_MEMORY / OUT_OF_HOST_MEMORY from vkAllocateMemory,
 * VK_ERROR_MEMORY_MAP_FAILED from the map commands, failures of flush and invalidate, by fault injection
 * where the backend has it and by real exhaustion where that is cheap. A failed call changes nothing:
 * heap usage, mapping state and every byte stay as they were.
 */
import { expect } from 'vitest';
import { alignUp, VK_WHOLE_SIZE, VkError, type DeviceMemory, type VkResultName } from '@vkmap/core';
import { assertSameBytes, pattern } from '../bytes.js';
import { captureThrow, withContext } from '../context.js';
import type { HostVisibleType } from '../device-target.js';
import { entryPointsOf } from '../entry-points.js';
import { SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';

const MiB = 1024n * 1024n;

function expectVkError(error: unknown, results: readonly VkResultName[], command: string): void {
  expect(error, `${command} threw ${String(error)}`).toBeInstanceOf(VkError);
  expect(results, `${command} failed with ${(error as VkError).result}`).toContain((error as VkError).result);
}

/** A mapped allocation holding a known pattern, to prove a failed call leaves other data alone. */
function keeper(
  session: ScenarioSession,
  type: HostVisibleType,
): { memory: DeviceMemory; check: (what: string) => void } {
  const size = alignUp(4096n, session.target.atomSize);
  const memory = session.device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
  const mapping = session.device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
  mapping.data.set(pattern(70, Number(size)));
  return {
    memory,
    check: (what) =>
      assertSameBytes(mapping.data, pattern(70, Number(size)), `bytes of another allocation after ${what}`),
  };
}

function injectedAllocationFailure(session: ScenarioSession): void {
  const { device } = session;
  const faults = session.requireFaults();
  for (const type of session.target.hostVisibleTypes) {
    withContext(type.label, () => {
      const other = keeper(session, type);
      for (const result of ['VK_ERROR_OUT_OF_DEVICE_MEMORY', 'VK_ERROR_OUT_OF_HOST_MEMORY'] as const) {
        const usage = session.trackedUsage();
        faults.failNthCall({ target: 'vkAllocateMemory', nth: 1, result });
        const error = captureThrow(
          () => device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index }),
          'vkAllocateMemory',
        );
        expectVkError(error, [result], 'vkAllocateMemory');
        expect(session.trackedUsage(), 'heap usage after the failure').toEqual(usage);
        other.check(`a failed vkAllocateMemory (${result})`);
        device.freeMemory(device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index }));
      }
      device.freeMemory(other.memory);
    });
  }
}

function injectedMapFailure(session: ScenarioSession): void {
  const { device, target } = session;
  const faults = session.requireFaults();
  for (const type of target.hostVisibleTypes) {
    for (const entry of entryPointsOf(target.capabilities)) {
      for (const result of ['VK_ERROR_MEMORY_MAP_FAILED', 'VK_ERROR_OUT_OF_HOST_MEMORY'] as const) {
        withContext(`${type.label}, ${entry.name}, ${result}`, () => {
          const size = alignUp(8192n, target.atomSize);
          const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
          const first = entry.map(device, memory, 0n, VK_WHOLE_SIZE);
          first.data.set(pattern(80, Number(size)));
          device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
          entry.unmap(device, memory);
          faults.failNthCall({ target: 'map', nth: 1, result });
          const error = captureThrow(() => entry.map(device, memory, 0n, VK_WHOLE_SIZE), entry.name);
          expectVkError(error, [result], entry.name);
          // Still unmapped (a second map of a mapped object would be invalid), bytes as they were.
          const again = entry.map(device, memory, 0n, VK_WHOLE_SIZE);
          device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
          assertSameBytes(again.data, pattern(80, Number(size)), 'bytes after a failed map and a new map');
          device.freeMemory(memory);
        });
      }
    }
  }
}

function injectedFlushAndInvalidateFailure(session: ScenarioSession): void {
  const { device, target } = session;
  const faults = session.requireFaults();
  const types = target.hostVisibleTypes.filter((t) => !t.coherent);
  for (const type of types.length > 0 ? types : target.hostVisibleTypes.slice(0, 1)) {
    const access = session.accessFor(type);
    withContext(type.label, () => {
      const size = alignUp(4096n, target.atomSize);
      const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
      const mapping = device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
      const whole = [{ memory, offset: 0, size: VK_WHOLE_SIZE }];
      const hostBytes = pattern(90, Number(size));
      mapping.data.set(hostBytes);
      const deviceBefore = access?.read(memory, 0, size);

      faults.failNthCall({ target: 'vkFlushMappedMemoryRanges', nth: 1, result: 'VK_ERROR_OUT_OF_HOST_MEMORY' });
      expectVkError(
        captureThrow(() => device.flushMappedMemoryRanges(whole), 'vkFlushMappedMemoryRanges'),
        ['VK_ERROR_OUT_OF_HOST_MEMORY'],
        'vkFlushMappedMemoryRanges',
      );
      assertSameBytes(mapping.data, hostBytes, 'host bytes after a failed flush');
      if (access && !type.coherent)
        assertSameBytes(access.read(memory, 0, size), deviceBefore!, 'device bytes after a failed flush');

      device.flushMappedMemoryRanges(whole);
      if (access) assertSameBytes(access.read(memory, 0, size), hostBytes, 'device bytes after the flush that worked');

      const deviceBytes = pattern(91, Number(size));
      access?.write(memory, 0, deviceBytes);
      faults.failNthCall({ target: 'vkInvalidateMappedMemoryRanges', nth: 1, result: 'VK_ERROR_OUT_OF_DEVICE_MEMORY' });
      expectVkError(
        captureThrow(() => device.invalidateMappedMemoryRanges(whole), 'vkInvalidateMappedMemoryRanges'),
        ['VK_ERROR_OUT_OF_DEVICE_MEMORY'],
        'vkInvalidateMappedMemoryRanges',
      );
      if (!type.coherent || !access) assertSameBytes(mapping.data, hostBytes, 'host bytes after a failed invalidate');
      device.invalidateMappedMemoryRanges(whole);
      assertSameBytes(mapping.data, access ? deviceBytes : hostBytes, 'host bytes after the invalidate that worked');
      device.freeMemory(memory);
    });
  }
}

function cappedBudgetExhaustion(session: ScenarioSession): void {
  const { device, target } = session;
  const faults = session.requireFaults();
  const type = target.hostVisibleTypes[0]!;
  const other = keeper(session, type);
  const usage = device.getMemoryBudget()?.heapUsage[type.heapIndex] ?? 0n;
  faults.setHeapBudget!(type.heapIndex, usage + 4n * MiB);
  const fits = device.allocateMemory({ allocationSize: 3n * MiB, memoryTypeIndex: type.index });
  const usageFull = session.trackedUsage();
  const error = captureThrow(
    () => device.allocateMemory({ allocationSize: 2n * MiB, memoryTypeIndex: type.index }),
    'vkAllocateMemory past the budget',
  );
  expectVkError(error, ['VK_ERROR_OUT_OF_DEVICE_MEMORY'], 'vkAllocateMemory');
  expect(session.trackedUsage(), 'heap usage after the failure').toEqual(usageFull);
  other.check('an allocation past the budget');
  faults.clear();
  device.freeMemory(device.allocateMemory({ allocationSize: 2n * MiB, memoryTypeIndex: type.index }));
  device.freeMemory(fits);
  device.freeMemory(other.memory);
}

function realHeapExhaustion(session: ScenarioSession): void {
  const { device, target } = session;
  const byHeap = new Map<number, HostVisibleType>();
  for (const type of target.hostVisibleTypes) if (!byHeap.has(type.heapIndex)) byHeap.set(type.heapIndex, type);
  for (const type of byHeap.values()) {
    withContext(`heap ${type.heapIndex} (${type.heapSize} bytes) through ${type.label}`, () => {
      const usageBefore = session.trackedUsage();
      // A small mapped allocation with known bytes; the chunks themselves are never mapped (too large).
      const other = keeper(session, type);
      let chunk = alignUp(type.heapSize / 4n + 1n, target.atomSize);
      if (chunk > target.maxMemoryAllocationSize) chunk = target.maxMemoryAllocationSize;
      const held: DeviceMemory[] = [];
      const limit = Number(type.heapSize / chunk) + 2;
      let failure: unknown;
      for (let i = 0; i < limit && failure === undefined; i++) {
        try {
          held.push(device.allocateMemory({ allocationSize: chunk, memoryTypeIndex: type.index }));
        } catch (error) {
          failure = error;
        }
      }
      expect(
        failure,
        `${held.length} allocations of ${chunk} bytes from a ${type.heapSize}-byte heap all succeeded`,
      ).toBeDefined();
      expectVkError(failure, ['VK_ERROR_OUT_OF_DEVICE_MEMORY', 'VK_ERROR_OUT_OF_HOST_MEMORY'], 'vkAllocateMemory');
      const usageFull = session.trackedUsage();
      expect(
        captureThrow(
          () => device.allocateMemory({ allocationSize: chunk, memoryTypeIndex: type.index }),
          'vkAllocateMemory',
        ),
      ).toBeInstanceOf(VkError);
      expect(session.trackedUsage(), 'heap usage after the failure').toEqual(usageFull);
      other.check('allocations past a full heap');
      for (const memory of held) device.freeMemory(memory);
      device.freeMemory(other.memory);
      expect(session.trackedUsage(), 'heap usage after freeing every chunk').toEqual(usageBefore);
    });
  }
}

export function errorResultScenarios(ctx: TargetContext): ScenarioSpec[] {
  const { target, options } = ctx;
  const caps = target.capabilities;
  const path = ['error results'];
  const noType = target.hostVisibleTypes.length === 0 ? SKIP.noHostVisibleType : undefined;
  const noFaults = noType ?? (caps.faults ? undefined : SKIP.noFaults);
  const heapTooLarge =
    !options.largeAllocations && target.hostVisibleTypes.some((t) => t.heapSize > options.cheapHeapBytes)
      ? `a HOST_VISIBLE heap is larger than ${options.cheapHeapBytes / MiB} MiB and large allocations are not cheap on this backend`
      : undefined;
  return [
    {
      group: 'errors',
      path,
      title: 'vkAllocateMemory failing with injected OUT_OF_DEVICE_MEMORY / OUT_OF_HOST_MEMORY changes nothing',
      skipReason: noFaults,
      body: injectedAllocationFailure,
    },
    {
      group: 'errors',
      path,
      title:
        'map failing with injected MEMORY_MAP_FAILED / OUT_OF_HOST_MEMORY leaves the memory unmapped and its bytes unchanged',
      skipReason: noFaults,
      body: injectedMapFailure,
    },
    {
      group: 'errors',
      path,
      title: 'flush and invalidate failing with injected errors move no bytes',
      skipReason: noFaults,
      body: injectedFlushAndInvalidateFailure,
    },
    {
      group: 'errors',
      path,
      title: 'allocation past a capped heap budget fails with OUT_OF_DEVICE_MEMORY and changes nothing',
      skipReason: noFaults ?? (caps.heapBudgetCap ? undefined : SKIP.noHeapBudgetCap),
      body: cappedBudgetExhaustion,
    },
    {
      group: 'errors',
      path,
      title: 'allocation past a full heap (real exhaustion) fails with out-of-memory and changes nothing',
      skipReason: noType ?? heapTooLarge,
      body: realHeapExhaustion,
    },
  ];
}
