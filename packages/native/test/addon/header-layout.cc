// Checks src/addon/vk_minimal.h against the Khronos header (vulkan_core.h, package libvulkan-dev):
// every structure has the same size and the members the addon reads sit at the same offsets (every member
// of the compute chapters' structures), and the enum values it declares are the registry's.
// Compiled by test/header-layout.test.ts on every test run; by hand:
//   g++ -std=c++17 -fsyntax-only -I../../src/addon header-layout.cc
#include <cstddef>
#include <cstdint>
#include <vulkan/vulkan_core.h>

#undef VK_QUEUE_FAMILY_IGNORED

// vulkan_core.h defines these as macros; vk_minimal.h declares them as constants.
#undef VK_MAX_PHYSICAL_DEVICE_NAME_SIZE
#undef VK_UUID_SIZE
#undef VK_MAX_EXTENSION_NAME_SIZE
#undef VK_MAX_MEMORY_TYPES
#undef VK_MAX_MEMORY_HEAPS
#undef VK_WHOLE_SIZE

namespace mine {
#include "vk_minimal.h"
}

#define SAME_SIZE(T) static_assert(sizeof(mine::T) == sizeof(::T), #T " size differs")
#define SAME_OFFSET(T, m) static_assert(offsetof(mine::T, m) == offsetof(::T, m), #T "::" #m " offset differs")
#define SAME_VALUE(name) static_assert(int64_t(mine::name) == int64_t(::name), #name " differs")
// SAME_OFFSET for each member named: SAME_MEMBERS(T, a, b, c).
#define VKMAP_EACH_1(T, m) SAME_OFFSET(T, m)
#define VKMAP_EACH_2(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_1(T, __VA_ARGS__)
#define VKMAP_EACH_3(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_2(T, __VA_ARGS__)
#define VKMAP_EACH_4(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_3(T, __VA_ARGS__)
#define VKMAP_EACH_5(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_4(T, __VA_ARGS__)
#define VKMAP_EACH_6(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_5(T, __VA_ARGS__)
#define VKMAP_EACH_7(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_6(T, __VA_ARGS__)
#define VKMAP_EACH_8(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_7(T, __VA_ARGS__)
#define VKMAP_EACH_9(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_8(T, __VA_ARGS__)
#define VKMAP_EACH_10(T, m, ...) SAME_OFFSET(T, m); VKMAP_EACH_9(T, __VA_ARGS__)
#define VKMAP_PICK(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, name, ...) name
#define SAME_MEMBERS(T, ...)                                                                                          \
  VKMAP_PICK(__VA_ARGS__, VKMAP_EACH_10, VKMAP_EACH_9, VKMAP_EACH_8, VKMAP_EACH_7, VKMAP_EACH_6, VKMAP_EACH_5,       \
             VKMAP_EACH_4, VKMAP_EACH_3, VKMAP_EACH_2, VKMAP_EACH_1)(T, __VA_ARGS__)

