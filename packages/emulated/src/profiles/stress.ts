import {
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VkPhysicalDeviceType,
  makeApiVersion,
} from '@vkmap/core';
import type { DeviceProfile } from '../profile.js';
import { DL, HC, HCACHED, HEAP_DEVICE_LOCAL, HEAP_HOST, HV, Q_COMPUTE, Q_TRANSFER } from './flags.js';

const MIB = 2n ** 20n;

/**
 * Not a real device: every limit at the edge the specification allows, small heaps and a 64 MiB host
 * address space, so tests can exhaust and fragment them quickly and hit every flush/invalidate rule.
 */
export const stress: DeviceProfile = {
  id: 'stress',
  deviceName: 'vkmap stress device',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_OTHER,
  vendorID: 0,
  deviceID: 0,
  driverVersion: 0,
  apiVersion: makeApiVersion(0, 1, 3, 0),
  memoryHeaps: [
    { size: 32n * MIB, flags: HEAP_DEVICE_LOCAL },
    { size: 48n * MIB, flags: HEAP_HOST },
  ],
  memoryTypes: [
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: HV | HC, heapIndex: 1 },
    { propertyFlags: HV | HCACHED, heapIndex: 1 },
    { propertyFlags: DL | HV | HC, heapIndex: 0 },
    { propertyFlags: HV | HC | HCACHED, heapIndex: 1 },
  ],
  limits: {
    minMemoryMapAlignment: 4096,
    nonCoherentAtomSize: 256,
    maxMemoryAllocationCount: 4096,
    maxMemoryAllocationSize: 2n ** 30n,
    bufferImageGranularity: 4096,
  },
  // Family 0 cannot compute: code that assumes family 0 does fails here.
  queueFamilies: [
    { queueFlags: Q_TRANSFER, queueCount: 1 },
    { queueFlags: Q_COMPUTE | Q_TRANSFER, queueCount: 2 },
  ],
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
  hostAddressSpaceSize: 64n * MIB,
  hostPageSize: 4096,
  source:
    'Synthetic, for tests: nonCoherentAtomSize 256 (the largest allowed), maxMemoryAllocationCount 4096 and ' +
    'maxMemoryAllocationSize 1 GiB (the smallest allowed), bufferImageGranularity 4096, a HOST_CACHED type without ' +
    'HOST_COHERENT, placed maps with memoryMapRangePlaced, 32 MiB + 48 MiB heaps and a 64 MiB host address space. ' +
    'No graphics, and queue family 0 is transfer-only: compute is on family 1. Compute limits at the required values ' +
    '(256-byte storage and uniform offset alignments, the largest allowed).',
};
