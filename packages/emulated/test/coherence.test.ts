import { describe, expect, it } from 'vitest';
import type { DeviceMemory, MappedMemoryRange } from '@vkmap/core';
import { getBuiltInProfile } from '@vkmap/emulated';
import { COHERENT, CACHED_COHERENT, makeDevice, NON_COHERENT, pattern } from './fixtures.js';

describe('coherent memory', () => {
  it.each([COHERENT, CACHED_COHERENT])(
    'type %i: host writes reach the device at once and device writes reach the host',
    (type) => {
      const device = makeDevice();
      const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
      const mapping = device.mapMemory(memory, 0, 4096);
      mapping.data.set(pattern(100), 10);
      expect(device.deviceRead(memory, 10, 100)).toEqual(pattern(100));
      device.deviceWrite(memory, 2000, Uint8Array.of(1, 2, 3));
      expect([...mapping.data.subarray(2000, 2003)]).toEqual([1, 2, 3]);
    },
  );

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

  it('a range off the atom grid is refused before it reaches the device: nothing is published', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, 4096);
    mapping.data.fill(7);
    expect(() => device.flushMappedMemoryRanges([{ memory, offset: 70, size: 64 }])).toThrow(
      /pMemoryRanges\[0\]\.offset: 70 bytes is not a multiple of nonCoherentAtomSize \(64 bytes\) \(VUID-VkMappedMemoryRange-offset-00687\)/,
    );
    expect(() => device.flushMappedMemoryRanges([{ memory, offset: 64, size: 10 }])).toThrow(
      /VUID-VkMappedMemoryRange-size-01390/,
    );
    expect(device.deviceRead(memory, 0, 4096)).toEqual(new Uint8Array(4096));
  });

  it('a size off the atom grid that ends at the end of the allocation flushes its short last atom', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 100, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, 100);
    mapping.data.fill(7);
    device.flushMappedMemoryRanges([{ memory, offset: 64, size: 36 }]);
    const seen = device.deviceRead(memory, 0, 100);
    expect(seen.subarray(0, 64).every((b) => b === 0)).toBe(true);
    expect(seen.subarray(64).every((b) => b === 7)).toBe(true);
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
    expect(
      device
        .mapMemory(memory, 0, VK_WHOLE)
        .data.subarray(128, 384)
        .every((b) => b === 1),
    ).toBe(true);
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

