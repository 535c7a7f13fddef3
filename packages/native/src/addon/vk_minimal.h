// The few Vulkan types, enums and entry-point signatures this addon uses, declared from the Vulkan
// registry (vk.xml) so that the build needs neither the Vulkan SDK nor libvulkan-dev. Layouts follow the
// registry exactly; test/header-layout.cc (compiled by the test run) checks them against vulkan_core.h.
//
// Only what the addon touches is declared. Structures that are passed to the driver but never read by
// us (VkPhysicalDeviceFeatures) are declared with their exact size; structures the addon only ever passes
// as null pointers (image barriers, descriptor copies, inheritance info) are declared incomplete.
#ifndef VKMAP_VK_MINIMAL_H
#define VKMAP_VK_MINIMAL_H

#include <cstddef>
#include <cstdint>

#if defined(_WIN32)
#define VKMAP_VKAPI_CALL __stdcall
#else
#define VKMAP_VKAPI_CALL
#endif

extern "C" {

// ---- Base types and handles --------------------------------------------------------------------
typedef uint32_t VkBool32;
typedef uint32_t VkFlags;
typedef uint64_t VkDeviceSize;
typedef VkFlags VkSampleCountFlags;
typedef VkFlags VkMemoryPropertyFlags;
typedef VkFlags VkMemoryHeapFlags;
typedef VkFlags VkMemoryMapFlags;
typedef VkFlags VkMemoryUnmapFlags;
typedef VkFlags VkQueueFlags;
typedef VkFlags VkInstanceCreateFlags;
typedef VkFlags VkDeviceCreateFlags;
typedef VkFlags VkDeviceQueueCreateFlags;
typedef VkFlags VkMemoryAllocateFlags;
typedef VkFlags VkBufferCreateFlags;
typedef VkFlags VkBufferUsageFlags;
typedef VkFlags VkShaderModuleCreateFlags;
typedef VkFlags VkShaderStageFlags;
typedef VkFlags VkDescriptorSetLayoutCreateFlags;
typedef VkFlags VkPipelineLayoutCreateFlags;
typedef VkFlags VkPipelineCreateFlags;
typedef VkFlags VkPipelineShaderStageCreateFlags;
typedef VkFlags VkDescriptorPoolCreateFlags;
typedef VkFlags VkDescriptorPoolResetFlags;
typedef VkFlags VkCommandPoolCreateFlags;
typedef VkFlags VkCommandPoolResetFlags;
typedef VkFlags VkCommandBufferUsageFlags;
typedef VkFlags VkCommandBufferResetFlags;
typedef VkFlags VkAccessFlags;
typedef VkFlags VkPipelineStageFlags;
typedef VkFlags VkDependencyFlags;
typedef VkFlags VkFenceCreateFlags;

// Dispatchable handles are pointers; non-dispatchable handles are 64-bit on every platform (uint64_t
// on 32-bit ones, a pointer to an opaque struct on 64-bit ones; both are 8 bytes).
typedef struct VkInstance_T* VkInstance;
typedef struct VkPhysicalDevice_T* VkPhysicalDevice;
typedef struct VkDevice_T* VkDevice;
typedef struct VkQueue_T* VkQueue;
typedef struct VkCommandBuffer_T* VkCommandBuffer;
#if defined(__LP64__) || defined(_WIN64) || defined(__x86_64__) || defined(__aarch64__)
#define VKMAP_NON_DISPATCHABLE_HANDLE(name) typedef struct name##_T* name
#else
#define VKMAP_NON_DISPATCHABLE_HANDLE(name) typedef uint64_t name
#endif
VKMAP_NON_DISPATCHABLE_HANDLE(VkDeviceMemory);
VKMAP_NON_DISPATCHABLE_HANDLE(VkBuffer);
VKMAP_NON_DISPATCHABLE_HANDLE(VkBufferView);
VKMAP_NON_DISPATCHABLE_HANDLE(VkShaderModule);
VKMAP_NON_DISPATCHABLE_HANDLE(VkSampler);
VKMAP_NON_DISPATCHABLE_HANDLE(VkDescriptorSetLayout);
VKMAP_NON_DISPATCHABLE_HANDLE(VkPipelineLayout);
VKMAP_NON_DISPATCHABLE_HANDLE(VkPipelineCache);
VKMAP_NON_DISPATCHABLE_HANDLE(VkPipeline);
VKMAP_NON_DISPATCHABLE_HANDLE(VkDescriptorPool);
VKMAP_NON_DISPATCHABLE_HANDLE(VkDescriptorSet);
VKMAP_NON_DISPATCHABLE_HANDLE(VkCommandPool);
VKMAP_NON_DISPATCHABLE_HANDLE(VkFence);
VKMAP_NON_DISPATCHABLE_HANDLE(VkSemaphore);
#undef VKMAP_NON_DISPATCHABLE_HANDLE

#define VKMAP_VK_NULL_HANDLE 0

typedef int32_t VkResult;  // VkResult is an enum in vulkan_core.h; values from vk.xml
enum : int32_t {
  VK_SUCCESS = 0,
  VK_NOT_READY = 1,
  VK_TIMEOUT = 2,
  VK_INCOMPLETE = 5,
  VK_ERROR_OUT_OF_HOST_MEMORY = -1,
  VK_ERROR_OUT_OF_DEVICE_MEMORY = -2,
  VK_ERROR_INITIALIZATION_FAILED = -3,
  VK_ERROR_DEVICE_LOST = -4,
  VK_ERROR_MEMORY_MAP_FAILED = -5,
  VK_ERROR_EXTENSION_NOT_PRESENT = -7,
  VK_ERROR_FEATURE_NOT_PRESENT = -8,
  VK_ERROR_INCOMPATIBLE_DRIVER = -9,
};

typedef int32_t VkStructureType;
enum : int32_t {
  VK_STRUCTURE_TYPE_APPLICATION_INFO = 0,
  VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO = 1,
  VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO = 2,
  VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO = 3,
  VK_STRUCTURE_TYPE_SUBMIT_INFO = 4,
  VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO = 5,
  VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE = 6,
  VK_STRUCTURE_TYPE_FENCE_CREATE_INFO = 8,
  VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO = 12,
  VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO = 16,
  VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO = 18,
  VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO = 29,
  VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO = 30,
  VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO = 32,
  VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO = 33,
  VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO = 34,
  VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET = 35,
  VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO = 39,
  VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO = 40,
  VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO = 42,
  VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER = 44,
  VK_STRUCTURE_TYPE_MEMORY_BARRIER = 46,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2 = 1000059000,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2 = 1000059001,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2 = 1000059006,
  VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO = 1000060000,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES = 1000168000,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT = 1000237000,
  VK_STRUCTURE_TYPE_MEMORY_MAP_INFO = 1000271000,
  VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO = 1000271001,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAP_MEMORY_PLACED_FEATURES_EXT = 1000272000,
  VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAP_MEMORY_PLACED_PROPERTIES_EXT = 1000272001,
  VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT = 1000272002,
};

typedef int32_t VkPhysicalDeviceType;
typedef int32_t VkSharingMode;
typedef int32_t VkDescriptorType;
typedef int32_t VkShaderStageFlagBits;
typedef int32_t VkCommandBufferLevel;
typedef int32_t VkPipelineBindPoint;
enum : int32_t {
  VK_SHARING_MODE_EXCLUSIVE = 0,
  VK_COMMAND_BUFFER_LEVEL_PRIMARY = 0,
  VK_PIPELINE_BIND_POINT_COMPUTE = 1,
};

enum : uint32_t {
  VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT = 0x2,
  VK_MEMORY_PROPERTY_HOST_COHERENT_BIT = 0x4,
  VK_MEMORY_MAP_PLACED_BIT_EXT = 0x1,
  VK_MEMORY_UNMAP_RESERVE_BIT_EXT = 0x1,
  VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT = 0x1,
  VK_SHADER_STAGE_COMPUTE_BIT = 0x20,
  VK_FENCE_CREATE_SIGNALED_BIT = 0x1,
  VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT = 0x1,
};

constexpr uint32_t VK_MAX_PHYSICAL_DEVICE_NAME_SIZE = 256;
constexpr uint32_t VK_UUID_SIZE = 16;
constexpr uint32_t VK_MAX_EXTENSION_NAME_SIZE = 256;
constexpr uint32_t VK_MAX_MEMORY_TYPES = 32;
constexpr uint32_t VK_MAX_MEMORY_HEAPS = 16;
constexpr VkDeviceSize VK_WHOLE_SIZE = ~0ULL;
constexpr uint32_t VK_QUEUE_FAMILY_IGNORED = ~0U;

constexpr uint32_t VKMAP_MAKE_API_VERSION(uint32_t variant, uint32_t major, uint32_t minor, uint32_t patch) {
  return (variant << 29U) | (major << 22U) | (minor << 12U) | patch;
}
constexpr uint32_t VKMAP_API_VERSION_1_0 = VKMAP_MAKE_API_VERSION(0, 1, 0, 0);
constexpr uint32_t VKMAP_API_VERSION_1_1 = VKMAP_MAKE_API_VERSION(0, 1, 1, 0);
constexpr uint32_t VKMAP_API_VERSION_1_4 = VKMAP_MAKE_API_VERSION(0, 1, 4, 0);

// ---- Instance and device creation --------------------------------------------------------------
typedef struct VkApplicationInfo {
  VkStructureType sType;
  const void* pNext;
  const char* pApplicationName;
  uint32_t applicationVersion;
  const char* pEngineName;
  uint32_t engineVersion;
  uint32_t apiVersion;
} VkApplicationInfo;

typedef struct VkInstanceCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkInstanceCreateFlags flags;
  const VkApplicationInfo* pApplicationInfo;
  uint32_t enabledLayerCount;
  const char* const* ppEnabledLayerNames;
  uint32_t enabledExtensionCount;
  const char* const* ppEnabledExtensionNames;
} VkInstanceCreateInfo;

