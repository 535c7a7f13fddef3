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
  Q_OPTICAL_FLOW_NV,
  Q_SPARSE,
  Q_TRANSFER,
  Q_VIDEO_DECODE,
  UINT32_MAX,
  nvidiaDriverVersion,
} from './flags.js';

const NVIDIA = 0x10de;
/** 2^31 - 1: NVIDIA's maxComputeWorkGroupCount[0]. */
const INT32_MAX = 2_147_483_647;

/**
 * The queue families NVIDIA's Linux driver exposes for compute and copies, as measured on this project's H200
 * (driver 580.159.04): 16 universal queues, 2 copy-engine queues, 8 async-compute queues.
 */
const NVIDIA_QUEUE_FAMILIES = [
  { queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER | Q_SPARSE, queueCount: 16 },
  { queueFlags: Q_TRANSFER | Q_SPARSE, queueCount: 2 },
  { queueFlags: Q_COMPUTE | Q_TRANSFER | Q_SPARSE, queueCount: 8 },
] as const;

/** Compute limits of NVIDIA's Linux driver since Turing, as measured on this project's H200 (driver 580.159.04). */
const NVIDIA_COMPUTE_LIMITS = {
  maxComputeWorkGroupCount: [INT32_MAX, 65535, 65535],
  maxComputeWorkGroupSize: [1024, 1024, 64],
  maxComputeWorkGroupInvocations: 1024,
  maxComputeSharedMemorySize: 49152,
  maxPushConstantsSize: 256,
  maxBoundDescriptorSets: 32,
  maxStorageBufferRange: UINT32_MAX,
  maxUniformBufferRange: 65536,
  minStorageBufferOffsetAlignment: 16,
  minUniformBufferOffsetAlignment: 64,
} as const;

/** Without resizable BAR: the host sees VRAM only through a separate ~246 MiB DEVICE_LOCAL heap. */
export const nvidiaGtx950SmallBar: DeviceProfile = {
  id: 'nvidia-gtx950-smallbar',
  deviceName: 'GeForce GTX 950',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
  vendorID: NVIDIA,
  deviceID: 0x1402,
  driverVersion: nvidiaDriverVersion(440, 100, 0),
  apiVersion: makeApiVersion(0, 1, 2, 133),
  memoryHeaps: [
    { size: 2_147_483_648n, flags: HEAP_DEVICE_LOCAL },
    { size: 12_565_969_920n, flags: HEAP_HOST },
    { size: 257_949_696n, flags: HEAP_DEVICE_LOCAL },
  ],
  memoryTypes: [
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: HV | HC, heapIndex: 1 },
    { propertyFlags: HV | HC | HCACHED, heapIndex: 1 },
    { propertyFlags: DL | HV | HC, heapIndex: 2 },
  ],
  limits: {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: UINT32_MAX,
    maxMemoryAllocationSize: 4_292_870_144n,
    bufferImageGranularity: 1024,
    maxComputeWorkGroupCount: [INT32_MAX, 65535, 65535],
    maxComputeWorkGroupSize: [1536, 1024, 64],
    maxComputeWorkGroupInvocations: 1536,
    maxComputeSharedMemorySize: 49152,
    maxPushConstantsSize: 256,
    maxBoundDescriptorSets: 32,
    maxStorageBufferRange: UINT32_MAX,
    maxUniformBufferRange: 65536,
    minStorageBufferOffsetAlignment: 32,
    minUniformBufferOffsetAlignment: 256,
  },
  queueFamilies: [
    { queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER | Q_SPARSE, queueCount: 16 },
    { queueFlags: Q_TRANSFER, queueCount: 1 },
  ],
  extensions: [],
  hostAddressSpaceSize: DESKTOP_HOST_ADDRESS_SPACE,
  hostPageSize: 4096,
  source:
    "device-memory-profiles.json 'nvidia-gtx950-linux-440-smallbar' (github mikew-lunarg/vulkaninfo_history " +
    'sysinfo/vulkaninfo.txt @1f4ceb9, NV 440.x, 2020): heaps, types and limits. deviceID and maxMemoryAllocationSize ' +
    "from the same repository's older dump of this GPU (driver 415.25). The 440 minor version, apiVersion 1.2.133 and " +
    'the absence of family extensions are assumptions: the reference does not record them. Queue families and ' +
    "compute limits from the same repository's dump of this card at driver 415.25 (sysinfo/vulkaninfo.txt, " +
    'commit 0ae6b18): two families, no async-compute family yet.',
};

