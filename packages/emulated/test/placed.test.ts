import { describe, expect, it } from 'vitest';
import {
  VK_WHOLE_SIZE,
  type VkError,
  VkMemoryMapFlagBits,
  VkMemoryUnmapFlagBits,
  VkStructureType,
  VkmapArgumentError,
  VkmapStateError,
} from '@vkmap/core';
import { capture, COHERENT, makeDevice, NON_COHERENT, pattern, testProfile } from './fixtures.js';

const PLACED = VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT;
const RESERVE = VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT;
const placedInfo = (address: bigint) => ({
  sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
  pPlacedAddress: address,
});

describe('VK_EXT_map_memory_placed', () => {
  it('a placed map lands exactly at the requested address inside a reservation', () => {
    const device = makeDevice();
    const range = device.reserveAddressRange(64 * 1024);
    expect(range.address % 4096n).toBe(0n);
    const memory = device.allocateMemory({ allocationSize: 8192, memoryTypeIndex: COHERENT });
    const target = range.address + 16384n;
    const mapping = device.mapMemory2({
      memory,
      flags: PLACED,
      offset: 0,
      size: VK_WHOLE_SIZE,
      pNext: placedInfo(target),
    });
    expect(mapping.address).toBe(target);
    expect(mapping.isPlaced).toBe(true);
    mapping.data.set(pattern(8192));
    const runs = device.addressSpace
      .runs()
      .filter((r) => r.start >= range.address && r.end <= range.address + range.size);
    expect(runs.map((r) => [r.start - range.address, r.end - range.address, r.state])).toEqual([
      [0n, 16384n, 'reserved'],
      [16384n, 24576n, 'mapped'],
      [24576n, 65536n, 'reserved'],
    ]);
  });

  it('a range-placed map puts byte `offset` at the address', () => {
    const device = makeDevice();
    const range = device.reserveAddressRange(16384);
    const memory = device.allocateMemory({ allocationSize: 16384, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory2({
      memory,
      flags: PLACED,
      offset: 4096,
      size: 8192,
      pNext: placedInfo(range.address),
    });
    expect(mapping.address).toBe(range.address);
    expect(mapping.offset).toBe(4096n);
  });

  it('unmap with the reserve bit keeps the range reserved, and normal maps never land inside it', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 1 << 20, memoryTypeIndex: COHERENT });
    const first = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    const kept = device.unmapMemory2({ memory, flags: RESERVE });
    expect(kept).toBeDefined();
    expect(kept!.address).toBe(first.address);
    expect(kept!.isReserved).toBe(true);
    // Fill the rest of the address space with normal maps: none may land in the kept range.
    const others = [];
    for (;;) {
      const m = device.allocateMemory({ allocationSize: 1 << 20, memoryTypeIndex: COHERENT });
      try {
        others.push(device.mapMemory(m, 0, VK_WHOLE_SIZE));
      } catch (error) {
        expect((error as VkError).result).toBe('VK_ERROR_MEMORY_MAP_FAILED');
        device.freeMemory(m);
        break;
      }
    }
    expect(others.length).toBeGreaterThan(5);
    for (const o of others)
      expect(o.address + o.size <= kept!.address || o.address >= kept!.address + kept!.size).toBe(true);
    // The kept range takes a placed map again.
    const again = device.mapMemory2({
      memory,
      flags: PLACED,
      offset: 0,
      size: VK_WHOLE_SIZE,
      pNext: placedInfo(kept!.address),
    });
    expect(again.address).toBe(kept!.address);
    expect(() => kept!.release()).toThrow(VkmapStateError);
    device.unmapMemory(memory);
    kept!.release();
    expect(kept!.isReserved).toBe(false);
  });

  it('a placed unmap with the reserve bit hands the pages back to their reservation', () => {
    const device = makeDevice();
    const range = device.reserveAddressRange(8192);
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: COHERENT });
    device.mapMemory2({ memory, flags: PLACED, offset: 0, size: VK_WHOLE_SIZE, pNext: placedInfo(range.address) });
    expect(device.unmapMemory2({ memory, flags: RESERVE })).toBe(range);
    expect(device.addressSpace.runs().find((r) => r.start === range.address)?.state).toBe('reserved');
    range.release();
    expect(device.addressSpace.stats().reservedBytes).toBe(0n);
  });

  it('refuses placed maps outside a reservation or over a live mapping, changing nothing', () => {
    const device = makeDevice();
    const range = device.reserveAddressRange(8192);
    const a = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: COHERENT });
    const b = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: COHERENT });
    device.mapMemory2({ memory: a, flags: PLACED, offset: 0, size: VK_WHOLE_SIZE, pNext: placedInfo(range.address) });
    const before = device.addressSpace.runs();
    for (const address of [range.address, range.address + 8192n, 0x1000n]) {
      const error = capture(() =>
        device.mapMemory2({ memory: b, flags: PLACED, offset: 0, size: VK_WHOLE_SIZE, pNext: placedInfo(address) }),
      );
      expect((error as VkError).result).toBe('VK_ERROR_MEMORY_MAP_FAILED');
    }
    expect(device.addressSpace.runs()).toEqual(before);
    expect(() =>
      device.mapMemory2({
        memory: b,
        flags: PLACED,
        offset: 0,
        size: VK_WHOLE_SIZE,
        pNext: placedInfo(range.address + 100n),
      }),
    ).toThrow(VkmapArgumentError);
    expect(
      device.mapMemory2({
        memory: b,
        flags: PLACED,
        offset: 0,
        size: VK_WHOLE_SIZE,
        pNext: placedInfo(range.address + 4096n),
      }).address,
    ).toBe(range.address + 4096n);
  });

  it('refuses placed sizes that are not multiples of minPlacedMemoryMapAlignment', () => {
    const device = makeDevice();
    const range = device.reserveAddressRange(16384);
    const odd = device.allocateMemory({ allocationSize: 5000, memoryTypeIndex: COHERENT });
    expect(() =>
      device.mapMemory2({
        memory: odd,
        flags: PLACED,
        offset: 0,
        size: VK_WHOLE_SIZE,
        pNext: placedInfo(range.address),
      }),
    ).toThrow(/has 5000 bytes/);
    expect(() =>
      device.mapMemory2({ memory: odd, flags: PLACED, offset: 0, size: 4000, pNext: placedInfo(range.address) }),
    ).toThrow(/size 4000/);
    expect(
      device.mapMemory2({ memory: odd, flags: PLACED, offset: 0, size: 4096, pNext: placedInfo(range.address) }).size,
    ).toBe(4096n);
  });

  it('needs the features enabled at device creation', () => {
    const device = makeDevice(testProfile, { placed: false });
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: COHERENT });
    const range = device.reserveAddressRange(4096);
    expect(() =>
      device.mapMemory2({ memory, flags: PLACED, offset: 0, size: VK_WHOLE_SIZE, pNext: placedInfo(range.address) }),
    ).toThrow(/needs VK_EXT_map_memory_placed/);
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    expect(() => device.unmapMemory2({ memory, flags: RESERVE })).toThrow(
      /VK_MEMORY_UNMAP_RESERVE_BIT_EXT, which needs VK_EXT_map_memory_placed/,
    );
    expect(() => device.mapMemory(memory, 0, 16)).toThrow(/already mapped/);
  });
});
