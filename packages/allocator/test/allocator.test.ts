import { describe, expect, it } from 'vitest';
import { VkError, VkmapArgumentError, VkmapStateError } from '@vkmap/core';
import { AllocationCreateFlagBits as F, AllocationLeakError, createAllocator } from '@vkmap/allocator';
import { isCutOff, KiB, MiB, makeDevice } from './fixtures.js';

const ALL = 0xffffffff;

describe('allocation from blocks', () => {
  it('sub-allocates blocks sized by heap: small heaps get heapSize/8, started at a fraction of it', () => {
    const device = makeDevice('stress'); // heap 0: 32 MiB -> preferred blocks of 4 MiB
    const allocator = createAllocator(device);
    const a = allocator.allocateMemory({ size: 1000, alignment: 256, memoryTypeBits: 0b1 });
    const b = allocator.allocateMemory({ size: 3000, alignment: 1024, memoryTypeBits: 0b1 });
    expect(a.memory).toBe(b.memory);
    expect(a.memory.allocationSize).toBe(512n * 1024n); // 4 MiB / 8: new blocks start small
    expect(b.offset % 1024n).toBe(0n);
    expect(device.allocationCount).toBe(1);
    const stats = allocator.calculateStatistics();
    expect(stats.memoryType[0]!.statistics).toEqual({
      blockCount: 1,
      allocationCount: 2,
      blockBytes: 524288n,
      allocationBytes: 4000n,
    });
    allocator.freeMemory(a);
    allocator.freeMemory(b);
    // One empty block is kept as hysteresis, so the next allocation needs no driver call.
    expect(device.allocationCount).toBe(1);
    allocator.destroy();
    expect(device.allocationCount).toBe(0);
  });

  it('large heaps use the preferred 256 MiB block size (or the configured one), growing 1/8, 1/4, 1/2', () => {
    const device = makeDevice('nvidia-h100');
    const allocator = createAllocator(device);
    const first = allocator.allocateMemory({ size: 16 * MiB, alignment: 256, memoryTypeBits: ALL });
    expect(first.memoryTypeIndex).toBe(1);
    expect(first.memory.allocationSize).toBe(32n * BigInt(MiB)); // 256 MiB / 8
    const second = allocator.allocateMemory({ size: 20 * MiB, alignment: 256, memoryTypeBits: ALL });
    expect(second.memory.allocationSize).toBe(64n * BigInt(MiB)); // larger than the existing block
    allocator.destroy({ freeLeakedAllocations: true });
    const custom = createAllocator(makeDevice('nvidia-h100'), { preferredLargeHeapBlockSize: 8 * MiB });
    const small = custom.allocateMemory({ size: 100, alignment: 1, memoryTypeBits: ALL });
    expect(small.memory.allocationSize).toBe(1n * BigInt(MiB));
    custom.destroy({ freeLeakedAllocations: true });
  });

  it('gives large requests (over half a block) and DEDICATED_MEMORY requests their own memory', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    const large = allocator.allocateMemory({ size: 3 * MiB, alignment: 1, memoryTypeBits: 0b1 });
    expect(large.isDedicated).toBe(true);
    expect(large.memory.allocationSize).toBe(3n * BigInt(MiB));
    const asked = allocator.allocateMemory(
      { size: 100, alignment: 1, memoryTypeBits: 0b1 },
      { flags: F.DEDICATED_MEMORY },
    );
    expect(asked.isDedicated).toBe(true);
    expect(allocator.calculateStatistics().memoryType[0]!.statistics.blockCount).toBe(2);
    allocator.freeMemory(large);
    allocator.freeMemory(asked);
    expect(device.allocationCount).toBe(0);
    allocator.destroy();
  });

  it('aligns and sizes non-coherent allocations to nonCoherentAtomSize so no two share an atom', () => {
    const device = makeDevice('stress'); // type 2: HOST_VISIBLE | HOST_CACHED, atom 256
    const allocator = createAllocator(device);
    const allocations = [1, 17, 300, 5].map((size) =>
      allocator.allocateMemory({ size, alignment: 1, memoryTypeBits: 0b100 }),
    );
    for (const allocation of allocations) {
      expect(allocation.memoryTypeIndex).toBe(2);
      expect(allocation.offset % 256n).toBe(0n);
    }
    const offsets = allocations.map((a) => a.offset).sort((x, y) => Number(x - y));
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]! - offsets[i - 1]!).toBeGreaterThanOrEqual(256n);
    expect(allocations[1]!.size).toBe(17n);
    allocator.destroy({ freeLeakedAllocations: true });
  });

  it('custom pools: fixed block size, block count limits, TLSF or linear', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    const pool = allocator.createPool({
      memoryTypeIndex: 1,
      blockSize: 64 * KiB,
      minBlockCount: 1,
      maxBlockCount: 2,
      name: 'uniforms',
    });
    expect(pool.blockCount).toBe(1);
    const a = allocator.allocateMemory({ size: 60 * KiB, alignment: 1, memoryTypeBits: ALL }, { pool });
    const b = allocator.allocateMemory({ size: 60 * KiB, alignment: 1, memoryTypeBits: ALL }, { pool });
    expect(a.memory).not.toBe(b.memory);
    expect(a.pool).toBe(pool);
    expect(() => allocator.allocateMemory({ size: 60 * KiB, alignment: 1, memoryTypeBits: ALL }, { pool })).toThrow(
      /maxBlockCount of 2/,
    );
    expect(() => allocator.allocateMemory({ size: 16, alignment: 1, memoryTypeBits: 0b1 }, { pool })).toThrow(
      /FEATURE_NOT_PRESENT/,
    );
    expect(() => allocator.destroyPool(pool)).toThrow(AllocationLeakError);
    allocator.freeMemory(a);
    allocator.freeMemory(b);
    allocator.destroyPool(pool);
    expect(() => allocator.allocateMemory({ size: 16, alignment: 1, memoryTypeBits: ALL }, { pool })).toThrow(
      /destroyed/,
    );

    const stack = allocator.createPool({
      memoryTypeIndex: 1,
      algorithm: 'linear',
      blockSize: 4 * KiB,
      maxBlockCount: 1,
    });
    const bottom = allocator.allocateMemory({ size: 1000, alignment: 1, memoryTypeBits: ALL }, { pool: stack });
    const top = allocator.allocateMemory(
      { size: 1000, alignment: 64, memoryTypeBits: ALL },
      { pool: stack, flags: F.UPPER_ADDRESS },
    );
    expect(bottom.offset).toBe(0n);
    expect(top.offset).toBe(3072n); // (4096 - 1000) rounded down to 64
    expect(() =>
      allocator.allocateMemory({ size: 16, alignment: 1, memoryTypeBits: ALL }, { flags: F.UPPER_ADDRESS }),
    ).toThrow(/linear/);
    allocator.destroy({ freeLeakedAllocations: true });
    expect(device.allocationCount).toBe(0);
  });

  it('NEVER_ALLOCATE uses existing blocks only; bad flags and arguments are refused before anything happens', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    expect(() =>
      allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b1 }, { flags: F.NEVER_ALLOCATE }),
    ).toThrow(/NEVER_ALLOCATE/);
    const keep = allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b1 });
    expect(
      allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: 0b1 }, { flags: F.NEVER_ALLOCATE }).memory,
    ).toBe(keep.memory);
    expect(() => allocator.allocateMemory({ size: 0, alignment: 1, memoryTypeBits: ALL })).toThrow(VkmapArgumentError);
    expect(() => allocator.allocateMemory({ size: 64, alignment: 48, memoryTypeBits: ALL })).toThrow(/power of two/);
    expect(() => allocator.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: ALL }, { flags: 1 << 30 })).toThrow(
      /not AllocationCreateFlagBits/,
    );
    expect(() =>
      allocator.allocateMemory(
        { size: 64, alignment: 1, memoryTypeBits: ALL },
        { flags: F.DEDICATED_MEMORY | F.NEVER_ALLOCATE },
      ),
    ).toThrow(/exclude each other/);
    expect(allocator.allocationCount).toBe(2);
    allocator.destroy({ freeLeakedAllocations: true });
  });

  it('reports heap budgets from VK_EXT_memory_budget where the device has it, else from its own accounting', () => {
    const withBudget = makeDevice('stress');
    const allocator = createAllocator(withBudget);
    const a = allocator.allocateMemory({ size: 4096, alignment: 1, memoryTypeBits: 0b1 });
    const budgets = allocator.getHeapBudgets();
    expect(budgets[0]!.statistics).toEqual({
      blockCount: 1,
      allocationCount: 1,
      blockBytes: 524288n,
      allocationBytes: 4096n,
    });
    expect(budgets[0]!.usage).toBe(withBudget.getMemoryBudget()!.heapUsage[0]);
    expect(budgets[0]!.budget).toBe(32n * BigInt(MiB));
    allocator.freeMemory(a);
    allocator.destroy();

    const noBudget = makeDevice('nvidia-gtx950-smallbar'); // no VK_EXT_memory_budget
    const own = createAllocator(noBudget);
    own.allocateMemory({ size: 4096, alignment: 1, memoryTypeBits: ALL });
    const heaps = own.getHeapBudgets();
    expect(heaps[0]!.usage).toBe(heaps[0]!.statistics.blockBytes);
    expect(heaps[0]!.budget).toBe((2_147_483_648n * 8n) / 10n);
    own.destroy({ freeLeakedAllocations: true });
  });

  it('destroying the allocator with live allocations throws a list of them and changes nothing', () => {
    const device = makeDevice('stress', 1, 'detach');
    const allocator = createAllocator(device);
    const leaked = allocator.allocateMemory(
      { size: 4096, alignment: 1, memoryTypeBits: 0b10 },
      { name: 'vertex staging' },
    );
    const view = allocator.mapMemory(leaked);
    const windowBytes = view.buffer.byteLength;
    let error: unknown;
    try {
      allocator.destroy();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AllocationLeakError);
    expect(error).toBeInstanceOf(VkmapStateError);
    expect((error as AllocationLeakError).message).toMatch(
      /1 live allocation.*\n.*"vertex staging": 4096 bytes of memory type 1 .*still mapped 1 time/,
    );
    expect(allocator.isDestroyed).toBe(false);
    view[0] = 1; // still usable: nothing changed
    const leaks = allocator.destroy({ freeLeakedAllocations: true });
    expect(leaks.map((leak) => leak.name)).toEqual(['vertex staging']);
    expect(isCutOff(view, windowBytes)).toBe(true); // the block was unmapped
    expect(device.allocationCount).toBe(0);
    expect(() => allocator.allocateMemory({ size: 1, alignment: 1, memoryTypeBits: ALL })).toThrow(
      /allocator has been destroyed/,
    );
  });

  it('freeing twice, or an allocation of another allocator, is a clear error', () => {
    const device = makeDevice('stress');
    const one = createAllocator(device);
    const two = createAllocator(device);
    const a = one.allocateMemory({ size: 64, alignment: 1, memoryTypeBits: ALL }, { name: 'a' });
    expect(() => two.freeMemory(a)).toThrow(/belongs to another allocator/);
    one.freeMemory(a);
    expect(() => one.freeMemory(a)).toThrow(/allocation "a" .* has been freed/);
    one.freeMemory(null);
    one.destroy();
    two.destroy();
  });
});