typedef struct VkDeviceQueueCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkDeviceQueueCreateFlags flags;
  uint32_t queueFamilyIndex;
  uint32_t queueCount;
  const float* pQueuePriorities;
} VkDeviceQueueCreateInfo;

// VkPhysicalDeviceFeatures: 55 VkBool32 members; this addon enables none of them.
typedef struct VkPhysicalDeviceFeatures {
  VkBool32 members[55];
} VkPhysicalDeviceFeatures;

typedef struct VkDeviceCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkDeviceCreateFlags flags;
  uint32_t queueCreateInfoCount;
  const VkDeviceQueueCreateInfo* pQueueCreateInfos;
  uint32_t enabledLayerCount;
  const char* const* ppEnabledLayerNames;
  uint32_t enabledExtensionCount;
  const char* const* ppEnabledExtensionNames;
  const VkPhysicalDeviceFeatures* pEnabledFeatures;
} VkDeviceCreateInfo;

typedef struct VkPhysicalDeviceFeatures2 {
  VkStructureType sType;
  void* pNext;
  VkPhysicalDeviceFeatures features;
} VkPhysicalDeviceFeatures2;

typedef struct VkExtensionProperties {
  char extensionName[VK_MAX_EXTENSION_NAME_SIZE];
  uint32_t specVersion;
} VkExtensionProperties;

