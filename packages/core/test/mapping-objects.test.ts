import { describe, expect, it } from 'vitest';
import { DeviceMemoryHandle, endHostMapping, HostMapping, VkmapStateError } from '@vkmap/core';

describe('shared mapping objects', () => {
  it('a memory handle is immutable and prints its handle, size and type', () => {
    const memory = new DeviceMemoryHandle(0x2an, 4096n, 3);
    expect(Object.isFrozen(memory)).toBe(true);
    expect(String(memory)).toBe('VkDeviceMemory(0x2a, 4096 bytes, type 3)');
    expect(memory.objectType).toBe('VkDeviceMemory');
  });

  it('a mapping gives its view until it is ended, then says why it ended', () => {
    const view = new Uint8Array(16);
    const memory = new DeviceMemoryHandle(1n, 64n, 0);
    const mapping = new HostMapping({
      memory,
      offset: 16n,
      size: 16n,
      address: 0x1010n,
      isCoherent: true,
      isPlaced: false,
      view,
    });
    expect(mapping.data).toBe(view);
    expect(mapping.isMapped).toBe(true);
    endHostMapping(mapping, 'the memory was unmapped');
    expect(mapping.isMapped).toBe(false);
    expect(() => mapping.data).toThrow(VkmapStateError);
    expect(() => mapping.data).toThrow(/has ended \(the memory was unmapped\)/);
    expect('end' in mapping).toBe(false);
  });
});
