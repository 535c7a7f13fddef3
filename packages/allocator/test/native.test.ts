/**
 * The allocator on a real driver: the same calls as on the emulator, through @vkmap/native. Skipped with
 * the reason in the test names where no Vulkan device loads, except under VKMAP_REQUIRE_NATIVE=1 (CI),
 * where the native package's own availability test fails instead.
 */
import { describe, expect, it } from 'vitest';
import { VkMemoryPropertyFlagBits } from '@vkmap/core';
import { createNativeInstance, isNativeAvailable } from '@vkmap/native';
import { AllocationCreateFlagBits as F, createAllocator } from '@vkmap/allocator';

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
});
