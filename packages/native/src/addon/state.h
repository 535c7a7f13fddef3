// What the addon keeps per Node environment: instances, their physical devices, devices, memory objects
// and mappings, the address reservations, and each device's objects of the compute chapters. JavaScript
// refers to instances and devices by id and to every Vulkan object by its handle's value (a bigint; for the
// dispatchable VkQueue and VkCommandBuffer, the pointer's value); every lookup checks that the object still
// exists, so a stale or forged value is an error, never a dangling pointer.
//
// Each record carries a serial, unique within its device, so that what a command buffer recorded can be
// told apart from a later object that the driver gave the same handle value (commands.h).
#ifndef VKMAP_STATE_H
#define VKMAP_STATE_H

#include <napi.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "reservation.h"
#include "view-guard.h"
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

  // The compute chapters (Vulkan 1.0): all present, or the device is refused at creation.
  PFN_vkGetDeviceQueue getDeviceQueue = nullptr;
  PFN_vkQueueSubmit queueSubmit = nullptr;
  PFN_vkQueueWaitIdle queueWaitIdle = nullptr;
  PFN_vkDeviceWaitIdle deviceWaitIdle = nullptr;
  PFN_vkCreateFence createFence = nullptr;
  PFN_vkDestroyFence destroyFence = nullptr;
  PFN_vkResetFences resetFences = nullptr;
  PFN_vkGetFenceStatus getFenceStatus = nullptr;
  PFN_vkWaitForFences waitForFences = nullptr;
  PFN_vkCreateBuffer createBuffer = nullptr;
  PFN_vkDestroyBuffer destroyBuffer = nullptr;
  PFN_vkGetBufferMemoryRequirements getBufferMemoryRequirements = nullptr;
  PFN_vkBindBufferMemory bindBufferMemory = nullptr;
  PFN_vkCreateShaderModule createShaderModule = nullptr;
  PFN_vkDestroyShaderModule destroyShaderModule = nullptr;
  PFN_vkCreateDescriptorSetLayout createDescriptorSetLayout = nullptr;
  PFN_vkDestroyDescriptorSetLayout destroyDescriptorSetLayout = nullptr;
  PFN_vkCreatePipelineLayout createPipelineLayout = nullptr;
  PFN_vkDestroyPipelineLayout destroyPipelineLayout = nullptr;
  PFN_vkCreateComputePipelines createComputePipelines = nullptr;
  PFN_vkDestroyPipeline destroyPipeline = nullptr;
  PFN_vkCreateDescriptorPool createDescriptorPool = nullptr;
  PFN_vkDestroyDescriptorPool destroyDescriptorPool = nullptr;
  PFN_vkAllocateDescriptorSets allocateDescriptorSets = nullptr;
  PFN_vkFreeDescriptorSets freeDescriptorSets = nullptr;
  PFN_vkUpdateDescriptorSets updateDescriptorSets = nullptr;
  PFN_vkCreateCommandPool createCommandPool = nullptr;
  PFN_vkDestroyCommandPool destroyCommandPool = nullptr;
  PFN_vkResetCommandPool resetCommandPool = nullptr;
  PFN_vkAllocateCommandBuffers allocateCommandBuffers = nullptr;
  PFN_vkFreeCommandBuffers freeCommandBuffers = nullptr;
  PFN_vkBeginCommandBuffer beginCommandBuffer = nullptr;
  PFN_vkEndCommandBuffer endCommandBuffer = nullptr;
  PFN_vkResetCommandBuffer resetCommandBuffer = nullptr;
  PFN_vkCmdBindPipeline cmdBindPipeline = nullptr;
  PFN_vkCmdBindDescriptorSets cmdBindDescriptorSets = nullptr;
  PFN_vkCmdPushConstants cmdPushConstants = nullptr;
  PFN_vkCmdDispatch cmdDispatch = nullptr;
  PFN_vkCmdPipelineBarrier cmdPipelineBarrier = nullptr;
  PFN_vkCmdCopyBuffer cmdCopyBuffer = nullptr;
  PFN_vkCmdFillBuffer cmdFillBuffer = nullptr;
};

