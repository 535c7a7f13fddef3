import { describe, expect, it } from 'vitest';
import { COHERENT, CACHED_COHERENT, makeDevice, NON_COHERENT, pattern } from './fixtures.js';

describe('coherent memory', () => {
  it.each([COHERENT, CACHED_COHERENT])('type %i: host writes reach the device at once and device writes reach the host', (type) => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
    const mapping = device.mapMemory(memory, 0, 4096);
    mapping.data.set(pattern(100), 10);
    expect(device.deviceRead(memory, 10, 100)).toEqual(pattern(100));
    device.deviceWrite(memory, 2000, Uint8Array.of(1, 2, 3));
    expect([...mapping.data.subarray(2000, 2003)]).toEqual([1, 2, 3]);
  });

  it('a sub-range mapping sees device writes inside it and keeps bytes outside it', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 8192, memoryTypeIndex: COHERENT });
    device.deviceWrite(memory, 0, pattern(8192, 3));
    const mapping = device.mapMemory(memory, 4096, 1024);
    expect(mapping.data).toEqual(pattern(8192, 3).subarray(4096, 5120));
    mapping.data.fill(0xee);
    device.deviceWrite(memory, 4100, Uint8Array.of(9));
    expect(mapping.data[4]).toBe(9);
    expect(device.deviceRead(memory, 4095, 3)).toEqual(Uint8Array.of(pattern(8192, 3)[4095]!, 0xee, 0xee));
    device.unmapMemory(memory);
    expect(device.deviceRead(memory, 4096, 4)).toEqual(Uint8Array.of(0xee, 0xee, 0xee, 0xee));
    expect(device.deviceRead(memory, 0, 4096)).toEqual(pattern(8192, 3).subarray(0, 4096));
  });

  it('contents persist across unmap and map', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 1000, memoryTypeIndex: COHERENT });
    device.mapMemory(memory, 0, 1000).data.set(pattern(1000));
    device.unmapMemory(memory);
    expect(device.mapMemory(memory, 0, 1000).data).toEqual(pattern(1000));
    device.unmapMemory(memory);
    expect(device.mapMemory(memory, 500, 100).data).toEqual(pattern(1000).subarray(500, 600));
  });
});

describe('non-coherent memory', () => {
  it('the device does not see host writes until they are flushed', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, 4096);
    mapping.data.set(pattern(256));
    expect(device.deviceRead(memory, 0, 256)).toEqual(new Uint8Array(256));
    device.flushMappedMemoryRanges([{ memory, offset: 0, size: 128 }]);
    expect(device.deviceRead(memory, 0, 128)).toEqual(pattern(256).subarray(0, 128));
    expect(device.deviceRead(memory, 128, 128)).toEqual(new Uint8Array(128));
  });

  it('flush publishes whole atoms: an unaligned range reaches the atoms it touches', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, 4096);
    mapping.data.fill(7);
    device.flushMappedMemoryRanges([{ memory, offset: 70, size: 10 }]);
    const seen = device.deviceRead(memory, 0, 256);
    expect(seen.subarray(0, 64).every((b) => b === 0)).toBe(true);
    expect(seen.subarray(64, 128).every((b) => b === 7)).toBe(true);
    expect(seen.subarray(128).every((b) => b === 0)).toBe(true);
  });

  it('the host reads stale bytes after a device write until it invalidates', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, 4096);
    device.deviceWrite(memory, 0, pattern(512, 5));
    expect(mapping.data.subarray(0, 512)).toEqual(new Uint8Array(512));
    device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: 256 }]);
    expect(mapping.data.subarray(0, 256)).toEqual(pattern(512, 5).subarray(0, 256));
    expect(mapping.data.subarray(256, 512)).toEqual(new Uint8Array(256));
  });

  it('an unflushed host write survives unmap and map', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: NON_COHERENT });
    device.mapMemory(memory, 0, 4096).data.set(pattern(300), 100);
    device.unmapMemory(memory);
    expect(device.mapMemory(memory, 0, 4096).data.subarray(100, 400)).toEqual(pattern(300));
    device.unmapMemory(memory);
    const partial = device.mapMemory(memory, 128, 256);
    expect(partial.data).toEqual(pattern(300).subarray(28, 284));
    partial.data.fill(1);
    device.unmapMemory(memory);
    expect(device.mapMemory(memory, 0, VK_WHOLE).data.subarray(128, 384).every((b) => b === 1)).toBe(true);
    expect(device.deviceRead(memory, 0, 4096)).toEqual(new Uint8Array(4096));
  });

  it('invalidate loses only atoms written since their last flush', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 1024, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, 1024);
    mapping.data.fill(1, 0, 128);
    device.flushMappedMemoryRanges([{ memory, offset: 0, size: 128 }]);
    mapping.data.fill(2, 64, 128); // written after the flush: this atom may be lost
    mapping.data.fill(3, 128, 192); // never flushed
    device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: 256 }]);
    expect(mapping.data.subarray(0, 64).every((b) => b === 1)).toBe(true);
    expect(mapping.data.subarray(64, 128).every((b) => b === 1)).toBe(true);
    expect(mapping.data.subarray(128, 192).every((b) => b === 0)).toBe(true);
  });

  it('VK_WHOLE_SIZE flushes to the end of the mapping', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 1024, 1024);
    mapping.data.fill(9);
    device.flushMappedMemoryRanges([{ memory, offset: 1024, size: VK_WHOLE }]);
    expect(device.deviceRead(memory, 1024, 1024).every((b) => b === 9)).toBe(true);
    expect(device.deviceRead(memory, 2048, 64).every((b) => b === 0)).toBe(true);
  });
});

const VK_WHOLE = 0xffff_ffff_ffff_ffffn;
