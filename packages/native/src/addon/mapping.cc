#include "mapping.h"

#include <atomic>
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

const char* const kMapNames[] = {"vkMapMemory", "vkMapMemory2", "vkMapMemory2KHR"};
const char* const kUnmapNames[] = {"vkUnmapMemory", "vkUnmapMemory2", "vkUnmapMemory2KHR"};

// The entry point a call names ('vkMapMemory2KHR', 'vkUnmapMemory2', ...), in the older string form.
MapCommand CommandFromName(Napi::Env env, Napi::Value value) {
  if (!value.IsString()) ThrowArgument(env, "command", "must be a command name");
  const std::string name = value.As<Napi::String>().Utf8Value();
  if (name == "vkMapMemory" || name == "vkUnmapMemory") return MapCommand::kMapMemory;
  if (name == "vkMapMemory2" || name == "vkUnmapMemory2") return MapCommand::kMapMemory2;
  if (name == "vkMapMemory2KHR" || name == "vkUnmapMemory2KHR") return MapCommand::kMapMemory2KHR;
  ThrowArgument(env, "command", "unknown map command " + name);
}

double ReadNumber(const Napi::CallbackInfo& info, size_t index, const char* name, napi_valuetype& type) {
  napi_env env = info.Env();
  napi_value value = info[index];
  double number = 0;
  // A number, the common case, is read in one call; anything else is then told apart by its type.
  if (napi_get_value_double(env, value, &number) == napi_ok) {
    type = napi_number;
    return number;
  }
  if (napi_typeof(env, value, &type) != napi_ok) ThrowArgument(info.Env(), name, "cannot be read");
  return 0;
}

}  // namespace

uint32_t ReadUint32(const Napi::CallbackInfo& info, size_t index, const char* name) {
  napi_valuetype type;
  const double number = ReadNumber(info, index, name, type);
  if (type != napi_number || !(number >= 0 && number <= 4294967295.0) ||
      number != static_cast<double>(static_cast<uint32_t>(number))) {
    ThrowArgument(info.Env(), name, "must be a 32-bit unsigned integer");
  }
  return static_cast<uint32_t>(number);
}

// A VkDeviceSize or handle value: a bigint, or a non-negative safe integer number.
uint64_t ReadUint64(const Napi::CallbackInfo& info, size_t index, const char* name) {
  napi_valuetype type;
  const double number = ReadNumber(info, index, name, type);
  uint64_t value = 0;
  if (type == napi_number) {
    if (SafeIntegerValue(number, &value)) return value;
  } else if (type == napi_bigint) {
    bool lossless = false;
    napi_get_value_bigint_uint64(info.Env(), info[index], &value, &lossless);
    if (lossless) return value;
  }
  ThrowArgument(info.Env(), name, "must be a bigint between 0 and 2^64 - 1, or a safe integer");
}

namespace {

// The `control` argument of the map and unmap calls (mapping.h): the command's code and two bits.
struct Control {
  MapCommand command;
  bool flag;    // kControlFlagBit: VK_MEMORY_MAP_PLACED_BIT_EXT or VK_MEMORY_UNMAP_RESERVE_BIT_EXT
  bool detach;  // kControlDetach: views: 'detach'
};

Control ReadControl(const Napi::CallbackInfo& info, size_t index) {
  const uint32_t control = ReadUint32(info, index, "control");
  if ((control & kControlCommandMask) > 2 || control > 0xf) ThrowArgument(info.Env(), "control", "unknown bits");
  return {static_cast<MapCommand>(control & kControlCommandMask), (control & kControlFlagBit) != 0,
          (control & kControlDetach) != 0};
}

uint64_t AlignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

Napi::Object RangeObject(Napi::Env env, const Reservations::Range& range) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", Napi::Number::New(env, range.id));
  out.Set("address", BigUint64(env, range.base));
  out.Set("size", BigUint64(env, range.size));
  return out;
}

uint32_t NextSerial() {
  static std::atomic<uint32_t> next{1};
  uint32_t serial = next.fetch_add(1, std::memory_order_relaxed);
  return serial != 0 ? serial : next.fetch_add(1, std::memory_order_relaxed);
}

