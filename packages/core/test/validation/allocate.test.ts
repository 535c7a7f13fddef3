import { describe, expect, it } from 'vitest';
import {
  VK_API_VERSION_1_0,
  VkMemoryAllocateFlagBits,
  VkStructureType,
  type DeviceMemory,
  type MemoryAllocateInfo,
} from '@vkmap/core';
import {
  allocate,
  expectVuids,
  negative,
  plainDevice,
  stress14,
  TYPE_COHERENT,
  TYPE_DEVICE_LOCAL,
  validatedDevice,
} from './helpers.js';

const MIB = 1024n * 1024n;
const { VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT } = VkMemoryAllocateFlagBits;
const flagsInfo = (flags: number, deviceMask: number) => ({
  sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
  flags,
  deviceMask,
});

describe('vkAllocateMemory: valid usage', () => {
  it('allocates up to the heap size, with and without VkMemoryAllocateFlagsInfo, and reports nothing', () => {
    const device = plainDevice();
    const whole = allocate(device, 48n * MIB, TYPE_COHERENT);
    expect(whole.allocationSize).toBe(48n * MIB);
    device.freeMemory(whole);
    const masked = device.allocateMemory({
      sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
      pNext: flagsInfo(VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT, 0b1),
      allocationSize: 4096,
      memoryTypeIndex: TYPE_DEVICE_LOCAL,
    });
    expect(masked.memoryTypeIndex).toBe(TYPE_DEVICE_LOCAL);
    device.freeMemory(masked);
    device.freeMemory(null);
  });
});

describe('vkAllocateMemory: the rules', () => {
  negative(['VUID-vkAllocateMemory-pAllocateInfo-01714'], 'memoryTypeIndex 5 on a device with 5 memory types', () =>
    allocate(plainDevice(), 4096, 5),
  );
  negative(['VUID-vkAllocateMemory-pAllocateInfo-01713'], 'one byte more than the 48 MiB heap of the memory type', () =>
    allocate(plainDevice(), 48n * MIB + 1n, TYPE_COHERENT),
  );
  negative(['VUID-VkMemoryAllocateInfo-allocationSize-07897'], 'allocationSize 0 (vkmap has no import or export)', () =>
    allocate(plainDevice(), 0, TYPE_COHERENT),
  );
  negative(
    ['VUID-VkMemoryAllocateInfo-allocationSize-07897', 'VUID-vkAllocateMemory-pAllocateInfo-01714'],
    'size 0 and a memory type that does not exist, both in one report',
    () => allocate(plainDevice(), 0, 99),
  );

  describe('maxMemoryAllocationCount', () => {
    it('VUID-vkAllocateMemory-maxMemoryAllocationCount-04101: the 4097th live allocation of stress (limit 4096), and a free makes room again', () => {
      const device = plainDevice();
      const live: DeviceMemory[] = [];
      for (let i = 0; i < 4096; i++) live.push(allocate(device, 256));
      const error = expectVuids(() => allocate(device, 256), ['VUID-vkAllocateMemory-maxMemoryAllocationCount-04101']);
      expect(error.failures[0]!.message).toContain('4096 allocations are live');
      device.freeMemory(live.pop()!);
      expect(allocate(device, 256).allocationSize).toBe(256n);
    });
  });
});

describe('vkAllocateMemory: JavaScript misuse of the argument', () => {
  negative(['VUID-vkAllocateMemory-pAllocateInfo-parameter'], 'no info object', () =>
    plainDevice().allocateMemory(undefined as unknown as MemoryAllocateInfo),
  );
  negative(['VUID-vkAllocateMemory-pAllocateInfo-parameter'], 'a number instead of the info object', () =>
    plainDevice().allocateMemory(42 as unknown as MemoryAllocateInfo),
  );
  negative(['VUID-VkMemoryAllocateInfo-sType-sType'], 'sType of VkMappedMemoryRange on the info', () =>
    plainDevice().allocateMemory({ sType: 6 as 5, allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT }),
  );
  negative(
    ['VUID-VkMemoryAllocateInfo-pNext-pNext'],
    'a structure vkmap does not model in pNext (VkMemoryPriorityAllocateInfoEXT)',
    () =>
      plainDevice().allocateMemory({
        pNext: { sType: 1000238001 },
        allocationSize: 4096,
        memoryTypeIndex: TYPE_COHERENT,
      }),
  );
  negative(['VUID-VkMemoryAllocateInfo-pNext-pNext'], 'a string in pNext', () =>
    plainDevice().allocateMemory({
      pNext: 'flags' as never,
      allocationSize: 4096,
      memoryTypeIndex: TYPE_COHERENT,
    }),
  );
  negative(['VUID-VkMemoryAllocateInfo-sType-unique'], 'two VkMemoryAllocateFlagsInfo in one chain', () =>
    plainDevice().allocateMemory({
      pNext: { ...flagsInfo(0, 0), pNext: flagsInfo(0, 0) },
      allocationSize: 4096,
      memoryTypeIndex: TYPE_COHERENT,
    }),
  );
  negative(
    ['VUID-VkMemoryAllocateFlagsInfo-sType-sType'],
    'a VkMemoryAllocateFlagsInfo (by its members) without sType',
    () =>
      plainDevice().allocateMemory({
        pNext: { flags: 0, deviceMask: 1 } as never,
        allocationSize: 4096,
        memoryTypeIndex: TYPE_COHERENT,
      }),
  );
  negative(
    ['VUID-VkMemoryAllocateInfo-pNext-pNext'],
    'VkMemoryAllocateFlagsInfo on a Vulkan 1.0 device without VK_KHR_device_group',
    () =>
      validatedDevice({ profile: stress14, apiVersion: VK_API_VERSION_1_0 }).allocateMemory({
        pNext: flagsInfo(0, 0),
        allocationSize: 4096,
        memoryTypeIndex: TYPE_COHERENT,
      }),
  );
});