typedef struct VkExtent3D {
  uint32_t width;
  uint32_t height;
  uint32_t depth;
} VkExtent3D;

typedef struct VkQueueFamilyProperties {
  VkQueueFlags queueFlags;
  uint32_t queueCount;
  uint32_t timestampValidBits;
  VkExtent3D minImageTransferGranularity;
} VkQueueFamilyProperties;

// ---- Physical device properties ---------------------------------------------------------------
typedef struct VkPhysicalDeviceLimits {
  uint32_t maxImageDimension1D;
  uint32_t maxImageDimension2D;
  uint32_t maxImageDimension3D;
  uint32_t maxImageDimensionCube;
  uint32_t maxImageArrayLayers;
  uint32_t maxTexelBufferElements;
  uint32_t maxUniformBufferRange;
  uint32_t maxStorageBufferRange;
  uint32_t maxPushConstantsSize;
  uint32_t maxMemoryAllocationCount;
  uint32_t maxSamplerAllocationCount;
  VkDeviceSize bufferImageGranularity;
  VkDeviceSize sparseAddressSpaceSize;
  uint32_t maxBoundDescriptorSets;
  uint32_t maxPerStageDescriptorSamplers;
  uint32_t maxPerStageDescriptorUniformBuffers;
  uint32_t maxPerStageDescriptorStorageBuffers;
  uint32_t maxPerStageDescriptorSampledImages;
  uint32_t maxPerStageDescriptorStorageImages;
  uint32_t maxPerStageDescriptorInputAttachments;
  uint32_t maxPerStageResources;
  uint32_t maxDescriptorSetSamplers;
  uint32_t maxDescriptorSetUniformBuffers;
  uint32_t maxDescriptorSetUniformBuffersDynamic;
  uint32_t maxDescriptorSetStorageBuffers;
  uint32_t maxDescriptorSetStorageBuffersDynamic;
  uint32_t maxDescriptorSetSampledImages;
  uint32_t maxDescriptorSetStorageImages;
  uint32_t maxDescriptorSetInputAttachments;
  uint32_t maxVertexInputAttributes;
  uint32_t maxVertexInputBindings;
  uint32_t maxVertexInputAttributeOffset;
  uint32_t maxVertexInputBindingStride;
  uint32_t maxVertexOutputComponents;
  uint32_t maxTessellationGenerationLevel;
  uint32_t maxTessellationPatchSize;
  uint32_t maxTessellationControlPerVertexInputComponents;
  uint32_t maxTessellationControlPerVertexOutputComponents;
  uint32_t maxTessellationControlPerPatchOutputComponents;
  uint32_t maxTessellationControlTotalOutputComponents;
  uint32_t maxTessellationEvaluationInputComponents;
  uint32_t maxTessellationEvaluationOutputComponents;
  uint32_t maxGeometryShaderInvocations;
  uint32_t maxGeometryInputComponents;
  uint32_t maxGeometryOutputComponents;
  uint32_t maxGeometryOutputVertices;
  uint32_t maxGeometryTotalOutputComponents;
  uint32_t maxFragmentInputComponents;
  uint32_t maxFragmentOutputAttachments;
  uint32_t maxFragmentDualSrcAttachments;
  uint32_t maxFragmentCombinedOutputResources;
  uint32_t maxComputeSharedMemorySize;
  uint32_t maxComputeWorkGroupCount[3];
  uint32_t maxComputeWorkGroupInvocations;
  uint32_t maxComputeWorkGroupSize[3];
  uint32_t subPixelPrecisionBits;
  uint32_t subTexelPrecisionBits;
  uint32_t mipmapPrecisionBits;
  uint32_t maxDrawIndexedIndexValue;
  uint32_t maxDrawIndirectCount;
  float maxSamplerLodBias;
  float maxSamplerAnisotropy;
  uint32_t maxViewports;
  uint32_t maxViewportDimensions[2];
  float viewportBoundsRange[2];
  uint32_t viewportSubPixelBits;
  size_t minMemoryMapAlignment;
  VkDeviceSize minTexelBufferOffsetAlignment;
  VkDeviceSize minUniformBufferOffsetAlignment;
  VkDeviceSize minStorageBufferOffsetAlignment;
  int32_t minTexelOffset;
  uint32_t maxTexelOffset;
  int32_t minTexelGatherOffset;
  uint32_t maxTexelGatherOffset;
  float minInterpolationOffset;
  float maxInterpolationOffset;
  uint32_t subPixelInterpolationOffsetBits;
  uint32_t maxFramebufferWidth;
  uint32_t maxFramebufferHeight;
  uint32_t maxFramebufferLayers;
  VkSampleCountFlags framebufferColorSampleCounts;
  VkSampleCountFlags framebufferDepthSampleCounts;
  VkSampleCountFlags framebufferStencilSampleCounts;
  VkSampleCountFlags framebufferNoAttachmentsSampleCounts;
  uint32_t maxColorAttachments;
  VkSampleCountFlags sampledImageColorSampleCounts;
  VkSampleCountFlags sampledImageIntegerSampleCounts;
  VkSampleCountFlags sampledImageDepthSampleCounts;
  VkSampleCountFlags sampledImageStencilSampleCounts;
  VkSampleCountFlags storageImageSampleCounts;
  uint32_t maxSampleMaskWords;
  VkBool32 timestampComputeAndGraphics;
  float timestampPeriod;
  uint32_t maxClipDistances;
  uint32_t maxCullDistances;
  uint32_t maxCombinedClipAndCullDistances;
  uint32_t discreteQueuePriorities;
  float pointSizeRange[2];
  float lineWidthRange[2];
  float pointSizeGranularity;
  float lineWidthGranularity;
  VkBool32 strictLines;
  VkBool32 standardSampleLocations;
  VkDeviceSize optimalBufferCopyOffsetAlignment;
  VkDeviceSize optimalBufferCopyRowPitchAlignment;
  VkDeviceSize nonCoherentAtomSize;
} VkPhysicalDeviceLimits;