SAME_SIZE(VkApplicationInfo);
SAME_SIZE(VkInstanceCreateInfo);
SAME_SIZE(VkDeviceQueueCreateInfo);
SAME_SIZE(VkPhysicalDeviceFeatures);
SAME_SIZE(VkDeviceCreateInfo);
SAME_SIZE(VkPhysicalDeviceFeatures2);
SAME_SIZE(VkExtensionProperties);
SAME_SIZE(VkQueueFamilyProperties);
SAME_SIZE(VkPhysicalDeviceLimits);
SAME_SIZE(VkPhysicalDeviceSparseProperties);
SAME_SIZE(VkPhysicalDeviceProperties);
SAME_SIZE(VkPhysicalDeviceProperties2);
SAME_SIZE(VkPhysicalDeviceMaintenance3Properties);
SAME_SIZE(VkMemoryType);
SAME_SIZE(VkMemoryHeap);
SAME_SIZE(VkPhysicalDeviceMemoryProperties);
SAME_SIZE(VkPhysicalDeviceMemoryProperties2);
SAME_SIZE(VkPhysicalDeviceMemoryBudgetPropertiesEXT);
SAME_SIZE(VkMemoryAllocateInfo);
SAME_SIZE(VkMemoryAllocateFlagsInfo);
SAME_SIZE(VkMappedMemoryRange);
SAME_OFFSET(VkPhysicalDeviceLimits, maxMemoryAllocationCount);
SAME_OFFSET(VkPhysicalDeviceLimits, bufferImageGranularity);
SAME_OFFSET(VkPhysicalDeviceLimits, minMemoryMapAlignment);
SAME_OFFSET(VkPhysicalDeviceLimits, nonCoherentAtomSize);
SAME_OFFSET(VkPhysicalDeviceProperties, deviceName);
SAME_OFFSET(VkPhysicalDeviceProperties, limits);
SAME_OFFSET(VkPhysicalDeviceMaintenance3Properties, maxMemoryAllocationSize);
SAME_OFFSET(VkPhysicalDeviceMemoryProperties, memoryHeapCount);
SAME_OFFSET(VkPhysicalDeviceMemoryProperties, memoryHeaps);
SAME_OFFSET(VkMappedMemoryRange, offset);
#if defined(VK_KHR_map_memory2)
SAME_SIZE(VkMemoryMapInfoKHR);
SAME_SIZE(VkMemoryUnmapInfoKHR);
SAME_OFFSET(VkMemoryMapInfoKHR, size);
#endif
#if defined(VK_EXT_map_memory_placed)
SAME_SIZE(VkPhysicalDeviceMapMemoryPlacedFeaturesEXT);
SAME_SIZE(VkPhysicalDeviceMapMemoryPlacedPropertiesEXT);
SAME_SIZE(VkMemoryMapPlacedInfoEXT);
#endif
static_assert(int(mine::VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES) ==
              int(::VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES), "sType differs");
static_assert(int(mine::VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT) ==
              int(::VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT), "sType differs");

