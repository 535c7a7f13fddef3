/**
 * Placed maps (VK_EXT_map_memory_placed): a placed map lands exactly at its address inside a reserved
 * range, the pages around it stay reserved, an unmap with VK_MEMORY_UNMAP_RESERVE_BIT_EXT keeps the range
 * reserved for the next placed map, and normal maps never land inside a reserved range.
 */
import { expect } from 'vitest';
import {
  VK_WHOLE_SIZE,
  VkMemoryMapFlagBits,
  VkMemoryUnmapFlagBits,
  VkStructureType,
  type Device,
  type DeviceMemory,
  type HostAddressRange,
  type MappedMemory,
  type MemoryMapInfo,
  type MemoryMapPlacedInfoEXT,
  type MemoryUnmapInfo,
} from '@vkmap/core';
import type { AddressSpaceRun } from '../backend.js';
import { assertSameBytes, pattern } from '../bytes.js';
import { withContext } from '../context.js';
import type { HostVisibleType } from '../device-target.js';
import { SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';

const PLACED = VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT;
const RESERVE = VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT;

interface PlacedTools {
  readonly device: Device;
  readonly type: HostVisibleType;
  /** minPlacedMemoryMapAlignment. */
  readonly slot: bigint;
  map2(info: MemoryMapInfo): MappedMemory;
  unmap2(info: MemoryUnmapInfo): HostAddressRange | undefined;
  placeAt(memory: DeviceMemory, address: bigint, offset?: bigint, size?: bigint): MappedMemory;
  allocate(size: bigint): DeviceMemory;
}

function placedTools(session: ScenarioSession): PlacedTools {
  const { device, target } = session;
  const slot = target.physicalDevice.getMapMemoryPlacedProperties()!.minPlacedMemoryMapAlignment;
  const khr = target.capabilities.mapMemory2 === 'vkMapMemory2KHR';
  const type = target.hostVisibleTypes[0]!;
  const map2 = (info: MemoryMapInfo) => (khr ? device.mapMemory2KHR(info) : device.mapMemory2(info));
  return {
    device,
    type,
    slot,
    map2,
    unmap2: (info) => (khr ? device.unmapMemory2KHR(info) : device.unmapMemory2(info)),
    placeAt: (memory, address, offset = 0n, size = VK_WHOLE_SIZE) => {
      const placement: MemoryMapPlacedInfoEXT = {
        sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
        pPlacedAddress: address,
      };
      return map2({ memory, flags: PLACED, offset, size, pNext: placement });
    },
    allocate: (size) => device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index }),
  };
}

/** The address-space runs over [start, end), relative to start, as [from, to, state]. */
function runsWithin(runs: readonly AddressSpaceRun[], start: bigint, end: bigint): [bigint, bigint, string][] {
  return runs
    .filter((r) => r.start < end && r.end > start)
    .map((r) => [(r.start > start ? r.start : start) - start, (r.end < end ? r.end : end) - start, r.state]);
}

function expectPlacedAt(mapping: MappedMemory, address: bigint, bytes: number): void {
  expect(mapping.address).toBe(address);
  expect(mapping.isPlaced).toBe(true);
  expect(mapping.data.byteLength).toBe(bytes);
}

function landsExactlyAndNeighboursStayReserved(session: ScenarioSession): void {
  const t = placedTools(session);
  const range = t.device.reserveAddressRange(3n * t.slot, t.slot);
  expect(range.isReserved).toBe(true);
  expect(range.address % t.slot).toBe(0n);
  const middle = t.allocate(t.slot);
  const mapping = t.placeAt(middle, range.address + t.slot);
  expectPlacedAt(mapping, range.address + t.slot, Number(t.slot));
  mapping.data.set(pattern(21, Number(t.slot)));
  if (session.addressSpace) {
    withContext('address-space runs of the reservation', () =>
      expect(runsWithin(session.addressSpace!.runs(), range.address, range.address + 3n * t.slot)).toEqual([
        [0n, t.slot, 'reserved'],
        [t.slot, 2n * t.slot, 'mapped'],
        [2n * t.slot, 3n * t.slot, 'reserved'],
      ]),
    );
  }
  // By behaviour: the neighbouring slots are still reserved, so placed maps land there too.
  const neighbours = [range.address, range.address + 2n * t.slot].map((address, i) => {
    const memory = t.allocate(t.slot);
    const neighbour = t.placeAt(memory, address);
    expectPlacedAt(neighbour, address, Number(t.slot));
    neighbour.data.set(pattern(22 + i, Number(t.slot)));
    return memory;
  });
  assertSameBytes(mapping.data, pattern(21, Number(t.slot)), 'placed mapping after its neighbours were mapped');
  for (const memory of [middle, ...neighbours]) t.device.unmapMemory(memory);
  range.release();
  expect(range.isReserved).toBe(false);
  for (const memory of [middle, ...neighbours]) t.device.freeMemory(memory);
}