PFN_vkMapMemory2 AnyMap2(const DeviceFunctions& fn) { return fn.mapMemory2 ? fn.mapMemory2 : fn.mapMemory2KHR; }
PFN_vkUnmapMemory2 AnyUnmap2(const DeviceFunctions& fn) {
  return fn.unmapMemory2 ? fn.unmapMemory2 : fn.unmapMemory2KHR;
}

// Whether the addon may place this memory's maps into a window of its own: memoryMapPlaced and
// memoryUnmapReserve enabled (the reserve bit is what keeps the driver from unmapping our window), a map2
// entry point, and an allocation size that allows a placed map of the whole allocation at offset 0
// (VUID-VkMemoryMapInfo-flags-09571, -09572, -09651), which serves every range the application asks for.
bool CanPlaceWindow(const DeviceState& device, const MemoryRecord& memory) {
  const uint64_t alignment = device.physical->minPlacedMemoryMapAlignment;
  return device.placedEnabled.memoryMapPlaced && device.placedEnabled.memoryUnmapReserve &&
         AnyMap2(device.fn) != nullptr && AnyUnmap2(device.fn) != nullptr && alignment != 0 &&
         memory.size % alignment == 0 && memory.size <= static_cast<uint64_t>(SIZE_MAX);
}

// A placed map of the whole allocation into the window: the driver's pointer is the window's base.
VkResult PlaceInWindow(DeviceState& device, MemoryRecord& memory, ViewWindow& window) {
  if (memory.views.placedMapped) return VK_SUCCESS;
  VkMemoryMapPlacedInfoEXT placedInfo{};
  placedInfo.sType = VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT;
  placedInfo.pPlacedAddress = reinterpret_cast<void*>(window.base());
  VkMemoryMapInfo mapInfo{};
  mapInfo.sType = VK_STRUCTURE_TYPE_MEMORY_MAP_INFO;
  mapInfo.pNext = &placedInfo;
  mapInfo.flags = VK_MEMORY_MAP_PLACED_BIT_EXT;
  mapInfo.memory = memory.handle;
  mapInfo.offset = 0;
  mapInfo.size = VK_WHOLE_SIZE;
  void* pointer = nullptr;
  window.BeginChange();
  VkResult result = AnyMap2(device.fn)(device.handle, &mapInfo, &pointer);
  if (result == VK_SUCCESS && reinterpret_cast<uintptr_t>(pointer) != window.base()) {
    // Not where it was asked to go (a driver bug): undo it; the window stays ours, reserved.
    device.fn.unmapMemory(device.handle, memory.handle);
    result = VK_ERROR_MEMORY_MAP_FAILED;
  }
  memory.views.placedMapped = result == VK_SUCCESS;
  window.EndChange(memory.views.placedMapped);
  return result;
}

// Unmaps a map placed in the addon's window with the reserve bit, leaving the range reserved, and puts
// scratch pages there unless a reserving unmap of the application's hands the range on (`scratch` false).
// A view's access meanwhile waits (fault-guard.h).
VkResult UnplaceFromWindow(DeviceState& device, MemoryRecord& memory, ViewWindow& window, bool scratch = true) {
  VkMemoryUnmapInfo unmapInfo{};
  unmapInfo.sType = VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO;
  unmapInfo.flags = VK_MEMORY_UNMAP_RESERVE_BIT_EXT;
  unmapInfo.memory = memory.handle;
  window.BeginChange();
  VkResult result = AnyUnmap2(device.fn)(device.handle, &unmapInfo);
  if (result == VK_SUCCESS) {
    memory.views.placedMapped = false;
    if (scratch) window.Scratch();
  }
  window.EndChange(memory.views.placedMapped);
  return result;
}

// Scratches the current window (its views reach nothing else from now on) and drops the record's hold.
void DropWindow(MemoryViews& views, bool teardown) {
  if (views.window != nullptr) {
    views.window->Scratch();
    views.window->Release();
    views.window = nullptr;
  }
  if (teardown) {
    views.buffer.SuppressDestruct();
  } else {
    views.buffer.Reset();
  }
  views.strategy = ViewStrategy::kDriver;
  views.serial = 0;
}

}  // namespace