describe('out of memory', () => {
  it('falls back to the next-best type, then fails with the backend result and leaks no block', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    // Heap 0 (types 0 and 3) is out of budget: DEVICE_LOCAL requests move to heap 1.
    device.faults.setHeapBudget(0, 0n);
    const moved = allocator.allocateMemory({ size: 4096, alignment: 1, memoryTypeBits: ALL });
    expect([1, 2, 4]).toContain(moved.memoryTypeIndex);
    device.faults.setHeapBudget(1, 0n);
    const before = device.allocationCount;
    let error: unknown;
    try {
      allocator.allocateMemory({ size: 64 * KiB, alignment: 1, memoryTypeBits: 0b1001 }, { name: 'texture' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VkError);
    expect((error as VkError).result).toBe('VK_ERROR_OUT_OF_DEVICE_MEMORY');
    expect((error as VkError).message).toMatch(/memory type 0 .*\n.*memory type 3/);
    expect(device.allocationCount).toBe(before);
    allocator.freeMemory(moved);
    allocator.destroy();
  });

  it('tries smaller blocks when the preferred block size does not fit the heap', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    allocator.allocateMemory({ size: 4096, alignment: 1, memoryTypeBits: 0b1 }); // a 512 KiB block
    const big = allocator.allocateMemory({ size: 1 * MiB, alignment: 1, memoryTypeBits: 0b1 }); // wants a 4 MiB... then 2 MiB block
    expect(big.isDedicated).toBe(false);
    // Room for 2.5 MiB more: the 4 MiB block fails, the 2 MiB one fits.
    device.faults.setHeapBudget(0, device.getMemoryBudget()!.heapUsage[0]! + 2560n * 1024n);
    const squeezed = allocator.allocateMemory({ size: 1200 * KiB, alignment: 1, memoryTypeBits: 0b1 });
    expect(squeezed.isDedicated).toBe(false);
    expect(squeezed.memory.allocationSize).toBe(2n * BigInt(MiB));
    allocator.destroy({ freeLeakedAllocations: true });
  });

  it('an injected driver failure of vkAllocateMemory fails over to another type and leaves state unchanged', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    // Type 0 fails its first (512 KiB, already 1/8 of the preferred size) block and the dedicated fallback: type 3 is next.
    device.faults.failNthCall({ target: 'allocate', nth: 1, result: 'VK_ERROR_OUT_OF_HOST_MEMORY', count: 2 });
    const a = allocator.allocateMemory({ size: 256, alignment: 1, memoryTypeBits: 0b1001 });
    expect(a.memoryTypeIndex).toBe(3);
    expect(device.allocationCount).toBe(1);
    device.faults.failNthCall({ target: 'allocate', nth: 1, result: 'VK_ERROR_TOO_MANY_OBJECTS', count: 50 });
    expect(() => allocator.allocateMemory({ size: 2 * MiB, alignment: 1, memoryTypeBits: 0b1 })).toThrow(
      /VK_ERROR_TOO_MANY_OBJECTS/,
    );
    expect(allocator.allocationCount).toBe(1);
    allocator.freeMemory(a);
    allocator.destroy();
  });

  it('WITHIN_BUDGET refuses to grow past the budget', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    device.faults.setHeapBudget(0, 100n * 1024n);
    expect(() =>
      allocator.allocateMemory({ size: 200 * KiB, alignment: 1, memoryTypeBits: 0b1 }, { flags: F.WITHIN_BUDGET }),
    ).toThrow(/WITHIN_BUDGET/);
    // Without the flag the driver is asked, and refuses by itself.
    expect(() => allocator.allocateMemory({ size: 200 * KiB, alignment: 1, memoryTypeBits: 0b1 })).toThrow(
      /OUT_OF_DEVICE_MEMORY/,
    );
    // What fits the budget is still allocated under WITHIN_BUDGET, as dedicated memory.
    const small = allocator.allocateMemory(
      { size: 4096, alignment: 1, memoryTypeBits: 0b1 },
      { flags: F.WITHIN_BUDGET },
    );
    expect(small.isDedicated).toBe(true);
    allocator.freeMemory(small);
    expect(device.allocationCount).toBe(0);
    allocator.destroy();
  });
});
