/**
 * Shared setup of the native tests. Without a loadable Vulkan device the tests are skipped, and their
 * names say why, unless VKMAP_REQUIRE_NATIVE=1 (CI), where availability.test.ts fails instead.
 */
import { makeApiVersion, VK_WHOLE_SIZE, VkMemoryPropertyFlagBits, type Device, type PhysicalDevice } from '@vkmap/core';
import { createNativeInstance, isNativeAvailable, type NativeInstance } from '../src/index.js';

export const availability = isNativeAvailable();
export const required = process.env.VKMAP_REQUIRE_NATIVE === '1';
export const unavailable = !availability.available;
/** Appended to test names: empty when native runs, the reason when the tests are skipped. */
export const skipNote = unavailable ? ` (skipped: ${availability.reason ?? 'native backend unavailable'})` : '';

export { VK_WHOLE_SIZE };

export interface Fixture {
  instance: NativeInstance;
  physicalDevice: PhysicalDevice;
  device: Device;
  hostVisibleType: number;
}

/** Index of the first memory type with all of `flags`, or -1. */
export function findMemoryType(physicalDevice: PhysicalDevice, flags: number): number {
  return physicalDevice.getMemoryProperties().memoryTypes.findIndex((t) => (t.propertyFlags & flags) === flags);
}

/** VKMAP_NATIVE_API_VERSION (e.g. "1.3") caps the instance version, as scripts/khronos-crosscheck.sh asks. */
const cap = /^1\.(\d)$/.exec(process.env.VKMAP_NATIVE_API_VERSION ?? '');
export const cappedApiVersion = cap ? makeApiVersion(0, 1, Number(cap[1]), 0) : undefined;

export function openFixture(extensions: string[] = [], options: { validation?: boolean } = {}): Fixture {
  const instance = createNativeInstance({ apiVersion: cappedApiVersion });
  const physicalDevice = instance.enumeratePhysicalDevices()[0]!;
  const available = new Set(
    physicalDevice.enumerateDeviceExtensionProperties().map((e: { extensionName: string }) => e.extensionName),
  );
  const device = physicalDevice.createDevice({
    enabledExtensionNames: extensions.filter((e) => available.has(e)),
    validation: options.validation ?? false,
  });
  const hostVisibleType = findMemoryType(physicalDevice, VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT);
  return { instance, physicalDevice, device, hostVisibleType };
}

/** The VK_EXT_map_memory_placed features of the first device (all false when native is unavailable). */
export const placedFeatures = (() => {
  if (unavailable) return { memoryMapPlaced: false, memoryMapRangePlaced: false, memoryUnmapReserve: false };
  const instance = createNativeInstance();
  try {
    return instance.enumeratePhysicalDevices()[0]!.getFeatures().mapMemoryPlaced;
  } finally {
    instance.destroy();
  }
})();
