import { describe, expect, it } from 'vitest';
import { VK_WHOLE_SIZE, VkStructureType, type Device, type DeviceMemory, type MappedMemoryRange } from '@vkmap/core';
import { allocate, ATOM, expectVuids, negative, plainDevice, TYPE_COHERENT, TYPE_NON_COHERENT } from './helpers.js';

/** A validated stress device with non-coherent memory of `size` bytes mapped at [offset, offset + mapSize). */
function mappedNonCoherent(size: bigint, offset: bigint = 0n, mapSize: bigint = VK_WHOLE_SIZE): [Device, DeviceMemory] {
  const device = plainDevice();
  const memory = allocate(device, size, TYPE_NON_COHERENT);
  device.mapMemory(memory, offset, mapSize);
  return [device, memory];
}

const flush = (offset: bigint | number, size: bigint | number, setup = mappedNonCoherent(4n * ATOM)) => {
  const [device, memory] = setup;
  device.flushMappedMemoryRanges([{ memory, offset, size }]);
};

describe('flush and invalidate: valid usage', () => {
  it('accepts whole, atom-aligned, zero-sized and end-of-allocation ranges, reporting nothing', () => {
    const [device, memory] = mappedNonCoherent(1000n);
    const ranges: MappedMemoryRange[] = [
      { memory, offset: 0, size: VK_WHOLE_SIZE },
      { sType: VkStructureType.VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE, memory, offset: ATOM, size: ATOM },
      // A range of size 0 inside the mapping is not an error by itself.
      { memory, offset: ATOM, size: 0 },
      // 232 is no multiple of the atom, but the range ends at the end of the allocation (01390's exception).
      { memory, offset: 3n * ATOM, size: 1000n - 3n * ATOM },
    ];
    device.flushMappedMemoryRanges(ranges);
    device.invalidateMappedMemoryRanges(ranges);
  });
  it('a VK_WHOLE_SIZE range of a mapping that ends at the end of an unaligned allocation is valid (01389’s exception)', () => {
    flush(ATOM, VK_WHOLE_SIZE, mappedNonCoherent(1000n, ATOM));
  });
});