struct Mapping {
  bool active = false;
  VkDeviceSize offset = 0;
  VkDeviceSize size = 0;  // VK_WHOLE_SIZE resolved
  uint8_t* pointer = nullptr;
  bool placed = false;
  uint32_t reservationId = 0;  // the range a placed mapping lives in (0: none)
  uint64_t placedLength = 0;   // bytes of that range it occupies (page multiple)
  bool detach = false;         // its view is detached when it ends (detach mode, or no window under it)
  Napi::Reference<Napi::ArrayBuffer> view;  // weak: the ArrayBuffer to detach when the mapping ends, if any
};

// How the views of a memory object reach its bytes (mapping.h).
enum class ViewStrategy : uint8_t {
  kDriver = 0,  // the driver's pointer itself: views are detached when the mapping ends
  kAlias = 1,   // a second mapping of the driver's shared pages (ViewWindow::Alias)
  kPlaced = 2,  // a window the addon reserved, the driver's map placed into it (VK_EXT_map_memory_placed)
};

// The window under a memory object's views. In stable mode it outlives unmaps, so that a map of the same
// range hands out the same ArrayBuffer again; it is scratched and dropped when the memory is freed.
struct MemoryViews {
  ViewWindow* window = nullptr;  // the record's hold on the current window
  ViewStrategy strategy = ViewStrategy::kDriver;
  uintptr_t driverPointer = 0;   // kAlias: the driver pointer (of the mapping's first byte) it aliases
  uint64_t offset = 0;           // the range of the current ArrayBuffer
  uint64_t size = 0;
  uint32_t serial = 0;  // of the current ArrayBuffer, which JavaScript caches (0: none)
  Napi::Reference<Napi::ArrayBuffer> buffer;  // weak: the current ArrayBuffer over the window
  // kPlaced: the driver's map of the whole allocation lies in the window now. In 'stable' mode it stays there
  // across the application's unmaps, as an alias stays over lavapipe's pages, until the memory is freed.
  bool placedMapped = false;
};

struct MemoryRecord {
  VkDeviceMemory handle = VKMAP_VK_NULL_HANDLE;
  uint64_t serial = 0;
  VkDeviceSize size = 0;
  uint32_t memoryTypeIndex = 0;
  VkMemoryPropertyFlags propertyFlags = 0;
  Mapping mapping;
  MemoryViews views;
};

// An object as something else refers to it: its handle value and the serial of the record it had then.
struct ObjectRef {
  uint64_t value = 0;
  uint64_t serial = 0;
};

// A record with nothing but the handle: shader modules, layouts, pipelines, fences.
template <typename Handle>
struct PlainRecord {
  Handle handle{};
  uint64_t serial = 0;
};

struct QueueRecord {
  VkQueue handle = nullptr;
  uint32_t familyIndex = 0;
  uint32_t queueIndex = 0;
};

struct BufferRecord {
  VkBuffer handle{};
  uint64_t serial = 0;
  ObjectRef memory;  // value 0 until bound
};

struct DescriptorPoolRecord {
  VkDescriptorPool handle{};
  uint64_t serial = 0;
  std::set<uint64_t> sets;  // its live sets, by value
};

struct DescriptorSetRecord {
  VkDescriptorSet handle{};
  uint64_t serial = 0;
  uint64_t pool = 0;
  std::map<uint64_t, ObjectRef> buffers;  // the buffer written at (binding << 32 | array element)
};

struct CommandPoolRecord {
  VkCommandPool handle{};
  uint64_t serial = 0;
  uint32_t familyIndex = 0;
  std::set<uint64_t> commandBuffers;  // its live command buffers, by value
};

struct CommandBufferRecord {
  VkCommandBuffer handle = nullptr;
  uint64_t serial = 0;
  uint64_t pool = 0;
  bool executable = false;  // recorded, and not a one-time submission already submitted
  bool oneTimeSubmit = false;
  // What the recorded commands use, checked before each submission (commands.h).
  std::vector<ObjectRef> buffers;
  std::vector<ObjectRef> pipelines;
  std::vector<ObjectRef> descriptorSets;
};

