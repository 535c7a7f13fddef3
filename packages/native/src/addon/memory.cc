#include "memory.h"

#include <string>
#include <vector>

#include "args.h"
#include "errors.h"
#include "mapping.h"
#include "state.h"

namespace vkmap {
namespace {

constexpr uint64_t kMaxSafeInteger = (static_cast<uint64_t>(1) << 53) - 1;

}  // namespace

Napi::Value AllocateMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ReadUint32(info, 0, "device"));
  const uint64_t size = ReadUint64(info, 1, "allocationSize");
  const uint32_t typeIndex = ReadUint32(info, 2, "memoryTypeIndex");
  // Size, type, heap and device mask were checked by the front; the index is checked again because it
  // indexes a C array here.
  const VkPhysicalDeviceMemoryProperties& memory = device.physical->memory;
  if (typeIndex >= memory.memoryTypeCount) ThrowArgument(env, "memoryTypeIndex", "no such memory type");
  const VkMemoryType& type = memory.memoryTypes[typeIndex];

  VkMemoryAllocateFlagsInfo flagsInfo{};
  flagsInfo.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO;
  VkMemoryAllocateInfo allocateInfo{};
  allocateInfo.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  allocateInfo.allocationSize = size;
  allocateInfo.memoryTypeIndex = typeIndex;
  if (!info[3].IsUndefined()) {
    const uint32_t mask = ArgUint32(info, 3, "deviceMask");
    flagsInfo.flags = VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT;
    flagsInfo.deviceMask = mask;
    allocateInfo.pNext = &flagsInfo;
  }

  VkDeviceMemory handle = VKMAP_VK_NULL_HANDLE;
  VkResult result = device.fn.allocateMemory(device.handle, &allocateInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkAllocateMemory", result);
  const uint64_t value = HandleValue(handle);
  MemoryRecord& record = device.memories[value];
  record.handle = handle;
  record.serial = device.NextSerial();
  record.size = size;
  record.memoryTypeIndex = typeIndex;
  record.propertyFlags = type.propertyFlags;
  // A number where it is exact (a pointer-sized handle below 2^53, the usual case): cheaper to make and to
  // read back than a bigint.
  if (value <= kMaxSafeInteger) return Napi::Number::New(env, static_cast<double>(value));
  return BigUint64(env, value);
}

Napi::Value FreeMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ReadUint32(info, 0, "device"));
  const uint64_t value = ReadUint64(info, 1, "memory");
  MemoryRecord& memory = FindMemory(env, device, value);
  DetachViewOrThrow(env, device, memory);
  RetireViews(device, memory, false);  // before the driver may hand these bytes to another allocation
  EndMapping(State(env), memory, false);
  device.fn.freeMemory(device.handle, memory.handle, nullptr);
  device.memories.erase(value);
  State(env).collectedHolds.Sweep(env);  // windows of detached views collected since
  return env.Undefined();
}

Napi::Value MappedMemoryRanges(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const bool invalidate = ArgBool(info, 2, "invalidate");
  const char* command = invalidate ? "vkInvalidateMappedMemoryRanges" : "vkFlushMappedMemoryRanges";
  if (!info[1].IsArray()) ThrowArgument(env, "ranges", "must be an array");
  Napi::Array list = info[1].As<Napi::Array>();

  std::vector<VkMappedMemoryRange> ranges;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    const std::string name = "ranges[" + std::to_string(i) + "]";
    Napi::Value item = list.Get(i);
    if (!item.IsArray() || item.As<Napi::Array>().Length() != 3) {
      ThrowArgument(env, name, "must be [memory, offset, size]");
    }
    Napi::Array triple = item.As<Napi::Array>();
    // Each range lies inside its memory's mapping: the front checked it.
    MemoryRecord& memory = FindMemory(env, device, ValueUint64(env, triple.Get(0u), name + ".memory"));
    const uint64_t offset = ValueUint64(env, triple.Get(1u), name + ".offset");
    const uint64_t size = ValueUint64(env, triple.Get(2u), name + ".size");
    VkMappedMemoryRange range{};
    range.sType = VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE;
    range.memory = memory.handle;
    range.offset = offset;
    range.size = size;
    ranges.push_back(range);
  }
  if (ranges.empty()) return env.Undefined();
  const uint32_t count = static_cast<uint32_t>(ranges.size());
  VkResult result = invalidate ? device.fn.invalidateMappedMemoryRanges(device.handle, count, ranges.data())
                               : device.fn.flushMappedMemoryRanges(device.handle, count, ranges.data());
  if (result != VK_SUCCESS) ThrowVkResult(env, command, result);
  return env.Undefined();
}

}  // namespace vkmap
