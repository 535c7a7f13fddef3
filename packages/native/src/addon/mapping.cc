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

const char* MapName(MapCommand command) {
  switch (command) {
    case MapCommand::kMapMemory2: return "vkMapMemory2";
    case MapCommand::kMapMemory2KHR: return "vkMapMemory2KHR";
    default: return "vkMapMemory";
  }
}

const char* UnmapName(MapCommand command) {
  switch (command) {
    case MapCommand::kMapMemory2: return "vkUnmapMemory2";
    case MapCommand::kMapMemory2KHR: return "vkUnmapMemory2KHR";
    default: return "vkUnmapMemory";
  }
}

MapCommand ArgCommand(const Napi::CallbackInfo& info, size_t index) {
  const uint32_t value = ArgUint32(info, index, "command");
  if (value > 2) ThrowArgument(info.Env(), "command", "unknown map command");
  return static_cast<MapCommand>(value);
}

uint64_t AlignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

Napi::Object RangeObject(Napi::Env env, const Reservations::Range& range) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", Napi::Number::New(env, range.id));
  out.Set("address", BigUint64(env, range.base));
  out.Set("size", BigUint64(env, range.size));
  return out;
}

// Checks a placed map against the device's features and limits and finds the reservation it lands in.
// Throws before any driver call when the map would reach memory that is not one of our reservations.
const Reservations::Range& CheckPlaced(Napi::Env env, const DeviceState& device, const MemoryRecord& memory,
                                       const char* command, uint64_t address, uint64_t offset, uint64_t rawSize,
                                       uint64_t size) {
  if (!device.placedEnabled.memoryMapPlaced) {
    ThrowArgument(env, "flags", "VK_MEMORY_MAP_PLACED_BIT_EXT needs the memoryMapPlaced feature enabled at device creation");
  }
  const uint64_t page = Reservations::PageSize();
  const uint64_t alignment = device.physical->minPlacedMemoryMapAlignment > page
                                 ? device.physical->minPlacedMemoryMapAlignment
                                 : page;
  if (address == 0 || address % alignment != 0) {
    ThrowArgument(env, "pPlacedAddress", "must be a non-null multiple of minPlacedMemoryMapAlignment (" +
                                             std::to_string(alignment) + ")");
  }
  // VUID-VkMemoryMapInfo-flags-09574 / -09651: the placed size (the allocation size for VK_WHOLE_SIZE) is a
  // whole number of placement units, so the map never ends inside a page it does not own.
  const uint64_t placedSize = rawSize == VK_WHOLE_SIZE ? memory.size : rawSize;
  if (placedSize % alignment != 0) {
    ThrowArgument(env, "size", std::string(rawSize == VK_WHOLE_SIZE ? "the allocation size" : "size") + " (" +
                                   std::to_string(placedSize) + ") of a placed map must be a multiple of "
                                   "minPlacedMemoryMapAlignment (" + std::to_string(alignment) + ")");
  }
  if (!device.placedEnabled.memoryMapRangePlaced) {
    if (offset != 0 || (rawSize != VK_WHOLE_SIZE && rawSize != memory.size)) {
      ThrowArgument(env, "offset", "a placed map without the memoryMapRangePlaced feature must map the whole "
                                   "allocation (offset 0, size VK_WHOLE_SIZE or allocationSize)");
    }
  } else if (offset % alignment != 0) {
    ThrowArgument(env, "offset", "a placed map's offset must be a multiple of minPlacedMemoryMapAlignment (" +
                                     std::to_string(alignment) + ")");
  }
  const Reservations::Range* range =
      State(env).reservations.FindReserved(static_cast<uintptr_t>(address), AlignUp(size, page));
  if (range == nullptr) {
    ThrowVkResult(env, command, VK_ERROR_MEMORY_MAP_FAILED,
                  "pPlacedAddress " + Hex(address) + " + " + std::to_string(AlignUp(size, page)) +
                      " bytes is not free space inside an address range reserved with reserveAddressRange(); "
                      "placed maps go only there");
  }
  return *range;
}

}  // namespace

Napi::Value MapMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  MemoryRecord& memory = FindMemory(env, device, ArgUint64(info, 1, "memory"));
  const uint64_t offset = ArgUint64(info, 2, "offset");
  const uint64_t rawSize = ArgUint64(info, 3, "size");
  const MapCommand command = ArgCommand(info, 4);
  const uint32_t flags = ArgUint32(info, 5, "flags");
  const char* name = MapName(command);

  if ((memory.propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) == 0) {
    ThrowArgument(env, "memory", "memory type " + std::to_string(memory.memoryTypeIndex) +
                                     " is not HOST_VISIBLE; only host-visible memory can be mapped");
  }
  if (memory.mapping.active) ThrowState(env, "the memory object is already mapped; unmap it first");
  if (offset >= memory.size) {
    ThrowArgument(env, "offset", "must be less than allocationSize (" + std::to_string(memory.size) + ")");
  }
  const uint64_t size = rawSize == VK_WHOLE_SIZE ? memory.size - offset : rawSize;
  if (size == 0) ThrowArgument(env, "size", "must be greater than 0 (or VK_WHOLE_SIZE)");
  if (size > memory.size - offset) ThrowArgument(env, "size", "offset + size must not exceed allocationSize");
  if (size > kMaxViewBytes || size > static_cast<uint64_t>(SIZE_MAX)) {
    ThrowArgument(env, "size", "a mapping this large cannot be viewed from JavaScript");
  }
  if (command == MapCommand::kMapMemory && flags != 0) {
    ThrowArgument(env, "flags", "must be 0 for vkMapMemory (VK_MEMORY_MAP_PLACED_BIT_EXT needs vkMapMemory2)");
  }
  if ((flags & ~static_cast<uint32_t>(VK_MEMORY_MAP_PLACED_BIT_EXT)) != 0) {
    ThrowArgument(env, "flags", "only VK_MEMORY_MAP_PLACED_BIT_EXT is defined");
  }
  const bool placed = (flags & VK_MEMORY_MAP_PLACED_BIT_EXT) != 0;
  uint64_t address = 0;
  const Reservations::Range* range = nullptr;
  if (placed) {
    if (info[6].IsUndefined()) ThrowArgument(env, "pNext", "a placed map needs a VkMemoryMapPlacedInfoEXT");
    address = ArgUint64(info, 6, "pPlacedAddress");
    range = &CheckPlaced(env, device, memory, name, address, offset, rawSize, size);
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
  const MapCommand command = ArgCommand(info, 2);
  const uint32_t flags = ArgUint32(info, 3, "flags");
  const char* name = UnmapName(command);
  if (!memory.mapping.active) ThrowState(env, "the memory object is not mapped");
  if (command == MapCommand::kMapMemory && flags != 0) ThrowArgument(env, "flags", "vkUnmapMemory takes no flags");
  if ((flags & ~static_cast<uint32_t>(VK_MEMORY_UNMAP_RESERVE_BIT_EXT)) != 0) {
    ThrowArgument(env, "flags", "only VK_MEMORY_UNMAP_RESERVE_BIT_EXT is defined");
  }
  const bool reserve = (flags & VK_MEMORY_UNMAP_RESERVE_BIT_EXT) != 0;
  if (reserve && !device.placedEnabled.memoryUnmapReserve) {
    ThrowArgument(env, "flags", "VK_MEMORY_UNMAP_RESERVE_BIT_EXT needs the memoryUnmapReserve feature enabled");
  }

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
