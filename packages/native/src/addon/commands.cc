#include "commands.h"

#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "errors.h"

namespace vkmap {
namespace {

// Reads the encoded words; running out, or a 32-bit operand out of range, is an argument error.
class Words {
 public:
  Words(Napi::Env env, std::vector<uint64_t> words) : env_(env), words_(std::move(words)) {}

  bool Done() const { return at_ >= words_.size(); }
  size_t Left() const { return words_.size() - at_; }

  uint64_t Next(const char* name) {
    if (at_ >= words_.size()) ThrowArgument(env_, "commands", std::string("the list ends before ") + name);
    return words_[at_++];
  }

  uint32_t Next32(const char* name) {
    const uint64_t value = Next(name);
    if (value > UINT32_MAX) ThrowArgument(env_, "commands", std::string(name) + " must be a 32-bit value");
    return static_cast<uint32_t>(value);
  }

  // A count of groups of `width` words that must all follow.
  uint32_t Count(const char* name, size_t width) {
    const uint32_t count = Next32(name);
    if (count > Left() / width) ThrowArgument(env_, "commands", std::string(name) + " exceeds the words that follow");
    return count;
  }

 private:
  Napi::Env env_;
  std::vector<uint64_t> words_;
  size_t at_ = 0;
};

// One decoded command: its opcode and what it needs, every handle already looked up.
struct Command {
  CommandOp op = CommandOp::kDispatch;
  VkPipeline pipeline{};
  VkPipelineLayout layout{};
  VkBuffer src{};
  VkBuffer dst{};
  uint32_t values[3] = {0, 0, 0};  // firstSet | stageFlags, offset | group counts | stages and flags | fill data
  VkDeviceSize offset = 0;
  VkDeviceSize size = 0;
  std::vector<VkDescriptorSet> sets;
  std::vector<uint32_t> dynamicOffsets;
  std::vector<uint8_t> bytes;
  std::vector<VkMemoryBarrier> memoryBarriers;
  std::vector<VkBufferMemoryBarrier> bufferBarriers;
  std::vector<VkBufferCopy> regions;
};

struct Decoded {
  std::vector<Command> commands;
  std::vector<ObjectRef> buffers;
  std::vector<ObjectRef> pipelines;
  std::vector<ObjectRef> descriptorSets;
};

VkBuffer TakeBuffer(Napi::Env env, DeviceState& device, Words& words, Decoded& decoded, const char* name) {
  const uint64_t value = words.Next(name);
  BufferRecord& buffer = FindRecord(env, device.buffers, value, "VkBuffer");
  decoded.buffers.push_back(ObjectRef{value, buffer.serial});
  return buffer.handle;
}

VkPipelineLayout TakeLayout(Napi::Env env, DeviceState& device, Words& words) {
  return FindRecord(env, device.pipelineLayouts, words.Next("layout"), "VkPipelineLayout").handle;
}

Decoded Decode(Napi::Env env, DeviceState& device, std::vector<uint64_t> encoded, Napi::Value bytesValue) {
  if (!bytesValue.IsTypedArray() || bytesValue.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowArgument(env, "bytes", "must be a Uint8Array");
  }
  Napi::Uint8Array bytes = bytesValue.As<Napi::Uint8Array>();
  Words words(env, std::move(encoded));
  Decoded decoded;
  while (!words.Done()) {
    const uint64_t op = words.Next("an opcode");
    Command command;
    command.op = static_cast<CommandOp>(op);
    switch (command.op) {
      case CommandOp::kBindPipeline: {
        const uint64_t value = words.Next("pipeline");
        auto& pipeline = FindRecord(env, device.pipelines, value, "VkPipeline");
        decoded.pipelines.push_back(ObjectRef{value, pipeline.serial});
        command.pipeline = pipeline.handle;
        break;
      }
      case CommandOp::kBindDescriptorSets: {
        command.layout = TakeLayout(env, device, words);
        command.values[0] = words.Next32("firstSet");
        const uint32_t setCount = words.Next32("setCount");
        const uint32_t offsetCount = words.Next32("dynamicOffsetCount");
        if (static_cast<uint64_t>(setCount) + offsetCount > words.Left()) {
          ThrowArgument(env, "commands", "setCount and dynamicOffsetCount exceed the words that follow");
        }
        for (uint32_t i = 0; i < setCount; ++i) {
          const uint64_t value = words.Next("set");
          DescriptorSetRecord& set = FindRecord(env, device.descriptorSets, value, "VkDescriptorSet");
          decoded.descriptorSets.push_back(ObjectRef{value, set.serial});
          command.sets.push_back(set.handle);
        }
        for (uint32_t i = 0; i < offsetCount; ++i) command.dynamicOffsets.push_back(words.Next32("dynamicOffset"));
        break;
      }
      case CommandOp::kPushConstants: {
        command.layout = TakeLayout(env, device, words);
        command.values[0] = words.Next32("stageFlags");
        command.values[1] = words.Next32("offset");
        const uint32_t size = words.Next32("size");
        const uint64_t from = words.Next("byteOffset");
        // The driver reads `size` bytes: they must lie inside the bytes passed.
        if (size == 0 || from > bytes.ElementLength() || size > bytes.ElementLength() - from) {
          ThrowArgument(env, "bytes", "a pushConstants command reaches past the end of the bytes");
        }
        command.bytes.assign(bytes.Data() + from, bytes.Data() + from + size);
        break;
      }
      case CommandOp::kDispatch:
        command.values[0] = words.Next32("groupCountX");
        command.values[1] = words.Next32("groupCountY");
        command.values[2] = words.Next32("groupCountZ");
        break;
      case CommandOp::kPipelineBarrier: {
        command.values[0] = words.Next32("srcStageMask");
        command.values[1] = words.Next32("dstStageMask");
        command.values[2] = words.Next32("dependencyFlags");
        const uint32_t memoryCount = words.Next32("memoryBarrierCount");
        const uint32_t bufferCount = words.Next32("bufferMemoryBarrierCount");
        if (static_cast<uint64_t>(memoryCount) * 2 + static_cast<uint64_t>(bufferCount) * 5 > words.Left()) {
          ThrowArgument(env, "commands", "the barrier counts exceed the words that follow");
        }
        for (uint32_t i = 0; i < memoryCount; ++i) {
          VkMemoryBarrier barrier{};
          barrier.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
          barrier.srcAccessMask = words.Next32("srcAccessMask");
          barrier.dstAccessMask = words.Next32("dstAccessMask");
          command.memoryBarriers.push_back(barrier);
        }
        for (uint32_t i = 0; i < bufferCount; ++i) {
          VkBufferMemoryBarrier barrier{};
          barrier.sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER;
          barrier.srcAccessMask = words.Next32("srcAccessMask");
          barrier.dstAccessMask = words.Next32("dstAccessMask");
          barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
          barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
          barrier.buffer = TakeBuffer(env, device, words, decoded, "buffer");
          barrier.offset = words.Next("offset");
          barrier.size = words.Next("size");
          command.bufferBarriers.push_back(barrier);
        }
        break;
      }
      case CommandOp::kCopyBuffer: {
        command.src = TakeBuffer(env, device, words, decoded, "srcBuffer");
        command.dst = TakeBuffer(env, device, words, decoded, "dstBuffer");
        const uint32_t count = words.Count("regionCount", 3);
        for (uint32_t i = 0; i < count; ++i) {
          VkBufferCopy region{};
          region.srcOffset = words.Next("srcOffset");
          region.dstOffset = words.Next("dstOffset");
          region.size = words.Next("size");
          command.regions.push_back(region);
        }
        if (command.regions.empty()) ThrowArgument(env, "commands", "a copyBuffer command needs a region");
        break;
      }
      case CommandOp::kFillBuffer:
        command.dst = TakeBuffer(env, device, words, decoded, "dstBuffer");
        command.offset = words.Next("dstOffset");
        command.size = words.Next("size");
        command.values[0] = words.Next32("data");
        break;
      default:
        ThrowArgument(env, "commands", "unknown opcode " + std::to_string(op));
    }
    decoded.commands.push_back(std::move(command));
  }
  return decoded;
}

template <typename T>
const T* DataOrNull(const std::vector<T>& items) {
  return items.empty() ? nullptr : items.data();
}

void Issue(const DeviceFunctions& fn, VkCommandBuffer cb, const Command& c) {
  switch (c.op) {
    case CommandOp::kBindPipeline:
      fn.cmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, c.pipeline);
      break;
    case CommandOp::kBindDescriptorSets:
      fn.cmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, c.layout, c.values[0],
                               static_cast<uint32_t>(c.sets.size()), DataOrNull(c.sets),
                               static_cast<uint32_t>(c.dynamicOffsets.size()), DataOrNull(c.dynamicOffsets));
      break;
    case CommandOp::kPushConstants:
      fn.cmdPushConstants(cb, c.layout, c.values[0], c.values[1], static_cast<uint32_t>(c.bytes.size()),
                          c.bytes.data());
      break;
    case CommandOp::kDispatch:
      fn.cmdDispatch(cb, c.values[0], c.values[1], c.values[2]);
      break;
    case CommandOp::kPipelineBarrier:
      fn.cmdPipelineBarrier(cb, c.values[0], c.values[1], c.values[2], static_cast<uint32_t>(c.memoryBarriers.size()),
                            DataOrNull(c.memoryBarriers), static_cast<uint32_t>(c.bufferBarriers.size()),
                            DataOrNull(c.bufferBarriers), 0, nullptr);
      break;
    case CommandOp::kCopyBuffer:
      fn.cmdCopyBuffer(cb, c.src, c.dst, static_cast<uint32_t>(c.regions.size()), c.regions.data());
      break;
    case CommandOp::kFillBuffer:
      fn.cmdFillBuffer(cb, c.dst, c.offset, c.size, c.values[0]);
      break;
  }
}