typedef struct VkPhysicalDeviceSparseProperties {
  VkBool32 residencyStandard2DBlockShape;
  VkBool32 residencyStandard2DMultisampleBlockShape;
  VkBool32 residencyStandard3DBlockShape;
  VkBool32 residencyAlignedMipSize;
  VkBool32 residencyNonResidentStrict;
} VkPhysicalDeviceSparseProperties;

typedef struct VkPhysicalDeviceProperties {
  uint32_t apiVersion;
  uint32_t driverVersion;
  uint32_t vendorID;
  uint32_t deviceID;
  VkPhysicalDeviceType deviceType;
  char deviceName[VK_MAX_PHYSICAL_DEVICE_NAME_SIZE];
  uint8_t pipelineCacheUUID[VK_UUID_SIZE];
  VkPhysicalDeviceLimits limits;
  VkPhysicalDeviceSparseProperties sparseProperties;
} VkPhysicalDeviceProperties;

typedef struct VkPhysicalDeviceProperties2 {
  VkStructureType sType;
  void* pNext;
  VkPhysicalDeviceProperties properties;
} VkPhysicalDeviceProperties2;

typedef struct VkPhysicalDeviceMaintenance3Properties {
  VkStructureType sType;
  void* pNext;
  uint32_t maxPerSetDescriptors;
  VkDeviceSize maxMemoryAllocationSize;
} VkPhysicalDeviceMaintenance3Properties;

