import { describe, expect, it } from 'vitest';
import {
  isKnownVuid,
  VK_WHOLE_SIZE,
  VkMemoryMapFlagBits,
  VkmapArgumentError,
  VkmapStateError,
  VkStructureType,
  type DeviceMemory,
  type MemoryMapInfo,
  type MemoryMapPlacedInfoEXT,
} from '@vkmap/core';
import {
  allocate,
  expectVuids,
  h100Device,
  khrDevice,
  negative,
  placedDevice,
  plainDevice,
  PLACED_ALIGNMENT,
  TYPE_DEVICE_LOCAL,
  validatedDevice,
} from './helpers.js';

const { VK_MEMORY_MAP_PLACED_BIT_EXT } = VkMemoryMapFlagBits;
const placedInfo = (pPlacedAddress: bigint): MemoryMapPlacedInfoEXT => ({
  sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
  pPlacedAddress,
});

describe('vkMapMemory: valid usage', () => {
  it('maps whole, at an offset, and again after an unmap, reporting nothing', () => {
    const device = plainDevice();
    const memory = allocate(device, 8192);
    const whole = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    expect(whole.size).toBe(8192n);
    device.unmapMemory(memory);
    const tail = device.mapMemory(memory, 8191, 1);
    expect([tail.offset, tail.size]).toEqual([8191n, 1n]);
    device.unmapMemory(memory);
  });
});

describe('vkMapMemory: the rules', () => {
  negative(['VUID-vkMapMemory-memory-00678'], 'mapping memory that is already mapped', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.mapMemory(memory, 0, 1024);
    device.mapMemory(memory, 2048, 1024);
  });
  negative(['VUID-vkMapMemory-offset-00679'], 'offset equal to the allocation size, with VK_WHOLE_SIZE', () => {
    const device = plainDevice();
    device.mapMemory(allocate(device, 4096), 4096, VK_WHOLE_SIZE);
  });
  negative(['VUID-vkMapMemory-size-00680'], 'size 0', () => {
    const device = plainDevice();
    device.mapMemory(allocate(device, 4096), 0, 0);
  });
  negative(['VUID-vkMapMemory-size-00681'], 'offset 4000 + size 97 runs one byte past a 4096-byte allocation', () => {
    const device = plainDevice();
    device.mapMemory(allocate(device, 4096), 4000, 97);
  });
  negative(
    ['VUID-vkMapMemory-offset-00679', 'VUID-vkMapMemory-size-00681'],
    'offset near 2^64 and a size whose sum with it passes 2^64 - 1 (no wrap-around)',
    () => {
      const device = plainDevice();
      device.mapMemory(allocate(device, 4096), 2n ** 64n - 2n, 4);
    },
  );
  negative(['VUID-vkMapMemory-memory-00682'], 'mapping DEVICE_LOCAL-only memory', () => {
    const device = plainDevice();
    device.mapMemory(allocate(device, 4096, TYPE_DEVICE_LOCAL), 0, VK_WHOLE_SIZE);
  });
  negative(
    ['VUID-vkMapMemory-flags-09568'],
    'VK_MEMORY_MAP_PLACED_BIT_EXT on vkMapMemory with the placed extension enabled',
    () => {
      const device = placedDevice();
      device.mapMemory(allocate(device, 4096), 0, VK_WHOLE_SIZE, VK_MEMORY_MAP_PLACED_BIT_EXT);
    },
  );
  negative(['VUID-vkMapMemory-flags-parameter'], 'VK_MEMORY_MAP_PLACED_BIT_EXT without the placed extension', () => {
    const device = plainDevice();
    device.mapMemory(allocate(device, 4096), 0, VK_WHOLE_SIZE, VK_MEMORY_MAP_PLACED_BIT_EXT);
  });
  negative(['VUID-vkMapMemory-flags-parameter'], 'an undefined flag bit (0x2)', () => {
    const device = placedDevice();
    device.mapMemory(allocate(device, 4096), 0, VK_WHOLE_SIZE, 0x2);
  });
  negative(['VUID-vkMapMemory-flags-parameter'], 'flags that are not an integer', () => {
    const device = plainDevice();
    device.mapMemory(allocate(device, 4096), 0, VK_WHOLE_SIZE, '1' as never);
  });
  negative(['VUID-vkMapMemory-memory-parameter'], 'mapping freed memory', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.freeMemory(memory);
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
  });
  negative(['VUID-vkMapMemory-memory-parameter'], 'mapping a HostAddressRange (a handle of the wrong kind)', () => {
    const device = placedDevice();
    device.mapMemory(device.reserveAddressRange(4096) as unknown as DeviceMemory, 0, VK_WHOLE_SIZE);
  });
  negative(['VUID-vkMapMemory-memory-parameter'], 'mapping memory allocated around the layer (unknown to it)', () => {
    const device = plainDevice();
    device.mapMemory(
      { objectType: 'VkDeviceMemory', handle: 77n, allocationSize: 4096n, memoryTypeIndex: 1 },
      0,
      VK_WHOLE_SIZE,
    );
  });
  negative(['VUID-vkMapMemory-memory-parent'], 'mapping memory of another validated device', () => {
    const other = allocate(plainDevice(), 4096);
    plainDevice().mapMemory(other, 0, VK_WHOLE_SIZE);
  });
  negative(
    ['VUID-vkMapMemory-memory-parent'],
    'memory of another device that is mapped there, with a range past its end',
    () => {
      const owner = plainDevice();
      const memory = allocate(owner, 4096);
      owner.mapMemory(memory, 0, VK_WHOLE_SIZE);
      plainDevice().mapMemory(memory, 8192, 1);
    },
  );
  negative(
    ['VUID-vkMapMemory-memory-00682', 'VUID-vkMapMemory-offset-00679', 'VUID-vkMapMemory-size-00681'],
    'every range rule and the host-visibility rule in one call',
    () => {
      const device = plainDevice();
      device.mapMemory(allocate(device, 4096, TYPE_DEVICE_LOCAL), 8192, 4096);
    },
  );
  negative(['VUID-vkMapMemory-device-parameter'], 'mapping on a destroyed device', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.destroy();
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
  });

  it('a refused map changes nothing: the memory stays unmapped', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    expectVuids(() => device.mapMemory(memory, 0, 0), ['VUID-vkMapMemory-size-00680']);
    expectVuids(() => device.unmapMemory(memory), ['VUID-vkUnmapMemory-memory-00689']);
    expect(device.mapMemory(memory, 0, 4096).size).toBe(4096n);
  });

  it('an offset or size that is no VkDeviceSize at all is an argument error, not a rule', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    expect(() => device.mapMemory(memory, -1, 16)).toThrow(VkmapArgumentError);
    expect(() => device.mapMemory(memory, 0, '16' as never)).toThrow(VkmapArgumentError);
  });
});

