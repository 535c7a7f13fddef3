#include "state.h"

#include <cstring>

#include "errors.h"
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

void DetachViewOrThrow(Napi::Env env, MemoryRecord& memory) {
  Mapping& mapping = memory.mapping;
  if (!mapping.active || mapping.view.IsEmpty()) return;
  if (!DetachMappedView(env, mapping.view.Value())) {
    ThrowState(env, "the mapped view of VkDeviceMemory " + Hex(HandleValue(memory.handle)) +
                        " can no longer be detached (was its ArrayBuffer passed to markAsUntransferable?), so the "
                        "memory stays mapped: unmapping it would leave a view over unmapped memory");
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
  for (auto& [value, memory] : device.memories) DetachViewOrThrow(env, memory);
}

void DestroyDeviceState(AddonState& state, DeviceState& device, bool teardown) {
  for (auto& [value, memory] : device.memories) {
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
