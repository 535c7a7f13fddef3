import {
  makeApiVersion,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VkPhysicalDeviceType,
} from '@vkmap/core';
import { createEmulatedInstance, type DeviceProfile, type EmulatedDevice } from '@vkmap/emulated';

const MiB = 1024n * 1024n;

/** Memory type indices of `testProfile`. */
export const DEVICE_LOCAL = 0;
export const COHERENT = 1;
export const NON_COHERENT = 2;
export const CACHED_COHERENT = 3;

/**
 * A user-defined profile: small heaps and a 16 MiB host address space so exhaustion and fragmentation are
 * cheap, a 64-byte atom, and every placed-map feature.
 */
export const testProfile: DeviceProfile = {
  id: 'test-small',
  deviceName: 'vkmap test GPU',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
  vendorID: 0x10005,
  deviceID: 1,
  driverVersion: 1,
  apiVersion: makeApiVersion(0, 1, 4, 300),
  memoryHeaps: [
    { size: 64n * MiB, flags: 1 },
    { size: 32n * MiB, flags: 0 },
  ],
  memoryTypes: [
    { propertyFlags: 0x1, heapIndex: 0 },
    { propertyFlags: 0x6, heapIndex: 1 },
    { propertyFlags: 0xa, heapIndex: 1 },
    { propertyFlags: 0xe, heapIndex: 1 },
  ],
  limits: {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: 4096,
    maxMemoryAllocationSize: 1n << 30n,
    bufferImageGranularity: 1024,
  },
  extensions: [
    VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
    VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
    VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  ],
  mapMemoryPlaced: {
    memoryMapPlaced: true,
    memoryMapRangePlaced: true,
    memoryUnmapReserve: true,
    minPlacedMemoryMapAlignment: 4096,
  },
  hostAddressSpaceSize: 16n * MiB,
  hostPageSize: 4096,
  source: 'vkmap test fixture',
};

export const ALL_PLACED_FEATURES = {
  mapMemoryPlaced: { memoryMapPlaced: true, memoryMapRangePlaced: true, memoryUnmapReserve: true },
};

export function makeDevice(
  profile: DeviceProfile = testProfile,
  options: { apiVersion?: number; seed?: number; placed?: boolean; views?: 'stable' | 'detach' } = {},
): EmulatedDevice {
  const instance = createEmulatedInstance({ profiles: [profile], apiVersion: options.apiVersion, seed: options.seed });
  const placed = options.placed ?? true;
  return instance.enumeratePhysicalDevices()[0]!.createEmulatedDevice({
    enabledExtensionNames: placed ? [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME, VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME] : [],
    enabledFeatures: placed ? ALL_PLACED_FEATURES : {},
    views: options.views,
  });
}

export function pattern(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return bytes;
}

/** Runs `fn`, which must throw, and returns what it threw. */
export function capture(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
