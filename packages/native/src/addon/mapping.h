// vkMapMemory, vkMapMemory2(KHR), vkUnmapMemory, vkUnmapMemory2(KHR), the ArrayBuffer handed out for each
// mapping, and placed maps (VK_EXT_map_memory_placed) confined to address ranges this addon reserved.
#ifndef VKMAP_MAPPING_H
#define VKMAP_MAPPING_H

#include <napi.h>

namespace vkmap {

// Which entry point a call stands for: JavaScript passes the command's name (vkMapMemory2KHR, vkUnmapMemory2, ...).
enum class MapCommand : uint32_t { kMapMemory = 0, kMapMemory2 = 1, kMapMemory2KHR = 2 };

// mapMemory(device, memory: bigint, offset: bigint, size: bigint, command: string, flags, placedAddress?: bigint)
//   -> { address: bigint, buffer: ArrayBuffer (external, exactly the mapped bytes) }
Napi::Value MapMemory(const Napi::CallbackInfo& info);
// unmapMemory(device, memory: bigint, command: string, flags)
//   -> { id, address, size } of the range left reserved (VK_MEMORY_UNMAP_RESERVE_BIT_EXT), or undefined
Napi::Value UnmapMemory(const Napi::CallbackInfo& info);
// reserveAddressRange(size: bigint, alignment: bigint) -> { id, address, size }
Napi::Value ReserveAddressRange(const Napi::CallbackInfo& info);
// releaseAddressRange(id)
Napi::Value ReleaseAddressRange(const Napi::CallbackInfo& info);
// pageSize() -> number
Napi::Value PageSize(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_MAPPING_H
