// Buffers (Vulkan "Resource Creation"): vkCreateBuffer, vkDestroyBuffer, vkGetBufferMemoryRequirements,
// vkBindBufferMemory. Every buffer is a record of its device, with the memory bound to it.
#ifndef VKMAP_RESOURCES_H
#define VKMAP_RESOURCES_H

#include <napi.h>

namespace vkmap {

// createBuffer(device, size: bigint, usage) -> bigint (exclusive sharing, no flags)
Napi::Value CreateBuffer(const Napi::CallbackInfo& info);
// destroyBuffer(device, buffer: bigint)
Napi::Value DestroyBuffer(const Napi::CallbackInfo& info);
// getBufferMemoryRequirements(device, buffer) -> { size: bigint, alignment: bigint, memoryTypeBits }
Napi::Value GetBufferMemoryRequirements(const Napi::CallbackInfo& info);
// bindBufferMemory(device, buffer, memory: bigint, offset: bigint)
Napi::Value BindBufferMemory(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_RESOURCES_H
