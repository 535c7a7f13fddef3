import { describe, expect, it } from 'vitest';
import { VkError, VkmapStateError } from '@vkmap/core';
import { AllocationCreateFlagBits as F, createAllocator } from '@vkmap/allocator';
import { isCutOff, KiB, makeDevice, pattern } from './fixtures.js';

const ALL = 0xffffffff;

describe('mapping', () => {
  it('maps a block once for all its allocations; each view covers exactly its allocation', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    const a = allocator.allocateMemory({ size: 1000, alignment: 1, memoryTypeBits: 0b10 });
    const b = allocator.allocateMemory({ size: 3000, alignment: 1, memoryTypeBits: 0b10 });
    const viewA = allocator.mapMemory(a);
    const viewB = allocator.mapMemory(b);
    expect(viewA.length).toBe(1000);
    expect(viewB.length).toBe(3000);
    expect(viewA.buffer).toBe(viewB.buffer);
    expect(viewB.byteOffset - viewA.byteOffset).toBe(Number(b.offset - a.offset));
    expect(allocator.driverMapCountOf(a)).toBe(1);
    viewB.set(pattern(3000));
    expect(device.deviceRead(b.memory, b.offset, 3000)).toEqual(pattern(3000)); // coherent
    expect(a.mappedData).toBe(viewA);
    allocator.unmapMemory(a);
    allocator.unmapMemory(b);
    expect(a.mappedData).toBeUndefined();
    allocator.freeMemory(a);
    allocator.freeMemory(b);
    allocator.destroy();
  });

  it("views: 'stable' (the default) keeps a view attached after unmap, over the same memory", () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device, { mappingHysteresis: false });
    const a = allocator.allocateMemory({ size: 256, alignment: 1, memoryTypeBits: 0b10 });
    const view = allocator.mapMemory(a);
    allocator.unmapMemory(a);
    expect(allocator.driverMapCountOf(a)).toBe(1);
    expect(view.length).toBe(256); // not detached: nothing is ever detached in this mode
    view[0] = 42;
    expect(device.deviceRead(a.memory, a.offset, 1)[0]).toBe(42);
    allocator.freeMemory(a);
    allocator.destroy();
  });

  it("views: 'detach' detaches views when the block is really unmapped", () => {
    const device = makeDevice('stress', 1, 'detach');
    const allocator = createAllocator(device, { mappingHysteresis: false });
    const a = allocator.allocateMemory({ size: 256, alignment: 1, memoryTypeBits: 0b10 });
    const view = allocator.mapMemory(a);
    const windowBytes = view.buffer.byteLength;
    view[0] = 42;
    allocator.unmapMemory(a);
    expect(isCutOff(view, windowBytes)).toBe(true); // ended with the block's mapping
    if (view.length > 0) view.fill(1); // a subarray over the closed window: the write reaches nothing
    expect(device.deviceRead(a.memory, a.offset, 1)[0]).toBe(42);
    allocator.freeMemory(a);
    allocator.destroy();
  });

  it('quarantines a freed allocation whose view was handed out; one never viewed is freed at once', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    const keeper = allocator.allocateMemory(
      { size: 256, alignment: 256, memoryTypeBits: 0b10 },
      { flags: F.MAPPED | F.HOST_ACCESS_SEQUENTIAL_WRITE },
    );
    const viewed = allocator.allocateMemory({ size: 256, alignment: 256, memoryTypeBits: 0b10 });
    const plain = allocator.allocateMemory({ size: 256, alignment: 256, memoryTypeBits: 0b10 });
    const view = allocator.mapMemory(viewed);
    allocator.unmapMemory(viewed);
    allocator.copyMemoryToAllocation(pattern(256), plain); // the allocator's own views are not handed out
    allocator.freeMemory(plain);
    allocator.freeMemory(viewed);
    expect(viewed.isFreed).toBe(true);
    const stats = allocator.calculateStatistics().memoryType[1]!;
    expect(stats.quarantineCount).toBe(1);
    expect(stats.quarantineBytes).toBe(256n);
    expect(stats.statistics.allocationCount).toBe(1); // keeper
    const json = JSON.parse(allocator.buildStatsString(true));
    expect(json.Total.QuarantineBytes).toBe(256);
    const block = Object.values(json.DefaultPools['Type 1'].Blocks)[0] as {
      Allocations: number;
      Suballocations: { Offset: number; Type: string }[];
    };
    expect(block.Allocations).toBe(1);
    expect(block.Suballocations.find((s) => s.Type === 'QUARANTINED')?.Offset).toBe(Number(viewed.offset));
    // The next allocation does not get the quarantined range; writes through the stale view miss it.
    const next = allocator.allocateMemory({ size: 256, alignment: 256, memoryTypeBits: 0b10 });
    expect(next.memory === viewed.memory && next.offset === viewed.offset).toBe(false);
    allocator.copyMemoryToAllocation(pattern(256, 3), next);
    view.fill(0xee);
    const back = new Uint8Array(256);
    allocator.copyAllocationToMemory(next, 0, back);
    expect(back).toEqual(pattern(256, 3));
    allocator.freeMemory(next);
    allocator.freeMemory(keeper);
    // Quarantined ranges are not leaks, and destroying the allocator frees their blocks regardless.
    expect(allocator.destroy()).toEqual([]);
  });

  it('a full block held by quarantine makes the next allocation take a new block, not fail', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    const pool = allocator.createPool({ memoryTypeIndex: 1, blockSize: 64 * KiB, maxBlockCount: 2 });
    const whole = allocator.allocateMemory({ size: 64 * KiB, alignment: 1, memoryTypeBits: 0b10 }, { pool });
    const view = allocator.mapMemory(whole);
    allocator.unmapMemory(whole);
    allocator.freeMemory(whole);
    const again = allocator.allocateMemory({ size: 64 * KiB, alignment: 1, memoryTypeBits: 0b10 }, { pool });
    expect(again.memory).not.toBe(whole.memory);
    expect(pool.blockCount).toBe(2);
    // With maxBlockCount reached, it fails as it would without the quarantine.
    expect(() => allocator.allocateMemory({ size: 64 * KiB, alignment: 1, memoryTypeBits: 0b10 }, { pool })).toThrow(
      /maxBlockCount of 2/,
    );
    expect(view.length).toBe(64 * KiB);
    allocator.freeMemory(again);
    allocator.destroyPool(pool);
    allocator.destroy();
  });

  it('nests map calls, and over-unmapping is an error that changes nothing', () => {
    const allocator = createAllocator(makeDevice('stress'));
    const a = allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b10 }, { name: 'ubo' });
    const first = allocator.mapMemory(a);
    expect(allocator.mapMemory(a)).toBe(first);
    expect(a.mapCount).toBe(2);
    allocator.unmapMemory(a);
    allocator.unmapMemory(a);
    expect(() => allocator.unmapMemory(a)).toThrow(VkmapStateError);
    expect(() => allocator.unmapMemory(a)).toThrow(/"ubo".*is not mapped/);
    expect(a.mapCount).toBe(0);
    allocator.freeMemory(a);
    allocator.destroy();
  });

  it('refuses to free an allocation that is still mapped', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    const a = allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b10 });
    const view = allocator.mapMemory(a);
    expect(() => allocator.freeMemory(a)).toThrow(/still mapped \(1 mapMemory call without unmapMemory\)/);
    expect(a.isFreed).toBe(false);
    view[0] = 1;
    allocator.unmapMemory(a);
    allocator.freeMemory(a);
    allocator.destroy();
  });

  it('refuses to map memory that is not host-visible', () => {
    const allocator = createAllocator(makeDevice('stress'));
    const a = allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b1 });
    expect(() => allocator.mapMemory(a)).toThrow(/memory type 0 \(DEVICE_LOCAL\), which is not HOST_VISIBLE/);
    expect(a.mapCount).toBe(0);
    allocator.freeMemory(a);
    allocator.destroy();
  });

  it('MAPPED keeps an allocation persistently mapped for its whole life', () => {
    const device = makeDevice('nvidia-h100', 1, 'detach');
    const allocator = createAllocator(device, { preferredLargeHeapBlockSize: 1024 * KiB });
    const staging = allocator.allocateMemory(
      { size: 4096, alignment: 1, memoryTypeBits: ALL },
      { flags: F.MAPPED | F.HOST_ACCESS_SEQUENTIAL_WRITE, deviceAccess: false },
    );
    expect(staging.isPersistentlyMapped).toBe(true);
    const view = staging.mappedData!;
    const windowBytes = view.buffer.byteLength;
    expect(view.length).toBe(4096);
    expect(() => allocator.unmapMemory(staging)).toThrow(/persistent MAPPED mapping/);
    allocator.freeMemory(staging); // a persistent map alone does not block the free
    expect(isCutOff(view, windowBytes)).toBe(true);
    allocator.destroy();
  });

  it('a failed persistent map frees what it allocated and throws the backend result', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    device.faults.failNthCall({ target: 'map', nth: 1, result: 'VK_ERROR_MEMORY_MAP_FAILED', count: 10 });
    expect(() =>
      allocator.allocateMemory(
        { size: 64, alignment: 1, memoryTypeBits: 0b10 },
        { flags: F.MAPPED | F.HOST_ACCESS_RANDOM, usage: 0 },
      ),
    ).toThrow(VkError);
    expect(allocator.allocationCount).toBe(0);
    expect(allocator.calculateStatistics().total.statistics.allocationCount).toBe(0);
    allocator.destroy();
    expect(device.allocationCount).toBe(0);
  });

  it('mapping churn keeps the block mapped instead of calling the driver each time (hysteresis)', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    const a = allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b10 });
    for (let i = 0; i < 50; i++) {
      allocator.mapMemory(a)[0] = i;
      allocator.unmapMemory(a);
    }
    expect(allocator.driverMapCountOf(a)).toBeLessThanOrEqual(8);
    const counts = device.faults.callCounts.get('vkMapMemory');
    expect(counts).toBe(allocator.driverMapCountOf(a));
    // Without hysteresis every map reaches the driver.
    const plain = createAllocator(device, { mappingHysteresis: false });
    const b = plain.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b10 });
    for (let i = 0; i < 50; i++) {
      plain.mapMemory(b);
      plain.unmapMemory(b);
    }
    expect(plain.driverMapCountOf(b)).toBe(50);
    // Mostly allocating and freeing drops the held mapping again.
    for (let i = 0; i < 40; i++)
      allocator.freeMemory(allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b10 }));
    const stats = JSON.parse(allocator.buildStatsString());
    expect(stats.DefaultPools['Type 1'].Blocks['0'].MapRefCount).toBe(0);
    allocator.freeMemory(a);
    plain.freeMemory(b);
    allocator.destroy();
    plain.destroy();
  });
});