// The compute chapters: every structure, every member.
SAME_SIZE(VkBufferCreateInfo);
SAME_MEMBERS(VkBufferCreateInfo, sType, pNext, flags, size, usage, sharingMode, queueFamilyIndexCount, pQueueFamilyIndices);
SAME_SIZE(VkMemoryRequirements);
SAME_MEMBERS(VkMemoryRequirements, size, alignment, memoryTypeBits);
SAME_SIZE(VkShaderModuleCreateInfo);
SAME_MEMBERS(VkShaderModuleCreateInfo, sType, pNext, flags, codeSize, pCode);
SAME_SIZE(VkDescriptorSetLayoutBinding);
SAME_MEMBERS(VkDescriptorSetLayoutBinding, binding, descriptorType, descriptorCount, stageFlags, pImmutableSamplers);
SAME_SIZE(VkDescriptorSetLayoutCreateInfo);
SAME_MEMBERS(VkDescriptorSetLayoutCreateInfo, sType, pNext, flags, bindingCount, pBindings);
SAME_SIZE(VkPushConstantRange);
SAME_MEMBERS(VkPushConstantRange, stageFlags, offset, size);
SAME_SIZE(VkPipelineLayoutCreateInfo);
SAME_MEMBERS(VkPipelineLayoutCreateInfo, sType, pNext, flags, setLayoutCount, pSetLayouts, pushConstantRangeCount, pPushConstantRanges);
SAME_SIZE(VkSpecializationMapEntry);
SAME_MEMBERS(VkSpecializationMapEntry, constantID, offset, size);
SAME_SIZE(VkSpecializationInfo);
SAME_MEMBERS(VkSpecializationInfo, mapEntryCount, pMapEntries, dataSize, pData);
SAME_SIZE(VkPipelineShaderStageCreateInfo);
SAME_MEMBERS(VkPipelineShaderStageCreateInfo, sType, pNext, flags, stage, module, pName, pSpecializationInfo);
SAME_SIZE(VkComputePipelineCreateInfo);
SAME_MEMBERS(VkComputePipelineCreateInfo, sType, pNext, flags, stage, layout, basePipelineHandle, basePipelineIndex);
SAME_SIZE(VkDescriptorPoolSize);
SAME_MEMBERS(VkDescriptorPoolSize, type, descriptorCount);
SAME_SIZE(VkDescriptorPoolCreateInfo);
SAME_MEMBERS(VkDescriptorPoolCreateInfo, sType, pNext, flags, maxSets, poolSizeCount, pPoolSizes);
SAME_SIZE(VkDescriptorSetAllocateInfo);
SAME_MEMBERS(VkDescriptorSetAllocateInfo, sType, pNext, descriptorPool, descriptorSetCount, pSetLayouts);
SAME_SIZE(VkDescriptorBufferInfo);
SAME_MEMBERS(VkDescriptorBufferInfo, buffer, offset, range);
SAME_SIZE(VkWriteDescriptorSet);
SAME_MEMBERS(VkWriteDescriptorSet, sType, pNext, dstSet, dstBinding, dstArrayElement, descriptorCount, descriptorType, pImageInfo, pBufferInfo, pTexelBufferView);
SAME_SIZE(VkCommandPoolCreateInfo);
SAME_MEMBERS(VkCommandPoolCreateInfo, sType, pNext, flags, queueFamilyIndex);
SAME_SIZE(VkCommandBufferAllocateInfo);
SAME_MEMBERS(VkCommandBufferAllocateInfo, sType, pNext, commandPool, level, commandBufferCount);
SAME_SIZE(VkCommandBufferBeginInfo);
SAME_MEMBERS(VkCommandBufferBeginInfo, sType, pNext, flags, pInheritanceInfo);
SAME_SIZE(VkMemoryBarrier);
SAME_MEMBERS(VkMemoryBarrier, sType, pNext, srcAccessMask, dstAccessMask);
SAME_SIZE(VkBufferMemoryBarrier);
SAME_MEMBERS(VkBufferMemoryBarrier, sType, pNext, srcAccessMask, dstAccessMask, srcQueueFamilyIndex, dstQueueFamilyIndex, buffer, offset, size);
SAME_SIZE(VkBufferCopy);
SAME_MEMBERS(VkBufferCopy, srcOffset, dstOffset, size);
SAME_SIZE(VkSubmitInfo);
SAME_MEMBERS(VkSubmitInfo, sType, pNext, waitSemaphoreCount, pWaitSemaphores, pWaitDstStageMask, commandBufferCount, pCommandBuffers, signalSemaphoreCount, pSignalSemaphores);
SAME_SIZE(VkFenceCreateInfo);
SAME_MEMBERS(VkFenceCreateInfo, sType, pNext, flags);
SAME_VALUE(VK_STRUCTURE_TYPE_SUBMIT_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET);
SAME_VALUE(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
SAME_VALUE(VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER);
SAME_VALUE(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
SAME_VALUE(VK_NOT_READY);
SAME_VALUE(VK_TIMEOUT);
SAME_VALUE(VK_ERROR_DEVICE_LOST);
SAME_VALUE(VK_SHARING_MODE_EXCLUSIVE);
SAME_VALUE(VK_COMMAND_BUFFER_LEVEL_PRIMARY);
SAME_VALUE(VK_PIPELINE_BIND_POINT_COMPUTE);
SAME_VALUE(VK_SHADER_STAGE_COMPUTE_BIT);
SAME_VALUE(VK_FENCE_CREATE_SIGNALED_BIT);
SAME_VALUE(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT);
static_assert(mine::VK_QUEUE_FAMILY_IGNORED == (~0U), "VK_QUEUE_FAMILY_IGNORED differs");