class FenceWaits;  // fence-wait.h

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

  uint64_t nextSerial = 1;
  std::map<uint64_t, QueueRecord> queues;  // every queue created with the device, by VkQueue value
  std::map<uint64_t, BufferRecord> buffers;
  std::map<uint64_t, PlainRecord<VkShaderModule>> shaderModules;
  std::map<uint64_t, PlainRecord<VkDescriptorSetLayout>> setLayouts;
  std::map<uint64_t, PlainRecord<VkPipelineLayout>> pipelineLayouts;
  std::map<uint64_t, PlainRecord<VkPipeline>> pipelines;
  std::map<uint64_t, DescriptorPoolRecord> descriptorPools;
  std::map<uint64_t, DescriptorSetRecord> descriptorSets;
  std::map<uint64_t, CommandPoolRecord> commandPools;
  std::map<uint64_t, CommandBufferRecord> commandBuffers;
  std::map<uint64_t, PlainRecord<VkFence>> fences;
  std::shared_ptr<FenceWaits> waits;  // the waitForFencesAsync calls in flight (fence-wait.h)

  uint64_t NextSerial() { return nextSerial++; }
};

struct AddonState {
  std::map<uint32_t, std::unique_ptr<InstanceState>> instances;
  std::map<uint32_t, std::unique_ptr<DeviceState>> devices;
  Reservations reservations;
  Napi::ObjectReference viewKey;  // the detach key of mapped views (view-guard.h)
  uint32_t nextId = 1;
  CollectedHolds collectedHolds;  // detach mode: windows held until their views are collected (view-guard.h)

  ~AddonState();  // environment teardown: waits for each device to go idle, then frees what JavaScript left
};

AddonState& State(Napi::Env env);
InstanceState& FindInstance(Napi::Env env, uint32_t id);
DeviceState& FindDevice(Napi::Env env, uint32_t id);
MemoryRecord& FindMemory(Napi::Env env, DeviceState& device, uint64_t handle);

uint64_t HandleValue(VkDeviceMemory memory);
VkDeviceMemory MemoryFromValue(uint64_t value);

// A handle's value for JavaScript, and back: the bits of a non-dispatchable handle, the address of a
// dispatchable one. A value from JavaScript is only ever turned back into a handle through a record.
template <typename Handle>
uint64_t ValueOf(Handle handle) {
  static_assert(sizeof(Handle) <= sizeof(uint64_t), "handles fit in 64 bits");
  uint64_t value = 0;
  std::memcpy(&value, &handle, sizeof handle);
  return value;
}

// The record of `value` in `records`, or a state error naming the type ("VkBuffer 0x... is not a live
// VkBuffer of this device").
template <typename Map>
typename Map::mapped_type& FindRecord(Napi::Env env, Map& records, uint64_t value, const char* type);
[[noreturn]] void ThrowNotLive(Napi::Env env, const char* type, uint64_t value);

template <typename Map>
typename Map::mapped_type& FindRecord(Napi::Env env, Map& records, uint64_t value, const char* type) {
  auto found = records.find(value);
  if (found == records.end()) ThrowNotLive(env, type, value);
  return found->second;
}

// Detaches the ArrayBuffer handed out for a live mapping, before the driver unmaps it, so that no view
// outlives the mapping. A view that cannot be detached (the application's own detach key) over an alias
// window is made harmless by scratching the window instead; over the driver's pointer the call throws a
// state error, changing nothing else.
void DetachViewOrThrow(Napi::Env env, DeviceState& device, MemoryRecord& memory);

// Ends a live mapping after the driver unmapped it (its view already detached) and updates the
// reservation it was placed in (`reserved`: the driver left the pages reserved; otherwise a hole).
void EndMapping(AddonState& state, MemoryRecord& memory, bool reserved);

// DetachViewOrThrow for every mapped memory object of the device.
void DetachDeviceViewsOrThrow(Napi::Env env, DeviceState& device);

// Waits for the device to go idle, ends the waitForFencesAsync calls on it, destroys every object it still
// has (command pools, descriptor pools, pipelines, layouts, shader modules, fences, buffers), frees every
// memory object (unmapping first) and destroys it.
void DestroyDeviceState(AddonState& state, DeviceState& device, bool teardown);

// The process's live devices, waited idle by an atexit handler: process.exit() skips the environment's
// teardown, and a driver must not be unloaded under work it is still running.
void RegisterLiveDevice(VkDevice device, PFN_vkDeviceWaitIdle waitIdle);
void UnregisterLiveDevice(VkDevice device);

}  // namespace vkmap

#endif  // VKMAP_STATE_H
