import { describe, expect, it } from 'vitest';
import {
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_WHOLE_SIZE,
  VkMemoryMapFlagBits,
  VkMemoryUnmapFlagBits,
  VkStructureType,
  type DeviceMemory,
  type MemoryMapPlacedInfoEXT,
  type MemoryUnmapInfo,
} from '@vkmap/core';
import {
  allocate,
  expectVuids,
  khrDevice,
  negative,
  placedDevice,
  plainDevice,
  stress14,
  validatedDevice,
} from './helpers.js';

const { VK_MEMORY_UNMAP_RESERVE_BIT_EXT } = VkMemoryUnmapFlagBits;

describe('vkUnmapMemory', () => {
  it('valid: map then unmap reports nothing, and the mapping ends', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    device.unmapMemory(memory);
    expect(mapping.isMapped).toBe(false);
  });
  negative(['VUID-vkUnmapMemory-memory-00689'], 'unmapping memory that was never mapped', () => {
    const device = plainDevice();
    device.unmapMemory(allocate(device, 4096));
  });
  negative(['VUID-vkUnmapMemory-memory-00689'], 'unmapping twice', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    device.unmapMemory(memory);
    device.unmapMemory(memory);
  });
  negative(['VUID-vkUnmapMemory-memory-parameter'], 'unmapping null', () => plainDevice().unmapMemory(null as never));
  negative(['VUID-vkUnmapMemory-memory-parent'], 'unmapping mapped memory of another device', () => {
    const owner = plainDevice();
    const memory = allocate(owner, 4096);
    owner.mapMemory(memory, 0, VK_WHOLE_SIZE);
    plainDevice().unmapMemory(memory);
  });
  negative(
    ['VUID-vkUnmapMemory-memory-parent'],
    'unmapping unmapped memory of another device: no rule of the memory’s state',
    () => {
      plainDevice().unmapMemory(allocate(plainDevice(), 4096));
    },
  );
  negative(['VUID-vkUnmapMemory-device-parameter'], 'unmapping on a destroyed device', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    device.destroy();
    device.unmapMemory(memory);
  });
});

describe('vkUnmapMemory2', () => {
  const mapped = (device = plainDevice()): [typeof device, DeviceMemory] => {
    const memory = allocate(device, 4096);
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    return [device, memory];
  };
  it('valid: unmapMemory2 with and without sType reports nothing', () => {
    const [device, memory] = mapped();
    expect(
      device.unmapMemory2({ sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO, memory, flags: 0 }),
    ).toBeUndefined();
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    device.unmapMemory2({ memory });
  });
  negative(['VUID-VkMemoryUnmapInfo-memory-07964'], 'unmapping memory that is not mapped', () => {
    const device = plainDevice();
    device.unmapMemory2({ memory: allocate(device, 4096) });
  });
  negative(['VUID-vkUnmapMemory2-pMemoryUnmapInfo-parameter'], 'no info object', () =>
    plainDevice().unmapMemory2(undefined as unknown as MemoryUnmapInfo),
  );
  negative(['VUID-VkMemoryUnmapInfo-sType-sType'], 'sType of VkMemoryMapInfo', () => {
    const [device, memory] = mapped();
    device.unmapMemory2({ sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_INFO as never, memory });
  });
  negative(['VUID-VkMemoryUnmapInfo-pNext-pNext'], 'any structure in pNext', () => {
    const [device, memory] = mapped();
    device.unmapMemory2({ memory, pNext: { sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT } });
  });
  negative(['VUID-VkMemoryUnmapInfo-flags-parameter'], 'RESERVE without VK_EXT_map_memory_placed', () => {
    const [device, memory] = mapped();
    device.unmapMemory2({ memory, flags: VK_MEMORY_UNMAP_RESERVE_BIT_EXT });
  });
  negative(['VUID-VkMemoryUnmapInfo-flags-parameter'], 'an undefined bit (0x4)', () => {
    const [device, memory] = mapped(placedDevice());
    device.unmapMemory2({ memory, flags: 0x4 });
  });
  negative(
    ['VUID-VkMemoryUnmapInfo-flags-09579'],
    'RESERVE on mapped memory without the memoryUnmapReserve feature',
    () => {
      const device = placedDevice(undefined, {
        mapMemoryPlaced: { memoryMapPlaced: true, memoryMapRangePlaced: true },
      });
      const memory = allocate(device, 4096);
      const range = device.reserveAddressRange(4096);
      device.mapMemory2({
        memory,
        offset: 0,
        size: VK_WHOLE_SIZE,
        flags: VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT,
        pNext: {
          sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
          pPlacedAddress: range.address,
        } as MemoryMapPlacedInfoEXT,
      });
      device.unmapMemory2({ memory, flags: VK_MEMORY_UNMAP_RESERVE_BIT_EXT });
    },
  );
  negative(
    ['VUID-VkMemoryUnmapInfo-flags-09579', 'VUID-VkMemoryUnmapInfo-memory-07964'],
    'RESERVE without the feature on memory that is not mapped',
    () => {
      const device = validatedDevice({ profile: stress14, extensions: [VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME] });
      device.unmapMemory2({ memory: allocate(device, 4096), flags: VK_MEMORY_UNMAP_RESERVE_BIT_EXT });
    },
  );
  negative(['VUID-VkMemoryUnmapInfo-memory-parameter'], 'freed memory', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.freeMemory(memory);
    device.unmapMemory2({ memory });
  });
  negative(
    ['UNASSIGNED-VkMemoryUnmapInfo-memory-parent'],
    'mapped memory of another device (the Khronos layer’s identifier)',
    () => {
      const [, memory] = mapped();
      plainDevice().unmapMemory2({ memory });
    },
  );
  negative(
    ['UNASSIGNED-VkMemoryUnmapInfo-memory-parent'],
    'unmapped memory of another device: no rule of the memory’s state',
    () => {
      plainDevice().unmapMemory2({ memory: allocate(plainDevice(), 4096) });
    },
  );
  negative(
    ['UNASSIGNED-VkMemoryUnmapInfo-memory-parent'],
    'memory of another device through unmapMemory2KHR with reportKhrAliases: one identifier, no KHR spelling',
    () => {
      const [, memory] = mapped(khrDevice());
      khrDevice({ reportKhrAliases: true }).unmapMemory2KHR({ memory });
    },
  );
  negative(['VUID-vkUnmapMemory2-device-parameter'], 'a destroyed device', () => {
    const [device, memory] = mapped();
    device.destroy();
    device.unmapMemory2({ memory });
  });

  it('a refused unmap changes nothing: the mapping stays live', () => {
    const [device, memory] = mapped();
    expectVuids(() => device.unmapMemory2({ memory, flags: 0x4 }), ['VUID-VkMemoryUnmapInfo-flags-parameter']);
    expectVuids(() => device.mapMemory(memory, 0, VK_WHOLE_SIZE), ['VUID-vkMapMemory-memory-00678']);
    device.unmapMemory2({ memory });
  });
});
