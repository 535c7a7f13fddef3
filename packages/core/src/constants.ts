/** Constants and flag bits of the memory-mapping family, with the values of the Vulkan registry. */

/** `VK_WHOLE_SIZE`: (~0ULL), the rest of the allocation or mapping. */
export const VK_WHOLE_SIZE = 0xffff_ffff_ffff_ffffn;
export const VK_MAX_MEMORY_TYPES = 32;
export const VK_MAX_MEMORY_HEAPS = 16;

export const VkStructureType = {
  VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO: 5,
  VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE: 6,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2: 1000059006,
  VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO: 1000060000,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT: 1000237000,
  VK_STRUCTURE_TYPE_MEMORY_MAP_INFO: 1000271000,
  VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO: 1000271001,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAP_MEMORY_PLACED_FEATURES_EXT: 1000272000,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAP_MEMORY_PLACED_PROPERTIES_EXT: 1000272001,
  VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT: 1000272002,
} as const;
export type VkStructureTypeValue = (typeof VkStructureType)[keyof typeof VkStructureType];

export const VkMemoryPropertyFlagBits = {
  VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT: 0x1,
  VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT: 0x2,
  VK_MEMORY_PROPERTY_HOST_COHERENT_BIT: 0x4,
  VK_MEMORY_PROPERTY_HOST_CACHED_BIT: 0x8,
  VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT: 0x10,
  VK_MEMORY_PROPERTY_PROTECTED_BIT: 0x20,
  VK_MEMORY_PROPERTY_DEVICE_COHERENT_BIT_AMD: 0x40,
  VK_MEMORY_PROPERTY_DEVICE_UNCACHED_BIT_AMD: 0x80,
  VK_MEMORY_PROPERTY_RDMA_CAPABLE_BIT_NV: 0x100,
} as const;

export const VkMemoryHeapFlagBits = {
  VK_MEMORY_HEAP_DEVICE_LOCAL_BIT: 0x1,
  VK_MEMORY_HEAP_MULTI_INSTANCE_BIT: 0x2,
} as const;

export const VkMemoryAllocateFlagBits = {
  VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT: 0x1,
} as const;

export const VkMemoryMapFlagBits = {
  VK_MEMORY_MAP_PLACED_BIT_EXT: 0x1,
} as const;

export const VkMemoryUnmapFlagBits = {
  VK_MEMORY_UNMAP_RESERVE_BIT_EXT: 0x1,
} as const;

export const VkPhysicalDeviceType = {
  VK_PHYSICAL_DEVICE_TYPE_OTHER: 0,
  VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: 1,
  VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: 2,
  VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: 3,
  VK_PHYSICAL_DEVICE_TYPE_CPU: 4,
} as const;

/** Extension names of the family. */
export const VK_KHR_MAP_MEMORY_2_EXTENSION_NAME = 'VK_KHR_map_memory2';
export const VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME = 'VK_EXT_map_memory_placed';
export const VK_EXT_MEMORY_BUDGET_EXTENSION_NAME = 'VK_EXT_memory_budget';
export const VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME = 'VK_EXT_external_memory_host';
export const VK_KHR_DEVICE_GROUP_EXTENSION_NAME = 'VK_KHR_device_group';

/** VK_MAKE_API_VERSION(variant, major, minor, patch). */
export function makeApiVersion(variant: number, major: number, minor: number, patch: number): number {
  return ((variant << 29) | (major << 22) | (minor << 12) | patch) >>> 0;
}
export const VK_API_VERSION_1_0 = makeApiVersion(0, 1, 0, 0);
export const VK_API_VERSION_1_1 = makeApiVersion(0, 1, 1, 0);
export const VK_API_VERSION_1_2 = makeApiVersion(0, 1, 2, 0);
export const VK_API_VERSION_1_3 = makeApiVersion(0, 1, 3, 0);
export const VK_API_VERSION_1_4 = makeApiVersion(0, 1, 4, 0);

export function apiVersionMajor(version: number): number {
  return (version >>> 22) & 0x7f;
}
export function apiVersionMinor(version: number): number {
  return (version >>> 12) & 0x3ff;
}
export function apiVersionPatch(version: number): number {
  return version & 0xfff;
}
/** The version with its patch number cleared, for "at least 1.x" comparisons. */
export function apiVersionMajorMinor(version: number): number {
  return (version & ~0xfff) >>> 0;
}
export function formatApiVersion(version: number): string {
  return `${apiVersionMajor(version)}.${apiVersionMinor(version)}.${apiVersionPatch(version)}`;
}
