#include "mapping.h"

#include <cstdint>
#include <string>

#include "args.h"
#include "errors.h"
#include "state.h"
#include "view-guard.h"

namespace vkmap {
namespace {

// The largest ArrayBuffer V8 creates on 64-bit hosts (2^53 - 1), and what size_t holds elsewhere.
constexpr uint64_t kMaxViewBytes = (static_cast<uint64_t>(1) << 53) - 1;

// The entry point a call names ('vkMapMemory2KHR', 'vkUnmapMemory2', ...); the name also labels its errors.
MapCommand ArgCommand(const Napi::CallbackInfo& info, size_t index, std::string& name) {
  if (!info[index].IsString()) ThrowArgument(info.Env(), "command", "must be a command name");
  name = info[index].As<Napi::String>().Utf8Value();
  if (name == "vkMapMemory" || name == "vkUnmapMemory") return MapCommand::kMapMemory;
  if (name == "vkMapMemory2" || name == "vkUnmapMemory2") return MapCommand::kMapMemory2;
  if (name == "vkMapMemory2KHR" || name == "vkUnmapMemory2KHR") return MapCommand::kMapMemory2KHR;
  ThrowArgument(info.Env(), "command", "unknown map command " + name);
}

uint64_t AlignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

Napi::Object RangeObject(Napi::Env env, const Reservations::Range& range) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", Napi::Number::New(env, range.id));
  out.Set("address", BigUint64(env, range.base));
  out.Set("size", BigUint64(env, range.size));
  return out;
}

}  // namespace

Napi::Value MapMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  MemoryRecord& memory = FindMemory(env, device, ArgUint64(info, 1, "memory"));
  const uint64_t offset = ArgUint64(info, 2, "offset");
  const uint64_t rawSize = ArgUint64(info, 3, "size");
  std::string commandName;
  const MapCommand command = ArgCommand(info, 4, commandName);
  const char* name = commandName.c_str();
  const uint32_t flags = ArgUint32(info, 5, "flags");

  // What the front checked (type, flags, features, placement rules) is not checked again. What keeps the view
  // sound is: one view per memory object, never longer than the mapped bytes or what JavaScript can address,
  // and a placed map only into free pages of a range this addon reserved (MAP_FIXED anywhere else would
  // replace memory of the process).
  if (memory.mapping.active) ThrowState(env, "the memory object is already mapped; unmap it first");
  const uint64_t size = rawSize == VK_WHOLE_SIZE && offset < memory.size ? memory.size - offset : rawSize;
  if (offset >= memory.size || size == 0 || size > memory.size - offset) {
    ThrowArgument(env, "size", "the mapped range must lie inside the allocation");
  }
  if (size > kMaxViewBytes || size > static_cast<uint64_t>(SIZE_MAX)) {
    ThrowArgument(env, "size", "a mapping this large cannot be viewed from JavaScript");
  }
  const bool placed = (flags & VK_MEMORY_MAP_PLACED_BIT_EXT) != 0;
  uint64_t address = 0;
  const Reservations::Range* range = nullptr;
  if (placed) {
    address = ArgUint64(info, 6, "pPlacedAddress");
    const uint64_t length = AlignUp(size, Reservations::PageSize());
    range = State(env).reservations.FindReserved(static_cast<uintptr_t>(address), length);
    if (range == nullptr) {
      ThrowVkResult(env, name, VK_ERROR_MEMORY_MAP_FAILED,
                    "pPlacedAddress " + Hex(address) + " + " + std::to_string(length) +
                        " bytes is not free space inside an address range reserved with reserveAddressRange()");
    }
  }

  PFN_vkMapMemory2 map2 = command == MapCommand::kMapMemory2      ? device.fn.mapMemory2
                          : command == MapCommand::kMapMemory2KHR ? device.fn.mapMemory2KHR
                                                                  : nullptr;
  void* pointer = nullptr;
  VkResult result;
  if (map2 != nullptr) {
    VkMemoryMapPlacedInfoEXT placedInfo{};
    placedInfo.sType = VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT;
    placedInfo.pPlacedAddress = reinterpret_cast<void*>(static_cast<uintptr_t>(address));
    VkMemoryMapInfo mapInfo{};
    mapInfo.sType = VK_STRUCTURE_TYPE_MEMORY_MAP_INFO;
    mapInfo.pNext = placed ? &placedInfo : nullptr;
    mapInfo.flags = flags;
    mapInfo.memory = memory.handle;
    mapInfo.offset = offset;
    mapInfo.size = rawSize;
    result = map2(device.handle, &mapInfo, &pointer);
  } else {
    // vkMapMemory, or a *2 command the driver does not expose: the same semantics without placement.
    if (placed) ThrowState(env, std::string("the driver does not provide ") + name + ", which placed maps need");
    result = device.fn.mapMemory(device.handle, memory.handle, offset, rawSize, 0, &pointer);
  }
  if (result != VK_SUCCESS) ThrowVkResult(env, name, result);
  if (pointer == nullptr) {
    device.fn.unmapMemory(device.handle, memory.handle);
    ThrowVkResult(env, name, VK_ERROR_MEMORY_MAP_FAILED, "the driver returned a null pointer");
  }

  Napi::ArrayBuffer buffer;
  try {
    buffer = NewMappedView(env, pointer, static_cast<size_t>(size));
  } catch (const Napi::Error&) {
    device.fn.unmapMemory(device.handle, memory.handle);  // leave the state as it was
    throw;
  }
  Mapping& mapping = memory.mapping;
  mapping.active = true;
  mapping.offset = offset;
  mapping.size = size;
  mapping.pointer = static_cast<uint8_t*>(pointer);
  mapping.placed = placed;
  mapping.view = Napi::Weak(buffer);
  const uintptr_t actual = reinterpret_cast<uintptr_t>(pointer);
  if (placed && range != nullptr && actual == address) {
    mapping.reservationId = range->id;
    mapping.placedLength = AlignUp(size, Reservations::PageSize());
    State(env).reservations.MarkMapped(range->id, actual, mapping.placedLength);
  }

  Napi::Object out = Napi::Object::New(env);
  out.Set("address", BigUint64(env, actual));
  out.Set("buffer", buffer);
  return out;
}