typedef struct VkPhysicalDeviceMapMemoryPlacedFeaturesEXT {
  VkStructureType sType;
  void* pNext;
  VkBool32 memoryMapPlaced;
  VkBool32 memoryMapRangePlaced;
  VkBool32 memoryUnmapReserve;
} VkPhysicalDeviceMapMemoryPlacedFeaturesEXT;

typedef struct VkPhysicalDeviceMapMemoryPlacedPropertiesEXT {
  VkStructureType sType;
  void* pNext;
  VkDeviceSize minPlacedMemoryMapAlignment;
} VkPhysicalDeviceMapMemoryPlacedPropertiesEXT;

// ---- Memory properties -------------------------------------------------------------------------
typedef struct VkMemoryType {
  VkMemoryPropertyFlags propertyFlags;
  uint32_t heapIndex;
} VkMemoryType;

typedef struct VkMemoryHeap {
  VkDeviceSize size;
  VkMemoryHeapFlags flags;
} VkMemoryHeap;

typedef struct VkPhysicalDeviceMemoryProperties {
  uint32_t memoryTypeCount;
  VkMemoryType memoryTypes[VK_MAX_MEMORY_TYPES];
  uint32_t memoryHeapCount;
  VkMemoryHeap memoryHeaps[VK_MAX_MEMORY_HEAPS];
} VkPhysicalDeviceMemoryProperties;

typedef struct VkPhysicalDeviceMemoryProperties2 {
  VkStructureType sType;
  void* pNext;
  VkPhysicalDeviceMemoryProperties memoryProperties;
} VkPhysicalDeviceMemoryProperties2;

typedef struct VkPhysicalDeviceMemoryBudgetPropertiesEXT {
  VkStructureType sType;
  void* pNext;
  VkDeviceSize heapBudget[VK_MAX_MEMORY_HEAPS];
  VkDeviceSize heapUsage[VK_MAX_MEMORY_HEAPS];
} VkPhysicalDeviceMemoryBudgetPropertiesEXT;

// ---- Memory commands ---------------------------------------------------------------------------
typedef struct VkMemoryAllocateInfo {
  VkStructureType sType;
  const void* pNext;
  VkDeviceSize allocationSize;
  uint32_t memoryTypeIndex;
} VkMemoryAllocateInfo;

typedef struct VkMemoryAllocateFlagsInfo {
  VkStructureType sType;
  const void* pNext;
  VkMemoryAllocateFlags flags;
  uint32_t deviceMask;
} VkMemoryAllocateFlagsInfo;

typedef struct VkMappedMemoryRange {
  VkStructureType sType;
  const void* pNext;
  VkDeviceMemory memory;
  VkDeviceSize offset;
  VkDeviceSize size;
} VkMappedMemoryRange;

typedef struct VkMemoryMapInfo {
  VkStructureType sType;
  const void* pNext;
  VkMemoryMapFlags flags;
  VkDeviceMemory memory;
  VkDeviceSize offset;
  VkDeviceSize size;
} VkMemoryMapInfo;

typedef struct VkMemoryUnmapInfo {
  VkStructureType sType;
  const void* pNext;
  VkMemoryUnmapFlags flags;
  VkDeviceMemory memory;
} VkMemoryUnmapInfo;

typedef struct VkMemoryMapPlacedInfoEXT {
  VkStructureType sType;
  const void* pNext;
  void* pPlacedAddress;
} VkMemoryMapPlacedInfoEXT;

// ---- Buffers -----------------------------------------------------------------------------------
typedef struct VkBufferCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkBufferCreateFlags flags;
  VkDeviceSize size;
  VkBufferUsageFlags usage;
  VkSharingMode sharingMode;
  uint32_t queueFamilyIndexCount;
  const uint32_t* pQueueFamilyIndices;
} VkBufferCreateInfo;

typedef struct VkMemoryRequirements {
  VkDeviceSize size;
  VkDeviceSize alignment;
  uint32_t memoryTypeBits;
} VkMemoryRequirements;

// ---- Shaders, descriptors and pipelines --------------------------------------------------------
typedef struct VkShaderModuleCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkShaderModuleCreateFlags flags;
  size_t codeSize;
  const uint32_t* pCode;
} VkShaderModuleCreateInfo;

