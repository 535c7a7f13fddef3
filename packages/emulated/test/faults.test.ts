import { describe, expect, it } from 'vitest';
import { VK_WHOLE_SIZE, VkError, VkmapArgumentError } from '@vkmap/core';
import { capture, COHERENT, makeDevice, NON_COHERENT, pattern } from './fixtures.js';

const MiB = 1024 * 1024;

describe('fault injection', () => {
  it('fails exactly the nth allocation and leaves state as it was', () => {
    const device = makeDevice();
    device.faults.failNthCall({ target: 'allocate', nth: 3, result: 'VK_ERROR_OUT_OF_HOST_MEMORY' });
    device.allocateMemory({ allocationSize: 64, memoryTypeIndex: COHERENT });
    device.allocateMemory({ allocationSize: 64, memoryTypeIndex: COHERENT });
    const before = device.getMemoryBudget();
    const error = capture(() => device.allocateMemory({ allocationSize: 64, memoryTypeIndex: COHERENT }));
    expect((error as VkError).result).toBe('VK_ERROR_OUT_OF_HOST_MEMORY');
    expect(device.getMemoryBudget()).toEqual(before);
    expect(device.allocationCount).toBe(2);
    device.allocateMemory({ allocationSize: 64, memoryTypeIndex: COHERENT });
    expect(device.allocationCount).toBe(3);
  });

  it('a failed map leaves data, mapping state and the address space unchanged', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: NON_COHERENT });
    device.mapMemory(memory, 0, VK_WHOLE_SIZE).data.set(pattern(4096));
    device.unmapMemory(memory); // unflushed bytes stay in the host cache
    const runs = device.addressSpace.runs();
    device.faults.failNthCall({ target: 'map', nth: 1, result: 'VK_ERROR_MEMORY_MAP_FAILED' });
    expect((capture(() => device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE })) as VkError).result).toBe(
      'VK_ERROR_MEMORY_MAP_FAILED',
    );
    expect(device.addressSpace.runs()).toEqual(runs);
    expect(device.mapMemory(memory, 0, VK_WHOLE_SIZE).data).toEqual(pattern(4096));
  });

  it('a failed flush publishes nothing', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: NON_COHERENT });
    device.mapMemory(memory, 0, VK_WHOLE_SIZE).data.fill(5);
    device.faults.failNthCall({ target: 'vkFlushMappedMemoryRanges', nth: 1, result: 'VK_ERROR_OUT_OF_DEVICE_MEMORY' });
    expect(() => device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }])).toThrow(VkError);
    expect(device.deviceRead(memory, 0, 256).every((b) => b === 0)).toBe(true);
    device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
    expect(device.deviceRead(memory, 0, 256).every((b) => b === 5)).toBe(true);
  });

  it('a failed reserving unmap leaves the memory mapped', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
    const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    device.faults.failNthCall({ target: 'vkUnmapMemory2', nth: 1, result: 'VK_ERROR_MEMORY_MAP_FAILED' });
    expect(() => device.unmapMemory2({ memory, flags: 1 })).toThrow(/MEMORY_MAP_FAILED/);
    expect(mapping.isMapped).toBe(true);
    mapping.data[0] = 1;
    device.unmapMemory(memory);
  });

  it('a random share of calls fails, the same calls for the same seed', () => {
    const run = (seed: number) => {
      const device = makeDevice(undefined, { seed });
      device.faults.failRandomly({ target: 'allocate', probability: 0.3, result: 'VK_ERROR_OUT_OF_DEVICE_MEMORY' });
      return Array.from({ length: 200 }, () => {
        try {
          device.freeMemory(device.allocateMemory({ allocationSize: 16, memoryTypeIndex: COHERENT }));
          return 0;
        } catch {
          return 1;
        }
      });
    };
    const first = run(42);
    expect(run(42)).toEqual(first);
    expect(run(43)).not.toEqual(first);
    const failures = first.reduce<number>((sum, f) => sum + f, 0);
    expect(failures).toBeGreaterThan(35);
    expect(failures).toBeLessThan(85);
  });

  it('a shrunken heap budget makes allocation fail by exhaustion', () => {
    const device = makeDevice();
    device.faults.setHeapBudget(1, BigInt(2 * MiB));
    device.allocateMemory({ allocationSize: MiB, memoryTypeIndex: COHERENT });
    expect(device.getMemoryBudget()!.heapBudget[1]).toBe(BigInt(2 * MiB));
    expect(
      (capture(() => device.allocateMemory({ allocationSize: 2 * MiB, memoryTypeIndex: COHERENT })) as VkError).result,
    ).toBe('VK_ERROR_OUT_OF_DEVICE_MEMORY');
    device.faults.clear();
    expect(device.allocateMemory({ allocationSize: 2 * MiB, memoryTypeIndex: COHERENT }).allocationSize).toBe(
      BigInt(2 * MiB),
    );
  });

  it('refuses results the command can never return', () => {
    const device = makeDevice();
    expect(() =>
      device.faults.failNthCall({ target: 'vkFlushMappedMemoryRanges', nth: 1, result: 'VK_ERROR_MEMORY_MAP_FAILED' }),
    ).toThrow(VkmapArgumentError);
    expect(() =>
      device.faults.failRandomly({ target: 'map', probability: 2, result: 'VK_ERROR_MEMORY_MAP_FAILED' }),
    ).toThrow(/probability/);
  });
});
