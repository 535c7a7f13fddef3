import { describe, expect, it } from 'vitest';
import { VkError } from '@vkmap/core';
import { AllocationCreateFlagBits as F, MemoryUsage, createAllocator, memoryTypeCost } from '@vkmap/allocator';
import { makeDevice } from './fixtures.js';

const ALL = 0xffffffff;

describe('memory type selection by cost', () => {
  it('H100: GPU-only memory goes to DEVICE_LOCAL, a staging buffer to system memory, readback to HOST_CACHED', () => {
    const allocator = createAllocator(makeDevice('nvidia-h100'));
    expect(allocator.findMemoryTypeIndex(ALL)).toBe(1); // DL
    expect(allocator.findMemoryTypeIndex(ALL, { flags: F.HOST_ACCESS_SEQUENTIAL_WRITE, deviceAccess: false })).toBe(2); // HV|HC
    expect(allocator.findMemoryTypeIndex(ALL, { flags: F.HOST_ACCESS_SEQUENTIAL_WRITE })).toBe(4); // DL|HV|HC (ReBAR)
    expect(allocator.findMemoryTypeIndex(ALL, { flags: F.HOST_ACCESS_RANDOM })).toBe(3); // HV|HC|HCACHED
    // Type 0 has no flags at all: the cheapest memory that is not DEVICE_LOCAL.
    expect(allocator.findMemoryTypeIndex(ALL, { usage: MemoryUsage.AUTO_PREFER_HOST })).toBe(0);
    allocator.destroy();
  });

  it('RX 580 small BAR: a per-frame uniform buffer goes to the 256 MiB BAR heap, ALLOW_TRANSFER_INSTEAD may pick VRAM', () => {
    const allocator = createAllocator(makeDevice('amd-radv-rx580-smallbar'));
    expect(allocator.findMemoryTypeIndex(ALL, { flags: F.HOST_ACCESS_SEQUENTIAL_WRITE })).toBe(3);
    expect(
      allocator.findMemoryTypeIndex(ALL, { flags: F.HOST_ACCESS_RANDOM | F.HOST_ACCESS_ALLOW_TRANSFER_INSTEAD }),
    ).toBe(0);
    // memoryTypeBits limit the choice to what the resource allows.
    expect(allocator.findMemoryTypeIndex(0b0100, { flags: F.HOST_ACCESS_SEQUENTIAL_WRITE })).toBe(2);
    allocator.destroy();
  });

  it('Adreno (integrated, non-coherent cached): random host access requires HOST_CACHED', () => {
    const allocator = createAllocator(makeDevice('qualcomm-adreno-turnip'));
    expect(allocator.findMemoryTypeIndex(ALL, { flags: F.HOST_ACCESS_RANDOM })).toBe(1);
    expect(allocator.findMemoryTypeIndex(ALL, { flags: F.HOST_ACCESS_SEQUENTIAL_WRITE })).toBe(0);
    allocator.destroy();
  });

  it('cost counts missing preferred bits plus unwanted bits', () => {
    const preferences = { required: 0x2, preferred: 0x1 | 0x8, notPreferred: 0x4 };
    expect(memoryTypeCost(0x1, preferences)).toBeUndefined();
    expect(memoryTypeCost(0x2, preferences)).toBe(2);
    expect(memoryTypeCost(0x2 | 0x4, preferences)).toBe(3);
    expect(memoryTypeCost(0x1 | 0x2 | 0x8, preferences)).toBe(0);
  });

  it('explains when no type has the required flags', () => {
    const allocator = createAllocator(makeDevice('nvidia-h100'));
    expect(() => allocator.findMemoryTypeIndex(0b0010, { flags: F.HOST_ACCESS_RANDOM })).toThrow(VkError);
    expect(() => allocator.findMemoryTypeIndex(0b0010, { flags: F.HOST_ACCESS_RANDOM })).toThrow(
      /VK_ERROR_FEATURE_NOT_PRESENT.*HOST_VISIBLE\|HOST_CACHED/,
    );
    expect(() => allocator.findMemoryTypeIndex(ALL, { flags: F.MAPPED })).toThrow(
      /MAPPED with an AUTO usage needs HOST_ACCESS/,
    );
    expect(() =>
      allocator.findMemoryTypeIndex(ALL, { flags: F.HOST_ACCESS_RANDOM | F.HOST_ACCESS_SEQUENTIAL_WRITE }),
    ).toThrow(/exclude each other/);
    allocator.destroy();
  });
});