describe('vkMapMemory2: the rules under their VkMemoryMapInfo names', () => {
  const map2 = (info: Partial<MemoryMapInfo> & { memory?: DeviceMemory }, size = 4096) => {
    const device = plainDevice();
    const memory = info.memory ?? allocate(device, size);
    return device.mapMemory2({ offset: 0, size: VK_WHOLE_SIZE, ...info, memory } as MemoryMapInfo);
  };
  negative(['VUID-VkMemoryMapInfo-memory-07958'], 'mapping memory that is already mapped', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE });
    device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE });
  });
  negative(['VUID-VkMemoryMapInfo-offset-07959'], 'offset equal to the allocation size', () => map2({ offset: 4096 }));
  negative(['VUID-VkMemoryMapInfo-size-07960'], 'size 0', () => map2({ size: 0 }));
  negative(['VUID-VkMemoryMapInfo-size-07961'], 'size one byte past the end', () => map2({ offset: 1, size: 4096 }));
  negative(['VUID-VkMemoryMapInfo-memory-07962'], 'DEVICE_LOCAL-only memory', () => {
    const device = plainDevice();
    device.mapMemory2({ memory: allocate(device, 4096, TYPE_DEVICE_LOCAL), offset: 0, size: VK_WHOLE_SIZE });
  });
  negative(['VUID-vkMapMemory2-pMemoryMapInfo-parameter'], 'no info object', () =>
    plainDevice().mapMemory2(undefined as unknown as MemoryMapInfo),
  );
  negative(['VUID-VkMemoryMapInfo-sType-sType'], 'sType of VkMemoryUnmapInfo', () =>
    map2({ sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO as never }),
  );
  negative(['VUID-VkMemoryMapInfo-pNext-pNext'], 'an unknown structure in pNext', () => map2({ pNext: { sType: 42 } }));
  negative(
    ['VUID-VkMemoryMapInfo-pNext-pNext'],
    'VkMemoryMapPlacedInfoEXT without VK_EXT_map_memory_placed enabled',
    () => map2({ pNext: placedInfo(0x1000_0000n) }),
  );
  negative(['VUID-VkMemoryMapInfo-sType-unique'], 'two VkMemoryMapPlacedInfoEXT in one chain', () => {
    const device = placedDevice();
    device.mapMemory2({
      memory: allocate(device, 4096),
      offset: 0,
      size: VK_WHOLE_SIZE,
      pNext: { ...placedInfo(0x1000n), pNext: placedInfo(0x2000n) },
    });
  });
  negative(['VUID-VkMemoryMapInfo-flags-parameter'], 'the placed bit without the placed extension', () =>
    map2({ flags: VK_MEMORY_MAP_PLACED_BIT_EXT }),
  );
  negative(['VUID-VkMemoryMapInfo-flags-parameter'], 'an undefined flag bit', () => map2({ flags: 0x8000 }));
  negative(['VUID-VkMemoryMapInfo-memory-parameter'], 'memory that is not a handle', () =>
    map2({ memory: 5 as never }),
  );
  negative(
    ['UNASSIGNED-VkMemoryMapInfo-memory-parent'],
    'memory of another device (the Khronos layer’s identifier: the handle itself is valid)',
    () => map2({ memory: allocate(plainDevice(), 4096) }),
  );
  negative(
    ['UNASSIGNED-VkMemoryMapInfo-memory-parent'],
    'memory of another device with a bad range, unmappable there: no rule of the memory’s state',
    () => {
      const owner = plainDevice();
      const memory = allocate(owner, 4096, TYPE_DEVICE_LOCAL);
      plainDevice().mapMemory2({ memory, offset: 8192, size: 0 });
    },
  );
  negative(['VUID-vkMapMemory2-device-parameter'], 'a destroyed device', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096);
    device.destroy();
    device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE });
  });
});

