// Command pools and command buffers (Vulkan "Command Buffers", with vkCmdPipelineBarrier from
// "Synchronization"). The front records commands as plain data and hands them over whole at
// vkEndCommandBuffer; recordCommandBuffer replays them into the driver's command buffer in one call, from a
// compact encoding (src/compute/encode.ts writes it):
//
//   BigUint64Array of words, each command an opcode and its operands, handles as their values:
//   1 bindPipeline       pipeline
//   2 bindDescriptorSets layout, firstSet, setCount, dynamicOffsetCount, sets..., dynamicOffsets...
//   3 pushConstants      layout, stageFlags, offset, size, byteOffset (size bytes of `bytes` from byteOffset)
//   4 dispatch           groupCountX, groupCountY, groupCountZ
//   5 pipelineBarrier    srcStageMask, dstStageMask, dependencyFlags, memoryBarrierCount, bufferBarrierCount,
//                        memoryBarrierCount x (srcAccessMask, dstAccessMask),
//                        bufferBarrierCount x (srcAccessMask, dstAccessMask, buffer, offset, size)
//   6 copyBuffer         src, dst, regionCount, regionCount x (srcOffset, dstOffset, size)
//   7 fillBuffer         dst, offset, size, data
//
// The whole list is decoded and every handle looked up before vkBeginCommandBuffer, so a malformed list
// changes nothing. What the commands use (buffers, pipelines, descriptor sets) is kept with the command
// buffer and checked before each submission (CheckSubmittable): a command buffer whose objects were
// destroyed since, or whose buffers lost their memory, is refused instead of handed to the driver.
#ifndef VKMAP_COMMANDS_H
#define VKMAP_COMMANDS_H

#include <napi.h>

#include "state.h"

namespace vkmap {

enum class CommandOp : uint64_t {
  kBindPipeline = 1,
  kBindDescriptorSets = 2,
  kPushConstants = 3,
  kDispatch = 4,
  kPipelineBarrier = 5,
  kCopyBuffer = 6,
  kFillBuffer = 7,
};

// createCommandPool(device, flags, queueFamilyIndex) -> bigint
Napi::Value CreateCommandPool(const Napi::CallbackInfo& info);
// destroyCommandPool(device, pool): its command buffers go with it
Napi::Value DestroyCommandPool(const Napi::CallbackInfo& info);
// resetCommandPool(device, pool)
Napi::Value ResetCommandPool(const Napi::CallbackInfo& info);
// allocateCommandBuffers(device, pool, count) -> BigUint64Array (primary command buffers)
Napi::Value AllocateCommandBuffers(const Napi::CallbackInfo& info);
// freeCommandBuffers(device, pool, commandBuffers: BigUint64Array): each of that pool
Napi::Value FreeCommandBuffers(const Napi::CallbackInfo& info);
// recordCommandBuffer(device, commandBuffer, flags, words: BigUint64Array, bytes: Uint8Array)
Napi::Value RecordCommandBuffer(const Napi::CallbackInfo& info);
// resetCommandBuffer(device, commandBuffer)
Napi::Value ResetCommandBuffer(const Napi::CallbackInfo& info);

// Throws a state error when the command buffer was never recorded (or was a one-time submission already
// submitted), or when something its commands use is gone.
void CheckSubmittable(Napi::Env env, DeviceState& device, uint64_t value, const CommandBufferRecord& commandBuffer);

}  // namespace vkmap

#endif  // VKMAP_COMMANDS_H
