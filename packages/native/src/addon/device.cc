#include "device.h"

#include <string>
#include <vector>

#include "args.h"
#include "errors.h"
#include "state.h"

namespace vkmap {
namespace {

template <typename T>
T DeviceProc(const InstanceState& instance, VkDevice device, const char* name) {
  return reinterpret_cast<T>(instance.fn.getDeviceProcAddr(device, name));
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

  // One queue of the first family: Vulkan requires at least one, and memory commands need none.
  uint32_t familyCount = 0;
  instance.fn.getPhysicalDeviceQueueFamilyProperties(physical.handle, &familyCount, nullptr);
  if (familyCount == 0) {
    ThrowVkResult(env, "vkCreateDevice", VK_ERROR_INITIALIZATION_FAILED, "the device reports no queue family");
  }
  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{};
  queue.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queue.queueFamilyIndex = 0;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;

  std::vector<const char*> names;
  for (const std::string& name : extensions) names.push_back(name.c_str());
  VkDeviceCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  createInfo.pNext = placedExtension && placedEnabled ? &placed : nullptr;
  createInfo.queueCreateInfoCount = 1;
  createInfo.pQueueCreateInfos = &queue;
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
  if (fn.destroyDevice == nullptr || fn.allocateMemory == nullptr || fn.freeMemory == nullptr ||
      fn.mapMemory == nullptr || fn.unmapMemory == nullptr || fn.flushMappedMemoryRanges == nullptr ||
      fn.invalidateMappedMemoryRanges == nullptr) {
    auto destroy = DeviceProc<PFN_vkDestroyDevice>(instance, handle, "vkDestroyDevice");
    if (destroy != nullptr) destroy(handle, nullptr);
    ThrowVkResult(env, "vkCreateDevice", VK_ERROR_INITIALIZATION_FAILED,
                  "the driver lacks a Vulkan 1.0 memory command");
  }

  AddonState& addon = State(env);
  device->id = addon.nextId++;
  const uint32_t id = device->id;

  Napi::Object commands = Napi::Object::New(env);
  commands.Set("vkMapMemory2", Napi::Boolean::New(env, fn.mapMemory2 != nullptr));
  commands.Set("vkUnmapMemory2", Napi::Boolean::New(env, fn.unmapMemory2 != nullptr));
  commands.Set("vkMapMemory2KHR", Napi::Boolean::New(env, fn.mapMemory2KHR != nullptr));
  commands.Set("vkUnmapMemory2KHR", Napi::Boolean::New(env, fn.unmapMemory2KHR != nullptr));
  addon.devices[id] = std::move(device);

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