typedef struct VkDescriptorSetLayoutBinding {
  uint32_t binding;
  VkDescriptorType descriptorType;
  uint32_t descriptorCount;
  VkShaderStageFlags stageFlags;
  const VkSampler* pImmutableSamplers;
} VkDescriptorSetLayoutBinding;

typedef struct VkDescriptorSetLayoutCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkDescriptorSetLayoutCreateFlags flags;
  uint32_t bindingCount;
  const VkDescriptorSetLayoutBinding* pBindings;
} VkDescriptorSetLayoutCreateInfo;

typedef struct VkPushConstantRange {
  VkShaderStageFlags stageFlags;
  uint32_t offset;
  uint32_t size;
} VkPushConstantRange;

typedef struct VkPipelineLayoutCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkPipelineLayoutCreateFlags flags;
  uint32_t setLayoutCount;
  const VkDescriptorSetLayout* pSetLayouts;
  uint32_t pushConstantRangeCount;
  const VkPushConstantRange* pPushConstantRanges;
} VkPipelineLayoutCreateInfo;

typedef struct VkSpecializationMapEntry {
  uint32_t constantID;
  uint32_t offset;
  size_t size;
} VkSpecializationMapEntry;

typedef struct VkSpecializationInfo {
  uint32_t mapEntryCount;
  const VkSpecializationMapEntry* pMapEntries;
  size_t dataSize;
  const void* pData;
} VkSpecializationInfo;

typedef struct VkPipelineShaderStageCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkPipelineShaderStageCreateFlags flags;
  VkShaderStageFlagBits stage;
  VkShaderModule module;
  const char* pName;
  const VkSpecializationInfo* pSpecializationInfo;
} VkPipelineShaderStageCreateInfo;

typedef struct VkComputePipelineCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkPipelineCreateFlags flags;
  VkPipelineShaderStageCreateInfo stage;
  VkPipelineLayout layout;
  VkPipeline basePipelineHandle;
  int32_t basePipelineIndex;
} VkComputePipelineCreateInfo;

typedef struct VkDescriptorPoolSize {
  VkDescriptorType type;
  uint32_t descriptorCount;
} VkDescriptorPoolSize;

typedef struct VkDescriptorPoolCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkDescriptorPoolCreateFlags flags;
  uint32_t maxSets;
  uint32_t poolSizeCount;
  const VkDescriptorPoolSize* pPoolSizes;
} VkDescriptorPoolCreateInfo;

typedef struct VkDescriptorSetAllocateInfo {
  VkStructureType sType;
  const void* pNext;
  VkDescriptorPool descriptorPool;
  uint32_t descriptorSetCount;
  const VkDescriptorSetLayout* pSetLayouts;
} VkDescriptorSetAllocateInfo;

typedef struct VkDescriptorBufferInfo {
  VkBuffer buffer;
  VkDeviceSize offset;
  VkDeviceSize range;
} VkDescriptorBufferInfo;

struct VkDescriptorImageInfo;  // never used: the addon writes buffer descriptors only
struct VkCopyDescriptorSet;    // never used: descriptor copies are not offered

typedef struct VkWriteDescriptorSet {
  VkStructureType sType;
  const void* pNext;
  VkDescriptorSet dstSet;
  uint32_t dstBinding;
  uint32_t dstArrayElement;
  uint32_t descriptorCount;
  VkDescriptorType descriptorType;
  const VkDescriptorImageInfo* pImageInfo;
  const VkDescriptorBufferInfo* pBufferInfo;
  const VkBufferView* pTexelBufferView;
} VkWriteDescriptorSet;

// ---- Command buffers, synchronization and queues ------------------------------------------------
typedef struct VkCommandPoolCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkCommandPoolCreateFlags flags;
  uint32_t queueFamilyIndex;
} VkCommandPoolCreateInfo;

typedef struct VkCommandBufferAllocateInfo {
  VkStructureType sType;
  const void* pNext;
  VkCommandPool commandPool;
  VkCommandBufferLevel level;
  uint32_t commandBufferCount;
} VkCommandBufferAllocateInfo;

struct VkCommandBufferInheritanceInfo;  // never used: primary command buffers only

typedef struct VkCommandBufferBeginInfo {
  VkStructureType sType;
  const void* pNext;
  VkCommandBufferUsageFlags flags;
  const VkCommandBufferInheritanceInfo* pInheritanceInfo;
} VkCommandBufferBeginInfo;

typedef struct VkMemoryBarrier {
  VkStructureType sType;
  const void* pNext;
  VkAccessFlags srcAccessMask;
  VkAccessFlags dstAccessMask;
} VkMemoryBarrier;