function rangePlacedPutsOffsetAtAddress(session: ScenarioSession): void {
  const t = placedTools(session);
  const range = t.device.reserveAddressRange(t.slot, t.slot);
  const memory = t.allocate(3n * t.slot);
  const mapping = t.placeAt(memory, range.address, t.slot, t.slot);
  expectPlacedAt(mapping, range.address, Number(t.slot));
  expect(mapping.offset).toBe(t.slot);
  mapping.data.set(pattern(31, Number(t.slot)));
  t.device.unmapMemory(memory);
  const whole = t.device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
  assertSameBytes(
    whole.data.subarray(Number(t.slot), Number(2n * t.slot)),
    pattern(31, Number(t.slot)),
    'range-placed bytes seen through a whole map',
    Number(t.slot),
  );
  t.device.freeMemory(memory);
  range.release();
}

function reserveBitKeepsRangeReserved(session: ScenarioSession): void {
  const t = placedTools(session);
  withContext('placed map unmapped with the reserve bit', () => {
    const range = t.device.reserveAddressRange(2n * t.slot, t.slot);
    const first = t.allocate(t.slot);
    const address = range.address + t.slot;
    t.placeAt(first, address).data.set(pattern(41, Number(t.slot)));
    const kept = t.unmap2({ memory: first, flags: RESERVE });
    expect(kept).toBeDefined();
    expect(kept!.isReserved).toBe(true);
    expect(kept!.address <= address && address + t.slot <= kept!.address + kept!.size).toBe(true);
    if (session.addressSpace) {
      expect(runsWithin(session.addressSpace.runs(), address, address + t.slot)).toEqual([[0n, t.slot, 'reserved']]);
    }
    const second = t.allocate(t.slot);
    expectPlacedAt(t.placeAt(second, address), address, Number(t.slot));
    expect(t.unmap2({ memory: second, flags: RESERVE })?.isReserved).toBe(true);
    const again = t.placeAt(first, address);
    assertSameBytes(again.data, pattern(41, Number(t.slot)), 'bytes of a memory object placed again where it was');
    t.device.unmapMemory(first);
    for (const memory of [first, second]) t.device.freeMemory(memory);
    if (kept !== range) kept!.release();
    range.release();
  });
  withContext('normal map unmapped with the reserve bit', () => {
    const memory = t.allocate(t.slot);
    const mapping = t.device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
    const address = mapping.address;
    const kept = t.unmap2({ memory, flags: RESERVE });
    expect(kept).toBeDefined();
    expect(kept!.isReserved).toBe(true);
    expect(kept!.address <= address && address + t.slot <= kept!.address + kept!.size).toBe(true);
    if (kept!.address % t.slot === 0n) {
      const other = t.allocate(t.slot);
      expectPlacedAt(t.placeAt(other, kept!.address), kept!.address, Number(t.slot));
      t.device.freeMemory(other);
    }
    kept!.release();
    expect(kept!.isReserved).toBe(false);
    t.device.freeMemory(memory);
  });
}

function normalMapsAvoidReservedRanges(session: ScenarioSession): void {
  const t = placedTools(session);
  const reserved: HostAddressRange[] = [t.device.reserveAddressRange(1024n * 1024n)];
  const kept: DeviceMemory[] = [];
  if (session.target.capabilities.placed.memoryUnmapReserve) {
    const memory = t.allocate(64n * 1024n);
    t.device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
    reserved.push(t.unmap2({ memory, flags: RESERVE })!);
    kept.push(memory);
  }
  const memories = Array.from({ length: 16 }, (_, i) => t.allocate(BigInt(4096 * (1 + ((i * 7) % 64)))));
  for (const memory of memories) {
    const mapping = t.device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
    for (const range of reserved) {
      const overlaps = mapping.address < range.address + range.size && range.address < mapping.address + mapping.size;
      expect(
        overlaps,
        `mapping at 0x${mapping.address.toString(16)} (+${mapping.size}) inside reserved 0x${range.address.toString(16)} (+${range.size})`,
      ).toBe(false);
    }
  }
  for (const memory of [...memories, ...kept]) t.device.freeMemory(memory);
  for (const range of reserved) range.release();
}

export function placedMapScenarios(ctx: TargetContext): ScenarioSpec[] {
  const { placed } = ctx.target.capabilities;
  const noPlaced =
    ctx.target.hostVisibleTypes.length === 0
      ? SKIP.noHostVisibleType
      : placed.memoryMapPlaced
        ? undefined
        : SKIP.noPlaced;
  const path = ['placed maps (VK_EXT_map_memory_placed)'];
  return [
    {
      group: 'placed',
      path,
      title: 'a placed map lands exactly at its address and the pages around it stay reserved',
      skipReason: noPlaced,
      body: landsExactlyAndNeighboursStayReserved,
    },
    {
      group: 'placed',
      path,
      title: 'a range-placed map puts byte `offset` at the address',
      skipReason: noPlaced ?? (placed.memoryMapRangePlaced ? undefined : SKIP.noRangePlaced),
      body: rangePlacedPutsOffsetAtAddress,
    },
    {
      group: 'placed',
      path,
      title: 'unmap with VK_MEMORY_UNMAP_RESERVE_BIT_EXT keeps the range reserved for the next placed map',
      skipReason: noPlaced ?? (placed.memoryUnmapReserve ? undefined : SKIP.noUnmapReserve),
      body: reserveBitKeepsRangeReserved,
    },
    {
      group: 'placed',
      path,
      title: 'a later normal map never lands inside a reserved range',
      skipReason: noPlaced,
      body: normalMapsAvoidReservedRanges,
    },
  ];
}