void RetireViews(DeviceState& device, MemoryRecord& memory, bool teardown) {
  MemoryViews& views = memory.views;
  if (views.window != nullptr && views.strategy == ViewStrategy::kPlaced && views.placedMapped) {
    // Should the driver refuse, vkFreeMemory unmaps the window itself: it is then no longer ours.
    if (UnplaceFromWindow(device, memory, *views.window) != VK_SUCCESS) views.window->GiveAway();
  }
  views.placedMapped = false;
  DropWindow(views, teardown);
}

Napi::Value MapMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ReadUint32(info, 0, "device"));
  MemoryRecord& memory = FindMemory(env, device, ReadUint64(info, 1, "memory"));
  const uint64_t offset = ReadUint64(info, 2, "offset");
  const uint64_t rawSize = ReadUint64(info, 3, "size");
  MapCommand command;
  uint32_t flags = 0;
  bool detach = false;
  uint32_t cachedSerial = 0;
  if (info[4].IsString()) {
    command = CommandFromName(env, info[4]);
    flags = ReadUint32(info, 5, "flags");
  } else {
    const Control control = ReadControl(info, 4);
    command = control.command;
    flags = control.flag ? static_cast<uint32_t>(VK_MEMORY_MAP_PLACED_BIT_EXT) : 0u;
    detach = control.detach;
    cachedSerial = ReadUint32(info, 5, "cachedSerial");
  }
  const char* name = kMapNames[static_cast<uint32_t>(command)];

  // What the front checked (type, flags, features, placement rules) is not checked again. What keeps the view
  // sound is: one mapping per memory object, a view never longer than the mapped bytes or what JavaScript can
  // address, and a placed map only into free pages of a range this addon reserved (MAP_FIXED anywhere else
  // would replace memory of the process).
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
    address = ReadUint64(info, 6, "pPlacedAddress");
    const uint64_t length = AlignUp(size, Reservations::PageSize());
    range = State(env).reservations.FindReserved(static_cast<uintptr_t>(address), length);
    if (range == nullptr) {
      ThrowVkResult(env, name, VK_ERROR_MEMORY_MAP_FAILED,
                    "pPlacedAddress " + Hex(address) + " + " + std::to_string(length) +
                        " bytes is not free space inside an address range reserved with reserveAddressRange()");
    }
  }

  MemoryViews& views = memory.views;
  // A window is kept across unmaps (in detach mode too: a detached view's raw pointer, still used by the
  // thread pool, then keeps reaching this memory object), and never serves a map the application placed.
  if (views.window != nullptr && placed) RetireViews(device, memory, false);

  PFN_vkMapMemory2 map2 = command == MapCommand::kMapMemory2      ? device.fn.mapMemory2
                          : command == MapCommand::kMapMemory2KHR ? device.fn.mapMemory2KHR
                                                                  : nullptr;
  // Maps as the application asked, into `pointer`.
  auto driverMap = [&](void** pointer) -> VkResult {
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
      return map2(device.handle, &mapInfo, pointer);
    }
    // vkMapMemory, or a *2 command the driver does not expose: the same semantics without placement.
    if (placed) ThrowState(env, std::string("the driver does not provide ") + name + ", which placed maps need");
    return device.fn.mapMemory(device.handle, memory.handle, offset, rawSize, 0, pointer);
  };

  void* pointer = nullptr;
  VkResult result;
  const bool inOwnWindow = views.window != nullptr && views.strategy == ViewStrategy::kPlaced;
  if (inOwnWindow) {
    result = PlaceInWindow(device, memory, *views.window);
    if (result == VK_SUCCESS) pointer = reinterpret_cast<uint8_t*>(views.window->base()) + offset;
  } else {
    result = driverMap(&pointer);
  }
  if (result != VK_SUCCESS) {
    if (inOwnWindow) RetireViews(device, memory, false);
    ThrowVkResult(env, name, result);
  }
  if (pointer == nullptr) {
    device.fn.unmapMemory(device.handle, memory.handle);
    ThrowVkResult(env, name, VK_ERROR_MEMORY_MAP_FAILED, "the driver returned a null pointer");
  }
  const uintptr_t actual = reinterpret_cast<uintptr_t>(pointer);

  // The view's window: the current one where it still shows this range, else a new alias, else a window
  // the driver places the map into, else none (the driver's pointer; the view is detached at unmap).
  const uint64_t page = Reservations::PageSize();
  bool same = false;
  if (views.window != nullptr) {
    same = views.offset == offset && views.size == size &&
           (views.strategy == ViewStrategy::kPlaced || views.driverPointer == actual);
    if (!same && views.strategy == ViewStrategy::kAlias) DropWindow(views, false);
  }
  if (views.window == nullptr) {
    const uintptr_t pageBase = actual - actual % page;
    const uint64_t length = AlignUp(actual - pageBase + size, page);
    if (ViewWindow* window = ViewWindow::Alias(pageBase, static_cast<size_t>(length))) {
      views.window = window;
      views.strategy = ViewStrategy::kAlias;
    } else if (!placed && CanPlaceWindow(device, memory)) {
      // Once per memory object (stable mode): the map moves into a window of the addon's.
      device.fn.unmapMemory(device.handle, memory.handle);
      const uint64_t windowLength = AlignUp(memory.size, page);
      ViewWindow* window = ViewWindow::Reserve(static_cast<size_t>(windowLength),
                                               static_cast<size_t>(device.physical->minPlacedMemoryMapAlignment));
      VkResult placedResult = window != nullptr ? PlaceInWindow(device, memory, *window) : VK_ERROR_OUT_OF_HOST_MEMORY;
      if (placedResult == VK_SUCCESS) {
        views.window = window;
        views.strategy = ViewStrategy::kPlaced;
        pointer = reinterpret_cast<uint8_t*>(window->base()) + offset;
      } else {
        if (window != nullptr) window->Release();
        // Back to the driver's own map, as the application asked for it.
        pointer = nullptr;
        result = driverMap(&pointer);
        if (result != VK_SUCCESS) ThrowVkResult(env, name, result);
        if (pointer == nullptr) {
          device.fn.unmapMemory(device.handle, memory.handle);
          ThrowVkResult(env, name, VK_ERROR_MEMORY_MAP_FAILED, "the driver returned a null pointer");
        }
      }
    }
  }
  const uintptr_t mapped = reinterpret_cast<uintptr_t>(pointer);
  uint8_t* viewPointer;
  if (views.strategy == ViewStrategy::kAlias) {
    viewPointer = reinterpret_cast<uint8_t*>(views.window->base() + mapped % page);
  } else {
    viewPointer = static_cast<uint8_t*>(pointer);
  }

  // The ArrayBuffer: JavaScript's cached one, the current one, or a new one.
  const bool stable = !detach && views.window != nullptr;
  Napi::ArrayBuffer buffer;
  if (!(same && stable && cachedSerial != 0 && cachedSerial == views.serial)) {
    if (same && stable && !views.buffer.IsEmpty()) buffer = views.buffer.Value();
    if (buffer.IsEmpty()) {
      try {
        buffer = NewMappedView(env, viewPointer, static_cast<size_t>(size), views.window, detach);
      } catch (const Napi::Error&) {
        // Leave the memory unmapped, as it was.
        if (views.strategy == ViewStrategy::kPlaced) {
          if (UnplaceFromWindow(device, memory, *views.window) != VK_SUCCESS) views.window->GiveAway();
        } else {
          device.fn.unmapMemory(device.handle, memory.handle);
        }
        throw;
      }
      // Only a stable view is handed out again; a detached one needs no second reference.
      if (!detach) views.buffer = Napi::Weak(buffer);
      views.serial = NextSerial();
    }
  }
  views.offset = offset;
  views.size = size;
  views.driverPointer = mapped;

  Mapping& mapping = memory.mapping;
  mapping.active = true;
  mapping.offset = offset;
  mapping.size = size;
  mapping.pointer = static_cast<uint8_t*>(pointer);
  mapping.placed = placed;
  mapping.detach = !stable;
  // Views are detached when the mapping ends only where they have no window to stay addressable in.
  if (!stable) mapping.view = Napi::Weak(buffer);
  if (placed && range != nullptr && mapped == address) {
    mapping.reservationId = range->id;
    mapping.placedLength = AlignUp(size, page);
    State(env).reservations.MarkMapped(range->id, mapped, mapping.placedLength);
  }

  if (buffer.IsEmpty()) return Napi::Number::New(env, views.serial);
  Napi::Object out = Napi::Object::New(env);
  out.Set("address", BigUint64(env, mapped));
  out.Set("buffer", buffer);
  out.Set("serial", Napi::Number::New(env, views.serial));
  out.Set("strategy", Napi::Number::New(env, static_cast<uint32_t>(views.strategy)));
  return out;
}

