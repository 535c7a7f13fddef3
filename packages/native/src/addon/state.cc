#include "state.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "errors.h"
#include "fence-wait.h"
#include "mapping.h"
#include "view-guard.h"

namespace vkmap {

bool PhysicalDeviceState::HasExtension(const std::string& name) const {
  for (const VkExtensionProperties& extension : extensions) {
    if (name == extension.extensionName) return true;
  }
  return false;
}

AddonState& State(Napi::Env env) { return *env.GetInstanceData<AddonState>(); }

InstanceState& FindInstance(Napi::Env env, uint32_t id) {
  AddonState& state = State(env);
  auto found = state.instances.find(id);
  if (found == state.instances.end()) ThrowState(env, "the instance has been destroyed");
  return *found->second;
}

DeviceState& FindDevice(Napi::Env env, uint32_t id) {
  AddonState& state = State(env);
  auto found = state.devices.find(id);
  if (found == state.devices.end()) ThrowState(env, "the device has been destroyed");
  return *found->second;
}

MemoryRecord& FindMemory(Napi::Env env, DeviceState& device, uint64_t handle) {
  auto found = device.memories.find(handle);
  if (found == device.memories.end()) {
    ThrowState(env, "VkDeviceMemory " + Hex(handle) + " is not a live memory object of this device");
  }
  return found->second;
}

void ThrowNotLive(Napi::Env env, const char* type, uint64_t value) {
  ThrowState(env, std::string(type) + " " + Hex(value) + " is not a live " + type + " of this device");
}

uint64_t HandleValue(VkDeviceMemory memory) {
  uint64_t value = 0;
  static_assert(sizeof(memory) == sizeof(value), "non-dispatchable handles are 64-bit");
  std::memcpy(&value, &memory, sizeof value);
  return value;
}

VkDeviceMemory MemoryFromValue(uint64_t value) {
  VkDeviceMemory memory;
  std::memcpy(&memory, &value, sizeof memory);
  return memory;
}

void DetachViewOrThrow(Napi::Env env, DeviceState& device, MemoryRecord& memory) {
  Mapping& mapping = memory.mapping;
  if (!mapping.active || mapping.view.IsEmpty()) return;
  if (!DetachMappedView(env, mapping.view.Value())) {
    // The application's markAsUntransferable put a detach key of its own on the buffer (Node 24). Over an
    // alias window the view can still be made harmless: the window turns to scratch pages (the view stays
    // attached and reads zeros) and the next map gets a new one. Over the driver's own pointer it cannot.
    if (memory.views.window == nullptr || memory.views.strategy != ViewStrategy::kAlias) {
      ThrowState(env, "the mapped view of VkDeviceMemory " + Hex(HandleValue(memory.handle)) +
                          " can no longer be detached (was its ArrayBuffer passed to markAsUntransferable?), so "
                          "the memory stays mapped: unmapping it would leave a view over unmapped memory");
    }
    RetireViews(device, memory, false);
  }
  mapping.view.Reset();
}

void EndMapping(AddonState& state, MemoryRecord& memory, bool reserved) {
  Mapping& mapping = memory.mapping;
  if (!mapping.active) return;
  mapping.view.Reset();
  if (mapping.placed && mapping.reservationId != 0) {
    const uintptr_t address = reinterpret_cast<uintptr_t>(mapping.pointer);
    if (reserved) {
      state.reservations.MarkReserved(mapping.reservationId, address);
    } else {
      state.reservations.MarkHole(mapping.reservationId, address);
    }
  }
  mapping = Mapping();
}

void DetachDeviceViewsOrThrow(Napi::Env env, DeviceState& device) {
  for (auto& [value, memory] : device.memories) DetachViewOrThrow(env, device, memory);
}

namespace {

// The process's live devices (every environment's), for the atexit handler. Leaked on purpose: it must
// outlive every static destructor that could run before the handler.
struct LiveDevices {
  std::mutex mutex;
  std::map<VkDevice, PFN_vkDeviceWaitIdle> devices;
  bool handlerInstalled = false;
};

LiveDevices& Live() {
  static LiveDevices* live = new LiveDevices();
  return *live;
}

void WaitLiveDevicesIdle() {
  LiveDevices& live = Live();
  std::lock_guard<std::mutex> lock(live.mutex);
  for (const auto& [device, waitIdle] : live.devices) waitIdle(device);
}

// Destroys every object of one kind, in the order the records were made.
template <typename Map, typename Destroy>
void DestroyAll(Map& records, Destroy destroy) {
  for (auto& [value, record] : records) destroy(record.handle);
  records.clear();
}

}  // namespace

void RegisterLiveDevice(VkDevice device, PFN_vkDeviceWaitIdle waitIdle) {
  LiveDevices& live = Live();
  std::lock_guard<std::mutex> lock(live.mutex);
  live.devices[device] = waitIdle;
  // Installed after the first device, so after the driver was loaded: atexit handlers run in reverse order,
  // so this one runs before the driver's own exit-time destructors.
  if (!live.handlerInstalled) live.handlerInstalled = std::atexit(WaitLiveDevicesIdle) == 0;
}

void UnregisterLiveDevice(VkDevice device) {
  LiveDevices& live = Live();
  std::lock_guard<std::mutex> lock(live.mutex);
  live.devices.erase(device);
}

void DestroyDeviceState(AddonState& state, DeviceState& device, bool teardown) {
  // Idle first: pending work signals its fences, so that async waits on them resolve true, and nothing the
  // device still executes is destroyed below.
  device.fn.deviceWaitIdle(device.handle);
  if (device.waits) device.waits->CancelAll("the device was destroyed before the fences were signaled");
  VkDevice handle = device.handle;
  const DeviceFunctions& fn = device.fn;
  // Children before what they use: command buffers and descriptor sets go with their pools.
  DestroyAll(device.commandPools, [&](VkCommandPool pool) { fn.destroyCommandPool(handle, pool, nullptr); });
  device.commandBuffers.clear();
  DestroyAll(device.descriptorPools, [&](VkDescriptorPool pool) { fn.destroyDescriptorPool(handle, pool, nullptr); });
  device.descriptorSets.clear();
  DestroyAll(device.pipelines, [&](VkPipeline pipeline) { fn.destroyPipeline(handle, pipeline, nullptr); });
  DestroyAll(device.pipelineLayouts,
             [&](VkPipelineLayout layout) { fn.destroyPipelineLayout(handle, layout, nullptr); });
  DestroyAll(device.setLayouts,
             [&](VkDescriptorSetLayout layout) { fn.destroyDescriptorSetLayout(handle, layout, nullptr); });
  DestroyAll(device.shaderModules, [&](VkShaderModule module) { fn.destroyShaderModule(handle, module, nullptr); });
  DestroyAll(device.fences, [&](VkFence fence) { fn.destroyFence(handle, fence, nullptr); });
  DestroyAll(device.buffers, [&](VkBuffer buffer) { fn.destroyBuffer(handle, buffer, nullptr); });
  device.queues.clear();
  for (auto& [value, memory] : device.memories) {
    RetireViews(device, memory, teardown);  // scratch pages under the views before the driver frees
    if (teardown) {
      // JavaScript no longer runs: the view cannot be reached, and references must not be touched.
      memory.mapping.view.SuppressDestruct();
      if (memory.mapping.placed && memory.mapping.reservationId != 0) {
        state.reservations.MarkHole(memory.mapping.reservationId, reinterpret_cast<uintptr_t>(memory.mapping.pointer));
      }
      memory.mapping.active = false;
    } else {
      EndMapping(state, memory, false);  // views were detached by DetachDeviceViewsOrThrow
    }
    device.fn.freeMemory(device.handle, memory.handle, nullptr);  // unmaps implicitly
  }
  device.memories.clear();
  UnregisterLiveDevice(device.handle);
  device.fn.destroyDevice(device.handle, nullptr);
  device.handle = nullptr;
}

AddonState::~AddonState() {
  for (auto& [id, device] : devices) DestroyDeviceState(*this, *device, true);
  devices.clear();
  for (auto& [id, instance] : instances) instance->fn.destroyInstance(instance->handle, nullptr);
  instances.clear();
  reservations.ReleaseAll();
  viewKey.SuppressDestruct();  // JavaScript no longer runs: the key must not be touched
}

}  // namespace vkmap
