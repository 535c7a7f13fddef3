/*
 * The few Vulkan declarations the C baseline uses, written from the Vulkan specification so the baseline builds
 * without the Vulkan SDK and against Debian 12's loader (1.3.239), whose headers predate Vulkan 1.4's
 * vkMapMemory2 / VkMemoryMapInfo. Only what baseline.c calls is declared; structures whose tail the baseline
 * never reads (VkPhysicalDeviceProperties) are declared up to the last member it reads and padded.
 */
#ifndef VKMAP_BENCH_VK_H
#define VKMAP_BENCH_VK_H

#include <stddef.h>
#include <stdint.h>

#define VKB_CALL /* the System V ABI: no calling convention annotation on Linux */

typedef int32_t VkResult;
typedef uint32_t VkFlags;
typedef uint32_t VkBool32;
typedef uint64_t VkDeviceSize;
typedef struct VkInstance_T *VkInstance;
typedef struct VkPhysicalDevice_T *VkPhysicalDevice;
typedef struct VkDevice_T *VkDevice;
typedef uint64_t VkDeviceMemory; /* non-dispatchable: 64 bits on every platform */

#define VK_SUCCESS 0
#define VK_WHOLE_SIZE (~0ULL)
#define VK_MAX_MEMORY_TYPES 32
#define VK_MAX_MEMORY_HEAPS 16
#define VK_MAKE_API_VERSION(variant, major, minor, patch) \
  ((((uint32_t)(variant)) << 29) | (((uint32_t)(major)) << 22) | (((uint32_t)(minor)) << 12) | ((uint32_t)(patch)))

/* VkStructureType values used here. */
#define VK_STRUCTURE_TYPE_APPLICATION_INFO 0
#define VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO 1
#define VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO 2
#define VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO 3
#define VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO 5
#define VK_STRUCTURE_TYPE_MEMORY_MAP_INFO 1000271000
#define VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO 1000271001

#define VK_QUEUE_COMPUTE_BIT 0x2
#define VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT 0x2

typedef struct VkApplicationInfo {
  int32_t sType;
  const void *pNext;
  const char *pApplicationName;
  uint32_t applicationVersion;
  const char *pEngineName;
  uint32_t engineVersion;
  uint32_t apiVersion;
} VkApplicationInfo;

typedef struct VkInstanceCreateInfo {
  int32_t sType;
  const void *pNext;
  VkFlags flags;
  const VkApplicationInfo *pApplicationInfo;
  uint32_t enabledLayerCount;
  const char *const *ppEnabledLayerNames;
  uint32_t enabledExtensionCount;
  const char *const *ppEnabledExtensionNames;
} VkInstanceCreateInfo;

/* VkPhysicalDeviceProperties up to deviceName; the rest (pipelineCacheUUID, limits, sparse properties) is padding
   generous enough for the real structure (824 bytes on 64-bit Linux). */
typedef struct VkPhysicalDeviceProperties {
  uint32_t apiVersion;
  uint32_t driverVersion;
  uint32_t vendorID;
  uint32_t deviceID;
  int32_t deviceType;
  char deviceName[256];
  uint64_t rest[256];
} VkPhysicalDeviceProperties;

typedef struct VkMemoryType {
  VkFlags propertyFlags;
  uint32_t heapIndex;
} VkMemoryType;

typedef struct VkMemoryHeap {
  VkDeviceSize size;
  VkFlags flags;
} VkMemoryHeap;

typedef struct VkPhysicalDeviceMemoryProperties {
  uint32_t memoryTypeCount;
  VkMemoryType memoryTypes[VK_MAX_MEMORY_TYPES];
  uint32_t memoryHeapCount;
  VkMemoryHeap memoryHeaps[VK_MAX_MEMORY_HEAPS];
} VkPhysicalDeviceMemoryProperties;

typedef struct VkQueueFamilyProperties {
  VkFlags queueFlags;
  uint32_t queueCount;
  uint32_t timestampValidBits;
  uint32_t minImageTransferGranularity[3];
} VkQueueFamilyProperties;

