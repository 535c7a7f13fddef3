// vkAllocateMemory, vkFreeMemory, vkFlushMappedMemoryRanges and vkInvalidateMappedMemoryRanges.
#ifndef VKMAP_MEMORY_H
#define VKMAP_MEMORY_H

#include <napi.h>

namespace vkmap {

// allocateMemory(device, size: bigint, memoryTypeIndex, deviceMask: number | undefined) -> bigint handle
Napi::Value AllocateMemory(const Napi::CallbackInfo& info);
// freeMemory(device, handle: bigint): unmaps first when mapped (detaching the view).
Napi::Value FreeMemory(const Napi::CallbackInfo& info);
// mappedMemoryRanges(device, ranges: [handle, offset, size][], invalidate: boolean)
Napi::Value MappedMemoryRanges(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_MEMORY_H
