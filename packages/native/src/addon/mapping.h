// vkMapMemory, vkMapMemory2(KHR), vkUnmapMemory, vkUnmapMemory2(KHR), the ArrayBuffer handed out for each
// mapping, and placed maps (VK_EXT_map_memory_placed) confined to address ranges this addon reserved.
#ifndef VKMAP_MAPPING_H
#define VKMAP_MAPPING_H

#include <napi.h>

#include <cstdint>

namespace vkmap {

// Which entry point a call stands for: JavaScript passes the command's name (vkMapMemory2KHR, vkUnmapMemory2, ...).
enum class MapCommand : uint32_t { kMapMemory = 0, kMapMemory2 = 1, kMapMemory2KHR = 2 };

// Bits of the `control` argument of mapMemory and unmapMemory.
constexpr uint32_t kControlCommandMask = 0x3;  // a MapCommand
constexpr uint32_t kControlDetach = 0x4;       // views: 'detach' (otherwise 'stable')
constexpr uint32_t kControlFlagBit = 0x8;      // VK_MEMORY_MAP_PLACED_BIT_EXT / VK_MEMORY_UNMAP_RESERVE_BIT_EXT

// mapMemory(device, memory, offset, size, control, cachedSerial, placedAddress?: bigint)
//   memory, offset and size are bigints or safe-integer numbers (VK_WHOLE_SIZE as a bigint).
//   -> cachedSerial itself (a number) when the view JavaScript cached under that serial is still the view
//      of this mapping: same window, same range (stable mode only);
//   -> else { address: bigint, buffer: ArrayBuffer (exactly the mapped bytes), serial, strategy }.
// The older form mapMemory(device, memory, offset, size, command: string, flags, placedAddress?) maps in
// stable mode and always returns the object.
Napi::Value MapMemory(const Napi::CallbackInfo& info);
// unmapMemory(device, memory, control) or unmapMemory(device, memory, command: string, flags)
//   -> { id, address, size } of the range left reserved (VK_MEMORY_UNMAP_RESERVE_BIT_EXT), or undefined
Napi::Value UnmapMemory(const Napi::CallbackInfo& info);
// reserveAddressRange(size: bigint, alignment: bigint) -> { id, address, size }
Napi::Value ReserveAddressRange(const Napi::CallbackInfo& info);
// releaseAddressRange(id)
Napi::Value ReleaseAddressRange(const Napi::CallbackInfo& info);
// pageSize() -> number
Napi::Value PageSize(const Napi::CallbackInfo& info);

// Argument readers for the hot paths (no std::string unless they throw): a number that is a uint32_t, and
// a bigint or safe-integer number that is a uint64_t (a handle value or a VkDeviceSize).
uint32_t ReadUint32(const Napi::CallbackInfo& info, size_t index, const char* name);
uint64_t ReadUint64(const Napi::CallbackInfo& info, size_t index, const char* name);

struct DeviceState;
struct MemoryRecord;

// Before the memory object is freed (by vkFreeMemory, or with its device): puts scratch pages under its
// views and drops the record's hold on their window. A mapping placed in the addon's own window is unmapped
// first (keeping the range reserved, so that the driver does not unmap our window). `teardown`: JavaScript
// no longer runs, references are not touched.
void RetireViews(DeviceState& device, MemoryRecord& memory, bool teardown);

}  // namespace vkmap

#endif  // VKMAP_MAPPING_H