void ForgetRecording(CommandBufferRecord& commandBuffer) {
  commandBuffer.executable = false;
  commandBuffer.oneTimeSubmit = false;
  commandBuffer.buffers.clear();
  commandBuffer.pipelines.clear();
  commandBuffer.descriptorSets.clear();
}

CommandBufferRecord& FindCommandBuffer(const Napi::CallbackInfo& info, DeviceState& device, size_t index) {
  return FindRecord(info.Env(), device.commandBuffers, ArgUint64(info, index, "commandBuffer"), "VkCommandBuffer");
}

void CheckBuffer(Napi::Env env, DeviceState& device, uint64_t commandBuffer, const ObjectRef& ref, const char* via) {
  auto found = device.buffers.find(ref.value);
  const std::string prefix = "VkCommandBuffer " + Hex(commandBuffer) + " cannot be submitted: ";
  if (found == device.buffers.end() || found->second.serial != ref.serial) {
    ThrowState(env, prefix + "VkBuffer " + Hex(ref.value) + via + " has been destroyed since it was recorded");
  }
  const ObjectRef& memory = found->second.memory;
  if (memory.value == 0) ThrowState(env, prefix + "VkBuffer " + Hex(ref.value) + via + " has no memory bound");
  auto bound = device.memories.find(memory.value);
  if (bound == device.memories.end() || bound->second.serial != memory.serial) {
    ThrowState(env, prefix + "the VkDeviceMemory " + Hex(memory.value) + " bound to VkBuffer " + Hex(ref.value) + via +
                        " has been freed");
  }
}

}  // namespace

