import { describe, expect, it } from 'vitest';
import { VK_WHOLE_SIZE, VkError } from '@vkmap/core';
import { capture, COHERENT, DEVICE_LOCAL, makeDevice, testProfile } from './fixtures.js';

const MiB = 1024 * 1024;

describe('allocation accounting', () => {
  it('fails with VK_ERROR_OUT_OF_DEVICE_MEMORY when the heap is exhausted, and recovers after a free', () => {
    const device = makeDevice(); // heap 1: 32 MiB
    const held = Array.from({ length: 4 }, () =>
      device.allocateMemory({ allocationSize: 8 * MiB, memoryTypeIndex: COHERENT }),
    );
    const error = capture(() => device.allocateMemory({ allocationSize: 1, memoryTypeIndex: COHERENT }));
    expect(error).toBeInstanceOf(VkError);
    expect((error as VkError).result).toBe('VK_ERROR_OUT_OF_DEVICE_MEMORY');
    expect((error as VkError).code).toBe(-2);
    // The other heap is unaffected.
    expect(device.allocateMemory({ allocationSize: 8 * MiB, memoryTypeIndex: DEVICE_LOCAL }).allocationSize).toBe(
      BigInt(8 * MiB),
    );
    device.freeMemory(held[0]!);
    expect(device.allocateMemory({ allocationSize: 8 * MiB, memoryTypeIndex: COHERENT }).allocationSize).toBe(
      BigInt(8 * MiB),
    );
  });

  it('fails with VK_ERROR_TOO_MANY_OBJECTS past maxMemoryAllocationCount', () => {
    const device = makeDevice({ ...testProfile, limits: { ...testProfile.limits, maxMemoryAllocationCount: 4096 } });
    for (let i = 0; i < 4096; i++) device.allocateMemory({ allocationSize: 16, memoryTypeIndex: DEVICE_LOCAL });
    expect(device.allocationCount).toBe(4096);
    const error = capture(() => device.allocateMemory({ allocationSize: 16, memoryTypeIndex: DEVICE_LOCAL }));
    expect((error as VkError).result).toBe('VK_ERROR_TOO_MANY_OBJECTS');
  });

  it('reports usage and budget per heap (VK_EXT_memory_budget)', () => {
    const device = makeDevice();
    const a = device.allocateMemory({ allocationSize: 3 * MiB, memoryTypeIndex: COHERENT });
    device.allocateMemory({ allocationSize: MiB, memoryTypeIndex: DEVICE_LOCAL });
    expect(device.getMemoryBudget()).toEqual({
      heapBudget: [BigInt(64 * MiB), BigInt(32 * MiB)],
      heapUsage: [BigInt(MiB), BigInt(3 * MiB)],
    });
    device.freeMemory(a);
    expect(device.getMemoryBudget()!.heapUsage).toEqual([BigInt(MiB), 0n]);
  });

  it('has no budget without VK_EXT_memory_budget', () => {
    const device = makeDevice({
      ...testProfile,
      extensions: testProfile.extensions.filter((e) => e !== 'VK_EXT_memory_budget'),
    });
    expect(device.getMemoryBudget()).toBeUndefined();
  });

  it("keeps each allocation's contents apart", () => {
    const device = makeDevice();
    const memories = [1, 2, 3].map((value) => {
      const memory = device.allocateMemory({ allocationSize: 100, memoryTypeIndex: COHERENT });
      device.mapMemory(memory, 0, VK_WHOLE_SIZE).data.fill(value);
      device.unmapMemory(memory);
      return memory;
    });
    memories.forEach((memory, i) => expect(device.deviceRead(memory, 0, 100).every((b) => b === i + 1)).toBe(true));
  });
});
