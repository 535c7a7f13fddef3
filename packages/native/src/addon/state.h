// What the addon keeps per Node environment: instances, their physical devices, devices, memory objects
// and mappings, and the address reservations. JavaScript refers to instances and devices by id and to
// memory by its VkDeviceMemory value; every lookup checks that the object still exists, so a stale or
// forged id is an error, never a dangling pointer.
#ifndef VKMAP_STATE_H
#define VKMAP_STATE_H

#include <napi.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reservation.h"
#include "vk_minimal.h"

namespace vkmap {

struct InstanceFunctions {
  PFN_vkDestroyInstance destroyInstance = nullptr;
  PFN_vkEnumeratePhysicalDevices enumeratePhysicalDevices = nullptr;
  PFN_vkGetPhysicalDeviceProperties getPhysicalDeviceProperties = nullptr;
  PFN_vkGetPhysicalDeviceProperties2 getPhysicalDeviceProperties2 = nullptr;
  PFN_vkGetPhysicalDeviceFeatures2 getPhysicalDeviceFeatures2 = nullptr;
  PFN_vkGetPhysicalDeviceMemoryProperties getPhysicalDeviceMemoryProperties = nullptr;
  PFN_vkGetPhysicalDeviceMemoryProperties2 getPhysicalDeviceMemoryProperties2 = nullptr;
  PFN_vkGetPhysicalDeviceQueueFamilyProperties getPhysicalDeviceQueueFamilyProperties = nullptr;
  PFN_vkEnumerateDeviceExtensionProperties enumerateDeviceExtensionProperties = nullptr;
  PFN_vkCreateDevice createDevice = nullptr;
  PFN_vkGetDeviceProcAddr getDeviceProcAddr = nullptr;
};

struct PhysicalDeviceState {
  VkPhysicalDevice handle = nullptr;
  VkPhysicalDeviceProperties properties{};
  VkDeviceSize maxMemoryAllocationSize = 0;
  bool maxMemoryAllocationSizeKnown = false;
  VkPhysicalDeviceMemoryProperties memory{};
  std::vector<VkQueueFamilyProperties> queueFamilies;
  std::vector<VkExtensionProperties> extensions;
  // Whether the *2 queries can be used: instance and physical device both at Vulkan 1.1 or later.
  bool hasQueries2 = false;
  VkPhysicalDeviceMapMemoryPlacedFeaturesEXT placedFeatures{};
  VkDeviceSize minPlacedMemoryMapAlignment = 0;

  bool HasExtension(const std::string& name) const;
};

struct InstanceState {
  uint32_t id = 0;
  VkInstance handle = nullptr;
  uint32_t apiVersion = 0;
  InstanceFunctions fn;
  std::vector<PhysicalDeviceState> physicalDevices;
};

struct DeviceFunctions {
  PFN_vkDestroyDevice destroyDevice = nullptr;
  PFN_vkAllocateMemory allocateMemory = nullptr;
  PFN_vkFreeMemory freeMemory = nullptr;
  PFN_vkMapMemory mapMemory = nullptr;
  PFN_vkUnmapMemory unmapMemory = nullptr;
  PFN_vkFlushMappedMemoryRanges flushMappedMemoryRanges = nullptr;
  PFN_vkInvalidateMappedMemoryRanges invalidateMappedMemoryRanges = nullptr;
  PFN_vkMapMemory2 mapMemory2 = nullptr;         // core (Vulkan 1.4), may be null
  PFN_vkMapMemory2 mapMemory2KHR = nullptr;      // VK_KHR_map_memory2, may be null
  PFN_vkUnmapMemory2 unmapMemory2 = nullptr;     // core (Vulkan 1.4), may be null
  PFN_vkUnmapMemory2 unmapMemory2KHR = nullptr;  // VK_KHR_map_memory2, may be null
};

struct Mapping {
  bool active = false;
  VkDeviceSize offset = 0;
  VkDeviceSize size = 0;  // VK_WHOLE_SIZE resolved
  uint8_t* pointer = nullptr;
  bool placed = false;
  uint32_t reservationId = 0;  // the range a placed mapping lives in (0: none)
  uint64_t placedLength = 0;   // bytes of that range it occupies (page multiple)
  Napi::Reference<Napi::ArrayBuffer> view;  // weak: the ArrayBuffer handed to JavaScript
};

struct MemoryRecord {
  VkDeviceMemory handle = VKMAP_VK_NULL_HANDLE;
  VkDeviceSize size = 0;
  uint32_t memoryTypeIndex = 0;
  VkMemoryPropertyFlags propertyFlags = 0;
  Mapping mapping;
};

struct DeviceState {
  uint32_t id = 0;
  uint32_t instanceId = 0;
  uint32_t physicalDeviceIndex = 0;
  VkDevice handle = nullptr;
  uint32_t apiVersion = 0;
  DeviceFunctions fn;
  std::map<uint64_t, MemoryRecord> memories;  // keyed by the VkDeviceMemory value
  const PhysicalDeviceState* physical = nullptr;
  VkPhysicalDeviceMapMemoryPlacedFeaturesEXT placedEnabled{};  // the features enabled at creation
};

struct AddonState {
  std::map<uint32_t, std::unique_ptr<InstanceState>> instances;
  std::map<uint32_t, std::unique_ptr<DeviceState>> devices;
  Reservations reservations;
  Napi::ObjectReference viewKey;  // the detach key of mapped views (view-guard.h)
  uint32_t nextId = 1;

  ~AddonState();  // environment teardown: frees what JavaScript left behind
};

AddonState& State(Napi::Env env);
InstanceState& FindInstance(Napi::Env env, uint32_t id);
DeviceState& FindDevice(Napi::Env env, uint32_t id);
MemoryRecord& FindMemory(Napi::Env env, DeviceState& device, uint64_t handle);

uint64_t HandleValue(VkDeviceMemory memory);
VkDeviceMemory MemoryFromValue(uint64_t value);

// Detaches the ArrayBuffer handed out for a live mapping, before the driver unmaps it, so that no view
// outlives the mapping. Throws a state error, changing nothing else, when the view cannot be detached.
void DetachViewOrThrow(Napi::Env env, MemoryRecord& memory);

// Ends a live mapping after the driver unmapped it (its view already detached) and updates the
// reservation it was placed in (`reserved`: the driver left the pages reserved; otherwise a hole).
void EndMapping(AddonState& state, MemoryRecord& memory, bool reserved);

// DetachViewOrThrow for every mapped memory object of the device.
void DetachDeviceViewsOrThrow(Napi::Env env, DeviceState& device);

// Frees every memory object of the device (unmapping first) and destroys it.
void DestroyDeviceState(AddonState& state, DeviceState& device, bool teardown);

}  // namespace vkmap

#endif  // VKMAP_STATE_H