describe('placed maps (VK_EXT_map_memory_placed)', () => {
  it('valid: a whole placed map on the H100 profile, a ranged one on stress, and RESERVE unmaps, reporting nothing', () => {
    const h100 = h100Device();
    const memory = allocate(h100, 8192, 2);
    const range = h100.reserveAddressRange(8192);
    const placed = h100.mapMemory2({
      memory,
      offset: 0,
      size: VK_WHOLE_SIZE,
      flags: VK_MEMORY_MAP_PLACED_BIT_EXT,
      pNext: placedInfo(range.address),
    });
    expect([placed.address, placed.isPlaced]).toEqual([range.address, true]);
    expect(h100.unmapMemory2({ memory, flags: 0x1 })?.address).toBe(range.address);

    const device = placedDevice();
    const ranged = allocate(device, 4n * PLACED_ALIGNMENT);
    const reservation = device.reserveAddressRange(PLACED_ALIGNMENT * 2n);
    const part = device.mapMemory2({
      memory: ranged,
      offset: PLACED_ALIGNMENT,
      size: PLACED_ALIGNMENT * 2n,
      flags: VK_MEMORY_MAP_PLACED_BIT_EXT,
      pNext: placedInfo(reservation.address),
    });
    expect([part.offset, part.size, part.address]).toEqual([
      PLACED_ALIGNMENT,
      PLACED_ALIGNMENT * 2n,
      reservation.address,
    ]);
  });

  /** Maps `memory` placed with `info` on `device` (defaults: whole allocation, a fresh reservation). */
  const placedMap = (
    device: ReturnType<typeof placedDevice>,
    memory: DeviceMemory,
    info: Partial<MemoryMapInfo> = {},
  ) =>
    device.mapMemory2({
      memory,
      offset: 0,
      size: VK_WHOLE_SIZE,
      flags: VK_MEMORY_MAP_PLACED_BIT_EXT,
      pNext: placedInfo(device.reserveAddressRange(memory.allocationSize + PLACED_ALIGNMENT).address),
      ...info,
    });

  negative(
    ['VUID-VkMemoryMapInfo-flags-09569'],
    'the placed bit with the extension but without the memoryMapPlaced feature',
    () => {
      const device = placedDevice(undefined, {});
      placedMap(device, allocate(device, 4096));
    },
  );
  negative(
    ['VUID-VkMemoryMapInfo-flags-09569', 'VUID-VkMemoryMapInfo-flags-09571'],
    'no placed feature at all, and an offset (range placement is off too)',
    () => {
      const device = placedDevice(undefined, {});
      placedMap(device, allocate(device, 8192), { offset: 4096 });
    },
  );
  negative(['VUID-VkMemoryMapInfo-flags-09570'], 'the placed bit with no VkMemoryMapPlacedInfoEXT', () => {
    const device = placedDevice();
    placedMap(device, allocate(device, 4096), { pNext: null });
  });
  negative(['VUID-VkMemoryMapInfo-flags-09570'], 'pPlacedAddress NULL (0n)', () => {
    const device = placedDevice();
    placedMap(device, allocate(device, 4096), { pNext: placedInfo(0n) });
  });
  negative(['VUID-VkMemoryMapInfo-flags-09571'], 'offset 4096 without memoryMapRangePlaced (H100)', () => {
    const device = h100Device();
    const memory = allocate(device, 8192, 2);
    device.mapMemory2({
      memory,
      offset: 4096,
      size: VK_WHOLE_SIZE,
      flags: VK_MEMORY_MAP_PLACED_BIT_EXT,
      pNext: placedInfo(device.reserveAddressRange(8192).address),
    });
  });
  negative(['VUID-VkMemoryMapInfo-flags-09572'], 'half of the allocation without memoryMapRangePlaced (H100)', () => {
    const device = h100Device();
    const memory = allocate(device, 8192, 2);
    device.mapMemory2({
      memory,
      offset: 0,
      size: 4096,
      flags: VK_MEMORY_MAP_PLACED_BIT_EXT,
      pNext: placedInfo(device.reserveAddressRange(8192).address),
    });
  });
  negative(['VUID-VkMemoryMapInfo-flags-09573'], 'a ranged placed map at offset 256 (alignment 4096)', () => {
    const device = placedDevice();
    placedMap(device, allocate(device, 16384), { offset: 256, size: 4096 });
  });
  negative(['VUID-VkMemoryMapInfo-flags-09574'], 'a placed size of 4096 + 256 bytes', () => {
    const device = placedDevice();
    placedMap(device, allocate(device, 16384), { size: 4096 + 256 });
  });
  negative(
    ['VUID-VkMemoryMapInfo-flags-09574'],
    'a placed size that reaches the end of the allocation is still not exempt from the alignment',
    () => {
      const device = placedDevice();
      placedMap(device, allocate(device, 4096 + 512), { size: 4096 + 512 });
    },
  );
  negative(['VUID-VkMemoryMapInfo-flags-09651'], 'VK_WHOLE_SIZE placed map of a 5000-byte allocation', () => {
    const device = placedDevice();
    placedMap(device, allocate(device, 5000));
  });
  negative(
    ['VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09577'],
    'pPlacedAddress 16 bytes past a page boundary',
    () => {
      const device = placedDevice();
      const memory = allocate(device, 4096);
      placedMap(device, memory, { pNext: placedInfo(device.reserveAddressRange(8192).address + 16n) });
    },
  );
  negative(
    ['VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09578'],
    'placing over a live placed mapping of another memory object',
    () => {
      const device = placedDevice();
      const reservation = device.reserveAddressRange(8192);
      placedMap(device, allocate(device, 8192), { pNext: placedInfo(reservation.address) });
      placedMap(device, allocate(device, 4096), { pNext: placedInfo(reservation.address + 4096n) });
    },
  );
  negative(
    ['VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09578'],
    'placing over a live ordinary (vkMapMemory) mapping',
    () => {
      const device = placedDevice();
      const ordinary = device.mapMemory(allocate(device, 8192), 0, VK_WHOLE_SIZE);
      placedMap(device, allocate(device, 4096), { pNext: placedInfo(ordinary.address) });
    },
  );
  it('VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09578 is about live mappings only: after unmap (or free) the range may be reused', () => {
    const device = placedDevice();
    const reservation = device.reserveAddressRange(8192);
    const first = allocate(device, 8192);
    placedMap(device, first, { pNext: placedInfo(reservation.address) });
    device.unmapMemory2({ memory: first, flags: 0x1 });
    const second = allocate(device, 8192);
    expect(placedMap(device, second, { pNext: placedInfo(reservation.address) }).address).toBe(reservation.address);
    device.freeMemory(second);
    expect(placedMap(device, allocate(device, 4096), { pNext: placedInfo(reservation.address) }).isPlaced).toBe(true);
  });
  negative(
    ['VUID-VkMemoryMapPlacedInfoEXT-sType-sType'],
    'a placed info (by its members) without sType, placed bit clear',
    () => {
      const device = placedDevice();
      device.mapMemory2({
        memory: allocate(device, 4096),
        offset: 0,
        size: VK_WHOLE_SIZE,
        pNext: { pPlacedAddress: 0x1000n } as never,
      });
    },
  );
  negative(
    ['VUID-VkMemoryMapPlacedInfoEXT-sType-sType', 'VUID-VkMemoryMapInfo-flags-09570'],
    'the same with the placed bit: there is then no placed info in the chain either',
    () => {
      const device = placedDevice();
      placedMap(device, allocate(device, 4096), { pNext: { pPlacedAddress: 0x1000n } as never });
    },
  );
  negative(['VUID-VkMemoryMapInfo-pNext-pNext'], 'pPlacedAddress as a string', () => {
    const device = placedDevice();
    placedMap(device, allocate(device, 4096), { pNext: { ...placedInfo(0n), pPlacedAddress: '0x1000' } as never });
  });
  it('ignores pPlacedAddress when the placed bit is clear (the specification says it is ignored)', () => {
    const device = placedDevice();
    const mapping = device.mapMemory2({
      memory: allocate(device, 4096),
      offset: 0,
      size: VK_WHOLE_SIZE,
      pNext: placedInfo(17n),
    });
    expect(mapping.isPlaced).toBe(false);
  });
  it('VUID-VkMemoryMapPlacedInfoEXT-flags-09576 was retired in 1.4.339: the layer does not know it', () => {
    expect(isKnownVuid('VUID-VkMemoryMapPlacedInfoEXT-flags-09576')).toBe(false);
  });
});