typedef struct VkBufferMemoryBarrier {
  VkStructureType sType;
  const void* pNext;
  VkAccessFlags srcAccessMask;
  VkAccessFlags dstAccessMask;
  uint32_t srcQueueFamilyIndex;
  uint32_t dstQueueFamilyIndex;
  VkBuffer buffer;
  VkDeviceSize offset;
  VkDeviceSize size;
} VkBufferMemoryBarrier;

struct VkImageMemoryBarrier;  // never used: buffers only

typedef struct VkBufferCopy {
  VkDeviceSize srcOffset;
  VkDeviceSize dstOffset;
  VkDeviceSize size;
} VkBufferCopy;

typedef struct VkSubmitInfo {
  VkStructureType sType;
  const void* pNext;
  uint32_t waitSemaphoreCount;
  const VkSemaphore* pWaitSemaphores;
  const VkPipelineStageFlags* pWaitDstStageMask;
  uint32_t commandBufferCount;
  const VkCommandBuffer* pCommandBuffers;
  uint32_t signalSemaphoreCount;
  const VkSemaphore* pSignalSemaphores;
} VkSubmitInfo;

typedef struct VkFenceCreateInfo {
  VkStructureType sType;
  const void* pNext;
  VkFenceCreateFlags flags;
} VkFenceCreateInfo;

// ---- Entry points ------------------------------------------------------------------------------
typedef void(VKMAP_VKAPI_CALL* PFN_vkVoidFunction)(void);
typedef PFN_vkVoidFunction(VKMAP_VKAPI_CALL* PFN_vkGetInstanceProcAddr)(VkInstance, const char*);
typedef PFN_vkVoidFunction(VKMAP_VKAPI_CALL* PFN_vkGetDeviceProcAddr)(VkDevice, const char*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkEnumerateInstanceVersion)(uint32_t*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateInstance)(const VkInstanceCreateInfo*, const void*, VkInstance*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyInstance)(VkInstance, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkEnumeratePhysicalDevices)(VkInstance, uint32_t*, VkPhysicalDevice*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkGetPhysicalDeviceProperties)(VkPhysicalDevice, VkPhysicalDeviceProperties*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkGetPhysicalDeviceProperties2)(VkPhysicalDevice, VkPhysicalDeviceProperties2*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkGetPhysicalDeviceFeatures2)(VkPhysicalDevice, VkPhysicalDeviceFeatures2*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkGetPhysicalDeviceMemoryProperties)(VkPhysicalDevice,
                                                                       VkPhysicalDeviceMemoryProperties*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkGetPhysicalDeviceMemoryProperties2)(VkPhysicalDevice,
                                                                        VkPhysicalDeviceMemoryProperties2*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkGetPhysicalDeviceQueueFamilyProperties)(VkPhysicalDevice, uint32_t*,
                                                                            VkQueueFamilyProperties*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkEnumerateDeviceExtensionProperties)(VkPhysicalDevice, const char*,
                                                                            uint32_t*, VkExtensionProperties*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateDevice)(VkPhysicalDevice, const VkDeviceCreateInfo*, const void*,
                                                      VkDevice*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyDevice)(VkDevice, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkAllocateMemory)(VkDevice, const VkMemoryAllocateInfo*, const void*,
                                                        VkDeviceMemory*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkFreeMemory)(VkDevice, VkDeviceMemory, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkMapMemory)(VkDevice, VkDeviceMemory, VkDeviceSize, VkDeviceSize,
                                                   VkMemoryMapFlags, void**);
typedef void(VKMAP_VKAPI_CALL* PFN_vkUnmapMemory)(VkDevice, VkDeviceMemory);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkMapMemory2)(VkDevice, const VkMemoryMapInfo*, void**);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkUnmapMemory2)(VkDevice, const VkMemoryUnmapInfo*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkFlushMappedMemoryRanges)(VkDevice, uint32_t, const VkMappedMemoryRange*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkInvalidateMappedMemoryRanges)(VkDevice, uint32_t,
                                                                      const VkMappedMemoryRange*);

// Queues and synchronization
typedef void(VKMAP_VKAPI_CALL* PFN_vkGetDeviceQueue)(VkDevice, uint32_t, uint32_t, VkQueue*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkQueueSubmit)(VkQueue, uint32_t, const VkSubmitInfo*, VkFence);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkQueueWaitIdle)(VkQueue);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkDeviceWaitIdle)(VkDevice);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateFence)(VkDevice, const VkFenceCreateInfo*, const void*, VkFence*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyFence)(VkDevice, VkFence, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkResetFences)(VkDevice, uint32_t, const VkFence*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkGetFenceStatus)(VkDevice, VkFence);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkWaitForFences)(VkDevice, uint32_t, const VkFence*, VkBool32, uint64_t);

