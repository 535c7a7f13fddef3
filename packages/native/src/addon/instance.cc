#include "instance.h"

#include <cstring>
#include <string>

#include "args.h"
#include "errors.h"
#include "loader.h"
#include "state.h"

namespace vkmap {
namespace {

const char* kInstallHint =
    "install the Vulkan loader and a driver: on Debian/Ubuntu `apt-get install libvulkan1 mesa-vulkan-drivers` "
    "(Mesa's lavapipe runs on any CPU), or the GPU vendor's driver";

template <typename T>
T InstanceProc(const Loader& loader, VkInstance instance, const char* name) {
  return reinterpret_cast<T>(loader.getInstanceProcAddr(instance, name));
}

uint32_t MajorMinor(uint32_t version) { return version & ~0xFFFU; }

void QueryPhysicalDevice(const InstanceState& instance, PhysicalDeviceState& device) {
  const InstanceFunctions& fn = instance.fn;
  fn.getPhysicalDeviceProperties(device.handle, &device.properties);
  device.hasQueries2 = fn.getPhysicalDeviceProperties2 != nullptr && fn.getPhysicalDeviceFeatures2 != nullptr &&
                       fn.getPhysicalDeviceMemoryProperties2 != nullptr &&
                       MajorMinor(instance.apiVersion) >= VKMAP_API_VERSION_1_1 &&
                       MajorMinor(device.properties.apiVersion) >= VKMAP_API_VERSION_1_1;

  uint32_t count = 0;
  if (fn.enumerateDeviceExtensionProperties(device.handle, nullptr, &count, nullptr) == VK_SUCCESS) {
    device.extensions.resize(count);
    VkResult result = fn.enumerateDeviceExtensionProperties(device.handle, nullptr, &count, device.extensions.data());
    device.extensions.resize(result == VK_SUCCESS || result == VK_INCOMPLETE ? count : 0);
  }
  const bool placed = device.HasExtension("VK_EXT_map_memory_placed");

  if (device.hasQueries2) {
    VkPhysicalDeviceMapMemoryPlacedPropertiesEXT placedProperties{};
    placedProperties.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAP_MEMORY_PLACED_PROPERTIES_EXT;
    VkPhysicalDeviceMaintenance3Properties maintenance3{};
    maintenance3.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES;
    maintenance3.pNext = placed ? &placedProperties : nullptr;
    VkPhysicalDeviceProperties2 properties2{};
    properties2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
    properties2.pNext = &maintenance3;
    fn.getPhysicalDeviceProperties2(device.handle, &properties2);
    device.properties = properties2.properties;
    device.maxMemoryAllocationSize = maintenance3.maxMemoryAllocationSize;
    device.maxMemoryAllocationSizeKnown = true;
    if (placed) {
      device.minPlacedMemoryMapAlignment = placedProperties.minPlacedMemoryMapAlignment;
      VkPhysicalDeviceMapMemoryPlacedFeaturesEXT features{};
      features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAP_MEMORY_PLACED_FEATURES_EXT;
      VkPhysicalDeviceFeatures2 features2{};
      features2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
      features2.pNext = &features;
      fn.getPhysicalDeviceFeatures2(device.handle, &features2);
      device.placedFeatures = features;
      device.placedFeatures.pNext = nullptr;
    }
  }
  fn.getPhysicalDeviceMemoryProperties(device.handle, &device.memory);
  uint32_t families = 0;
  fn.getPhysicalDeviceQueueFamilyProperties(device.handle, &families, nullptr);
  device.queueFamilies.resize(families);
  fn.getPhysicalDeviceQueueFamilyProperties(device.handle, &families, device.queueFamilies.data());
  device.queueFamilies.resize(families);
  if (!device.maxMemoryAllocationSizeKnown) {
    // Vulkan 1.0 has no such limit; the largest heap is the honest upper bound.
    for (uint32_t i = 0; i < device.memory.memoryHeapCount && i < VK_MAX_MEMORY_HEAPS; ++i) {
      if (device.memory.memoryHeaps[i].size > device.maxMemoryAllocationSize) {
        device.maxMemoryAllocationSize = device.memory.memoryHeaps[i].size;
      }
    }
  }
}

std::string FixedString(const char* text, size_t capacity) { return std::string(text, strnlen(text, capacity)); }

Napi::Object Describe(Napi::Env env, const PhysicalDeviceState& device) {
  const VkPhysicalDeviceProperties& p = device.properties;
  // VkPhysicalDeviceLimits as its bytes: @vkmap/core decodes every member from its table of the structure.
  Napi::ArrayBuffer limits = Napi::ArrayBuffer::New(env, sizeof(VkPhysicalDeviceLimits));
  std::memcpy(limits.Data(), &p.limits, sizeof(VkPhysicalDeviceLimits));

  Napi::Object properties = Napi::Object::New(env);
  properties.Set("apiVersion", Napi::Number::New(env, p.apiVersion));
  properties.Set("driverVersion", Napi::Number::New(env, p.driverVersion));
  properties.Set("vendorID", Napi::Number::New(env, p.vendorID));
  properties.Set("deviceID", Napi::Number::New(env, p.deviceID));
  properties.Set("deviceType", Napi::Number::New(env, p.deviceType));
  properties.Set("deviceName", Napi::String::New(env, FixedString(p.deviceName, VK_MAX_PHYSICAL_DEVICE_NAME_SIZE)));
  properties.Set("limitsBytes", limits);
  properties.Set("pointerSize", Napi::Number::New(env, static_cast<double>(sizeof(size_t))));
  properties.Set("maxMemoryAllocationSize", BigUint64(env, device.maxMemoryAllocationSize));

  Napi::Array types = Napi::Array::New(env);
  for (uint32_t i = 0; i < device.memory.memoryTypeCount && i < VK_MAX_MEMORY_TYPES; ++i) {
    Napi::Object type = Napi::Object::New(env);
    type.Set("propertyFlags", Napi::Number::New(env, device.memory.memoryTypes[i].propertyFlags));
    type.Set("heapIndex", Napi::Number::New(env, device.memory.memoryTypes[i].heapIndex));
    types.Set(i, type);
  }
  Napi::Array heaps = Napi::Array::New(env);
  for (uint32_t i = 0; i < device.memory.memoryHeapCount && i < VK_MAX_MEMORY_HEAPS; ++i) {
    Napi::Object heap = Napi::Object::New(env);
    heap.Set("size", BigUint64(env, device.memory.memoryHeaps[i].size));
    heap.Set("flags", Napi::Number::New(env, device.memory.memoryHeaps[i].flags));
    heaps.Set(i, heap);
  }
  Napi::Object memory = Napi::Object::New(env);
  memory.Set("memoryTypes", types);
  memory.Set("memoryHeaps", heaps);

  Napi::Array families = Napi::Array::New(env);
  for (size_t i = 0; i < device.queueFamilies.size(); ++i) {
    const VkQueueFamilyProperties& q = device.queueFamilies[i];
    Napi::Object granularity = Napi::Object::New(env);
    granularity.Set("width", Napi::Number::New(env, q.minImageTransferGranularity.width));
    granularity.Set("height", Napi::Number::New(env, q.minImageTransferGranularity.height));
    granularity.Set("depth", Napi::Number::New(env, q.minImageTransferGranularity.depth));
    Napi::Object family = Napi::Object::New(env);
    family.Set("queueFlags", Napi::Number::New(env, q.queueFlags));
    family.Set("queueCount", Napi::Number::New(env, q.queueCount));
    family.Set("timestampValidBits", Napi::Number::New(env, q.timestampValidBits));
    family.Set("minImageTransferGranularity", granularity);
    families.Set(static_cast<uint32_t>(i), family);
  }

  Napi::Array extensions = Napi::Array::New(env);
  for (size_t i = 0; i < device.extensions.size(); ++i) {
    Napi::Object extension = Napi::Object::New(env);
    extension.Set("extensionName",
                  Napi::String::New(env, FixedString(device.extensions[i].extensionName, VK_MAX_EXTENSION_NAME_SIZE)));
    extension.Set("specVersion", Napi::Number::New(env, device.extensions[i].specVersion));
    extensions.Set(static_cast<uint32_t>(i), extension);
  }

  Napi::Object placedFeatures = Napi::Object::New(env);
  placedFeatures.Set("memoryMapPlaced", Napi::Boolean::New(env, device.placedFeatures.memoryMapPlaced != 0));
  placedFeatures.Set("memoryMapRangePlaced", Napi::Boolean::New(env, device.placedFeatures.memoryMapRangePlaced != 0));
  placedFeatures.Set("memoryUnmapReserve", Napi::Boolean::New(env, device.placedFeatures.memoryUnmapReserve != 0));

  Napi::Object description = Napi::Object::New(env);
  description.Set("properties", properties);
  description.Set("memoryProperties", memory);
  description.Set("queueFamilies", families);
  description.Set("extensions", extensions);
  description.Set("placedFeatures", placedFeatures);
  if (device.HasExtension("VK_EXT_map_memory_placed") && device.hasQueries2) {
    description.Set("minPlacedMemoryMapAlignment", BigUint64(env, device.minPlacedMemoryMapAlignment));
  }
  description.Set("hasMemoryBudget",
                  Napi::Boolean::New(env, device.hasQueries2 && device.HasExtension("VK_EXT_memory_budget")));
  return description;
}

}  // namespace

Napi::Value LoaderInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Loader& loader = GetLoader();
  Napi::Object result = Napi::Object::New(env);
  result.Set("loaded", Napi::Boolean::New(env, loader.getInstanceProcAddr != nullptr));
  result.Set("library", Napi::String::New(env, loader.libraryName));
  result.Set("error", Napi::String::New(env, loader.error));
  result.Set("instanceVersion", Napi::Number::New(env, LoaderInstanceVersion(loader)));
  result.Set("installHint", Napi::String::New(env, kInstallHint));
  return result;
}

