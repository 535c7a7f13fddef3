import { describe, expect, it } from 'vitest';
import {
  VK_API_VERSION_1_3,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VK_WHOLE_SIZE,
  VkError,
  VkmapStateError,
} from '@vkmap/core';
import { createEmulatedInstance } from '@vkmap/emulated';
import { capture, COHERENT, makeDevice, NON_COHERENT, pattern, testProfile } from './fixtures.js';

describe('mapping', () => {
  it('returns a view over exactly the mapped range whose address minus offset honours minMemoryMapAlignment', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 10_000, memoryTypeIndex: COHERENT });
    for (const [offset, size] of [
      [0, 10_000],
      [17, 31],
      [129, 255],
      [1025, VK_WHOLE_SIZE],
    ] as const) {
      const mapping = device.mapMemory(memory, offset, size);
      const expectedSize = size === VK_WHOLE_SIZE ? 10_000 - offset : size;
      expect(mapping.size).toBe(BigInt(expectedSize));
      expect(mapping.data.byteLength).toBe(expectedSize);
      expect(mapping.data.buffer.byteLength).toBe(expectedSize);
      expect((mapping.address - BigInt(offset)) % 64n).toBe(0n);
      device.unmapMemory(memory);
    }
  });

  it('live mappings never share addresses', () => {
    const device = makeDevice();
    const mappings = Array.from({ length: 20 }, (_, i) => {
      const memory = device.allocateMemory({ allocationSize: 1000 + i * 100, memoryTypeIndex: COHERENT });
      return device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    });
    const sorted = [...mappings].sort((a, b) => (a.address < b.address ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]!.address).toBeGreaterThanOrEqual(sorted[i - 1]!.address + sorted[i - 1]!.size);
    }
  });

  it('fails with VK_ERROR_MEMORY_MAP_FAILED when the address space is fragmented', () => {
    const device = makeDevice(); // 16 MiB of host address space
    const chunk = 256 * 1024;
    const memories = Array.from({ length: 64 }, () =>
      device.allocateMemory({ allocationSize: chunk, memoryTypeIndex: COHERENT }),
    );
    for (const memory of memories) device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    for (let i = 0; i < memories.length; i += 2) device.unmapMemory(memories[i]!);
    expect(device.addressSpace.stats().freeBytes).toBe(8n * 1024n * 1024n);
    const big = device.allocateMemory({ allocationSize: 2 * chunk, memoryTypeIndex: COHERENT });
    const failure = capture(() => device.mapMemory(big, 0, VK_WHOLE_SIZE));
    expect(failure).toBeInstanceOf(VkError);
    expect((failure as VkError).result).toBe('VK_ERROR_MEMORY_MAP_FAILED');
    expect((failure as VkError).code).toBe(-5);
    // After defragmenting by unmapping a neighbour, the same map succeeds.
    device.unmapMemory(memories[1]!);
    expect(device.mapMemory(big, 0, VK_WHOLE_SIZE).size).toBe(BigInt(2 * chunk));
  });

  it('mapMemory2 under its 1.4 name and the KHR alias on a 1.3 device', () => {
    const device = makeDevice(testProfile, { placed: false });
    const memory = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
    expect(device.hasCommand('vkMapMemory2')).toBe(true);
    expect(device.hasCommand('vkMapMemory2KHR')).toBe(false);
    device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE }).data.fill(4);
    expect(() => device.unmapMemory2KHR({ memory })).toThrow(/VK_KHR_map_memory2/);
    expect(device.unmapMemory2({ memory })).toBeUndefined();

    const old = createEmulatedInstance({
      profiles: [testProfile],
      apiVersion: VK_API_VERSION_1_3,
    }).enumeratePhysicalDevices()[0]!;
    const bare = old.createEmulatedDevice();
    expect(bare.apiVersion).toBe(VK_API_VERSION_1_3);
    const m = bare.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
    expect(() => bare.mapMemory2({ memory: m, offset: 0, size: 256 })).toThrow(VkmapStateError);
    expect(() => bare.mapMemory2({ memory: m, offset: 0, size: 256 })).toThrow(/Vulkan 1.4/);
    const khr = old.createEmulatedDevice({ enabledExtensionNames: [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME] });
    const k = khr.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
    expect(khr.mapMemory2KHR({ memory: k, offset: 0, size: 256 }).size).toBe(256n);
    khr.unmapMemory2KHR({ memory: k });
    expect(() => khr.mapMemory2({ memory: k, offset: 0, size: 256 })).toThrow(VkmapStateError);
  });
});

describe('detachment', () => {
  it('unmap detaches the view: data throws and the old array is empty and unusable', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: COHERENT });
    const mapping = device.mapMemory(memory, 0, 4096);
    const view = mapping.data;
    view.set(pattern(16));
    device.unmapMemory(memory);
    expect(mapping.isMapped).toBe(false);
    expect(() => mapping.data).toThrow(VkmapStateError);
    expect(view.byteLength).toBe(0);
    expect(view[0]).toBeUndefined();
    expect(() => view.fill(1)).toThrow(TypeError);
    expect(() => view.set([1])).toThrow(TypeError);
    view[0] = 99; // ignored by the language on a detached array: it cannot reach the memory
    expect(device.deviceRead(memory, 0, 16)).toEqual(pattern(16));
  });

  it.each([
    ['a sub-range of coherent memory', COHERENT, 100, 1000],
    ['non-coherent memory', NON_COHERENT, 0, 4096],
  ])('free of mapped memory unmaps implicitly and detaches (%s)', (_, type, offset, size) => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
    const mapping = device.mapMemory(memory, offset, size);
    const view = mapping.data;
    device.freeMemory(memory);
    expect(view.byteLength).toBe(0);
    expect(() => mapping.data).toThrow(/has ended/);
    expect(() => device.mapMemory(memory, 0, 16)).toThrow(/freed/);
    expect(device.addressSpace.stats().mappedBytes).toBe(0n);
  });

  it('device destroy detaches every view', () => {
    const device = makeDevice();
    const views = [COHERENT, NON_COHERENT].map((type) => {
      const memory = device.allocateMemory({ allocationSize: 512, memoryTypeIndex: type });
      return device.mapMemory(memory, 0, 512).data;
    });
    device.destroy();
    for (const view of views) expect(view.byteLength).toBe(0);
    expect(() => device.allocateMemory({ allocationSize: 16, memoryTypeIndex: COHERENT })).toThrow(/destroyed/);
  });

  it('a view whose buffer the user transferred away does not break unmap or other allocations', () => {
    const device = makeDevice();
    const other = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
    device.mapMemory(other, 0, 256).data.set(pattern(256));
    const memory = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
    const view = device.mapMemory(memory, 0, 256).data;
    const stolen = structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
    expect(stolen.byteLength).toBe(256);
    device.unmapMemory(memory);
    expect(device.mapMemory(memory, 0, 256).data.byteLength).toBe(256);
    expect(device.deviceRead(other, 0, 256)).toEqual(pattern(256));
  });
});