// Buffers
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateBuffer)(VkDevice, const VkBufferCreateInfo*, const void*, VkBuffer*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyBuffer)(VkDevice, VkBuffer, const void*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkGetBufferMemoryRequirements)(VkDevice, VkBuffer, VkMemoryRequirements*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkBindBufferMemory)(VkDevice, VkBuffer, VkDeviceMemory, VkDeviceSize);

// Shaders, descriptors and pipelines
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateShaderModule)(VkDevice, const VkShaderModuleCreateInfo*, const void*,
                                                            VkShaderModule*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyShaderModule)(VkDevice, VkShaderModule, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateDescriptorSetLayout)(VkDevice, const VkDescriptorSetLayoutCreateInfo*,
                                                                   const void*, VkDescriptorSetLayout*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyDescriptorSetLayout)(VkDevice, VkDescriptorSetLayout, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreatePipelineLayout)(VkDevice, const VkPipelineLayoutCreateInfo*, const void*,
                                                              VkPipelineLayout*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyPipelineLayout)(VkDevice, VkPipelineLayout, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateComputePipelines)(VkDevice, VkPipelineCache, uint32_t,
                                                                const VkComputePipelineCreateInfo*, const void*,
                                                                VkPipeline*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyPipeline)(VkDevice, VkPipeline, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateDescriptorPool)(VkDevice, const VkDescriptorPoolCreateInfo*, const void*,
                                                              VkDescriptorPool*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyDescriptorPool)(VkDevice, VkDescriptorPool, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkAllocateDescriptorSets)(VkDevice, const VkDescriptorSetAllocateInfo*,
                                                                VkDescriptorSet*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkFreeDescriptorSets)(VkDevice, VkDescriptorPool, uint32_t,
                                                            const VkDescriptorSet*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkUpdateDescriptorSets)(VkDevice, uint32_t, const VkWriteDescriptorSet*, uint32_t,
                                                          const VkCopyDescriptorSet*);

// Command pools and buffers
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkCreateCommandPool)(VkDevice, const VkCommandPoolCreateInfo*, const void*,
                                                           VkCommandPool*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkDestroyCommandPool)(VkDevice, VkCommandPool, const void*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkResetCommandPool)(VkDevice, VkCommandPool, VkCommandPoolResetFlags);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkAllocateCommandBuffers)(VkDevice, const VkCommandBufferAllocateInfo*,
                                                                VkCommandBuffer*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkFreeCommandBuffers)(VkDevice, VkCommandPool, uint32_t, const VkCommandBuffer*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkBeginCommandBuffer)(VkCommandBuffer, const VkCommandBufferBeginInfo*);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkEndCommandBuffer)(VkCommandBuffer);
typedef VkResult(VKMAP_VKAPI_CALL* PFN_vkResetCommandBuffer)(VkCommandBuffer, VkCommandBufferResetFlags);
typedef void(VKMAP_VKAPI_CALL* PFN_vkCmdBindPipeline)(VkCommandBuffer, VkPipelineBindPoint, VkPipeline);
typedef void(VKMAP_VKAPI_CALL* PFN_vkCmdBindDescriptorSets)(VkCommandBuffer, VkPipelineBindPoint, VkPipelineLayout,
                                                           uint32_t, uint32_t, const VkDescriptorSet*, uint32_t,
                                                           const uint32_t*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkCmdPushConstants)(VkCommandBuffer, VkPipelineLayout, VkShaderStageFlags, uint32_t,
                                                      uint32_t, const void*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkCmdDispatch)(VkCommandBuffer, uint32_t, uint32_t, uint32_t);
typedef void(VKMAP_VKAPI_CALL* PFN_vkCmdPipelineBarrier)(VkCommandBuffer, VkPipelineStageFlags, VkPipelineStageFlags,
                                                        VkDependencyFlags, uint32_t, const VkMemoryBarrier*, uint32_t,
                                                        const VkBufferMemoryBarrier*, uint32_t,
                                                        const VkImageMemoryBarrier*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkCmdCopyBuffer)(VkCommandBuffer, VkBuffer, VkBuffer, uint32_t, const VkBufferCopy*);
typedef void(VKMAP_VKAPI_CALL* PFN_vkCmdFillBuffer)(VkCommandBuffer, VkBuffer, VkDeviceSize, VkDeviceSize, uint32_t);

}  // extern "C"

#endif  // VKMAP_VK_MINIMAL_H
