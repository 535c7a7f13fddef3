import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VkError, VkmapArgumentError, VkmapStateError } from '@vkmap/core';
import { createVirtualBlock, type VirtualAllocation } from '@vkmap/allocator';

describe('virtual blocks', () => {
  it('allocate, free and report statistics, the VMA virtual block API shape', () => {
    const block = createVirtualBlock({ size: 1 << 20 });
    const a = block.allocate({ size: 1000, alignment: 256, userData: 'mesh' });
    const b = block.allocate({ size: 5000n, alignment: 4096n });
    expect(a.offset % 256).toBe(0);
    expect(b.offset % 4096).toBe(0);
    expect(block.getAllocationInfo(a)).toEqual({ offset: a.offset, size: 1000, userData: 'mesh' });
    const stats = block.getStatistics();
    expect(stats).toEqual({ blockCount: 1, allocationCount: 2, blockBytes: 1048576n, allocationBytes: 6000n });
    const detailed = block.calculateStatistics();
    expect(detailed.statistics).toEqual(stats);
    expect(detailed.allocationSizeMin).toBe(1000n);
    expect(detailed.allocationSizeMax).toBe(5000n);
    block.free(a);
    block.free(b);
    expect(block.isEmpty).toBe(true);
    expect(block.fragmentation()).toBe(0);
  });

  it('fails a request that does not fit with VkError OUT_OF_DEVICE_MEMORY and changes nothing', () => {
    const block = createVirtualBlock({ size: 1024 });
    block.allocate({ size: 1000 });
    const error = (() => {
      try {
        block.allocate({ size: 100 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(VkError);
    expect((error as VkError).result).toBe('VK_ERROR_OUT_OF_DEVICE_MEMORY');
    expect(block.getStatistics().allocationCount).toBe(1);
  });

  it('rejects bad arguments and stale allocations with clear errors', () => {
    const block = createVirtualBlock({ size: 4096 });
    expect(() => block.allocate({ size: 0 })).toThrow(VkmapArgumentError);
    expect(() => block.allocate({ size: 16, alignment: 3 })).toThrow(/power of two/);
    expect(() => block.allocate({ size: 16, upperAddress: true })).toThrow(/linear/);
    expect(() => createVirtualBlock({ size: 2n ** 60n })).toThrow(/2\^53/);
    const a = block.allocate({ size: 16 });
    block.free(a);
    expect(() => block.free(a)).toThrow(VkmapStateError);
    const b = block.allocate({ size: 16 }); // reuses the handle of `a`
    expect(() => block.free(a)).toThrow(/freed already/);
    expect(block.isEmpty).toBe(false);
    const other = createVirtualBlock({ size: 4096 });
    expect(() => other.free(b)).toThrow(/another virtual block/);
    block.clear();
    expect(() => block.free(b)).toThrow(VkmapStateError);
  });

  it('linear virtual blocks take upper-address allocations', () => {
    const block = createVirtualBlock({ size: 4096, algorithm: 'linear' });
    const top = block.allocate({ size: 100, alignment: 64, upperAddress: true });
    expect(top.offset).toBe(3968);
    expect(block.allocate({ size: 100 }).offset).toBe(0);
  });

  it('builds a stats string in the layout of vmaBuildVirtualBlockStatsString', () => {
    const block = createVirtualBlock({ size: 4096 });
    block.allocate({ size: 100, userData: 7 });
    const json = JSON.parse(block.buildStatsString());
    expect(Object.keys(json)).toEqual(['Stats', 'Details']);
    expect(json.Stats).toMatchObject({
      BlockCount: 1,
      BlockBytes: 4096,
      AllocationCount: 1,
      AllocationBytes: 100,
      UnusedRangeCount: 1,
    });
    expect(json.Details).toMatchObject({ TotalBytes: 4096, UnusedBytes: 3996, Allocations: 1, UnusedRanges: 1 });
    expect(json.Details.Suballocations).toEqual([
      { Offset: 0, Size: 100, CustomData: '7' },
      { Offset: 100, Type: 'FREE', Size: 3996 },
    ]);
  });

  it('statistics add up over random allocate/free sequences', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('tlsf' as const, 'linear' as const),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constant(-1)), { maxLength: 80 }),
        (algorithm, steps) => {
          const block = createVirtualBlock({ size: 65536, algorithm });
          const live: VirtualAllocation[] = [];
          for (const step of steps) {
            if (step > 0) {
              try {
                live.push(block.allocate({ size: step, alignment: 16 }));
              } catch (error) {
                expect(error).toBeInstanceOf(VkError);
              }
            } else if (live.length > 0) block.free(live.splice(live.length >> 1, 1)[0]!);
            const detailed = block.calculateStatistics();
            const used = live.reduce((sum, a) => sum + a.size, 0);
            expect(detailed.statistics.allocationBytes).toBe(BigInt(used));
            expect(detailed.statistics.allocationCount).toBe(live.length);
            const json = JSON.parse(block.buildStatsString());
            expect(json.Details.UnusedBytes + used).toBe(65536);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('virtual block handles (allocateHandle)', () => {
  it('allocates without objects: offsetOf, sizeOf, getAllocationInfo and free take the number handle', () => {
    const block = createVirtualBlock({ size: 1 << 20 });
    const h = block.allocateHandle(1000, 256);
    expect(typeof h).toBe('number');
    expect(block.offsetOf(h) % 256).toBe(0);
    expect(block.sizeOf(h)).toBe(1000);
    const b = block.allocateHandle(5000n, 4096n);
    expect(block.offsetOf(b) % 4096).toBe(0);
    block.setAllocationUserData(h, 'mesh');
    expect(block.getAllocationInfo(h)).toEqual({ offset: block.offsetOf(h), size: 1000, userData: 'mesh' });
    expect(block.getStatistics().allocationBytes).toBe(6000n);
    block.free(h);
    expect(() => block.free(h)).toThrow(VkmapStateError);
    expect(() => block.offsetOf(h)).toThrow(VkmapStateError);
    expect(() => block.getAllocationInfo(h)).toThrow(VkmapStateError);
    block.free(b);
    expect(block.isEmpty).toBe(true);
    expect(() => block.allocateHandle(0)).toThrow(VkmapArgumentError);
    expect(() => block.allocateHandle(16, 3)).toThrow(/power of two/);
    expect(() => block.allocateHandle(2 << 20)).toThrow(VkError);
  });

  it('mixes with allocation objects: an object freed through its handle reads as freed', () => {
    const block = createVirtualBlock({ size: 4096 });
    const a = block.allocate({ size: 100, userData: 'a' });
    expect(block.offsetOf(a)).toBe(a.offset);
    expect(block.sizeOf(a)).toBe(100);
    block.free(a.handle);
    expect(() => block.free(a)).toThrow(/freed already/);
    const h = block.allocateHandle(100); // reuses the handle of `a`, without its user data
    expect(h).toBe(a.handle); // so only the tag in its node tells `a` is stale
    expect(block.getAllocationInfo(h).userData).toBeUndefined();
    expect(() => block.free(a)).toThrow(/freed already/);
    block.free(h);
    expect(block.isEmpty).toBe(true);
  });

  it('linear virtual blocks hand out handles too', () => {
    const block = createVirtualBlock({ size: 4096, algorithm: 'linear' });
    const h = block.allocateHandle(100, 64);
    const a = block.allocate({ size: 100 });
    expect(block.offsetOf(h)).toBe(0);
    expect(a.offset).toBe(100);
    block.free(h);
    block.free(a);
    expect(block.isEmpty).toBe(true);
  });
});
