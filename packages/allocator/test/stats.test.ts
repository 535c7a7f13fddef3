import { describe, expect, it } from 'vitest';
import { AllocationCreateFlagBits as F, createAllocator } from '@vkmap/allocator';
import { makeDevice } from './fixtures.js';

describe('statistics output', () => {
  it('builds JSON in the layout of vmaBuildStatsString', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    allocator.allocateMemory(
      { size: 1000, alignment: 1, memoryTypeBits: 0b1 },
      { name: 'vertices', userData: 'mesh 7' },
    );
    allocator.allocateMemory({ size: 3 * 1024 * 1024, alignment: 1, memoryTypeBits: 0b1 }, { name: 'big' });
    const pool = allocator.createPool({ memoryTypeIndex: 1, blockSize: 65536, name: 'uniforms' });
    const mapped = allocator.allocateMemory(
      { size: 256, alignment: 1, memoryTypeBits: 0b10 },
      { pool, flags: F.MAPPED },
    );
    const json = JSON.parse(allocator.buildStatsString(true));
    expect(Object.keys(json)).toEqual(['General', 'Total', 'MemoryInfo', 'DefaultPools', 'CustomPools']);
    expect(json.General).toMatchObject({
      API: 'Vulkan',
      apiVersion: '1.3.0',
      GPU: 'vkmap stress device',
      nonCoherentAtomSize: 256,
      memoryHeapCount: 2,
      memoryTypeCount: 5,
    });
    expect(json.Total).toEqual({
      BlockCount: 3,
      BlockBytes: 524288 + 3145728 + 65536,
      AllocationCount: 3,
      AllocationBytes: 1000 + 3145728 + 256,
      UnusedRangeCount: 2,
      AllocationSizeMin: 256,
      AllocationSizeMax: 3145728,
      UnusedRangeSizeMin: 65280,
      UnusedRangeSizeMax: 523288,
    });
    const heap0 = json.MemoryInfo['Heap 0'];
    expect(heap0.Flags).toEqual(['DEVICE_LOCAL']);
    expect(heap0.Size).toBe(32 * 1024 * 1024);
    expect(heap0.Budget).toEqual({ BudgetBytes: 32 * 1024 * 1024, UsageBytes: 524288 + 3145728 });
    expect(Object.keys(heap0.MemoryPools)).toEqual(['Type 0', 'Type 3']);
    expect(heap0.MemoryPools['Type 3'].Flags).toEqual(['DEVICE_LOCAL', 'HOST_VISIBLE', 'HOST_COHERENT']);
    const type0 = json.DefaultPools['Type 0'];
    expect(type0.PreferredBlockSize).toBe(4 * 1024 * 1024);
    expect(type0.Blocks['0']).toEqual({
      MapRefCount: 0,
      TotalBytes: 524288,
      UnusedBytes: 523288,
      Allocations: 1,
      UnusedRanges: 1,
      Suballocations: [
        { Offset: 0, Type: 'UNKNOWN', Size: 1000, Usage: 0, CustomData: 'mesh 7', Name: 'vertices' },
        { Offset: 1000, Type: 'FREE', Size: 523288 },
      ],
    });
    expect(type0.DedicatedAllocations).toEqual([{ Type: 'UNKNOWN', Size: 3145728, Usage: 0, Name: 'big' }]);
    expect(json.CustomPools['Type 1']).toHaveLength(1);
    expect(json.CustomPools['Type 1'][0]).toMatchObject({ Name: '0 - uniforms', PreferredBlockSize: 65536 });
    const poolBlock = Object.values(json.CustomPools['Type 1'][0].Blocks)[0] as { MapRefCount: number };
    expect(poolBlock.MapRefCount).toBe(1);
    expect(Object.keys(JSON.parse(allocator.buildStatsString(false)))).toEqual(['General', 'Total', 'MemoryInfo']);
    allocator.freeMemory(mapped);
    allocator.destroy({ freeLeakedAllocations: true });
  });

  it('draws each block and dedicated allocation as an SVG bar', () => {
    const allocator = createAllocator(makeDevice('stress'));
    allocator.allocateMemory({ size: 1000, alignment: 1, memoryTypeBits: 0b1 }, { name: 'a<b>' });
    allocator.allocateMemory({ size: 3 * 1024 * 1024, alignment: 1, memoryTypeBits: 0b1 });
    const svg = allocator.buildStatsSvg({ width: 800 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('allocation a&lt;b&gt;: 1000 bytes at 0');
    expect(svg).toContain('free: 523288 bytes at 1000');
    expect(svg).toContain('dedicated');
    expect(svg.match(/<rect /g)!.length).toBe(2 + 1 + 2); // block: 2 regions + border; dedicated: 1 region + border
    allocator.destroy({ freeLeakedAllocations: true });
  });
});
