import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  VK_WHOLE_SIZE,
  VkError,
  VkmapArgumentError,
  VkmapStateError,
  VkMemoryMapFlagBits,
  VkMemoryUnmapFlagBits,
  VkStructureType,
  type DeviceMemory,
} from '@vkmap/core';
import { openFixture, skipNote, unavailable, type Fixture } from './helpers.js';

describe.skipIf(unavailable)(`native memory commands${skipNote}`, () => {
  let f: Fixture;
  let memory: DeviceMemory;
  beforeEach(() => {
    f = openFixture(['VK_KHR_map_memory2']);
    memory = f.device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: f.hostVisibleType });
  });
  afterEach(() => f.instance.destroy());

  describe('allocateMemory / freeMemory', () => {
    it('allocates with number or bigint sizes and frees', () => {
      expect(memory.objectType).toBe('VkDeviceMemory');
      expect(memory.allocationSize).toBe(65536n);
      expect(memory.memoryTypeIndex).toBe(f.hostVisibleType);
      expect(memory.handle).not.toBe(0n);
      const second = f.device.allocateMemory({
        sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        allocationSize: 4096n,
        memoryTypeIndex: f.hostVisibleType,
      });
      expect(second.allocationSize).toBe(4096n);
      f.device.freeMemory(second);
      f.device.freeMemory(null);
    });

    it('accepts VkMemoryAllocateFlagsInfo with a device mask of 1', () => {
      const m = f.device.allocateMemory({
        allocationSize: 256,
        memoryTypeIndex: f.hostVisibleType,
        pNext: {
          sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
          flags: 1,
          deviceMask: 1,
        } as never,
      });
      f.device.freeMemory(m);
    });

    it('refuses bad allocation infos before the driver sees them', () => {
      const type = f.hostVisibleType;
      const count = f.physicalDevice.getMemoryProperties().memoryTypes.length;
      expect(() => f.device.allocateMemory({ allocationSize: 0, memoryTypeIndex: type })).toThrow(VkmapArgumentError);
      expect(() => f.device.allocateMemory({ allocationSize: -1, memoryTypeIndex: type })).toThrow(VkmapArgumentError);
      expect(() => f.device.allocateMemory({ allocationSize: 1.5, memoryTypeIndex: type })).toThrow(VkmapArgumentError);
      expect(() => f.device.allocateMemory({ allocationSize: 64, memoryTypeIndex: count })).toThrow(
        /not a memory type of this device/,
      );
      expect(() => f.device.allocateMemory(null as never)).toThrow(VkmapArgumentError);
      expect(() =>
        f.device.allocateMemory({ allocationSize: 64, memoryTypeIndex: type, pNext: { sType: 12345 } }),
      ).toThrow(VkmapArgumentError);
      expect(() =>
        f.device.allocateMemory({
          allocationSize: 64,
          memoryTypeIndex: type,
          pNext: {
            sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
            flags: 2,
            deviceMask: 1,
          } as never,
        }),
      ).toThrow(VkmapArgumentError);
    });

    it('reports an allocation larger than its heap as VK_ERROR_OUT_OF_DEVICE_MEMORY', () => {
      const heap =
        f.physicalDevice.getMemoryProperties().memoryHeaps[
          f.physicalDevice.getMemoryProperties().memoryTypes[f.hostVisibleType]!.heapIndex
        ]!;
      const error = catchError(() =>
        f.device.allocateMemory({ allocationSize: heap.size + 1n, memoryTypeIndex: f.hostVisibleType }),
      );
      expect(error).toBeInstanceOf(VkError);
      expect((error as VkError).result).toBe('VK_ERROR_OUT_OF_DEVICE_MEMORY');
      expect((error as VkError).command).toBe('vkAllocateMemory');
    });

    it('refuses double free, foreign and fake handles', () => {
      f.device.freeMemory(memory);
      expect(() => f.device.freeMemory(memory)).toThrow(VkmapStateError);
      expect(() => f.device.freeMemory({ objectType: 'VkDeviceMemory', handle: 1n } as never)).toThrow(
        VkmapArgumentError,
      );
      expect(() => f.device.freeMemory(42 as never)).toThrow(VkmapArgumentError);
      const other = f.physicalDevice.createDevice();
      const foreign = other.allocateMemory({ allocationSize: 64, memoryTypeIndex: f.hostVisibleType });
      expect(() => f.device.freeMemory(foreign)).toThrow(/another device/);
      expect(() => f.device.mapMemory(foreign, 0, 64)).toThrow(VkmapStateError);
      other.destroy();
      memory = f.device.allocateMemory({ allocationSize: 64, memoryTypeIndex: f.hostVisibleType });
    });
  });

  describe('mapMemory / unmapMemory', () => {
    it('maps, writes, unmaps and maps again to read the same bytes', () => {
      const mapping = f.device.mapMemory(memory, 0, VK_WHOLE_SIZE);
      expect(mapping.size).toBe(65536n);
      expect(mapping.offset).toBe(0n);
      expect(mapping.isMapped).toBe(true);
      expect(mapping.isPlaced).toBe(false);
      expect(mapping.memory).toBe(memory);
      expect(mapping.address % BigInt(f.physicalDevice.getProperties().limits.minMemoryMapAlignment)).toBe(0n);
      mapping.data.set([1, 2, 3, 4], 100);
      f.device.unmapMemory(memory);
      expect(mapping.isMapped).toBe(false);
      const again = f.device.mapMemory(memory, 96n, 16n);
      expect(again.size).toBe(16n);
      expect(again.data.length).toBe(16);
      expect([...again.data.subarray(4, 8)]).toEqual([1, 2, 3, 4]);
      expect(again.address - mapping.address).toBe(96n);
      f.device.unmapMemory(memory);
    });

    it('resolves VK_WHOLE_SIZE from a non-zero offset', () => {
      const mapping = f.device.mapMemory(memory, 4096, VK_WHOLE_SIZE);
      expect(mapping.size).toBe(65536n - 4096n);
      expect(mapping.data.byteLength).toBe(65536 - 4096);
    });

    it('refuses out-of-range offsets and sizes', () => {
      expect(() => f.device.mapMemory(memory, 65536, VK_WHOLE_SIZE)).toThrow(VkmapArgumentError);
      expect(() => f.device.mapMemory(memory, 0, 65537)).toThrow(/past the end of/);
      expect(() => f.device.mapMemory(memory, 65535, 2)).toThrow(VkmapArgumentError);
      expect(() => f.device.mapMemory(memory, 0, 0)).toThrow(VkmapArgumentError);
      expect(() => f.device.mapMemory(memory, -1, 16)).toThrow(VkmapArgumentError);
      expect(() => f.device.mapMemory(memory, 2 ** 60, 16)).toThrow(VkmapArgumentError);
      expect(() => f.device.mapMemory(memory, 0, 16, VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT)).toThrow(
        /VK_MEMORY_MAP_PLACED_BIT_EXT/,
      );
      // None of these mapped anything.
      f.device.mapMemory(memory, 0, 16);
    });

    it('refuses a second map and an unmap of unmapped memory', () => {
      f.device.mapMemory(memory, 0, 64);
      expect(() => f.device.mapMemory(memory, 128, 64)).toThrow(/already mapped/);
      f.device.unmapMemory(memory);
      expect(() => f.device.unmapMemory(memory)).toThrow(/is not mapped/);
      expect(() => f.device.unmapMemory({} as never)).toThrow(VkmapArgumentError);
    });

    it('freeMemory unmaps a mapped object first', () => {
      const mapping = f.device.mapMemory(memory, 0, 64);
      f.device.freeMemory(memory);
      expect(mapping.isMapped).toBe(false);
      expect(() => f.device.unmapMemory(memory)).toThrow(VkmapStateError);
      expect(() => f.device.mapMemory(memory, 0, 64)).toThrow(/freed/);
      memory = f.device.allocateMemory({ allocationSize: 64, memoryTypeIndex: f.hostVisibleType });
    });

    it('refuses every call on a destroyed device', () => {
      f.device.destroy();
      expect(() => f.device.mapMemory(memory, 0, 64)).toThrow(/destroyed/);
      expect(() => f.device.unmapMemory(memory)).toThrow(VkmapStateError);
      expect(() => f.device.freeMemory(memory)).toThrow(VkmapStateError);
      expect(() => f.device.flushMappedMemoryRanges([])).toThrow(VkmapStateError);
      expect(() => f.device.getMemoryBudget()).toThrow(VkmapStateError);
      expect(() => f.device.reserveAddressRange(4096)).toThrow(VkmapStateError);
      expect(() => f.device.mapMemory2({ memory, offset: 0, size: 64 })).toThrow(VkmapStateError);
    });
  });

  describe('mapMemory2 / unmapMemory2 and the KHR aliases', () => {
    it('reports the commands the contract makes available', () => {
      const is14 = f.device.apiVersion >= ((1 << 22) | (4 << 12));
      expect(f.device.hasCommand('vkMapMemory2')).toBe(is14);
      expect(f.device.hasCommand('vkUnmapMemory2')).toBe(is14);
      const khr = f.device.enabledExtensions.has('VK_KHR_map_memory2');
      expect(f.device.hasCommand('vkMapMemory2KHR')).toBe(khr);
      expect(f.device.hasCommand('vkMapMemory')).toBe(true);
      expect(f.device.hasCommand('vkNotACommand')).toBe(false);
    });

    it('maps and unmaps through every available *2 entry point', () => {
      for (const [map, unmap] of [
        ['mapMemory2', 'unmapMemory2'],
        ['mapMemory2KHR', 'unmapMemory2KHR'],
      ] as const) {
        if (!f.device.hasCommand(`vk${map[0]!.toUpperCase()}${map.slice(1)}`)) continue;
        const mapping = f.device[map]({
          sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_INFO,
          memory,
          offset: 1024,
          size: 512n,
        });
        expect(mapping.size).toBe(512n);
        mapping.data[0] = 0x5a;
        expect(f.device[unmap]({ memory })).toBeUndefined();
        expect(mapping.isMapped).toBe(false);
        const check = f.device.mapMemory(memory, 1024, 1);
        expect(check.data[0]).toBe(0x5a);
        f.device.unmapMemory(memory);
      }
    });

    it('refuses unavailable commands with a VkmapStateError that says why', () => {
      const plain = f.physicalDevice.createDevice();
      expect(() => plain.mapMemory2KHR({ memory, offset: 0, size: 64 })).toThrow(/VK_KHR_map_memory2/);
      expect(() => plain.unmapMemory2KHR({ memory })).toThrow(VkmapStateError);
      plain.destroy();
    });

    it('refuses bad flags, chains and reserve unmaps without the feature', () => {
      const map = f.device.hasCommand('vkMapMemory2') ? 'mapMemory2' : 'mapMemory2KHR';
      const unmap = f.device.hasCommand('vkMapMemory2') ? 'unmapMemory2' : 'unmapMemory2KHR';
      expect(() => f.device[map]({ memory, offset: 0, size: 64, flags: 2 })).toThrow(VkmapArgumentError);
      expect(() => f.device[map]({ memory, offset: 0, size: 64, pNext: { sType: 7 } })).toThrow(VkmapArgumentError);
      expect(() =>
        f.device[map]({ memory, offset: 0, size: 64, flags: VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT }),
      ).toThrow(/VK_MEMORY_MAP_PLACED_BIT_EXT, which needs VK_EXT_map_memory_placed/);
      expect(() => f.device[map]({ sType: 6 as never, memory, offset: 0, size: 64 })).toThrow(VkmapArgumentError);
      f.device[map]({ memory, offset: 0, size: 64 });
      expect(() => f.device[unmap]({ memory, flags: VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT })).toThrow(
        /VK_MEMORY_UNMAP_RESERVE_BIT_EXT/,
      );
      expect(() => f.device[unmap]({ memory, flags: 4 })).toThrow(VkmapArgumentError);
      // Still mapped after the refused unmaps.
      f.device[unmap]({ memory });
    });
  });

  describe('flushMappedMemoryRanges / invalidateMappedMemoryRanges', () => {
    it('flushes and invalidates ranges inside the mapping', () => {
      const atom = f.physicalDevice.getProperties().limits.nonCoherentAtomSize;
      f.device.mapMemory(memory, atom, VK_WHOLE_SIZE);
      const ranges = [
        { sType: VkStructureType.VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE, memory, offset: atom, size: atom },
        { memory, offset: atom * 2n, size: VK_WHOLE_SIZE },
      ];
      f.device.flushMappedMemoryRanges(ranges);
      f.device.invalidateMappedMemoryRanges(ranges);
      f.device.flushMappedMemoryRanges([]);
    });

    it('refuses ranges of unmapped memory or outside the mapping', () => {
      expect(() => f.device.flushMappedMemoryRanges([{ memory, offset: 0, size: 64 }])).toThrow(/not mapped/);
      f.device.mapMemory(memory, 4096, 4096);
      expect(() => f.device.flushMappedMemoryRanges([{ memory, offset: 0, size: 64 }])).toThrow(
        /not inside the mapping/,
      );
      expect(() => f.device.invalidateMappedMemoryRanges([{ memory, offset: 4096, size: 8192 }])).toThrow(
        /not inside the mapping/,
      );
      expect(() => f.device.flushMappedMemoryRanges([{ memory, offset: 8192, size: VK_WHOLE_SIZE }])).toThrow(
        VkmapArgumentError,
      );
      // An empty range inside the mapping is valid usage and does nothing; its offset is still on the
      // nonCoherentAtomSize grid (VUID-VkMappedMemoryRange-offset-00687 holds whatever the size).
      expect(() => f.device.flushMappedMemoryRanges([{ memory, offset: 4096, size: 0 }])).not.toThrow();
      expect(() => f.device.invalidateMappedMemoryRanges([{ memory, offset: 5056, size: 0 }])).not.toThrow();
      expect(() => f.device.invalidateMappedMemoryRanges([{ memory, offset: 5000, size: 0 }])).toThrow(
        /VUID-VkMappedMemoryRange-offset-00687/,
      );
      expect(() => f.device.flushMappedMemoryRanges({} as never)).toThrow(VkmapArgumentError);
      expect(() => f.device.flushMappedMemoryRanges([{ memory: null as never, offset: 0, size: 1 }])).toThrow(
        VkmapArgumentError,
      );
    });
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
