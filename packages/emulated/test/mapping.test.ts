import { describe, expect, it } from 'vitest';
import {
  VK_API_VERSION_1_3,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VK_WHOLE_SIZE,
  VkError,
  VkmapStateError,
} from '@vkmap/core';
import { markAsUntransferable } from 'node:worker_threads';
import { createEmulatedInstance } from '@vkmap/emulated';
import { capture, COHERENT, makeDevice, NON_COHERENT, pattern, testProfile } from './fixtures.js';

describe('mapping', () => {
  it.each(['stable', 'detach'] as const)(
    'returns a view over exactly the mapped range whose address minus offset honours minMemoryMapAlignment (%s views)',
    (views) => {
      const device = makeDevice(testProfile, { views });
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
        // 'stable': a view into the memory's own store; 'detach': a window buffer of exactly the range.
        if (views === 'stable') expect(mapping.data.byteOffset).toBe(offset);
        else expect(mapping.data.buffer.byteLength).toBe(expectedSize);
        expect((mapping.address - BigInt(offset)) % 64n).toBe(0n);
        device.unmapMemory(memory);
      }
    },
  );

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

describe("detachment ('detach' views)", () => {
  it('unmap detaches the view: data throws and the old array is empty and unusable', () => {
    const device = makeDevice(testProfile, { views: 'detach' });
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
    const device = makeDevice(testProfile, { views: 'detach' });
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
    const device = makeDevice(testProfile, { views: 'detach' });
    const views = [COHERENT, NON_COHERENT].map((type) => {
      const memory = device.allocateMemory({ allocationSize: 512, memoryTypeIndex: type });
      return device.mapMemory(memory, 0, 512).data;
    });
    device.destroy();
    for (const view of views) expect(view.byteLength).toBe(0);
    expect(() => device.allocateMemory({ allocationSize: 16, memoryTypeIndex: COHERENT })).toThrow(/destroyed/);
  });
});

describe("'stable' views (the default)", () => {
  it.each([
    ['coherent', COHERENT],
    ['non-coherent', NON_COHERENT],
  ])(
    'a stale view after unmap reaches the same memory object, and a remap of the range returns the same view (%s)',
    (_, type) => {
      const device = makeDevice();
      const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
      const neighbour = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
      const neighbourView = device.mapMemory(neighbour, 0, 4096).data;
      neighbourView.set(pattern(4096, 9));
      device.flushMappedMemoryRanges([{ memory: neighbour, offset: 0, size: VK_WHOLE_SIZE }]);
      const mapping = device.mapMemory(memory, 256, 1024);
      const view = mapping.data;
      view.set(pattern(1024));
      device.unmapMemory(memory);
      expect(() => mapping.data).toThrow(/has ended/);
      expect(view.byteLength).toBe(1024);
      expect(view).toEqual(pattern(1024));
      view[0] = 0xee; // reaches this object's host bytes, nothing else
      const again = device.mapMemory(memory, 256, 1024).data;
      expect(again).toBe(view);
      expect(again[0]).toBe(0xee);
      expect(neighbourView).toEqual(pattern(4096, 9));
      expect(device.deviceRead(neighbour, 0, 4096)).toEqual(pattern(4096, 9));
      device.unmapMemory(memory);
      const other = device.mapMemory(memory, 0, 512).data;
      expect(other).not.toBe(view);
      expect(other.buffer).toBe(view.buffer);
    },
  );

  it('after free a stale view keeps only its own bytes: a new allocation never sees its writes', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: COHERENT });
    const view = device.mapMemory(memory, 0, 4096).data;
    view.set(pattern(4096));
    device.freeMemory(memory);
    const fresh = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: COHERENT });
    const freshView = device.mapMemory(fresh, 0, 4096).data;
    expect(freshView.buffer).not.toBe(view.buffer);
    view.fill(0x55);
    expect(freshView).toEqual(new Uint8Array(4096));
    expect(device.deviceRead(fresh, 0, 4096)).toEqual(new Uint8Array(4096));
  });

  it('device destroy leaves stale views harmless and never detaches them', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 512, memoryTypeIndex: COHERENT });
    const view = device.mapMemory(memory, 0, 512).data;
    view.fill(3);
    device.destroy();
    expect(view.byteLength).toBe(512);
    expect(view[511]).toBe(3);
  });
});

