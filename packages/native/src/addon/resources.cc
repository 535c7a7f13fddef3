#include "resources.h"

#include "args.h"
#include "errors.h"
#include "state.h"

namespace vkmap {

Napi::Value CreateBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  VkBufferCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  createInfo.size = ArgUint64(info, 1, "size");
  createInfo.usage = ArgUint32(info, 2, "usage");
  createInfo.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer handle{};
  VkResult result = device.fn.createBuffer(device.handle, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateBuffer", result);
  const uint64_t value = ValueOf(handle);
  device.buffers[value] = BufferRecord{handle, device.NextSerial(), ObjectRef{}};
  return BigUint64(env, value);
}

Napi::Value DestroyBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t value = ArgUint64(info, 1, "buffer");
  BufferRecord& buffer = FindRecord(env, device.buffers, value, "VkBuffer");
  device.fn.destroyBuffer(device.handle, buffer.handle, nullptr);
  device.buffers.erase(value);
  return env.Undefined();
}

Napi::Value GetBufferMemoryRequirements(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  BufferRecord& buffer = FindRecord(env, device.buffers, ArgUint64(info, 1, "buffer"), "VkBuffer");
  VkMemoryRequirements requirements{};
  device.fn.getBufferMemoryRequirements(device.handle, buffer.handle, &requirements);
  Napi::Object out = Napi::Object::New(env);
  out.Set("size", BigUint64(env, requirements.size));
  out.Set("alignment", BigUint64(env, requirements.alignment));
  out.Set("memoryTypeBits", Napi::Number::New(env, requirements.memoryTypeBits));
  return out;
}

Napi::Value BindBufferMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  BufferRecord& buffer = FindRecord(env, device.buffers, ArgUint64(info, 1, "buffer"), "VkBuffer");
  const uint64_t memoryValue = ArgUint64(info, 2, "memory");
  MemoryRecord& memory = FindMemory(env, device, memoryValue);
  const uint64_t offset = ArgUint64(info, 3, "memoryOffset");
  // Binding twice is undefined in the driver; the front refuses it, and so does the record.
  if (buffer.memory.value != 0) ThrowState(env, "the buffer is already bound to memory");
  VkResult result = device.fn.bindBufferMemory(device.handle, buffer.handle, memory.handle, offset);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkBindBufferMemory", result);
  buffer.memory = ObjectRef{memoryValue, memory.serial};
  return env.Undefined();
}

}  // namespace vkmap