/** With resizable BAR the DEVICE_LOCAL | HOST_VISIBLE type sits on the full VRAM heap. */
export const nvidiaRtx3060LaptopReBar: DeviceProfile = {
  id: 'nvidia-rtx3060-rebar',
  deviceName: 'NVIDIA GeForce RTX 3060 Laptop GPU',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
  vendorID: NVIDIA,
  deviceID: 0x2520,
  driverVersion: nvidiaDriverVersion(525, 47, 26),
  apiVersion: makeApiVersion(0, 1, 3, 250),
  memoryHeaps: [
    { size: 6_287_261_696n, flags: HEAP_DEVICE_LOCAL },
    { size: 8_511_975_424n, flags: HEAP_HOST },
  ],
  memoryTypes: [
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: HV | HC, heapIndex: 1 },
    { propertyFlags: HV | HC | HCACHED, heapIndex: 1 },
    { propertyFlags: DL | HV | HC, heapIndex: 0 },
  ],
  limits: {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: UINT32_MAX,
    maxMemoryAllocationSize: 4_292_870_144n,
    bufferImageGranularity: 1024,
    ...NVIDIA_COMPUTE_LIMITS,
  },
  queueFamilies: NVIDIA_QUEUE_FAMILIES,
  extensions: [VK_EXT_MEMORY_BUDGET_EXTENSION_NAME, VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME],
  hostAddressSpaceSize: DESKTOP_HOST_ADDRESS_SPACE,
  hostPageSize: 4096,
  source:
    "device-memory-profiles.json 'nvidia-rtx3060-laptop-rebar' (code index file id 19712796968, a blog post quoting " +
    'vulkaninfo): heaps and types. The post gives no limits or versions: limits, apiVersion 1.3.250 and driver ' +
    "525.47.26 are those of gpuinfo-limits.json 'vp_gpuinfo_nvidia_geforce_rtx_2060_525_47_26_0_ubuntu_23_04' (an " +
    'NVIDIA Linux driver of the same era); deviceID 0x2520 is the GA106M laptop part; the extension list is assumed ' +
    'from NVIDIA drivers of that branch. Queue families (graphics, copy and async-compute; the video families left ' +
    'out) and compute limits as measured on the H200 with driver 580.159.04; minStorageBufferOffsetAlignment 16 and ' +
    'minUniformBufferOffsetAlignment 64 agree with the RTX 2060 525.47.26 entry.',
};

/** Measured on this project's H100 machine with vkGetPhysicalDeviceMemoryProperties. */
export const nvidiaH100: DeviceProfile = {
  id: 'nvidia-h100',
  deviceName: 'NVIDIA H100 80GB HBM3',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
  vendorID: NVIDIA,
  deviceID: 0x2330,
  driverVersion: nvidiaDriverVersion(580, 159, 4),
  apiVersion: makeApiVersion(0, 1, 4, 312),
  memoryHeaps: [
    { size: 85_520_809_984n, flags: HEAP_DEVICE_LOCAL },
    { size: 101_360_599_040n, flags: HEAP_HOST },
  ],
  memoryTypes: [
    { propertyFlags: 0, heapIndex: 1 },
    { propertyFlags: DL, heapIndex: 0 },
    { propertyFlags: HV | HC, heapIndex: 1 },
    { propertyFlags: HV | HC | HCACHED, heapIndex: 1 },
    { propertyFlags: DL | HV | HC, heapIndex: 0 },
  ],
  limits: {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: UINT32_MAX,
    maxMemoryAllocationSize: 9_223_372_036_854_775_807n,
    bufferImageGranularity: 1024,
    ...NVIDIA_COMPUTE_LIMITS,
  },
  queueFamilies: [
    ...NVIDIA_QUEUE_FAMILIES,
    { queueFlags: Q_VIDEO_DECODE | Q_TRANSFER | Q_SPARSE, queueCount: 7, timestampValidBits: 32 },
    { queueFlags: Q_OPTICAL_FLOW_NV | Q_TRANSFER | Q_SPARSE, queueCount: 1 },
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
    "device-memory-profiles.json 'nvidia-h100-linux-580-rebar' (measured here: NVIDIA H100 80GB HBM3, driver " +
    '580.159.04, Vulkan 1.4.312): heaps, types, nonCoherentAtomSize, minMemoryMapAlignment, maxMemoryAllocationCount, ' +
    "extensions and placed-map features. Not measured: deviceID 0x2330 (the SXM5 part's PCI id), bufferImageGranularity 1024 (NVIDIA Pascal to Blackwell in " +
    "'nvidia-limits-gpuinfo') and maxMemoryAllocationSize 2^63-1 (gpuinfo-limits.json " +
    "'vp_gpuinfo_nvidia_geforce_gtx_1650_610_43_2_0_ubuntu_24_04', the nearest NVIDIA Linux driver in the data). " +
    'Queue families and compute limits measured on the H200 of this project with the same driver 580.159.04 ' +
    '(vkGetPhysicalDeviceQueueFamilyProperties and vkGetPhysicalDeviceProperties).',
};
