/**
 * The allocator on a real driver: the same calls as on the emulator, through @vkmap/native. Skipped with
 * the reason in the test names where no Vulkan device loads, except under VKMAP_REQUIRE_NATIVE=1 (CI),
 * where the native package's own availability test fails instead.
 */
import { describe, expect, it } from 'vitest';
import { VkBufferUsageFlagBits, VkMemoryPropertyFlagBits } from '@vkmap/core';
import { createNativeInstance, isNativeAvailable } from '@vkmap/native';
import { AllocationCreateFlagBits as F, createAllocator } from '@vkmap/allocator';
import { copyOnDevice, pattern, roundTrip } from './fixtures.js';

const availability = isNativeAvailable();
const skipNote = availability.available ? '' : ` (skipped: ${availability.reason ?? 'native backend unavailable'})`;
const HOST_VISIBLE = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;

describe.skipIf(!availability.available)(`allocator on the native backend${skipNote}`, () => {
  it(`sub-allocates from one shared block mapping and reads back through a remap${skipNote}`, () => {
    const instance = createNativeInstance();
    const device = instance.enumeratePhysicalDevices()[0]!.createDevice();
    try {
      const allocator = createAllocator(device);
      const requirements = { size: 4096, alignment: 256, memoryTypeBits: 0xffffffff };
      const allocations = Array.from({ length: 8 }, (_, i) =>
        allocator.allocateMemory(requirements, { flags: F.HOST_ACCESS_RANDOM, name: `a${i}` }),
      );
      const memoryTypes = device.physicalDevice.getMemoryProperties().memoryTypes;
      for (const allocation of allocations) {
        expect(memoryTypes[allocation.memoryTypeIndex]!.propertyFlags & HOST_VISIBLE).toBe(HOST_VISIBLE);
      }
      // Small allocations share one block, so one VkDeviceMemory.
      expect(new Set(allocations.map((a) => a.memory)).size).toBe(1);
      allocations.forEach((allocation, i) => {
        const view = allocator.mapMemory(allocation);
        expect(view.byteLength).toBe(4096);
        view.fill(i + 1);
        allocator.flushAllocation(allocation);
        allocator.unmapMemory(allocation);
      });
      allocations.forEach((allocation, i) => {
        const view = allocator.mapMemory(allocation);
        allocator.invalidateAllocation(allocation);
        expect(view.every((b) => b === i + 1)).toBe(true);
        allocator.unmapMemory(allocation);
      });
      for (const allocation of allocations) allocator.freeMemory(allocation);
      allocator.destroy();
    } finally {
      device.destroy();
      instance.destroy();
    }
  });

  it(`createBuffer: filled through a persistent mapping, copied on the device, read back through a mapping${skipNote}`, () => {
    const instance = createNativeInstance();
    const device = instance.enumeratePhysicalDevices()[0]!.createDevice();
    try {
      const allocator = createAllocator(device);
      for (const uploadFlags of [F.HOST_ACCESS_SEQUENTIAL_WRITE, F.HOST_ACCESS_RANDOM]) {
        for (const flags of roundTrip(device, allocator, uploadFlags)) expect(flags).not.toBe(0);
      }
      // Small buffers share a block, each bound at its allocation's offset; a dedicated one has memory of its own.
      const info = { flags: F.HOST_ACCESS_RANDOM | F.MAPPED };
      const usage =
        VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
        VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_DST_BIT |
        VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
      const first = allocator.createBuffer({ size: 300, usage }, info);
      const second = allocator.createBuffer({ size: 300, usage }, info);
      const dedicated = allocator.createBuffer({ size: 300, usage }, { flags: info.flags | F.DEDICATED_MEMORY });
      expect(second.allocation.memory).toBe(first.allocation.memory);
      expect(second.allocation.offset % device.getBufferMemoryRequirements(second.buffer).alignment).toBe(0n);
      expect(dedicated.allocation.isDedicated).toBe(true);
      first.allocation.mappedData!.set(pattern(300, 5));
      allocator.flushAllocation(first.allocation);
      copyOnDevice(device, first.buffer, second.buffer, 300);
      copyOnDevice(device, second.buffer, dedicated.buffer, 300);
      allocator.invalidateAllocation(dedicated.allocation);
      expect(dedicated.allocation.mappedData!.subarray(0, 300)).toEqual(pattern(300, 5));
      for (const { buffer, allocation } of [first, second, dedicated]) allocator.destroyBuffer(buffer, allocation);
      allocator.destroy();
    } finally {
      device.destroy();
      instance.destroy();
    }
  });
});