describe('VkMemoryAllocateFlagsInfo', () => {
  const withFlags = (flags: number, deviceMask: number) => () =>
    plainDevice().allocateMemory({
      pNext: flagsInfo(flags, deviceMask),
      allocationSize: 4096,
      memoryTypeIndex: TYPE_COHERENT,
    });
  negative(
    ['VUID-VkMemoryAllocateFlagsInfo-deviceMask-00676'],
    'DEVICE_MASK_BIT with deviceMask 0',
    withFlags(VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT, 0),
  );
  negative(
    ['VUID-VkMemoryAllocateFlagsInfo-deviceMask-00675'],
    'DEVICE_MASK_BIT with deviceMask 0b11 on a one-device logical device',
    withFlags(VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT, 0b11),
  );
  negative(
    ['VUID-VkMemoryAllocateFlagsInfo-flags-parameter'],
    'the device-address bit (0x2), which vkmap devices cannot enable',
    withFlags(0x2, 0),
  );
  negative(['VUID-VkMemoryAllocateFlagsInfo-flags-parameter'], 'flags 1.5', withFlags(1.5, 1));
  it('ignores deviceMask when DEVICE_MASK_BIT is not set', () => {
    expect(withFlags(0, 0b1010)().allocationSize).toBe(4096n);
  });
});

describe('vkAllocateMemory: a destroyed device', () => {
  negative(['VUID-vkAllocateMemory-device-parameter'], 'allocating on a destroyed device', () => {
    const device = plainDevice();
    device.destroy();
    return allocate(device, 4096);
  });
});

describe('vkFreeMemory', () => {
  negative(['VUID-vkFreeMemory-memory-parameter'], 'freeing memory twice', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.freeMemory(memory);
    device.freeMemory(memory);
  });
  negative(['VUID-vkFreeMemory-memory-parameter'], 'freeing a plain object', () =>
    plainDevice().freeMemory({} as DeviceMemory),
  );
  negative(['VUID-vkFreeMemory-memory-parameter'], 'freeing undefined (VK_NULL_HANDLE is null)', () =>
    plainDevice().freeMemory(undefined as unknown as null),
  );
  negative(['VUID-vkFreeMemory-memory-parent'], 'freeing memory of another validated device', () => {
    const other = allocate(plainDevice(), 4096);
    plainDevice().freeMemory(other);
  });
  negative(['VUID-vkFreeMemory-device-parameter'], 'freeing on a destroyed device', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.destroy();
    device.freeMemory(memory);
  });

  it('a free of mapped memory unmaps it: its address range is free for a later mapping and unmap reports it freed', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    expect(device.mapMemory(memory, 0, 4096).isMapped).toBe(true);
    device.freeMemory(memory);
    expectVuids(() => device.unmapMemory(memory), ['VUID-vkUnmapMemory-memory-parameter']);
    const next = allocate(device, 4096);
    expect(device.mapMemory(next, 0, 4096).size).toBe(4096n);
  });

  it('a refused free changes nothing: the memory stays allocated and mapped', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.mapMemory(memory, 0, 4096);
    expectVuids(() => plainDevice().freeMemory(memory), ['VUID-vkFreeMemory-memory-parent']);
    device.unmapMemory(memory);
    device.freeMemory(memory);
  });
});
