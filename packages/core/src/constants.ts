/** Constants and flag bits of the memory-mapping family and the compute subset, with the registry's values. */

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

// ---- the compute chapters ---------------------------------------------------------------------------

export const VkQueueFlagBits = {
  VK_QUEUE_GRAPHICS_BIT: 0x1,
  VK_QUEUE_COMPUTE_BIT: 0x2,
  VK_QUEUE_TRANSFER_BIT: 0x4,
  VK_QUEUE_SPARSE_BINDING_BIT: 0x8,
} as const;

export const VkBufferUsageFlagBits = {
  VK_BUFFER_USAGE_TRANSFER_SRC_BIT: 0x1,
  VK_BUFFER_USAGE_TRANSFER_DST_BIT: 0x2,
  VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT: 0x4,
  VK_BUFFER_USAGE_STORAGE_TEXEL_BUFFER_BIT: 0x8,
  VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT: 0x10,
  VK_BUFFER_USAGE_STORAGE_BUFFER_BIT: 0x20,
  VK_BUFFER_USAGE_INDEX_BUFFER_BIT: 0x40,
  VK_BUFFER_USAGE_VERTEX_BUFFER_BIT: 0x80,
  VK_BUFFER_USAGE_INDIRECT_BUFFER_BIT: 0x100,
} as const;

/** VkDescriptorType: the buffer descriptors vkmap offers. */
export const VkDescriptorType = {
  VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER: 6,
  VK_DESCRIPTOR_TYPE_STORAGE_BUFFER: 7,
} as const;

export const VkShaderStageFlagBits = {
  VK_SHADER_STAGE_COMPUTE_BIT: 0x20,
} as const;

export const VkPipelineBindPoint = {
  VK_PIPELINE_BIND_POINT_COMPUTE: 1,
} as const;

export const VkDescriptorPoolCreateFlagBits = {
  VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT: 0x1,
} as const;

export const VkCommandPoolCreateFlagBits = {
  VK_COMMAND_POOL_CREATE_TRANSIENT_BIT: 0x1,
  VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT: 0x2,
} as const;

export const VkCommandBufferUsageFlagBits = {
  VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT: 0x1,
} as const;

export const VkFenceCreateFlagBits = {
  VK_FENCE_CREATE_SIGNALED_BIT: 0x1,
} as const;

export const VkDependencyFlagBits = {
  VK_DEPENDENCY_BY_REGION_BIT: 0x1,
} as const;

/** VkPipelineStageFlagBits of Vulkan 1.0 (graphics stages included: a barrier may name them). */
export const VkPipelineStageFlagBits = {
  VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT: 0x1,
  VK_PIPELINE_STAGE_DRAW_INDIRECT_BIT: 0x2,
  VK_PIPELINE_STAGE_VERTEX_INPUT_BIT: 0x4,
  VK_PIPELINE_STAGE_VERTEX_SHADER_BIT: 0x8,
  VK_PIPELINE_STAGE_TESSELLATION_CONTROL_SHADER_BIT: 0x10,
  VK_PIPELINE_STAGE_TESSELLATION_EVALUATION_SHADER_BIT: 0x20,
  VK_PIPELINE_STAGE_GEOMETRY_SHADER_BIT: 0x40,
  VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT: 0x80,
  VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT: 0x100,
  VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT: 0x200,
  VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT: 0x400,
  VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT: 0x800,
  VK_PIPELINE_STAGE_TRANSFER_BIT: 0x1000,
  VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT: 0x2000,
  VK_PIPELINE_STAGE_HOST_BIT: 0x4000,
  VK_PIPELINE_STAGE_ALL_GRAPHICS_BIT: 0x8000,
  VK_PIPELINE_STAGE_ALL_COMMANDS_BIT: 0x10000,
} as const;

/** VkAccessFlagBits of Vulkan 1.0. */
export const VkAccessFlagBits = {
  VK_ACCESS_INDIRECT_COMMAND_READ_BIT: 0x1,
  VK_ACCESS_INDEX_READ_BIT: 0x2,
  VK_ACCESS_VERTEX_ATTRIBUTE_READ_BIT: 0x4,
  VK_ACCESS_UNIFORM_READ_BIT: 0x8,
  VK_ACCESS_INPUT_ATTACHMENT_READ_BIT: 0x10,
  VK_ACCESS_SHADER_READ_BIT: 0x20,
  VK_ACCESS_SHADER_WRITE_BIT: 0x40,
  VK_ACCESS_COLOR_ATTACHMENT_READ_BIT: 0x80,
  VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT: 0x100,
  VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT: 0x200,
  VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT: 0x400,
  VK_ACCESS_TRANSFER_READ_BIT: 0x800,
  VK_ACCESS_TRANSFER_WRITE_BIT: 0x1000,
  VK_ACCESS_HOST_READ_BIT: 0x2000,
  VK_ACCESS_HOST_WRITE_BIT: 0x4000,
  VK_ACCESS_MEMORY_READ_BIT: 0x8000,
  VK_ACCESS_MEMORY_WRITE_BIT: 0x10000,
} as const;

/** The first word of every SPIR-V module. */
export const SPIRV_MAGIC_NUMBER = 0x07230203;

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