describe('VK_KHR_map_memory2 on a Vulkan 1.3 device', () => {
  it('mapMemory2KHR and unmapMemory2KHR work; the core mapMemory2 is not available (VkmapStateError, not a rule)', () => {
    const device = khrDevice();
    const memory = allocate(device, 4096);
    expect(device.mapMemory2KHR({ memory, offset: 0, size: VK_WHOLE_SIZE }).size).toBe(4096n);
    expect(() => device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE })).toThrow(VkmapStateError);
    expect(() => device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE })).toThrow(/call vkMapMemory2KHR/);
    device.unmapMemory2KHR({ memory });
  });
  it('mapMemory2KHR on a 1.4 device without the extension is not available either', () => {
    const device = plainDevice();
    expect(() => device.mapMemory2KHR({ memory: allocate(device, 4096), offset: 0, size: VK_WHOLE_SIZE })).toThrow(
      VkmapStateError,
    );
  });
  negative(['VUID-VkMemoryMapInfo-memory-07958'], 'through mapMemory2KHR, the 1.4 name only by default', () => {
    const device = khrDevice();
    const memory = allocate(device, 4096);
    device.mapMemory2KHR({ memory, offset: 0, size: VK_WHOLE_SIZE });
    device.mapMemory2KHR({ memory, offset: 0, size: VK_WHOLE_SIZE });
  });
  negative(
    [
      'VUID-VkMemoryMapInfo-memory-07958',
      'VUID-VkMemoryMapInfoKHR-memory-07958',
      'VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09577',
    ],
    'through mapMemory2KHR with reportKhrAliases: the KHR spelling joins the rules that have one',
    () => {
      const device = khrDevice({ reportKhrAliases: true });
      const memory = allocate(device, 4096);
      device.mapMemory2KHR({ memory, offset: 0, size: VK_WHOLE_SIZE });
      device.mapMemory2KHR({
        memory,
        offset: 0,
        size: VK_WHOLE_SIZE,
        flags: VK_MEMORY_MAP_PLACED_BIT_EXT,
        pNext: placedInfo(0x1010n),
      });
    },
  );
  negative(
    ['UNASSIGNED-VkMemoryMapInfo-memory-parent'],
    'memory of another device through mapMemory2KHR with reportKhrAliases: one identifier, no KHR spelling (as the Khronos layer)',
    () =>
      khrDevice({ reportKhrAliases: true }).mapMemory2KHR({
        memory: allocate(khrDevice(), 4096),
        offset: 0,
        size: VK_WHOLE_SIZE,
      }),
  );
  negative(
    ['VUID-vkMapMemory2-pMemoryMapInfo-parameter', 'VUID-vkMapMemory2KHR-pMemoryMapInfo-parameter'],
    'the command-level rule gets its KHR spelling too',
    () => khrDevice({ reportKhrAliases: true }).mapMemory2KHR(null as never),
  );
  negative(
    ['VUID-VkMemoryMapInfo-memory-07958'],
    'with reportKhrAliases, a call through the core entry point keeps the 1.4 name only',
    () => {
      const device = validatedDevice({
        profile: 'nvidia-h100',
        extensions: ['VK_KHR_map_memory2'],
        options: { reportKhrAliases: true },
      });
      const memory = allocate(device, 4096, 2);
      device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE });
      device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE });
    },
  );
});