Napi::Value UnmapMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  MemoryRecord& memory = FindMemory(env, device, ArgUint64(info, 1, "memory"));
  std::string commandName;
  const MapCommand command = ArgCommand(info, 2, commandName);
  const char* name = commandName.c_str();
  const uint32_t flags = ArgUint32(info, 3, "flags");
  // The mapping record (its pointer) is what a reserving unmap hands back to a reservation.
  if (!memory.mapping.active) ThrowState(env, "the memory object is not mapped");
  const bool reserve = (flags & VK_MEMORY_UNMAP_RESERVE_BIT_EXT) != 0;

  // The view goes first: a view must never outlive the mapping. (A vkUnmapMemory2 that fails after this
  // leaves the memory mapped with its view detached; map it again for a new view.)
  DetachViewOrThrow(env, memory);

  PFN_vkUnmapMemory2 unmap2 = command == MapCommand::kMapMemory2      ? device.fn.unmapMemory2
                              : command == MapCommand::kMapMemory2KHR ? device.fn.unmapMemory2KHR
                                                                      : nullptr;
  if (unmap2 != nullptr) {
    VkMemoryUnmapInfo unmapInfo{};
    unmapInfo.sType = VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO;
    unmapInfo.flags = flags;
    unmapInfo.memory = memory.handle;
    VkResult result = unmap2(device.handle, &unmapInfo);
    if (result != VK_SUCCESS) ThrowVkResult(env, name, result);  // still mapped, as the specification says
  } else {
    if (reserve) ThrowState(env, std::string("the driver does not provide ") + name + ", which the reserve bit needs");
    device.fn.unmapMemory(device.handle, memory.handle);
  }

  AddonState& state = State(env);
  if (!reserve) {
    EndMapping(state, memory, false);
    return env.Undefined();
  }
  const Mapping& mapping = memory.mapping;
  const uint32_t placedIn = mapping.reservationId;
  const uintptr_t pointer = reinterpret_cast<uintptr_t>(mapping.pointer);
  const uint64_t size = mapping.size;
  EndMapping(state, memory, true);
  if (placedIn != 0 && state.reservations.Find(placedIn) != nullptr) {
    return RangeObject(env, *state.reservations.Find(placedIn));
  }
  // A mapping the driver placed itself: the pages it occupied stay reserved and are now ours.
  const uint64_t page = Reservations::PageSize();
  const uintptr_t base = pointer / page * page;
  return RangeObject(env, state.reservations.Adopt(base, AlignUp(pointer + size, page) - base));
}

Napi::Value ReserveAddressRange(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint64_t size = ArgUint64(info, 0, "size");
  const uint64_t alignment = ArgUint64(info, 1, "alignment");
  return RangeObject(env, State(env).reservations.Reserve(env, size, alignment));
}

Napi::Value ReleaseAddressRange(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  State(env).reservations.Release(env, ArgUint32(info, 0, "range"));
  return env.Undefined();
}

Napi::Value PageSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(Reservations::PageSize()));
}

}  // namespace vkmap
