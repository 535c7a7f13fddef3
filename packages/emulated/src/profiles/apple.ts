import {
  VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VkPhysicalDeviceType,
  makeApiVersion,
} from '@vkmap/core';
import type { DeviceProfile } from '../profile.js';
import {
  DESKTOP_HOST_ADDRESS_SPACE,
  DL,
  HC,
  HCACHED,
  HEAP_DEVICE_LOCAL,
  HV,
  LAZY,
  Q_COMPUTE,
  Q_GRAPHICS,
  Q_TRANSFER,
  UINT32_MAX,
} from './flags.js';

/** MoltenVK's general-purpose queue family, of one queue. */
const MOLTENVK_FAMILY = { queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER, queueCount: 1 } as const;

/** MoltenVK on Apple silicon: unified memory with Metal's private, shared and memoryless storage modes. */
export const appleM1MoltenVk: DeviceProfile = {
  id: 'apple-m1-moltenvk',
  deviceName: 'Apple M1',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU,
  vendorID: 0x106b,
  deviceID: 0,
  // MoltenVK reports its own version as major * 10000 + minor * 100 + patch: 1.4.1.
  driverVersion: 10401,
  apiVersion: makeApiVersion(0, 1, 4, 334),
  memoryHeaps: [{ size: 8_589_934_592n, flags: HEAP_DEVICE_LOCAL }],
  memoryTypes: [
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: DL | HV | HC | HCACHED, heapIndex: 0 },
    { propertyFlags: DL | LAZY, heapIndex: 0 },
  ],
  limits: {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 16,
    maxMemoryAllocationCount: 1_073_741_824,
    maxMemoryAllocationSize: 4_294_967_296n,
    bufferImageGranularity: 16,
    maxStorageBufferRange: UINT32_MAX,
    minStorageBufferOffsetAlignment: 16,
    minUniformBufferOffsetAlignment: 16,
  },
  queueFamilies: [MOLTENVK_FAMILY, MOLTENVK_FAMILY, MOLTENVK_FAMILY, MOLTENVK_FAMILY],
  extensions: [
    VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
    VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
    VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
  ],
  hostAddressSpaceSize: DESKTOP_HOST_ADDRESS_SPACE,
  hostPageSize: 16384,
  source:
    "device-memory-profiles.json 'apple-m1-moltenvk' (KhronosGroup/MoltenVK MVKDevice.mm initMemoryProperties " +
    '@1484e7f): types Private, Shared, Memoryless on one unified heap, sized here for an 8 GiB M1. Limits, apiVersion ' +
    "1.4.334 and MoltenVK 1.4.1 from gpuinfo-limits.json 'vp_gpuinfo_apple_m1_0_2_2209_macos_26_5_1'. Extensions " +
    'from MoltenVK MVKExtensions.def (map_memory2, memory_budget, external_memory_host; no placed maps). deviceID ' +
    'is not in the data. Apple silicon pages are 16 KiB. Queue families from MoltenVK MVKPhysicalDevice.mm ' +
    'getQueueFamilies (code index id 2504538061): four general-purpose families of one queue each ' +
    '(kMVKQueueCountPerQueueFamily = 1) unless the app asks for specialized families. Offset alignments and ' +
    'maxStorageBufferRange from the gpuinfo entry above; the other compute limits are not in the data and stay at ' +
    "the specification's required values.",
};
