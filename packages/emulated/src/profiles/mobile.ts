import {
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
  LAZY,
  Q_COMPUTE,
  Q_GRAPHICS,
  Q_PROTECTED,
  Q_TRANSFER,
  UINT32_MAX,
  mesaDriverVersion,
} from './flags.js';

const SIX_GIB = 6n * 2n ** 30n;

/**
 * Turnip where the CPU cache can be cleaned by line but the GPU does not snoop it: the only cached
 * type is HOST_CACHED without HOST_COHERENT, so mapped reads and writes need invalidate and flush.
 */
export const qualcommAdrenoTurnip: DeviceProfile = {
  id: 'qualcomm-adreno-turnip',
  deviceName: 'Turnip Adreno (TM) 660',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU,
  vendorID: 0x5143,
  deviceID: 0x06060001,
  driverVersion: mesaDriverVersion(25, 0, 7),
  apiVersion: makeApiVersion(0, 1, 4, 305),
  memoryHeaps: [{ size: SIX_GIB, flags: HEAP_DEVICE_LOCAL }],
  memoryTypes: [
    { propertyFlags: DL | HV | HC, heapIndex: 0 },
    { propertyFlags: DL | HV | HCACHED, heapIndex: 0 },
  ],
  limits: {
    minMemoryMapAlignment: 4096,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: UINT32_MAX,
    maxMemoryAllocationSize: SIX_GIB,
    bufferImageGranularity: 64,
    maxComputeWorkGroupCount: [65535, 65535, 65535],
    maxComputeWorkGroupSize: [1024, 1024, 1024],
    maxComputeWorkGroupInvocations: 2048,
    maxComputeSharedMemorySize: 32768,
    maxPushConstantsSize: 256,
    maxBoundDescriptorSets: 7,
    maxStorageBufferRange: 1 << 27,
    maxUniformBufferRange: 65536,
    minStorageBufferOffsetAlignment: 4,
    minUniformBufferOffsetAlignment: 64,
  },
  queueFamilies: [{ queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER, queueCount: 1, timestampValidBits: 48 }],
  extensions: [
    VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
    VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
    VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
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
    "device-memory-profiles.json 'qualcomm-adreno-turnip' (Mesa src/freedreno/vulkan/tu_device.cc, code index ids " +
    '3908257157 and 12580919469; flush/invalidate by cache line in tu_knl.cc, id 2856317909): the HV|HC type plus the ' +
    'has_cached_non_coherent_memory type, without the cached-coherent one. When turnip exposes both cached types it ' +
    "lists DL|HV|HC|HCACHED before DL|HV|HCACHED, which breaks the specification's subset ordering, so that variant " +
    'is not modelled. minMemoryMapAlignment 4096 read from tu_device.cc; nonCoherentAtomSize 64, ' +
    'bufferImageGranularity 64, the 6 GiB heap (3/4 of an 8 GiB phone, used also as maxMemoryAllocationSize), ' +
    'Mesa 25.0.7 / Vulkan 1.4.305 and the placed-map features (as RADV/ANV; tu_bo_map takes a placed address) are ' +
    'assumptions, not read from the data. Queue family (one, 48 timestamp bits) and compute limits read from ' +
    'tu_device.cc (id 12580919469) and tu_common.h (id 3092464700): 2048 invocations with double threadsize, ' +
    'maxStorageBufferRange 2^27, maxUniformBufferRange 64 KiB, push constants 256. The A660 shared memory of 32 KiB ' +
    '(cs_shared_mem_size) and maxBoundDescriptorSets 7 (usable_sets: one set reserved) are assumptions.',
};

/**
 * Mali-G78 (Pixel 6): no type is both HOST_CACHED and HOST_COHERENT, so the cached type is the
 * non-coherent one.
 */
export const armMaliG78: DeviceProfile = {
  id: 'arm-mali-g78',
  deviceName: 'Mali-G78',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU,
  vendorID: 0x13b5,
  deviceID: 0,
  driverVersion: makeApiVersion(0, 36, 0, 0),
  apiVersion: makeApiVersion(0, 1, 3, 0),
  memoryHeaps: [{ size: 7_951_626_240n, flags: HEAP_DEVICE_LOCAL }],
  memoryTypes: [
    { propertyFlags: DL | HV | HC, heapIndex: 0 },
    { propertyFlags: DL | HV | HCACHED, heapIndex: 0 },
    { propertyFlags: DL | LAZY, heapIndex: 0 },
  ],
  limits: {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: UINT32_MAX,
    maxMemoryAllocationSize: 7_951_626_240n,
    bufferImageGranularity: 1,
    maxComputeWorkGroupCount: [UINT32_MAX, UINT32_MAX, UINT32_MAX],
    maxComputeWorkGroupSize: [512, 512, 512],
    maxComputeWorkGroupInvocations: 512,
    maxComputeSharedMemorySize: 32768,
    maxPushConstantsSize: 256,
    maxBoundDescriptorSets: 4,
    maxStorageBufferRange: 268_435_456,
    maxUniformBufferRange: 65536,
    minStorageBufferOffsetAlignment: 64,
    minUniformBufferOffsetAlignment: 16,
  },
  queueFamilies: [{ queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER | Q_PROTECTED, queueCount: 2 }],
  extensions: [],
  hostAddressSpaceSize: DESKTOP_HOST_ADDRESS_SPACE,
  hostPageSize: 4096,
  source:
    "device-memory-profiles.json 'arm-mali-g78-pixel6-limits' (KhronosGroup/Vulkan-ValidationLayers " +
    'tests/device_profiles/pixel_6_mali.json, r36p0, Android 13): limits and maxMemoryAllocationSize, also used as the ' +
    "heap size. Types inferred: the shape of 'arm-mali-g57-r51-proprietary' (DL|HV|HC, DL|HV|cached, DL|LAZY; its " +
    'protected heap left out), with the cached type non-coherent because ggml-org/llama.cpp issue #5319 found no ' +
    'HV|HC|HCACHED type on the Pixel 6. deviceID, the r36p0 driverVersion encoding, apiVersion 1.3 (patch unknown) and ' +
    'the empty extension list are assumptions. Queue family and compute limits from the same pixel_6_mali.json: ' +
    'one family of two queues, with PROTECTED.',
};