void CheckSubmittable(Napi::Env env, DeviceState& device, uint64_t value, const CommandBufferRecord& commandBuffer) {
  const std::string prefix = "VkCommandBuffer " + Hex(value) + " cannot be submitted: ";
  if (!commandBuffer.executable) {
    ThrowState(env, prefix + "it is not executable (never recorded, reset since, or a one-time submission that "
                             "was already submitted)");
  }
  for (const ObjectRef& ref : commandBuffer.pipelines) {
    auto found = device.pipelines.find(ref.value);
    if (found == device.pipelines.end() || found->second.serial != ref.serial) {
      ThrowState(env, prefix + "VkPipeline " + Hex(ref.value) + " has been destroyed since it was recorded");
    }
  }
  for (const ObjectRef& ref : commandBuffer.buffers) CheckBuffer(env, device, value, ref, "");
  for (const ObjectRef& ref : commandBuffer.descriptorSets) {
    auto found = device.descriptorSets.find(ref.value);
    if (found == device.descriptorSets.end() || found->second.serial != ref.serial) {
      ThrowState(env, prefix + "VkDescriptorSet " + Hex(ref.value) + " has been freed since it was recorded");
    }
    const std::string via = " (written to VkDescriptorSet " + Hex(ref.value) + ")";
    for (const auto& [key, buffer] : found->second.buffers) CheckBuffer(env, device, value, buffer, via.c_str());
  }
}

Napi::Value CreateCommandPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  VkCommandPoolCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  createInfo.flags = ArgUint32(info, 1, "flags");
  createInfo.queueFamilyIndex = ArgUint32(info, 2, "queueFamilyIndex");
  if (createInfo.queueFamilyIndex >= device.physical->queueFamilies.size()) {
    ThrowArgument(env, "queueFamilyIndex", "no such queue family");
  }
  VkCommandPool handle{};
  VkResult result = device.fn.createCommandPool(device.handle, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateCommandPool", result);
  const uint64_t value = ValueOf(handle);
  CommandPoolRecord& record = device.commandPools[value];
  record = CommandPoolRecord{};
  record.handle = handle;
  record.serial = device.NextSerial();
  record.familyIndex = createInfo.queueFamilyIndex;
  return BigUint64(env, value);
}

