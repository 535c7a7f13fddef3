import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiVersionMajorMinor,
  VK_API_VERSION_1_1,
  VK_API_VERSION_1_3,
  VK_API_VERSION_1_4,
  VkError,
  VkmapArgumentError,
  VkmapStateError,
} from '@vkmap/core';
import { createNativeInstance, type NativeInstance, type NativePhysicalDevice } from '../src/index.js';
import { placedFeatures, skipNote, unavailable } from './helpers.js';

describe.skipIf(unavailable)(`native instance and physical devices${skipNote}`, () => {
  let instance: NativeInstance;
  let gpu: NativePhysicalDevice;
  beforeAll(() => {
    instance = createNativeInstance();
    gpu = instance.enumeratePhysicalDevices()[0]!;
  });
  afterAll(() => instance.destroy());

  it('creates an instance at the highest version this package knows when the loader allows it', () => {
    expect(instance.backendName).toBe('native');
    expect(instance.loaderVersion).toBeGreaterThanOrEqual(VK_API_VERSION_1_1);
    expect(apiVersionMajorMinor(instance.apiVersion)).toBe(VK_API_VERSION_1_4);
  });

  it('honours an explicit apiVersion', () => {
    const older = createNativeInstance({ apiVersion: VK_API_VERSION_1_3 });
    try {
      expect(older.apiVersion).toBe(VK_API_VERSION_1_3);
      const device = older.enumeratePhysicalDevices()[0]!.createDevice();
      expect(device.apiVersion).toBe(VK_API_VERSION_1_3);
      expect(device.hasCommand('vkMapMemory2')).toBe(false);
      device.destroy();
    } finally {
      older.destroy();
    }
  });

  it('rejects a malformed apiVersion', () => {
    expect(() => createNativeInstance({ apiVersion: -1 })).toThrow(VkmapArgumentError);
  });

  it('reports properties and mapping limits', () => {
    const p = gpu.getProperties();
    expect(p.deviceName.length).toBeGreaterThan(0);
    expect(p.apiVersion).toBeGreaterThanOrEqual(VK_API_VERSION_1_1);
    expect(typeof p.vendorID).toBe('number');
    expect(p.limits.minMemoryMapAlignment).toBeGreaterThanOrEqual(64);
    expect(typeof p.limits.nonCoherentAtomSize).toBe('bigint');
    expect(p.limits.nonCoherentAtomSize & (p.limits.nonCoherentAtomSize - 1n)).toBe(0n);
    expect(p.limits.maxMemoryAllocationSize).toBeGreaterThanOrEqual(1n << 30n);
    expect(p.limits.maxMemoryAllocationCount).toBeGreaterThanOrEqual(4096);
    expect(typeof p.limits.bufferImageGranularity).toBe('bigint');
    expect(Object.isFrozen(p.limits)).toBe(true);
  });

  it('reports memory types and heaps', () => {
    const m = gpu.getMemoryProperties();
    expect(m.memoryTypes.length).toBeGreaterThan(0);
    expect(m.memoryHeaps.length).toBeGreaterThan(0);
    for (const type of m.memoryTypes) expect(type.heapIndex).toBeLessThan(m.memoryHeaps.length);
    for (const heap of m.memoryHeaps) expect(heap.size).toBeGreaterThan(0n);
  });

  it('reports every device extension', () => {
    const extensions = gpu.enumerateDeviceExtensionProperties();
    expect(extensions.length).toBeGreaterThan(10);
    for (const e of extensions) {
      expect(e.extensionName).toMatch(/^VK_/);
      expect(e.specVersion).toBeGreaterThan(0);
    }
  });

  it('reports placed features and properties consistently with the extension list', () => {
    const has = gpu.hasExtension('VK_EXT_map_memory_placed');
    const features = gpu.getFeatures().mapMemoryPlaced;
    if (!has) {
      expect(features).toEqual({ memoryMapPlaced: false, memoryMapRangePlaced: false, memoryUnmapReserve: false });
      expect(gpu.getMapMemoryPlacedProperties()).toBeUndefined();
    } else {
      expect(gpu.getMapMemoryPlacedProperties()!.minPlacedMemoryMapAlignment).toBeGreaterThan(0n);
    }
  });

  it('reports the memory budget when VK_EXT_memory_budget is present', () => {
    const device = gpu.createDevice();
    const budget = device.getMemoryBudget();
    if (gpu.hasExtension('VK_EXT_memory_budget')) {
      const heaps = gpu.getMemoryProperties().memoryHeaps.length;
      expect(budget!.heapBudget).toHaveLength(heaps);
      expect(budget!.heapUsage).toHaveLength(heaps);
      expect(budget!.heapBudget[0]).toBeGreaterThan(0n);
    } else {
      expect(budget).toBeUndefined();
    }
    device.destroy();
  });

  it('creates a device with min(instance, device) apiVersion and the requested extensions', () => {
    const wanted = gpu.hasExtension('VK_KHR_map_memory2') ? ['VK_KHR_map_memory2'] : [];
    const device = gpu.createDevice({ enabledExtensionNames: [...wanted, ...wanted] });
    expect(device.apiVersion).toBe(Math.min(instance.apiVersion, gpu.getProperties().apiVersion));
    expect([...device.enabledExtensions]).toEqual(wanted);
    expect(device.enabledFeatures).toEqual({
      mapMemoryPlaced: { memoryMapPlaced: false, memoryMapRangePlaced: false, memoryUnmapReserve: false },
    });
    expect(device.physicalDevice).toBe(gpu);
    device.destroy();
    expect(device.isDestroyed).toBe(true);
    device.destroy(); // a second destroy does nothing
  });

  it('refuses an unsupported extension with VK_ERROR_EXTENSION_NOT_PRESENT', () => {
    const error = catchError(() => gpu.createDevice({ enabledExtensionNames: ['VK_NOT_an_extension'] }));
    expect(error).toBeInstanceOf(VkError);
    expect((error as VkError).result).toBe('VK_ERROR_EXTENSION_NOT_PRESENT');
    expect((error as VkError).command).toBe('vkCreateDevice');
    expect((error as VkError).message).toContain('VK_NOT_an_extension');
  });

  it.skipIf(placedFeatures.memoryMapPlaced)(
    `refuses a placed feature the device cannot enable${placedFeatures.memoryMapPlaced ? ' (skipped: the device supports memoryMapPlaced)' : ''}`,
    () => {
      const features = { mapMemoryPlaced: { memoryMapPlaced: true } };
      if (gpu.hasExtension('VK_EXT_map_memory_placed')) {
        const error = catchError(() =>
          gpu.createDevice({ enabledExtensionNames: ['VK_EXT_map_memory_placed'], enabledFeatures: features }),
        );
        expect(error).toBeInstanceOf(VkError);
        expect((error as VkError).result).toBe('VK_ERROR_FEATURE_NOT_PRESENT');
      } else {
        // Without the extension the feature structure may not be chained at all: invalid usage, before the driver.
        expect(() => gpu.createDevice({ enabledFeatures: features })).toThrow(/needs VK_EXT_map_memory_placed/);
      }
    },
  );

  it('refuses malformed device create infos', () => {
    expect(() => gpu.createDevice({ enabledExtensionNames: [42 as unknown as string] })).toThrow(VkmapArgumentError);
    expect(() => gpu.createDevice({ enabledExtensionNames: 'VK_KHR_map_memory2' as unknown as string[] })).toThrow(
      VkmapArgumentError,
    );
    expect(() => gpu.createDevice({ enabledFeatures: { bogus: true } as never })).toThrow(VkmapArgumentError);
    expect(() => gpu.createDevice({ enabledFeatures: { mapMemoryPlaced: { memoryMapPlaced: 1 } } as never })).toThrow(
      VkmapArgumentError,
    );
  });

  it('destroying the instance destroys its devices and ends their views', () => {
    const other = createNativeInstance();
    const otherGpu = other.enumeratePhysicalDevices()[0]!;
    const device = otherGpu.createDevice();
    const type = otherGpu
      .getMemoryProperties()
      .memoryTypes.findIndex((t: { propertyFlags: number }) => t.propertyFlags & 2);
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
    const mapping = device.mapMemory(memory, 0, 4096);
    const view = mapping.data;
    view.fill(5);
    other.destroy();
    expect(device.isDestroyed).toBe(true);
    // 'stable' views (the default) stay attached over zero pages once the memory is gone; detached otherwise.
    expect(view.length === 0 || view.every((byte) => byte === 0)).toBe(true);
    expect(mapping.isMapped).toBe(false);
    expect(() => mapping.data).toThrow(VkmapStateError);
    expect(() => otherGpu.createDevice()).toThrow(VkmapStateError);
    expect(() => other.enumeratePhysicalDevices()).toThrow(VkmapStateError);
    expect(() => device.allocateMemory({ allocationSize: 64, memoryTypeIndex: type })).toThrow(VkmapStateError);
    other.destroy();
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