Napi::Value UnmapMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ReadUint32(info, 0, "device"));
  MemoryRecord& memory = FindMemory(env, device, ReadUint64(info, 1, "memory"));
  MapCommand command;
  uint32_t flags = 0;
  if (info[2].IsString()) {
    command = CommandFromName(env, info[2]);
    flags = ReadUint32(info, 3, "flags");
  } else {
    const Control control = ReadControl(info, 2);
    command = control.command;
    flags = control.flag ? static_cast<uint32_t>(VK_MEMORY_UNMAP_RESERVE_BIT_EXT) : 0u;
  }
  const char* name = kUnmapNames[static_cast<uint32_t>(command)];
  // The mapping record (its pointer) is what a reserving unmap hands back to a reservation.
  if (!memory.mapping.active) ThrowState(env, "the memory object is not mapped");
  const bool reserve = (flags & VK_MEMORY_UNMAP_RESERVE_BIT_EXT) != 0;
  MemoryViews& views = memory.views;
  const bool inOwnWindow = views.window != nullptr && views.strategy == ViewStrategy::kPlaced;

  PFN_vkUnmapMemory2 unmap2 = command == MapCommand::kMapMemory2      ? device.fn.unmapMemory2
                              : command == MapCommand::kMapMemory2KHR ? device.fn.unmapMemory2KHR
                                                                      : nullptr;
  if (reserve && unmap2 == nullptr) {
    ThrowState(env, std::string("the driver does not provide ") + name + ", which the reserve bit needs");
  }
  // A reserving unmap of a map the addon placed hands the addon's window to the application: views over
  // it must not reach what the application places there next, so they are detached, in stable mode too.
  if (reserve && inOwnWindow && !views.buffer.IsEmpty() && !views.buffer.Value().IsEmpty() &&
      !DetachMappedView(env, views.buffer.Value())) {
    ThrowState(env, "the mapped view of VkDeviceMemory " + Hex(HandleValue(memory.handle)) +
                        " can no longer be detached, so the memory stays mapped: unmapping it with "
                        "VK_MEMORY_UNMAP_RESERVE_BIT_EXT would hand its window to the application under the view");
  }
  // The view goes first where it is detached: a view must never outlive the mapping. (A vkUnmapMemory2 that
  // fails after this leaves the memory mapped with its view detached; map it again for a new view.)
  DetachViewOrThrow(env, device, memory);

  // In 'stable' mode the driver's map stays in the addon's window (as an alias stays over lavapipe's pages):
  // the view keeps reaching this memory object's bytes, the next map of any range of it needs no system
  // call, and the free unmaps it. In 'detach' mode every unmap reaches the driver.
  const bool keepPlaced = inOwnWindow && !reserve && !memory.mapping.detach;
  if (inOwnWindow) {
    if (!keepPlaced) {
      // The window's pages turn to scratch (stale views read zeros until the next map), or, for a reserving
      // unmap, go to the application below.
      const VkResult result = UnplaceFromWindow(device, memory, *views.window, !reserve);
      if (result != VK_SUCCESS) ThrowVkResult(env, name, result);
    }
  } else if (unmap2 != nullptr) {
    VkMemoryUnmapInfo unmapInfo{};
    unmapInfo.sType = VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO;
    unmapInfo.flags = flags;
    unmapInfo.memory = memory.handle;
    VkResult result = unmap2(device.handle, &unmapInfo);
    if (result != VK_SUCCESS) ThrowVkResult(env, name, result);  // still mapped, as the specification says
  } else {
    device.fn.unmapMemory(device.handle, memory.handle);
  }

  AddonState& state = State(env);
  if (inOwnWindow && reserve) {
    const Reservations::Range& adopted = state.reservations.Adopt(views.window->base(), views.window->length());
    views.window->GiveAway();
    DropWindow(views, false);
    EndMapping(state, memory, true);
    return RangeObject(env, adopted);
  }
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
