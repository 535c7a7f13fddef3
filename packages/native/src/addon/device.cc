#include "device.h"

#include <string>
#include <type_traits>
#include <vector>

#include "args.h"
#include "errors.h"
#include "fence-wait.h"
#include "state.h"

namespace vkmap {
namespace {

template <typename T>
T DeviceProc(const InstanceState& instance, VkDevice device, const char* name) {
  return reinterpret_cast<T>(instance.fn.getDeviceProcAddr(device, name));
}

struct QueueRequest {
  uint32_t familyIndex = 0;
  std::vector<float> priorities;
};

// queues: [{ queueFamilyIndex, priorities: number[] }]: distinct families, 1 <= count <= queueCount (the front
// checked it; the indices are checked again because the driver indexes its own arrays with them).
std::vector<QueueRequest> ReadQueues(Napi::Env env, Napi::Value value, const PhysicalDeviceState& physical) {
  std::vector<QueueRequest> queues;
  if (value.IsUndefined()) return queues;
  if (!value.IsArray()) ThrowArgument(env, "queues", "must be an array");
  Napi::Array list = value.As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) {
    const std::string name = "queues[" + std::to_string(i) + "]";
    Napi::Value item = list.Get(i);
    if (!item.IsObject()) ThrowArgument(env, name, "must be an object");
    Napi::Object object = item.As<Napi::Object>();
    QueueRequest queue;
    queue.familyIndex = ValueUint32(env, object.Get("queueFamilyIndex"), name + ".queueFamilyIndex");
    if (queue.familyIndex >= physical.queueFamilies.size()) {
      ThrowArgument(env, name + ".queueFamilyIndex", "no such queue family");
    }
    for (const QueueRequest& earlier : queues) {
      if (earlier.familyIndex == queue.familyIndex) ThrowArgument(env, name, "the family is listed twice");
    }
    Napi::Value priorities = object.Get("priorities");
    if (!priorities.IsArray()) ThrowArgument(env, name + ".priorities", "must be an array of numbers");
    Napi::Array array = priorities.As<Napi::Array>();
    for (uint32_t j = 0; j < array.Length(); ++j) {
      Napi::Value priority = array.Get(j);
      if (!priority.IsNumber()) ThrowArgument(env, name + ".priorities", "must be an array of numbers");
      queue.priorities.push_back(priority.As<Napi::Number>().FloatValue());
    }
    const uint32_t available = physical.queueFamilies[queue.familyIndex].queueCount;
    if (queue.priorities.empty() || queue.priorities.size() > available) {
      ThrowArgument(env, name + ".priorities", "needs 1 to " + std::to_string(available) + " queues");
    }
    queues.push_back(std::move(queue));
  }
  return queues;
}

// Loads the compute commands; false when the driver lacks one of them.
bool LoadComputeCommands(const InstanceState& instance, VkDevice handle, DeviceFunctions& fn) {
  bool complete = true;
  auto load = [&](auto& slot, const char* name) {
    slot = DeviceProc<std::remove_reference_t<decltype(slot)>>(instance, handle, name);
    complete = complete && slot != nullptr;
  };
  load(fn.getDeviceQueue, "vkGetDeviceQueue");
  load(fn.queueSubmit, "vkQueueSubmit");
  load(fn.queueWaitIdle, "vkQueueWaitIdle");
  load(fn.deviceWaitIdle, "vkDeviceWaitIdle");
  load(fn.createFence, "vkCreateFence");
  load(fn.destroyFence, "vkDestroyFence");
  load(fn.resetFences, "vkResetFences");
  load(fn.getFenceStatus, "vkGetFenceStatus");
  load(fn.waitForFences, "vkWaitForFences");
  load(fn.createBuffer, "vkCreateBuffer");
  load(fn.destroyBuffer, "vkDestroyBuffer");
  load(fn.getBufferMemoryRequirements, "vkGetBufferMemoryRequirements");
  load(fn.bindBufferMemory, "vkBindBufferMemory");
  load(fn.createShaderModule, "vkCreateShaderModule");
  load(fn.destroyShaderModule, "vkDestroyShaderModule");
  load(fn.createDescriptorSetLayout, "vkCreateDescriptorSetLayout");
  load(fn.destroyDescriptorSetLayout, "vkDestroyDescriptorSetLayout");
  load(fn.createPipelineLayout, "vkCreatePipelineLayout");
  load(fn.destroyPipelineLayout, "vkDestroyPipelineLayout");
  load(fn.createComputePipelines, "vkCreateComputePipelines");
  load(fn.destroyPipeline, "vkDestroyPipeline");
  load(fn.createDescriptorPool, "vkCreateDescriptorPool");
  load(fn.destroyDescriptorPool, "vkDestroyDescriptorPool");
  load(fn.allocateDescriptorSets, "vkAllocateDescriptorSets");
  load(fn.freeDescriptorSets, "vkFreeDescriptorSets");
  load(fn.updateDescriptorSets, "vkUpdateDescriptorSets");
  load(fn.createCommandPool, "vkCreateCommandPool");
  load(fn.destroyCommandPool, "vkDestroyCommandPool");
  load(fn.resetCommandPool, "vkResetCommandPool");
  load(fn.allocateCommandBuffers, "vkAllocateCommandBuffers");
  load(fn.freeCommandBuffers, "vkFreeCommandBuffers");
  load(fn.beginCommandBuffer, "vkBeginCommandBuffer");
  load(fn.endCommandBuffer, "vkEndCommandBuffer");
  load(fn.resetCommandBuffer, "vkResetCommandBuffer");
  load(fn.cmdBindPipeline, "vkCmdBindPipeline");
  load(fn.cmdBindDescriptorSets, "vkCmdBindDescriptorSets");
  load(fn.cmdPushConstants, "vkCmdPushConstants");
  load(fn.cmdDispatch, "vkCmdDispatch");
  load(fn.cmdPipelineBarrier, "vkCmdPipelineBarrier");
  load(fn.cmdCopyBuffer, "vkCmdCopyBuffer");
  load(fn.cmdFillBuffer, "vkCmdFillBuffer");
  return complete;
}

bool ReadFlag(Napi::Env env, Napi::Object object, const char* name) {
  Napi::Value value = object.Get(name);
  if (value.IsUndefined()) return false;
  if (!value.IsBoolean()) ThrowArgument(env, std::string("enabledFeatures.") + name, "must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

}  // namespace

Napi::Value CreateDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint32_t instanceId = ArgUint32(info, 0, "instance");
  InstanceState& instance = FindInstance(env, instanceId);
  const uint32_t index = ArgUint32(info, 1, "physicalDevice");
  if (index >= instance.physicalDevices.size()) ThrowArgument(env, "physicalDevice", "no such physical device");
  const PhysicalDeviceState& physical = instance.physicalDevices[index];
  const uint32_t apiVersion = ArgUint32(info, 2, "apiVersion");
  // Extensions offered and dependencies enabled, features supported with their extension: the front checked them.
  const std::vector<std::string> extensions = ArgStrings(info, 3, "enabledExtensionNames");

  bool placedEnabled = false;
  VkPhysicalDeviceMapMemoryPlacedFeaturesEXT placed{};
  placed.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAP_MEMORY_PLACED_FEATURES_EXT;
  if (info[4].IsObject()) {
    Napi::Object features = info[4].As<Napi::Object>();
    placed.memoryMapPlaced = ReadFlag(env, features, "memoryMapPlaced") ? 1 : 0;
    placed.memoryMapRangePlaced = ReadFlag(env, features, "memoryMapRangePlaced") ? 1 : 0;
    placed.memoryUnmapReserve = ReadFlag(env, features, "memoryUnmapReserve") ? 1 : 0;
    placedEnabled = placed.memoryMapPlaced || placed.memoryMapRangePlaced || placed.memoryUnmapReserve;
  } else if (!info[4].IsUndefined()) {
    ThrowArgument(env, "enabledFeatures", "must be an object");
  }
  bool placedExtension = false;
  for (const std::string& name : extensions) placedExtension = placedExtension || name == "VK_EXT_map_memory_placed";

  // The queues the front asked for; with none, one queue of family 0 that JavaScript never sees (Vulkan
  // requires at least one, and the memory commands need none).
  std::vector<QueueRequest> queues = ReadQueues(env, info[5], physical);
  if (physical.queueFamilies.empty()) {
    ThrowVkResult(env, "vkCreateDevice", VK_ERROR_INITIALIZATION_FAILED, "the device reports no queue family");
  }
  const bool hiddenQueue = queues.empty();
  if (hiddenQueue) queues.push_back(QueueRequest{0, {1.0f}});
  std::vector<VkDeviceQueueCreateInfo> queueInfos;
  for (const QueueRequest& request : queues) {
    VkDeviceQueueCreateInfo queue{};
    queue.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
    queue.queueFamilyIndex = request.familyIndex;
    queue.queueCount = static_cast<uint32_t>(request.priorities.size());
    queue.pQueuePriorities = request.priorities.data();
    queueInfos.push_back(queue);
  }

  // robustBufferAccess wherever the device has it: a shader's out-of-bounds access then stays inside its
  // buffers instead of reaching the process's own memory (lavapipe runs shaders in this process).
  VkPhysicalDeviceFeatures enabledFeatures{};
  if (physical.hasQueries2 && instance.fn.getPhysicalDeviceFeatures2 != nullptr) {
    VkPhysicalDeviceFeatures2 supported{};
    supported.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
    instance.fn.getPhysicalDeviceFeatures2(physical.handle, &supported);
    constexpr size_t kRobustBufferAccess = 0;  // the first member of VkPhysicalDeviceFeatures
    enabledFeatures.members[kRobustBufferAccess] = supported.features.members[kRobustBufferAccess];
  }

  std::vector<const char*> names;
  for (const std::string& name : extensions) names.push_back(name.c_str());
  VkDeviceCreateInfo createInfo{};
  createInfo.pEnabledFeatures = &enabledFeatures;
  createInfo.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  createInfo.pNext = placedExtension && placedEnabled ? &placed : nullptr;
  createInfo.queueCreateInfoCount = static_cast<uint32_t>(queueInfos.size());
  createInfo.pQueueCreateInfos = queueInfos.data();
  createInfo.enabledExtensionCount = static_cast<uint32_t>(names.size());
  createInfo.ppEnabledExtensionNames = names.empty() ? nullptr : names.data();

  VkDevice handle = nullptr;
  VkResult result = instance.fn.createDevice(physical.handle, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateDevice", result);

  auto device = std::make_unique<DeviceState>();
  device->instanceId = instanceId;
  device->physicalDeviceIndex = index;
  device->physical = &physical;
  device->handle = handle;
  device->apiVersion = apiVersion;
  if (placedExtension && placedEnabled) {
    device->placedEnabled = placed;
    device->placedEnabled.pNext = nullptr;
  }
  DeviceFunctions& fn = device->fn;
  fn.destroyDevice = DeviceProc<PFN_vkDestroyDevice>(instance, handle, "vkDestroyDevice");
  fn.allocateMemory = DeviceProc<PFN_vkAllocateMemory>(instance, handle, "vkAllocateMemory");
  fn.freeMemory = DeviceProc<PFN_vkFreeMemory>(instance, handle, "vkFreeMemory");
  fn.mapMemory = DeviceProc<PFN_vkMapMemory>(instance, handle, "vkMapMemory");
  fn.unmapMemory = DeviceProc<PFN_vkUnmapMemory>(instance, handle, "vkUnmapMemory");
  fn.flushMappedMemoryRanges = DeviceProc<PFN_vkFlushMappedMemoryRanges>(instance, handle, "vkFlushMappedMemoryRanges");
  fn.invalidateMappedMemoryRanges =
      DeviceProc<PFN_vkInvalidateMappedMemoryRanges>(instance, handle, "vkInvalidateMappedMemoryRanges");
  fn.mapMemory2 = DeviceProc<PFN_vkMapMemory2>(instance, handle, "vkMapMemory2");
  fn.unmapMemory2 = DeviceProc<PFN_vkUnmapMemory2>(instance, handle, "vkUnmapMemory2");
  fn.mapMemory2KHR = DeviceProc<PFN_vkMapMemory2>(instance, handle, "vkMapMemory2KHR");
  fn.unmapMemory2KHR = DeviceProc<PFN_vkUnmapMemory2>(instance, handle, "vkUnmapMemory2KHR");
  const bool compute = LoadComputeCommands(instance, handle, fn);
  if (fn.destroyDevice == nullptr || fn.allocateMemory == nullptr || fn.freeMemory == nullptr ||
      fn.mapMemory == nullptr || fn.unmapMemory == nullptr || fn.flushMappedMemoryRanges == nullptr ||
      fn.invalidateMappedMemoryRanges == nullptr || !compute) {
    auto destroy = DeviceProc<PFN_vkDestroyDevice>(instance, handle, "vkDestroyDevice");
    if (destroy != nullptr) destroy(handle, nullptr);
    ThrowVkResult(env, "vkCreateDevice", VK_ERROR_INITIALIZATION_FAILED,
                  "the driver lacks a Vulkan 1.0 command");
  }
  if (!hiddenQueue) {
    for (const QueueRequest& request : queues) {
      for (uint32_t index = 0; index < request.priorities.size(); ++index) {
        VkQueue queue = nullptr;
        fn.getDeviceQueue(handle, request.familyIndex, index, &queue);
        if (queue != nullptr) device->queues[ValueOf(queue)] = QueueRecord{queue, request.familyIndex, index};
      }
    }
  }
  device->waits = std::make_shared<FenceWaits>(handle, fn.waitForFences);

  AddonState& addon = State(env);
  device->id = addon.nextId++;
  const uint32_t id = device->id;
  const DeviceFunctions& stored = (addon.devices[id] = std::move(device))->fn;
  RegisterLiveDevice(handle, stored.deviceWaitIdle);

  Napi::Object commands = Napi::Object::New(env);
  commands.Set("vkMapMemory2", Napi::Boolean::New(env, stored.mapMemory2 != nullptr));
  commands.Set("vkUnmapMemory2", Napi::Boolean::New(env, stored.unmapMemory2 != nullptr));
  commands.Set("vkMapMemory2KHR", Napi::Boolean::New(env, stored.mapMemory2KHR != nullptr));
  commands.Set("vkUnmapMemory2KHR", Napi::Boolean::New(env, stored.unmapMemory2KHR != nullptr));

  Napi::Object out = Napi::Object::New(env);
  out.Set("id", Napi::Number::New(env, id));
  out.Set("driverCommands", commands);
  return out;
}

Napi::Value DestroyDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint32_t id = ArgUint32(info, 0, "device");
  DeviceState& device = FindDevice(env, id);
  AddonState& addon = State(env);
  DetachDeviceViewsOrThrow(env, device);
  DestroyDeviceState(addon, device, false);
  addon.devices.erase(id);
  return env.Undefined();
}

}  // namespace vkmap