describe('VkMappedMemoryRange', () => {
  negative(['VUID-VkMappedMemoryRange-memory-00684'], 'flushing memory that is not mapped', () => {
    const device = plainDevice();
    device.flushMappedMemoryRanges([
      { memory: allocate(device, 1024, TYPE_NON_COHERENT), offset: 0, size: VK_WHOLE_SIZE },
    ]);
  });
  negative(['VUID-VkMappedMemoryRange-size-00685'], 'a range one atom past the end of the mapping', () =>
    flush(ATOM, 4n * ATOM),
  );
  negative(['VUID-VkMappedMemoryRange-size-00685'], 'a range that starts before the mapping', () =>
    flush(0, ATOM, mappedNonCoherent(4n * ATOM, ATOM, 2n * ATOM)),
  );
  negative(['VUID-VkMappedMemoryRange-size-00685'], 'offset + size past 2^64 - 1 (no wrap-around)', () =>
    flush(2n ** 64n - ATOM, 2n * ATOM),
  );
  negative(['VUID-VkMappedMemoryRange-size-00686'], 'VK_WHOLE_SIZE from before the mapping', () =>
    flush(0, VK_WHOLE_SIZE, mappedNonCoherent(4n * ATOM, ATOM)),
  );
  negative(
    ['VUID-VkMappedMemoryRange-size-00686'],
    'VK_WHOLE_SIZE from the end of the mapping (offset is not inside it)',
    () => flush(2n * ATOM, VK_WHOLE_SIZE, mappedNonCoherent(4n * ATOM, 0n, 2n * ATOM)),
  );
  negative(['VUID-VkMappedMemoryRange-offset-00687'], 'an offset that is not a multiple of the atom', () =>
    flush(100, ATOM),
  );
  negative(
    ['VUID-VkMappedMemoryRange-offset-00687'],
    'the same on HOST_COHERENT memory: the rule holds for every memory type',
    () => {
      const device = plainDevice();
      const memory = allocate(device, 1024, TYPE_COHERENT);
      device.mapMemory(memory, 0, VK_WHOLE_SIZE);
      device.flushMappedMemoryRanges([{ memory, offset: 100, size: ATOM }]);
    },
  );
  negative(
    ['VUID-VkMappedMemoryRange-size-01389'],
    'VK_WHOLE_SIZE when the mapping ends at 300 bytes, mid-atom and before the end of the allocation',
    () => flush(0, VK_WHOLE_SIZE, mappedNonCoherent(4n * ATOM, 0n, 300n)),
  );
  negative(
    ['VUID-VkMappedMemoryRange-size-01390'],
    'size 100, not a multiple of the atom and not reaching the end',
    () => flush(0, 100),
  );
  negative(
    [
      'VUID-VkMappedMemoryRange-offset-00687',
      'VUID-VkMappedMemoryRange-size-00685',
      'VUID-VkMappedMemoryRange-size-01390',
    ],
    'every explicit-size rule in one range',
    () => flush(10, 4n * ATOM + 1n),
  );
  negative(['VUID-VkMappedMemoryRange-sType-sType'], 'sType of VkMemoryMapInfo', () => {
    const [device, memory] = mappedNonCoherent(1024n);
    device.flushMappedMemoryRanges([
      { sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_INFO as never, memory, offset: 0, size: ATOM },
    ]);
  });
  negative(['VUID-VkMappedMemoryRange-pNext-pNext'], 'a structure in pNext', () => {
    const [device, memory] = mappedNonCoherent(1024n);
    device.flushMappedMemoryRanges([{ memory, offset: 0, size: ATOM, pNext: { sType: 1000271000 } }]);
  });
  negative(['VUID-VkMappedMemoryRange-memory-parameter'], 'freed memory', () => {
    const device = plainDevice();
    const memory = allocate(device, 1024, TYPE_NON_COHERENT);
    device.freeMemory(memory);
    device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
  });
  negative(
    ['UNASSIGNED-VkMappedMemoryRange-memory-device'],
    'flushing memory mapped on another device (the Khronos layer’s identifier)',
    () => {
      const [, memory] = mappedNonCoherent(1024n);
      plainDevice().flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
    },
  );
  negative(['UNASSIGNED-VkMappedMemoryRange-memory-device'], 'invalidating memory mapped on another device', () => {
    const [, memory] = mappedNonCoherent(1024n);
    plainDevice().invalidateMappedMemoryRanges([{ memory, offset: 0, size: ATOM }]);
  });
  negative(
    ['UNASSIGNED-VkMappedMemoryRange-memory-device'],
    'memory of another device, not mapped there, with a range past its end: no rule of the memory’s state',
    () => {
      const memory = allocate(plainDevice(), 1024, TYPE_NON_COHERENT);
      plainDevice().flushMappedMemoryRanges([{ memory, offset: 4n * ATOM, size: 100 }]);
    },
  );
  negative(
    ['UNASSIGNED-VkMappedMemoryRange-memory-device', 'VUID-VkMappedMemoryRange-size-01390'],
    'a range of another device’s memory beside a bad range of this device’s',
    () => {
      const [device, memory] = mappedNonCoherent(1024n);
      const [, foreign] = mappedNonCoherent(1024n);
      device.flushMappedMemoryRanges([
        { memory: foreign, offset: 0, size: VK_WHOLE_SIZE },
        { memory, offset: 0, size: 100 },
      ]);
    },
  );
  negative(
    ['VUID-VkMappedMemoryRange-memory-00684', 'VUID-VkMappedMemoryRange-size-01390'],
    'two bad ranges give one report with both rules',
    () => {
      const [device, memory] = mappedNonCoherent(1024n);
      const unmapped = allocate(device, 1024, TYPE_NON_COHERENT);
      device.flushMappedMemoryRanges([
        { memory, offset: 0, size: ATOM },
        { memory, offset: 0, size: 100 },
        { memory: unmapped, offset: 0, size: VK_WHOLE_SIZE },
      ]);
    },
  );
  it('the report names each failing range by its index and values', () => {
    const [device, memory] = mappedNonCoherent(1024n);
    const error = expectVuids(
      () =>
        device.flushMappedMemoryRanges([
          { memory, offset: 0, size: ATOM },
          { memory, offset: 0, size: 100 },
        ]),
      ['VUID-VkMappedMemoryRange-size-01390'],
    );
    expect(error.failures[0]!.message).toBe(
      `pMemoryRanges[1].size 100 bytes is not a multiple of nonCoherentAtomSize (256 bytes), and offset + size (100 bytes) is not the end of VkDeviceMemory 0x${memory.handle.toString(16)} (1024 bytes)`,
    );
  });
});

describe('vkFlushMappedMemoryRanges and vkInvalidateMappedMemoryRanges', () => {
  negative(['VUID-vkFlushMappedMemoryRanges-memoryRangeCount-arraylength'], 'an empty array', () =>
    plainDevice().flushMappedMemoryRanges([]),
  );
  negative(['VUID-vkInvalidateMappedMemoryRanges-memoryRangeCount-arraylength'], 'an empty array', () =>
    plainDevice().invalidateMappedMemoryRanges([]),
  );
  negative(['VUID-vkFlushMappedMemoryRanges-pMemoryRanges-parameter'], 'one range object instead of an array', () => {
    const [device, memory] = mappedNonCoherent(1024n);
    device.flushMappedMemoryRanges({ memory, offset: 0, size: VK_WHOLE_SIZE } as never);
  });
  negative(['VUID-vkInvalidateMappedMemoryRanges-pMemoryRanges-parameter'], 'an array holding null', () =>
    plainDevice().invalidateMappedMemoryRanges([null as never]),
  );
  negative(['VUID-vkFlushMappedMemoryRanges-device-parameter'], 'a destroyed device', () => {
    const [device, memory] = mappedNonCoherent(1024n);
    device.destroy();
    device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
  });
  negative(['VUID-vkInvalidateMappedMemoryRanges-device-parameter'], 'a destroyed device', () => {
    const [device, memory] = mappedNonCoherent(1024n);
    device.destroy();
    device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
  });
});