Napi::Value DestroyCommandPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t value = ArgUint64(info, 1, "commandPool");
  CommandPoolRecord& pool = FindRecord(env, device.commandPools, value, "VkCommandPool");
  device.fn.destroyCommandPool(device.handle, pool.handle, nullptr);
  for (uint64_t commandBuffer : pool.commandBuffers) device.commandBuffers.erase(commandBuffer);
  device.commandPools.erase(value);
  return env.Undefined();
}

Napi::Value ResetCommandPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  CommandPoolRecord& pool = FindRecord(env, device.commandPools, ArgUint64(info, 1, "commandPool"), "VkCommandPool");
  VkResult result = device.fn.resetCommandPool(device.handle, pool.handle, 0);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkResetCommandPool", result);
  for (uint64_t value : pool.commandBuffers) {
    auto commandBuffer = device.commandBuffers.find(value);
    if (commandBuffer != device.commandBuffers.end()) ForgetRecording(commandBuffer->second);
  }
  return env.Undefined();
}

Napi::Value AllocateCommandBuffers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t poolValue = ArgUint64(info, 1, "commandPool");
  CommandPoolRecord& pool = FindRecord(env, device.commandPools, poolValue, "VkCommandPool");
  const uint32_t count = ArgUint32(info, 2, "commandBufferCount");
  if (count == 0) ThrowArgument(env, "commandBufferCount", "must be at least 1");
  VkCommandBufferAllocateInfo allocateInfo{};
  allocateInfo.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  allocateInfo.commandPool = pool.handle;
  allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocateInfo.commandBufferCount = count;
  std::vector<VkCommandBuffer> handles(count);
  VkResult result = device.fn.allocateCommandBuffers(device.handle, &allocateInfo, handles.data());
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkAllocateCommandBuffers", result);
  Napi::BigUint64Array out = Napi::BigUint64Array::New(env, count);
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t value = ValueOf(handles[i]);
    CommandBufferRecord& record = device.commandBuffers[value];
    record = CommandBufferRecord{};
    record.handle = handles[i];
    record.serial = device.NextSerial();
    record.pool = poolValue;
    pool.commandBuffers.insert(value);
    out[i] = value;
  }
  return out;
}

Napi::Value FreeCommandBuffers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t poolValue = ArgUint64(info, 1, "commandPool");
  CommandPoolRecord& pool = FindRecord(env, device.commandPools, poolValue, "VkCommandPool");
  const std::vector<uint64_t> values = ArgWords(info, 2, "commandBuffers");
  std::vector<VkCommandBuffer> handles;
  for (uint64_t value : values) {
    CommandBufferRecord& commandBuffer = FindRecord(env, device.commandBuffers, value, "VkCommandBuffer");
    // A command buffer freed through another pool would corrupt that pool in the driver.
    if (commandBuffer.pool != poolValue) {
      ThrowState(env, "VkCommandBuffer " + Hex(value) + " was not allocated from this pool");
    }
    handles.push_back(commandBuffer.handle);
  }
  if (handles.empty()) return env.Undefined();
  device.fn.freeCommandBuffers(device.handle, pool.handle, static_cast<uint32_t>(handles.size()), handles.data());
  for (uint64_t value : values) {
    device.commandBuffers.erase(value);
    pool.commandBuffers.erase(value);
  }
  return env.Undefined();
}

Napi::Value RecordCommandBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  CommandBufferRecord& commandBuffer = FindCommandBuffer(info, device, 1);
  const uint32_t flags = ArgUint32(info, 2, "flags");
  Decoded decoded = Decode(env, device, ArgWords(info, 3, "commands"), info[4]);

  ForgetRecording(commandBuffer);  // vkBeginCommandBuffer ends the previous recording, whatever follows
  VkCommandBufferBeginInfo beginInfo{};
  beginInfo.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
  beginInfo.flags = flags;
  VkResult result = device.fn.beginCommandBuffer(commandBuffer.handle, &beginInfo);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkBeginCommandBuffer", result);
  for (const Command& command : decoded.commands) Issue(device.fn, commandBuffer.handle, command);
  result = device.fn.endCommandBuffer(commandBuffer.handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkEndCommandBuffer", result);
  commandBuffer.executable = true;
  commandBuffer.oneTimeSubmit = (flags & VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT) != 0;
  commandBuffer.buffers = std::move(decoded.buffers);
  commandBuffer.pipelines = std::move(decoded.pipelines);
  commandBuffer.descriptorSets = std::move(decoded.descriptorSets);
  return env.Undefined();
}

Napi::Value ResetCommandBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  CommandBufferRecord& commandBuffer = FindCommandBuffer(info, device, 1);
  VkResult result = device.fn.resetCommandBuffer(commandBuffer.handle, 0);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkResetCommandBuffer", result);
  ForgetRecording(commandBuffer);
  return env.Undefined();
}

}  // namespace vkmap
