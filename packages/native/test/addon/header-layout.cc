// Checks src/addon/vk_minimal.h against the Khronos header (vulkan_core.h, package libvulkan-dev):
// every structure has the same size and the members the addon reads sit at the same offsets.
// Compiled by test/header-layout.test.ts on every test run; by hand:
//   g++ -std=c++17 -fsyntax-only -I../../src/addon header-layout.cc
#include <cstddef>
#include <cstdint>
#include <vulkan/vulkan_core.h>

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