describe('non-coherent memory: a flush writes back only the atoms the host wrote', () => {
  const ATOM = 64; // nonCoherentAtomSize of the test profile and of qualcomm-adreno-turnip
  const whole = (memory: DeviceMemory): MappedMemoryRange[] => [{ memory, offset: 0, size: VK_WHOLE }];

  it('a device write survives a flush of a range the host never wrote (qualcomm-adreno-turnip, type 1)', () => {
    const device = makeDevice(getBuiltInProfile('qualcomm-adreno-turnip'), { placed: false });
    const memory = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: 1 });
    device.mapMemory(memory, 0, VK_WHOLE);
    device.deviceWrite(memory, 64, Uint8Array.of(181));
    device.flushMappedMemoryRanges(whole(memory));
    expect(device.deviceRead(memory, 64, 1)).toEqual(Uint8Array.of(181));
  });

  it('host-written atoms reach the device whole; device bytes of other atoms survive', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 8 * ATOM, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, VK_WHOLE);
    device.deviceWrite(memory, 0, pattern(8 * ATOM, 4));
    mapping.data.fill(0xa1, ATOM, 2 * ATOM); // atom 1, whole
    mapping.data[3 * ATOM + 10] = 0xa3; // one byte of atom 3
    mapping.data[8 * ATOM - 1] = 0xa7; // last byte of the last atom
    device.flushMappedMemoryRanges(whole(memory));
    const seen = device.deviceRead(memory, 0, 8 * ATOM);
    const expected = pattern(8 * ATOM, 4);
    expected.fill(0xa1, ATOM, 2 * ATOM);
    // A dirty atom is written back whole: the host's other bytes of atom 3 and 7 (still zero) go with it.
    expected.fill(0, 3 * ATOM, 4 * ATOM);
    expected[3 * ATOM + 10] = 0xa3;
    expected.fill(0, 7 * ATOM, 8 * ATOM);
    expected[8 * ATOM - 1] = 0xa7;
    expect(seen).toEqual(expected);
  });

  it('a flushed atom is clean again: a later device write to it survives the next flush', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4 * ATOM, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, VK_WHOLE);
    mapping.data.fill(5, 0, ATOM);
    device.flushMappedMemoryRanges(whole(memory));
    device.deviceWrite(memory, 0, Uint8Array.of(9, 9));
    device.flushMappedMemoryRanges(whole(memory));
    expect([...device.deviceRead(memory, 0, 3)]).toEqual([9, 9, 5]);
    // Written again by the host, the atom is dirty again and overwrites the device's bytes.
    mapping.data[40] = 6;
    device.flushMappedMemoryRanges(whole(memory));
    expect([...device.deviceRead(memory, 0, 3)]).toEqual([5, 5, 5]);
    expect(device.deviceRead(memory, 40, 1)[0]).toBe(6);
  });

  it('an invalidate makes its atoms clean: the device bytes it brought are not written back over newer ones', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 2 * ATOM, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, VK_WHOLE);
    mapping.data.fill(1); // dirty, never flushed
    device.deviceWrite(memory, 0, Uint8Array.of(2));
    device.invalidateMappedMemoryRanges(whole(memory));
    expect(mapping.data[0]).toBe(2);
    device.deviceWrite(memory, 0, Uint8Array.of(3));
    device.flushMappedMemoryRanges(whole(memory));
    expect(device.deviceRead(memory, 0, 1)[0]).toBe(3);
  });

  it('dirtiness survives unmap and map, and sub-range maps whose atoms straddle the window', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4 * ATOM, memoryTypeIndex: NON_COHERENT });
    device.mapMemory(memory, 100, 50).data[0] = 0xcc; // byte 100, atom 1
    device.unmapMemory(memory);
    device.deviceWrite(memory, 0, pattern(4 * ATOM, 8));
    device.mapMemory(memory, 30, VK_WHOLE);
    // The mapping [30, end) straddles atom 0, which no valid range of it can flush: atoms 1 to 3 are flushed.
    device.flushMappedMemoryRanges([{ memory, offset: ATOM, size: VK_WHOLE }]);
    const expected = pattern(4 * ATOM, 8);
    expected.fill(0, ATOM, 2 * ATOM);
    expected[100] = 0xcc;
    expect(device.deviceRead(memory, 0, 4 * ATOM)).toEqual(expected);
  });

  it('an allocation whose size is not a multiple of the atom flushes its short last atom', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 2 * ATOM + 10, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, VK_WHOLE);
    device.deviceWrite(memory, ATOM, Uint8Array.of(4));
    mapping.data[2 * ATOM + 9] = 7;
    device.flushMappedMemoryRanges(whole(memory));
    expect(device.deviceRead(memory, ATOM, 1)[0]).toBe(4);
    expect(device.deviceRead(memory, 2 * ATOM + 9, 1)[0]).toBe(7);
  });

  it('works with atoms that are not a multiple of 4 bytes (byte-by-byte comparison)', () => {
    const profile = {
      ...getBuiltInProfile('stress'),
      id: 'atom-2',
      limits: { ...getBuiltInProfile('stress').limits, nonCoherentAtomSize: 2 },
    };
    const device = makeDevice(profile, { placed: false });
    const type = device.physicalDevice
      .getMemoryProperties()
      .memoryTypes.findIndex((t) => (t.propertyFlags & 0x6) === 0x2);
    const memory = device.allocateMemory({ allocationSize: 16, memoryTypeIndex: type });
    const mapping = device.mapMemory(memory, 0, VK_WHOLE);
    device.deviceWrite(memory, 0, pattern(16, 2));
    mapping.data[5] = 0xee; // atom [4, 6)
    device.flushMappedMemoryRanges(whole(memory));
    const expected = pattern(16, 2);
    expected[4] = 0;
    expected[5] = 0xee;
    expect(device.deviceRead(memory, 0, 16)).toEqual(expected);
  });

  it('cannot see a host store of the value the atom already held (documented limitation)', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: ATOM, memoryTypeIndex: NON_COHERENT });
    const mapping = device.mapMemory(memory, 0, VK_WHOLE);
    device.deviceWrite(memory, 0, Uint8Array.of(8));
    mapping.data[0] = 0; // the byte already held 0 on the host side: the atom still looks clean
    device.flushMappedMemoryRanges(whole(memory));
    // A real cache would write the line back (giving 0); the model keeps the device's byte.
    expect(device.deviceRead(memory, 0, 1)[0]).toBe(8);
  });
});

const VK_WHOLE = 0xffff_ffff_ffff_ffffn;
