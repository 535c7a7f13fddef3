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
  },
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
    'minPlacedMemoryMapAlignment 4096 read from anv_physical_device.c in the code index.',
};