describe('transfers of a mapped view', () => {
  const modes = ['stable', 'detach'] as const;

  it.each(modes)(
    'structuredClone and postMessage with a transfer list never empty a live mapping (%s views)',
    (views) => {
      const device = makeDevice(testProfile, { views });
      const memory = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
      const mapping = device.mapMemory(memory, 0, 256);
      mapping.data.set(pattern(256));
      const buffer = mapping.data.buffer as ArrayBuffer;
      // Node 20 copies an untransferable buffer; Node 22 and later refuse it. Either way it stays where it is.
      try {
        structuredClone(buffer, { transfer: [buffer] });
      } catch (error) {
        expect((error as Error).name).toBe('DataCloneError');
      }
      const { port1, port2 } = new MessageChannel();
      try {
        port1.postMessage(buffer, [buffer]);
      } catch (error) {
        expect((error as Error).name).toBe('DataCloneError');
      } finally {
        port1.close();
        port2.close();
      }
      expect(mapping.data).toEqual(pattern(256));
      expect(device.deviceRead(memory, 0, 256)).toEqual(pattern(256));
      device.unmapMemory(memory);
      expect(device.mapMemory(memory, 0, 256).data).toEqual(pattern(256));
    },
  );

  it.each(modes)(
    'ArrayBuffer.prototype.transfer, transferToFixedLength and resize refuse a mapped buffer (%s views)',
    (views) => {
      const device = makeDevice(testProfile, { views });
      const memory = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
      const view = device.mapMemory(memory, 0, 256).data;
      view.set(pattern(256));
      const buffer = view.buffer as ArrayBuffer & Record<string, (...args: unknown[]) => unknown>;
      const prototype = ArrayBuffer.prototype as unknown as Record<
        string,
        ((...args: unknown[]) => unknown) | undefined
      >;
      for (const name of ['transfer', 'transferToFixedLength', 'resize']) {
        const method = prototype[name];
        if (typeof method !== 'function') continue;
        expect(() => method.call(buffer, 0)).toThrow();
        if (name in buffer) expect(() => buffer[name]!(0)).toThrow();
      }
      expect(view).toEqual(pattern(256));
      expect(device.deviceRead(memory, 0, 256)).toEqual(pattern(256));
    },
  );

  it.each(modes)(
    'unmap, free and destroy succeed after the application marks the buffer untransferable (%s views)',
    (views) => {
      const device = makeDevice(testProfile, { views });
      const memory = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: NON_COHERENT });
      const view = device.mapMemory(memory, 0, 256).data;
      view.set(pattern(256));
      markAsUntransferable(view.buffer);
      device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
      device.unmapMemory(memory);
      expect(device.addressSpace.stats().mappedBytes).toBe(0n);
      expect(device.deviceRead(memory, 0, 256)).toEqual(pattern(256));
      const again = device.mapMemory(memory, 0, 256).data;
      expect(again).toEqual(pattern(256));
      markAsUntransferable(again.buffer);
      device.freeMemory(memory);
      const other = device.allocateMemory({ allocationSize: 256, memoryTypeIndex: COHERENT });
      markAsUntransferable(device.mapMemory(other, 0, 256).data.buffer);
      device.destroy();
      expect(device.isDestroyed).toBe(true);
    },
  );

  it('other ArrayBuffers still transfer after a view was guarded', () => {
    const device = makeDevice();
    const memory = device.allocateMemory({ allocationSize: 64, memoryTypeIndex: COHERENT });
    device.mapMemory(memory, 0, 64);
    const plain = new Uint8Array([1, 2, 3]).buffer;
    const moved = structuredClone(plain, { transfer: [plain] });
    expect(plain.byteLength).toBe(0);
    expect(new Uint8Array(moved)).toEqual(Uint8Array.of(1, 2, 3));
    const transfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer) => ArrayBuffer }).transfer;
    if (transfer) expect(transfer.call(new ArrayBuffer(4)).byteLength).toBe(4);
  });
});