describe('flush, invalidate and copies on non-coherent memory', () => {
  it('flush publishes host writes, rounded to whole atoms and clamped, skipped for coherent types', () => {
    const device = makeDevice('qualcomm-adreno-turnip'); // type 1: cached, not coherent, atom 64
    const allocator = createAllocator(device);
    const a = allocator.allocateMemory({ size: 100, alignment: 1, memoryTypeBits: 0b10 });
    const b = allocator.allocateMemory({ size: 100, alignment: 1, memoryTypeBits: 0b10 });
    expect(b.offset - a.offset).toBeGreaterThanOrEqual(128n);
    const viewA = allocator.mapMemory(a);
    const viewB = allocator.mapMemory(b);
    viewA.fill(7);
    viewB.fill(9);
    expect(device.deviceRead(a.memory, a.offset, 100).every((x) => x === 0)).toBe(true); // not flushed yet
    allocator.flushAllocation(a, 10, 5); // rounds out to atom [0, 64)
    const device0 = device.deviceRead(a.memory, a.offset, 100);
    expect(device0.subarray(0, 64).every((x) => x === 7)).toBe(true);
    expect(device0.subarray(64).every((x) => x === 0)).toBe(true);
    allocator.flushAllocations([a, b]);
    expect(device.deviceRead(a.memory, a.offset, 100).every((x) => x === 7)).toBe(true);
    expect(device.deviceRead(b.memory, b.offset, 100).every((x) => x === 9)).toBe(true);
    // The GPU writes; the host sees it only after an invalidate.
    device.deviceWrite(b.memory, b.offset, new Uint8Array(100).fill(3));
    expect(viewB[0]).toBe(9);
    allocator.invalidateAllocation(b);
    expect(viewB[0]).toBe(3);
    expect(viewA[0]).toBe(7); // invalidating b did not touch a's atoms
    expect(() => allocator.flushAllocation(a, 90, 20)).toThrow(/runs past the end/);
    allocator.unmapMemory(a);
    allocator.unmapMemory(b);
    allocator.freeMemory(a);
    allocator.freeMemory(b);
    allocator.destroy();
  });

  it('copy helpers map, flush or invalidate, and always unmap, also on error', () => {
    const device = makeDevice('qualcomm-adreno-turnip');
    const allocator = createAllocator(device);
    const a = allocator.allocateMemory({ size: 1000, alignment: 1, memoryTypeBits: 0b10 });
    allocator.copyMemoryToAllocation(pattern(500, 3), a, 100);
    expect(a.mapCount).toBe(0);
    expect(device.deviceRead(a.memory, a.offset + 100n, 500)).toEqual(pattern(500, 3));
    device.deviceWrite(a.memory, a.offset, pattern(1000, 5));
    const out = new Uint8Array(1000);
    allocator.copyAllocationToMemory(a, 0, out);
    expect(out).toEqual(pattern(1000, 5));
    device.faults.failNthCall({ target: 'vkFlushMappedMemoryRanges', nth: 1, result: 'VK_ERROR_OUT_OF_HOST_MEMORY' });
    expect(() => allocator.copyMemoryToAllocation(pattern(10), a, 0)).toThrow(VkError);
    expect(a.mapCount).toBe(0);
    expect(() => allocator.copyMemoryToAllocation(pattern(10), a, 995)).toThrow(/runs past the end/);
    expect(a.mapCount).toBe(0);
    allocator.freeMemory(a);
    allocator.destroy();
  });

  it('flushing an allocation that is not mapped is an error on non-coherent memory', () => {
    const allocator = createAllocator(makeDevice('qualcomm-adreno-turnip'), { mappingHysteresis: false });
    const a = allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b10 });
    expect(() => allocator.flushAllocation(a)).toThrow(/is not mapped/);
    allocator.freeMemory(a);
    allocator.destroy();
  });
});
