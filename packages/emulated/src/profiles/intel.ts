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
  HV,
  Q_COMPUTE,
  Q_GRAPHICS,
  Q_TRANSFER,
  UINT32_MAX,
  mesaDriverVersion,
} from './flags.js';

/** ANV on an integrated GPU sharing the CPU's last-level cache: one device-local heap of system memory. */
export const intelAnvTigerLake: DeviceProfile = {
  id: 'intel-anv-tgl',
  deviceName: 'Intel(R) Iris(R) Xe Graphics (TGL GT2)',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU,
  vendorID: 0x8086,
  deviceID: 0x9a49,
  driverVersion: mesaDriverVersion(26, 1, 3),
  apiVersion: makeApiVersion(0, 1, 4, 348),
  memoryHeaps: [{ size: 12_409_119_744n, flags: HEAP_DEVICE_LOCAL }],
  memoryTypes: [
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: DL | HV | HC, heapIndex: 0 },
    { propertyFlags: DL | HV | HC | HCACHED, heapIndex: 0 },
  ],
  limits: {
    minMemoryMapAlignment: 4096,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: UINT32_MAX,
    maxMemoryAllocationSize: 12_409_119_744n,
    bufferImageGranularity: 1,
    maxComputeWorkGroupCount: [65535, 65535, 65535],
    maxComputeWorkGroupSize: [1024, 1024, 1024],
    maxComputeWorkGroupInvocations: 1024,
    maxComputeSharedMemorySize: 65536,
    maxPushConstantsSize: 256,
    maxBoundDescriptorSets: 8,
    maxStorageBufferRange: UINT32_MAX,
    maxUniformBufferRange: 1 << 30,
    minStorageBufferOffsetAlignment: 4,
    minUniformBufferOffsetAlignment: 64,
  },
  queueFamilies: [{ queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER, queueCount: 1 }],
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
    "device-memory-profiles.json 'intel-anv-igpu-llc' (Mesa anv_i915_physical_device_init_memory_types and " +
    'anv_physical_device_init_heaps): the three types on one heap. The heap size is that of a 16 GiB laptop: ANV ' +
    'reports its largest heap as maxMemoryAllocationSize, and gpuinfo-limits.json ' +
    "'vp_gpuinfo_intel_r__iris_r__xe_graphics__tgl_gt2__26_1_3_void_unknown' gives 12409119744 (about 3/4 of the RAM); " +
    'limits, apiVersion 1.4.348 and Mesa 26.1.3 come from that entry too. Placed-map features and ' +
    'minPlacedMemoryMapAlignment 4096 read from anv_physical_device.c in the code index. Queue family (one render ' +
    'engine; video families left out) and compute limits from anv_physical_device.c in the code index (ids ' +
    '4226419712, 13662319178): 64 KiB shared memory, 1024 invocations, maxUniformBufferRange 2^30 on Gen12; ' +
    'offset alignments and maxStorageBufferRange from the gpuinfo entry above. maxPushConstantsSize 256 (the ' +
    'Vulkan 1.4 minimum) and maxBoundDescriptorSets 8 (MAX_SETS) are assumptions.',
};
