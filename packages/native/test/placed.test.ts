import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  VK_WHOLE_SIZE,
  VkError,
  VkmapArgumentError,
  VkmapStateError,
  VkMemoryMapFlagBits,
  VkMemoryUnmapFlagBits,
  VkStructureType,
  type Device,
  type DeviceMemory,
  type HostAddressRange,
} from '@vkmap/core';
import { openFixture, placedFeatures, skipNote, unavailable, type Fixture } from './helpers.js';

const PAGE = 4096n;

const placedSupported = placedFeatures.memoryMapPlaced;
const placedNote = placedSupported ? '' : ' (skipped: device lacks VK_EXT_map_memory_placed)';

describe.skipIf(unavailable)(`native address reservations${skipNote}`, () => {
  let f: Fixture;
  beforeEach(() => {
    f = openFixture();
  });
  afterEach(() => f.instance.destroy());

  it('reserves page-rounded, aligned ranges and releases them once', () => {
    const range = f.device.reserveAddressRange(10_000);
    expect(range.size).toBe(12288n);
    expect(range.address % PAGE).toBe(0n);
    expect(range.isReserved).toBe(true);
    range.release();
    expect(range.isReserved).toBe(false);
    range.release(); // releasing a released range does nothing

    const aligned = f.device.reserveAddressRange(4096n, 1n << 21n);
    expect(aligned.address % (1n << 21n)).toBe(0n);
    expect(aligned.size).toBe(4096n);
    aligned.release();
  });

  it('refuses bad sizes and alignments', () => {
    expect(() => f.device.reserveAddressRange(0)).toThrow(VkmapArgumentError);
    expect(() => f.device.reserveAddressRange(-4096)).toThrow(VkmapArgumentError);
    expect(() => f.device.reserveAddressRange(4096, 3000)).toThrow(/power of two/);
  });

  it('reports an impossible reservation as VK_ERROR_OUT_OF_HOST_MEMORY', () => {
    const error = (() => {
      try {
        f.device.reserveAddressRange(1n << 62n);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(VkError);
    expect((error as VkError).result).toBe('VK_ERROR_OUT_OF_HOST_MEMORY');
  });

  it('releases its reservations when the device that made them is destroyed (a parent destroys its children)', () => {
    const range = f.device.reserveAddressRange(8192);
    f.device.destroy();
    expect(range.isReserved).toBe(false);
    range.release(); // does nothing
  });

  it.skipIf(placedSupported)(
    `refuses placed maps on a device without the memoryMapPlaced feature, before the driver${
      placedSupported ? ' (skipped: the device supports them)' : ''
    }`,
    () => {
      const map = f.device.hasCommand('vkMapMemory2') ? 'mapMemory2' : undefined;
      if (!map) return;
      const memory = f.device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: f.hostVisibleType });
      const range = f.device.reserveAddressRange(4096);
      expect(() =>
        f.device[map]({
          flags: VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT,
          pNext: {
            sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
            pPlacedAddress: range.address,
          } as never,
          memory,
          offset: 0,
          size: VK_WHOLE_SIZE,
        }),
      ).toThrow(/needs VK_EXT_map_memory_placed/);
      range.release();
    },
  );
});

describe.skipIf(unavailable || !placedSupported)(`native placed maps${skipNote || placedNote}`, () => {
  let f: Fixture;
  let device: Device;
  let memory: DeviceMemory;
  let size: bigint;
  beforeEach(() => {
    f = openFixture();
    f.device.destroy();
    device = f.physicalDevice.createDevice({
      enabledExtensionNames: ['VK_EXT_map_memory_placed'],
      enabledFeatures: {
        mapMemoryPlaced: {
          memoryMapPlaced: true,
          memoryUnmapReserve: f.physicalDevice.getFeatures().mapMemoryPlaced.memoryUnmapReserve,
        },
      },
    });
    const alignment = f.physicalDevice.getMapMemoryPlacedProperties()!.minPlacedMemoryMapAlignment;
    size = alignment > 65536n ? alignment : 65536n;
    memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: f.hostVisibleType });
  });
  afterEach(() => f.instance.destroy());

  function placedMap(address: bigint) {
    const map = device.hasCommand('vkMapMemory2') ? 'mapMemory2' : 'mapMemory2KHR';
    return device[map]({
      flags: VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT,
      pNext: { sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT, pPlacedAddress: address } as never,
      memory,
      offset: 0,
      size: VK_WHOLE_SIZE,
    });
  }
  function unmap(flags = 0): HostAddressRange | undefined {
    const name = device.hasCommand('vkUnmapMemory2') ? 'unmapMemory2' : 'unmapMemory2KHR';
    return device[name]({ memory, flags });
  }

  it('maps exactly at the requested address inside a reservation', () => {
    const range = device.reserveAddressRange(
      size * 2n,
      f.physicalDevice.getMapMemoryPlacedProperties()!.minPlacedMemoryMapAlignment,
    );
    const mapping = placedMap(range.address);
    expect(mapping.isPlaced).toBe(true);
    expect(mapping.address).toBe(range.address);
    mapping.data[0] = 3;
    expect(() => range.release()).toThrow(VkmapStateError);
    unmap();
    range.release();
  });

  it('refuses placement outside ranges this package reserved, before the driver', () => {
    const range = device.reserveAddressRange(size);
    range.release();
    const error = (() => {
      try {
        placedMap(range.address);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(VkError);
    expect((error as VkError).result).toBe('VK_ERROR_MEMORY_MAP_FAILED');
    const small = device.reserveAddressRange(4096);
    expect(() => placedMap(small.address)).toThrow(VkError); // the map would overflow the range
    small.release();
  });

  it.skipIf(!placedFeatures.memoryUnmapReserve)(
    `unmap with VK_MEMORY_UNMAP_RESERVE_BIT_EXT hands the range back${
      placedFeatures.memoryUnmapReserve ? '' : ' (skipped: device lacks memoryUnmapReserve)'
    }`,
    () => {
      const range = device.reserveAddressRange(size);
      placedMap(range.address);
      const back = unmap(VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT);
      expect(back).toBe(range);
      const again = placedMap(range.address); // still reserved: can be placed again
      expect(again.address).toBe(range.address);
      unmap(VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT);
      range.release();
    },
  );

  const strategyOf = () => (device as unknown as { viewStrategy(m: DeviceMemory): string }).viewStrategy(memory);

  it('lets the application place memory that was mapped before, the old view turning to zero pages', () => {
    // In 'stable' mode the first map puts the memory into a window of the addon's ('placed') and an unmap
    // leaves the driver's map there; the application's placed map must move it out first.
    const first = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    const view = first.data;
    view[0] = 5;
    device.unmapMemory(memory);
    expect(view[0]).toBe(5); // the memory object's bytes until it moves or is freed
    const range = device.reserveAddressRange(
      size,
      f.physicalDevice.getMapMemoryPlacedProperties()!.minPlacedMemoryMapAlignment,
    );
    const placed = placedMap(range.address);
    expect(placed.address).toBe(range.address);
    expect(placed.data[0]).toBe(5);
    expect(view.length).toBe(Number(size)); // never detached in 'stable' mode...
    expect(view[0]).toBe(0); // ...but over zero pages now
    unmap();
    const again = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    expect(again.data[0]).toBe(5);
    device.unmapMemory(memory);
    range.release();
  });

  it.skipIf(!placedFeatures.memoryUnmapReserve)(
    `a reserving unmap of a map the addon placed hands the pages to the application and detaches the view${
      placedFeatures.memoryUnmapReserve ? '' : ' (skipped: device lacks memoryUnmapReserve)'
    }`,
    () => {
      device.mapMemory(memory, 0, VK_WHOLE_SIZE);
      device.unmapMemory(memory);
      const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
      const view = mapping.data;
      const strategy = strategyOf();
      const back = unmap(VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT)!;
      expect(back.address).toBe(mapping.address & ~(PAGE - 1n));
      // The addon's own window goes to the application, so no view may stay over it.
      if (strategy === 'placed') expect(view.length).toBe(0);
      const again = placedMap(back.address);
      expect(again.address).toBe(back.address);
      unmap(VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT);
      back.release();
    },
  );

  it('a normal unmap leaves a hole that is never placed into or released again', () => {
    const range = device.reserveAddressRange(size * 2n);
    placedMap(range.address);
    unmap();
    expect(() => placedMap(range.address)).toThrow(VkError);
    range.release(); // munmaps only the half still reserved
    expect(range.isReserved).toBe(false);
  });
});