typedef struct VkDeviceQueueCreateInfo {
  int32_t sType;
  const void *pNext;
  VkFlags flags;
  uint32_t queueFamilyIndex;
  uint32_t queueCount;
  const float *pQueuePriorities;
} VkDeviceQueueCreateInfo;

typedef struct VkDeviceCreateInfo {
  int32_t sType;
  const void *pNext;
  VkFlags flags;
  uint32_t queueCreateInfoCount;
  const VkDeviceQueueCreateInfo *pQueueCreateInfos;
  uint32_t enabledLayerCount;
  const char *const *ppEnabledLayerNames;
  uint32_t enabledExtensionCount;
  const char *const *ppEnabledExtensionNames;
  const void *pEnabledFeatures;
} VkDeviceCreateInfo;

typedef struct VkMemoryAllocateInfo {
  int32_t sType;
  const void *pNext;
  VkDeviceSize allocationSize;
  uint32_t memoryTypeIndex;
} VkMemoryAllocateInfo;

/* Vulkan 1.4 (VK_KHR_map_memory2): absent from the 1.3.239 headers. */
typedef struct VkMemoryMapInfo {
  int32_t sType;
  const void *pNext;
  VkFlags flags;
  VkDeviceMemory memory;
  VkDeviceSize offset;
  VkDeviceSize size;
} VkMemoryMapInfo;

typedef struct VkMemoryUnmapInfo {
  int32_t sType;
  const void *pNext;
  VkFlags flags;
  VkDeviceMemory memory;
} VkMemoryUnmapInfo;

typedef void(VKB_CALL *PFN_vkVoidFunction)(void);
typedef PFN_vkVoidFunction(VKB_CALL *PFN_vkGetInstanceProcAddr)(VkInstance, const char *);
typedef PFN_vkVoidFunction(VKB_CALL *PFN_vkGetDeviceProcAddr)(VkDevice, const char *);
typedef VkResult(VKB_CALL *PFN_vkCreateInstance)(const VkInstanceCreateInfo *, const void *, VkInstance *);
typedef void(VKB_CALL *PFN_vkDestroyInstance)(VkInstance, const void *);
typedef VkResult(VKB_CALL *PFN_vkEnumerateInstanceVersion)(uint32_t *);
typedef VkResult(VKB_CALL *PFN_vkEnumeratePhysicalDevices)(VkInstance, uint32_t *, VkPhysicalDevice *);
typedef void(VKB_CALL *PFN_vkGetPhysicalDeviceProperties)(VkPhysicalDevice, VkPhysicalDeviceProperties *);
typedef void(VKB_CALL *PFN_vkGetPhysicalDeviceMemoryProperties)(VkPhysicalDevice, VkPhysicalDeviceMemoryProperties *);
typedef void(VKB_CALL *PFN_vkGetPhysicalDeviceQueueFamilyProperties)(VkPhysicalDevice, uint32_t *,
                                                                       VkQueueFamilyProperties *);
typedef VkResult(VKB_CALL *PFN_vkCreateDevice)(VkPhysicalDevice, const VkDeviceCreateInfo *, const void *, VkDevice *);
typedef void(VKB_CALL *PFN_vkDestroyDevice)(VkDevice, const void *);
typedef VkResult(VKB_CALL *PFN_vkAllocateMemory)(VkDevice, const VkMemoryAllocateInfo *, const void *,
                                                 VkDeviceMemory *);
typedef void(VKB_CALL *PFN_vkFreeMemory)(VkDevice, VkDeviceMemory, const void *);
typedef VkResult(VKB_CALL *PFN_vkMapMemory)(VkDevice, VkDeviceMemory, VkDeviceSize, VkDeviceSize, VkFlags, void **);
typedef void(VKB_CALL *PFN_vkUnmapMemory)(VkDevice, VkDeviceMemory);
typedef VkResult(VKB_CALL *PFN_vkMapMemory2)(VkDevice, const VkMemoryMapInfo *, void **);
typedef VkResult(VKB_CALL *PFN_vkUnmapMemory2)(VkDevice, const VkMemoryUnmapInfo *);

#endif
