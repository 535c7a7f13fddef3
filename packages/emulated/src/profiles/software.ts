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
  Q_COMPUTE,
  Q_GRAPHICS,
  Q_SPARSE,
  Q_TRANSFER,
  UINT32_MAX,
  mesaDriverVersion,
} from './flags.js';

/** Mesa's CPU rasterizer: one heap of system memory and one type with every host property. */
export const lavapipe: DeviceProfile = {
  id: 'lavapipe',
  deviceName: 'llvmpipe (LLVM 15.0.6, 256 bits)',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_CPU,
  vendorID: 0x10005,
  deviceID: 0,
  driverVersion: mesaDriverVersion(25, 0, 7),
  apiVersion: makeApiVersion(0, 1, 4, 305),
  memoryHeaps: [{ size: 25_275_924_480n, flags: HEAP_DEVICE_LOCAL }],
  memoryTypes: [{ propertyFlags: DL | HV | HC | HCACHED, heapIndex: 0 }],
  limits: {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: UINT32_MAX,
    maxMemoryAllocationSize: 2_147_483_648n,
    bufferImageGranularity: 64,
    maxComputeWorkGroupCount: [65535, 65535, 65535],
    maxComputeWorkGroupSize: [1024, 1024, 1024],
    maxComputeWorkGroupInvocations: 1024,
    maxComputeSharedMemorySize: 32768,
    maxPushConstantsSize: 256,
    maxBoundDescriptorSets: 8,
    maxStorageBufferRange: 134_217_728,
    maxUniformBufferRange: 65536,
    minStorageBufferOffsetAlignment: 16,
    minUniformBufferOffsetAlignment: 16,
  },
  queueFamilies: [{ queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER | Q_SPARSE, queueCount: 1 }],
  extensions: [
    VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
    VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
    VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
  ],
  hostAddressSpaceSize: DESKTOP_HOST_ADDRESS_SPACE,
  hostPageSize: 4096,
  source:
    "device-memory-profiles.json 'lavapipe-mesa-25.0-llvm15' (measured here: Mesa 25.0.7 lavapipe, Debian " +
    'bookworm-backports, Vulkan 1.4.305, 2-core x86-64 host with 24 GiB): heap, type, nonCoherentAtomSize, ' +
    "minMemoryMapAlignment, maxMemoryAllocationCount, extensions (no placed maps). bufferImageGranularity 64 from 'lavapipe' " +
    "(lvp_device.c) and maxMemoryAllocationSize 2 GiB from gpuinfo-limits.json 'vp_gpuinfo_llvmpipe__llvm_22_1_6__256_" +
    "bits__26_1_2_windows_unknown'. The LLVM patch version in deviceName is assumed. Queue family and compute " +
    'limits measured here too (vkGetPhysicalDeviceQueueFamilyProperties, vkGetPhysicalDeviceProperties).',
};

/** Google's CPU implementation: a coherent type but a 256-byte atom, the largest the specification allows. */
export const swiftShader: DeviceProfile = {
  id: 'swiftshader',
  deviceName: 'SwiftShader Device (LLVM 10.0.0)',
  deviceType: VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_CPU,
  vendorID: 0x1ae0,
  deviceID: 0xc0de,
  driverVersion: makeApiVersion(0, 5, 0, 0),
  apiVersion: makeApiVersion(0, 1, 3, 0),
  memoryHeaps: [{ size: 2_147_483_648n, flags: HEAP_DEVICE_LOCAL }],
  memoryTypes: [{ propertyFlags: DL | HV | HC | HCACHED, heapIndex: 0 }],
  limits: {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 256,
    maxMemoryAllocationCount: 4096,
    maxMemoryAllocationSize: 1_073_741_824n,
    bufferImageGranularity: 4096,
    maxComputeWorkGroupInvocations: 256,
    maxPushConstantsSize: 128,
    maxBoundDescriptorSets: 4,
    minStorageBufferOffsetAlignment: 256,
    minUniformBufferOffsetAlignment: 256,
  },
  queueFamilies: [{ queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER, queueCount: 1 }],
  extensions: [VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME],
  hostAddressSpaceSize: DESKTOP_HOST_ADDRESS_SPACE,
  hostPageSize: 4096,
  source:
    "device-memory-profiles.json 'swiftshader' (google/swiftshader src/Vulkan/VkPhysicalDevice.cpp GetMemoryProperties " +
    'and limits, VkConfig.hpp @7868bf3): heap, type and limits. maxMemoryAllocationSize 1 GiB (the spec minimum, as ' +
    "SwiftShader's VkConfig caps allocations), driverVersion 5.0.0, apiVersion 1.3.0 and the extension list are " +
    'assumptions, not in the reference. Queue family (one, one queue) and the compute limits it gives from ' +
    "SwiftShader's VkConfig.hpp (code index ids 12767254, 2020900917); the others stay at the required values.",
};