Napi::Value CreateInstance(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint32_t apiVersion = ArgUint32(info, 0, "apiVersion");
  const Loader& loader = GetLoader();
  if (loader.getInstanceProcAddr == nullptr) {
    ThrowUnavailable(env, "the Vulkan loader (libvulkan.so.1) could not be loaded (" + loader.error + "); " +
                              kInstallHint);
  }
  auto create = InstanceProc<PFN_vkCreateInstance>(loader, nullptr, "vkCreateInstance");
  if (create == nullptr) ThrowUnavailable(env, loader.libraryName + " does not provide vkCreateInstance");

  VkApplicationInfo application{};
  application.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  application.pApplicationName = "vkmap";
  application.pEngineName = "vkmap";
  application.apiVersion = apiVersion;
  VkInstanceCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  createInfo.pApplicationInfo = &application;

  VkInstance handle = nullptr;
  VkResult result = create(&createInfo, nullptr, &handle);
  if (result == VK_ERROR_INCOMPATIBLE_DRIVER) {
    ThrowVkResult(env, "vkCreateInstance", result,
                  "no Vulkan driver (ICD) accepted the instance; " + std::string(kInstallHint));
  }
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateInstance", result);

  auto state = std::make_unique<InstanceState>();
  state->handle = handle;
  state->apiVersion = apiVersion;
  InstanceFunctions& fn = state->fn;
  fn.destroyInstance = InstanceProc<PFN_vkDestroyInstance>(loader, handle, "vkDestroyInstance");
  fn.enumeratePhysicalDevices = InstanceProc<PFN_vkEnumeratePhysicalDevices>(loader, handle, "vkEnumeratePhysicalDevices");
  fn.getPhysicalDeviceProperties =
      InstanceProc<PFN_vkGetPhysicalDeviceProperties>(loader, handle, "vkGetPhysicalDeviceProperties");
  fn.getPhysicalDeviceProperties2 =
      InstanceProc<PFN_vkGetPhysicalDeviceProperties2>(loader, handle, "vkGetPhysicalDeviceProperties2");
  fn.getPhysicalDeviceFeatures2 = InstanceProc<PFN_vkGetPhysicalDeviceFeatures2>(loader, handle, "vkGetPhysicalDeviceFeatures2");
  fn.getPhysicalDeviceMemoryProperties =
      InstanceProc<PFN_vkGetPhysicalDeviceMemoryProperties>(loader, handle, "vkGetPhysicalDeviceMemoryProperties");
  fn.getPhysicalDeviceMemoryProperties2 =
      InstanceProc<PFN_vkGetPhysicalDeviceMemoryProperties2>(loader, handle, "vkGetPhysicalDeviceMemoryProperties2");
  fn.getPhysicalDeviceQueueFamilyProperties = InstanceProc<PFN_vkGetPhysicalDeviceQueueFamilyProperties>(
      loader, handle, "vkGetPhysicalDeviceQueueFamilyProperties");
  fn.enumerateDeviceExtensionProperties =
      InstanceProc<PFN_vkEnumerateDeviceExtensionProperties>(loader, handle, "vkEnumerateDeviceExtensionProperties");
  fn.createDevice = InstanceProc<PFN_vkCreateDevice>(loader, handle, "vkCreateDevice");
  fn.getDeviceProcAddr = InstanceProc<PFN_vkGetDeviceProcAddr>(loader, handle, "vkGetDeviceProcAddr");
  if (fn.destroyInstance == nullptr || fn.enumeratePhysicalDevices == nullptr ||
      fn.getPhysicalDeviceProperties == nullptr || fn.getPhysicalDeviceMemoryProperties == nullptr ||
      fn.getPhysicalDeviceQueueFamilyProperties == nullptr || fn.enumerateDeviceExtensionProperties == nullptr ||
      fn.createDevice == nullptr || fn.getDeviceProcAddr == nullptr) {
    if (fn.destroyInstance != nullptr) fn.destroyInstance(handle, nullptr);
    ThrowVkResult(env, "vkCreateInstance", VK_ERROR_INITIALIZATION_FAILED,
                  "the loader lacks a Vulkan 1.0 instance command");
  }

  uint32_t count = 0;
  result = fn.enumeratePhysicalDevices(handle, &count, nullptr);
  std::vector<VkPhysicalDevice> handles(count);
  if (result == VK_SUCCESS && count > 0) result = fn.enumeratePhysicalDevices(handle, &count, handles.data());
  if (result != VK_SUCCESS && result != VK_INCOMPLETE) {
    fn.destroyInstance(handle, nullptr);
    ThrowVkResult(env, "vkEnumeratePhysicalDevices", result);
  }
  handles.resize(count);
  for (VkPhysicalDevice physical : handles) {
    PhysicalDeviceState device;
    device.handle = physical;
    QueryPhysicalDevice(*state, device);
    state->physicalDevices.push_back(std::move(device));
  }

  AddonState& addon = State(env);
  state->id = addon.nextId++;
  const uint32_t id = state->id;
  addon.instances[id] = std::move(state);

  Napi::Object out = Napi::Object::New(env);
  out.Set("id", Napi::Number::New(env, id));
  out.Set("apiVersion", Napi::Number::New(env, apiVersion));
  return out;
}

