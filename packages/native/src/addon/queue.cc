#include "queue.h"

#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "errors.h"
#include "fence-wait.h"
#include "state.h"

namespace vkmap {
namespace {

QueueRecord& FindQueue(const Napi::CallbackInfo& info, DeviceState& device, size_t index) {
  return FindRecord(info.Env(), device.queues, ArgUint64(info, index, "queue"), "VkQueue");
}

std::vector<VkFence> FindFences(Napi::Env env, DeviceState& device, const std::vector<uint64_t>& values) {
  if (values.empty()) ThrowArgument(env, "fences", "must not be empty");
  std::vector<VkFence> fences;
  for (uint64_t value : values) fences.push_back(FindRecord(env, device.fences, value, "VkFence").handle);
  return fences;
}

}  // namespace

Napi::Value GetDeviceQueue(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint32_t family = ArgUint32(info, 1, "queueFamilyIndex");
  const uint32_t index = ArgUint32(info, 2, "queueIndex");
  for (const auto& [value, queue] : device.queues) {
    if (queue.familyIndex == family && queue.queueIndex == index) return BigUint64(env, value);
  }
  ThrowArgument(env, "queueIndex",
                "the device was not created with queue " + std::to_string(index) + " of family " +
                    std::to_string(family));
}

Napi::Value QueueSubmit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  QueueRecord& queue = FindQueue(info, device, 1);
  if (!info[2].IsArray()) ThrowArgument(env, "submits", "must be an array of BigUint64Arrays");
  Napi::Array list = info[2].As<Napi::Array>();
  std::vector<std::vector<VkCommandBuffer>> handles;
  std::vector<CommandBufferRecord*> submitted;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value item = list.Get(i);
    const std::string name = "submits[" + std::to_string(i) + "]";
    if (!item.IsTypedArray() || item.As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array) {
      ThrowArgument(env, name, "must be a BigUint64Array");
    }
    Napi::BigUint64Array values = item.As<Napi::BigUint64Array>();
    std::vector<VkCommandBuffer> commandBuffers;
    for (size_t j = 0; j < values.ElementLength(); ++j) {
      const uint64_t value = values[j];
      CommandBufferRecord& commandBuffer = FindRecord(env, device.commandBuffers, value, "VkCommandBuffer");
      CheckSubmittable(env, device, value, commandBuffer);
      auto pool = device.commandPools.find(commandBuffer.pool);
      if (pool == device.commandPools.end() || pool->second.familyIndex != queue.familyIndex) {
        ThrowState(env, "VkCommandBuffer " + Hex(value) + " was allocated for another queue family than the queue's");
      }
      commandBuffers.push_back(commandBuffer.handle);
      submitted.push_back(&commandBuffer);
    }
    handles.push_back(std::move(commandBuffers));
  }
  VkFence fence{};
  if (!info[3].IsUndefined()) fence = FindRecord(env, device.fences, ArgUint64(info, 3, "fence"), "VkFence").handle;

  std::vector<VkSubmitInfo> submits;
  for (const auto& commandBuffers : handles) {
    VkSubmitInfo submit{};
    submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
    submit.commandBufferCount = static_cast<uint32_t>(commandBuffers.size());
    submit.pCommandBuffers = commandBuffers.empty() ? nullptr : commandBuffers.data();
    submits.push_back(submit);
  }
  VkResult result = device.fn.queueSubmit(queue.handle, static_cast<uint32_t>(submits.size()),
                                          submits.empty() ? nullptr : submits.data(), fence);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkQueueSubmit", result);
  // A one-time submission becomes invalid once it ran; it is never handed to the driver again.
  for (CommandBufferRecord* commandBuffer : submitted) {
    if (commandBuffer->oneTimeSubmit) commandBuffer->executable = false;
  }
  return env.Undefined();
}

Napi::Value QueueWaitIdle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  QueueRecord& queue = FindQueue(info, device, 1);
  VkResult result = device.fn.queueWaitIdle(queue.handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkQueueWaitIdle", result);
  return env.Undefined();
}

Napi::Value DeviceWaitIdle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  VkResult result = device.fn.deviceWaitIdle(device.handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkDeviceWaitIdle", result);
  return env.Undefined();
}

Napi::Value CreateFence(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  VkFenceCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  createInfo.flags = ArgBool(info, 1, "signaled") ? VkFenceCreateFlags{VK_FENCE_CREATE_SIGNALED_BIT} : 0;
  VkFence handle{};
  VkResult result = device.fn.createFence(device.handle, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateFence", result);
  const uint64_t value = ValueOf(handle);
  device.fences[value] = PlainRecord<VkFence>{handle, device.NextSerial()};
  return BigUint64(env, value);
}

Napi::Value DestroyFence(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t value = ArgUint64(info, 1, "fence");
  VkFence fence = FindRecord(env, device.fences, value, "VkFence").handle;
  // No thread may still be waiting on the fence when it goes.
  device.waits->CancelFence(value, "VkFence " + Hex(value) + " was destroyed before it was signaled");
  device.fn.destroyFence(device.handle, fence, nullptr);
  device.fences.erase(value);
  return env.Undefined();
}

Napi::Value ResetFences(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  std::vector<VkFence> fences = FindFences(env, device, ArgWords(info, 1, "fences"));
  VkResult result = device.fn.resetFences(device.handle, static_cast<uint32_t>(fences.size()), fences.data());
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkResetFences", result);
  return env.Undefined();
}

Napi::Value GetFenceStatus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  VkFence fence = FindRecord(env, device.fences, ArgUint64(info, 1, "fence"), "VkFence").handle;
  VkResult result = device.fn.getFenceStatus(device.handle, fence);
  if (result != VK_SUCCESS && result != VK_NOT_READY) ThrowVkResult(env, "vkGetFenceStatus", result);
  return Napi::Boolean::New(env, result == VK_SUCCESS);
}

Napi::Value WaitForFences(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  std::vector<VkFence> fences = FindFences(env, device, ArgWords(info, 1, "fences"));
  const bool waitAll = ArgBool(info, 2, "waitAll");
  const uint64_t timeout = ArgUint64(info, 3, "timeout");
  VkResult result = device.fn.waitForFences(device.handle, static_cast<uint32_t>(fences.size()), fences.data(),
                                            waitAll ? 1 : 0, timeout);
  if (result != VK_SUCCESS && result != VK_TIMEOUT) ThrowVkResult(env, "vkWaitForFences", result);
  return Napi::Boolean::New(env, result == VK_SUCCESS);
}

}  // namespace vkmap
