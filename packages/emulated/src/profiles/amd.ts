import {
  VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
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
  HEAP_HOST,
  HV,
  Q_COMPUTE,
  Q_GRAPHICS,
  Q_SPARSE,
  Q_TRANSFER,
  UINT32_MAX,
  mesaDriverVersion,
} from './flags.js';

/**
 * RADV on a Polaris card without resizable BAR: VRAM split into an invisible heap and the 256 MiB
 * CPU-visible window; each type comes twice, the second for 32-bit addressable allocations.
 */
export const amdRadvRx580SmallBar: DeviceProfile = {
  id: 'amd-radv-rx580-smallbar',
  deviceName: 'AMD Radeon RX 580 Series (RADV POLARIS10)',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
  vendorID: 0x1002,
  deviceID: 0x67df,
  driverVersion: mesaDriverVersion(26, 0, 6),
  apiVersion: makeApiVersion(0, 1, 4, 335),
  memoryHeaps: [
    { size: 8_321_499_136n, flags: HEAP_DEVICE_LOCAL },
    { size: 4_133_625_856n, flags: HEAP_HOST },
    { size: 268_435_456n, flags: HEAP_DEVICE_LOCAL },
  ],
  memoryTypes: [
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: HV | HC, heapIndex: 1 },
    { propertyFlags: DL | HV | HC, heapIndex: 2 },
    { propertyFlags: DL | HV | HC, heapIndex: 2 },
    { propertyFlags: HV | HC | HCACHED, heapIndex: 1 },
    { propertyFlags: HV | HC | HCACHED, heapIndex: 1 },
  ],
  limits: {
    minMemoryMapAlignment: 4096,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: UINT32_MAX,
    maxMemoryAllocationSize: 4_294_967_292n,
    bufferImageGranularity: 1,
    maxComputeWorkGroupCount: [UINT32_MAX, 65535, 65535],
    maxComputeWorkGroupSize: [1024, 1024, 1024],
    maxComputeWorkGroupInvocations: 1024,
    maxComputeSharedMemorySize: 65536,
    maxPushConstantsSize: 256,
    maxBoundDescriptorSets: 32,
    maxStorageBufferRange: UINT32_MAX,
    maxUniformBufferRange: UINT32_MAX,
    minStorageBufferOffsetAlignment: 4,
    minUniformBufferOffsetAlignment: 4,
  },
  // GENERAL, then the compute-only family, then sparse binding in a family of its own (RADV with timeline syncobjs).
  queueFamilies: [
    { queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER, queueCount: 1 },
    { queueFlags: Q_COMPUTE | Q_TRANSFER, queueCount: 8 },
    { queueFlags: Q_SPARSE, queueCount: 1 },
  ],
  extensions: [
    VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
    VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
    VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
    VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
  ],
  mapMemoryPlaced: {
    memoryMapPlaced: true,
    memoryMapRangePlaced: false,
    memoryUnmapReserve: true,
    minPlacedMemoryMapAlignment: 4096,
  },
  hostAddressSpaceSize: DESKTOP_HOST_ADDRESS_SPACE,
  hostPageSize: 4096,
  source:
    "device-memory-profiles.json 'amd-radv-dgpu-smallbar' (Mesa radv_physical_device.c " +
    'radv_physical_device_init_mem_types; sizes from an RX 580 on RADV, ggml-org/llama.cpp issue #5441): heaps and ' +
    "types. Limits, apiVersion 1.4.335 and Mesa 26.0.6 from gpuinfo-limits.json 'vp_gpuinfo_amd_radeon_rx_570_series__" +
    "radv_polaris10__26_0_6_linuxmint_22_3' (same Polaris10 chip). Extensions and placed-map features read from RADV's " +
    'radv_physical_device.c in the code index (memoryMapRangePlaced false, minPlacedMemoryMapAlignment = page size; ' +
    'external_memory_host when the kernel has userptr, as amdgpu does). Queue families and compute limits read from ' +
    'radv_physical_device.c in the code index (ids 3200090451, 54621831053): GENERAL, COMPUTE and a dedicated ' +
    'SPARSE family; maxComputeSharedMemorySize the 64 KiB LDS of GFX7 and later; offset alignments and ' +
    "maxStorageBufferRange as gpuinfo-limits.json's RX 570 entry says. The 8 compute queues are those of " +
    'Vulkan-ValidationLayers tests/device_profiles/amd_radv_polaris10.json (a gpuinfo export of Polaris 10 on RADV).',
};