Napi::Value DestroyInstance(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint32_t id = ArgUint32(info, 0, "instance");
  InstanceState& instance = FindInstance(env, id);
  AddonState& addon = State(env);
  for (auto& [deviceId, device] : addon.devices) {
    if (device->instanceId == id) DetachDeviceViewsOrThrow(env, *device);
  }
  for (auto it = addon.devices.begin(); it != addon.devices.end();) {
    if (it->second->instanceId == id) {
      DestroyDeviceState(addon, *it->second, false);
      it = addon.devices.erase(it);
    } else {
      ++it;
    }
  }
  instance.fn.destroyInstance(instance.handle, nullptr);
  addon.instances.erase(id);
  return env.Undefined();
}

Napi::Value EnumeratePhysicalDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  InstanceState& instance = FindInstance(env, ArgUint32(info, 0, "instance"));
  Napi::Array list = Napi::Array::New(env);
  for (size_t i = 0; i < instance.physicalDevices.size(); ++i) {
    list.Set(static_cast<uint32_t>(i), Describe(env, instance.physicalDevices[i]));
  }
  return list;
}

Napi::Value GetMemoryBudget(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  InstanceState& instance = FindInstance(env, ArgUint32(info, 0, "instance"));
  const uint32_t index = ArgUint32(info, 1, "physicalDevice");
  if (index >= instance.physicalDevices.size()) ThrowArgument(env, "physicalDevice", "no such physical device");
  const PhysicalDeviceState& device = instance.physicalDevices[index];
  if (!device.hasQueries2 || !device.HasExtension("VK_EXT_memory_budget")) return env.Undefined();

  VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{};
  budget.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT;
  VkPhysicalDeviceMemoryProperties2 properties2{};
  properties2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2;
  properties2.pNext = &budget;
  instance.fn.getPhysicalDeviceMemoryProperties2(device.handle, &properties2);

  const uint32_t heaps = properties2.memoryProperties.memoryHeapCount;
  Napi::Array heapBudget = Napi::Array::New(env);
  Napi::Array heapUsage = Napi::Array::New(env);
  for (uint32_t i = 0; i < heaps && i < VK_MAX_MEMORY_HEAPS; ++i) {
    heapBudget.Set(i, BigUint64(env, budget.heapBudget[i]));
    heapUsage.Set(i, BigUint64(env, budget.heapUsage[i]));
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("heapBudget", heapBudget);
  out.Set("heapUsage", heapUsage);
  return out;
}

}  // namespace vkmap
