#include "pipelines.h"

#include <string>
#include <vector>

#include "args.h"
#include "errors.h"
#include "state.h"

namespace vkmap {
namespace {

// The packed arrays come in groups of `width` members.
void CheckGroups(Napi::Env env, size_t length, size_t width, const char* name) {
  if (length % width != 0) {
    ThrowArgument(env, name, "must hold groups of " + std::to_string(width) + " members");
  }
}

template <typename Map, typename Handle>
Napi::Value Remember(Napi::Env env, DeviceState& device, Map& records, Handle handle) {
  const uint64_t value = ValueOf(handle);
  records[value] = typename Map::mapped_type{handle, device.NextSerial()};
  return BigUint64(env, value);
}

// Destroys the object of `value` in `records` with `destroy`.
template <typename Map, typename Destroy>
Napi::Value DestroyRecord(const Napi::CallbackInfo& info, Map DeviceState::*records, const char* type,
                          Destroy destroy) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t value = ArgUint64(info, 1, type);
  auto& record = FindRecord(env, device.*records, value, type);
  destroy(device, record.handle);
  (device.*records).erase(value);
  return env.Undefined();
}

}  // namespace

Napi::Value CreateShaderModule(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    ThrowArgument(env, "code", "must be a Uint32Array");
  }
  Napi::Uint32Array code = info[1].As<Napi::Uint32Array>();
  if (code.ElementLength() == 0) ThrowArgument(env, "code", "must not be empty");
  VkShaderModuleCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
  createInfo.codeSize = code.ByteLength();
  createInfo.pCode = code.Data();
  VkShaderModule handle{};
  VkResult result = device.fn.createShaderModule(device.handle, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateShaderModule", result);
  return Remember(env, device, device.shaderModules, handle);
}

Napi::Value DestroyShaderModule(const Napi::CallbackInfo& info) {
  return DestroyRecord(info, &DeviceState::shaderModules, "VkShaderModule", [](DeviceState& device, VkShaderModule m) {
    device.fn.destroyShaderModule(device.handle, m, nullptr);
  });
}

Napi::Value CreateDescriptorSetLayout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const std::vector<uint32_t> packed = ArgUint32s(info, 1, "bindings");
  CheckGroups(env, packed.size(), 4, "bindings");
  std::vector<VkDescriptorSetLayoutBinding> bindings;
  for (size_t i = 0; i < packed.size(); i += 4) {
    VkDescriptorSetLayoutBinding binding{};
    binding.binding = packed[i];
    binding.descriptorType = static_cast<VkDescriptorType>(packed[i + 1]);
    binding.descriptorCount = packed[i + 2];
    binding.stageFlags = packed[i + 3];
    bindings.push_back(binding);
  }
  VkDescriptorSetLayoutCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
  createInfo.bindingCount = static_cast<uint32_t>(bindings.size());
  createInfo.pBindings = bindings.empty() ? nullptr : bindings.data();
  VkDescriptorSetLayout handle{};
  VkResult result = device.fn.createDescriptorSetLayout(device.handle, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateDescriptorSetLayout", result);
  return Remember(env, device, device.setLayouts, handle);
}

Napi::Value DestroyDescriptorSetLayout(const Napi::CallbackInfo& info) {
  return DestroyRecord(info, &DeviceState::setLayouts, "VkDescriptorSetLayout",
                       [](DeviceState& device, VkDescriptorSetLayout layout) {
                         device.fn.destroyDescriptorSetLayout(device.handle, layout, nullptr);
                       });
}

Napi::Value CreatePipelineLayout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  std::vector<VkDescriptorSetLayout> setLayouts;
  for (uint64_t value : ArgWords(info, 1, "setLayouts")) {
    setLayouts.push_back(FindRecord(env, device.setLayouts, value, "VkDescriptorSetLayout").handle);
  }
  const std::vector<uint32_t> packed = ArgUint32s(info, 2, "pushConstantRanges");
  CheckGroups(env, packed.size(), 3, "pushConstantRanges");
  std::vector<VkPushConstantRange> ranges;
  for (size_t i = 0; i < packed.size(); i += 3) {
    ranges.push_back(VkPushConstantRange{packed[i], packed[i + 1], packed[i + 2]});
  }
  VkPipelineLayoutCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
  createInfo.setLayoutCount = static_cast<uint32_t>(setLayouts.size());
  createInfo.pSetLayouts = setLayouts.empty() ? nullptr : setLayouts.data();
  createInfo.pushConstantRangeCount = static_cast<uint32_t>(ranges.size());
  createInfo.pPushConstantRanges = ranges.empty() ? nullptr : ranges.data();
  VkPipelineLayout handle{};
  VkResult result = device.fn.createPipelineLayout(device.handle, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreatePipelineLayout", result);
  return Remember(env, device, device.pipelineLayouts, handle);
}

Napi::Value DestroyPipelineLayout(const Napi::CallbackInfo& info) {
  return DestroyRecord(info, &DeviceState::pipelineLayouts, "VkPipelineLayout",
                       [](DeviceState& device, VkPipelineLayout layout) {
                         device.fn.destroyPipelineLayout(device.handle, layout, nullptr);
                       });
}

Napi::Value CreateComputePipeline(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  VkShaderModule module = FindRecord(env, device.shaderModules, ArgUint64(info, 1, "module"), "VkShaderModule").handle;
  if (!info[2].IsString()) ThrowArgument(env, "entryPoint", "must be a string");
  const std::string entryPoint = info[2].As<Napi::String>().Utf8Value();
  VkPipelineLayout layout =
      FindRecord(env, device.pipelineLayouts, ArgUint64(info, 3, "layout"), "VkPipelineLayout").handle;

  VkSpecializationInfo specialization{};
  std::vector<VkSpecializationMapEntry> entries;
  std::vector<uint8_t> data;
  const bool specialized = !info[4].IsUndefined();
  if (specialized) {
    const std::vector<uint32_t> packed = ArgUint32s(info, 4, "specialization.mapEntries");
    CheckGroups(env, packed.size(), 3, "specialization.mapEntries");
    if (!info[5].IsTypedArray() || info[5].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      ThrowArgument(env, "specialization.data", "must be a Uint8Array");
    }
    Napi::Uint8Array bytes = info[5].As<Napi::Uint8Array>();
    data.assign(bytes.Data(), bytes.Data() + bytes.ElementLength());
    for (size_t i = 0; i < packed.size(); i += 3) {
      // The driver reads data[offset, offset + size): it must lie inside the bytes passed.
      if (static_cast<uint64_t>(packed[i + 1]) + packed[i + 2] > data.size()) {
        ThrowArgument(env, "specialization.mapEntries", "an entry reaches past the end of the data");
      }
      entries.push_back(VkSpecializationMapEntry{packed[i], packed[i + 1], packed[i + 2]});
    }
    specialization.mapEntryCount = static_cast<uint32_t>(entries.size());
    specialization.pMapEntries = entries.empty() ? nullptr : entries.data();
    specialization.dataSize = data.size();
    specialization.pData = data.empty() ? nullptr : data.data();
  }

  VkComputePipelineCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
  createInfo.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  createInfo.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  createInfo.stage.module = module;
  createInfo.stage.pName = entryPoint.c_str();
  createInfo.stage.pSpecializationInfo = specialized ? &specialization : nullptr;
  createInfo.layout = layout;
  createInfo.basePipelineIndex = -1;
  VkPipeline handle{};
  VkResult result =
      device.fn.createComputePipelines(device.handle, VkPipelineCache{}, 1, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateComputePipelines", result);
  return Remember(env, device, device.pipelines, handle);
}

Napi::Value DestroyPipeline(const Napi::CallbackInfo& info) {
  return DestroyRecord(info, &DeviceState::pipelines, "VkPipeline", [](DeviceState& device, VkPipeline pipeline) {
    device.fn.destroyPipeline(device.handle, pipeline, nullptr);
  });
}

Napi::Value CreateDescriptorPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint32_t flags = ArgUint32(info, 1, "flags");
  const uint32_t maxSets = ArgUint32(info, 2, "maxSets");
  const std::vector<uint32_t> packed = ArgUint32s(info, 3, "poolSizes");
  CheckGroups(env, packed.size(), 2, "poolSizes");
  std::vector<VkDescriptorPoolSize> sizes;
  for (size_t i = 0; i < packed.size(); i += 2) {
    sizes.push_back(VkDescriptorPoolSize{static_cast<VkDescriptorType>(packed[i]), packed[i + 1]});
  }
  VkDescriptorPoolCreateInfo createInfo{};
  createInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO;
  createInfo.flags = flags;
  createInfo.maxSets = maxSets;
  createInfo.poolSizeCount = static_cast<uint32_t>(sizes.size());
  createInfo.pPoolSizes = sizes.empty() ? nullptr : sizes.data();
  VkDescriptorPool handle{};
  VkResult result = device.fn.createDescriptorPool(device.handle, &createInfo, nullptr, &handle);
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkCreateDescriptorPool", result);
  const uint64_t value = ValueOf(handle);
  DescriptorPoolRecord& record = device.descriptorPools[value];
  record.handle = handle;
  record.serial = device.NextSerial();
  return BigUint64(env, value);
}

Napi::Value DestroyDescriptorPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t value = ArgUint64(info, 1, "descriptorPool");
  DescriptorPoolRecord& pool = FindRecord(env, device.descriptorPools, value, "VkDescriptorPool");
  device.fn.destroyDescriptorPool(device.handle, pool.handle, nullptr);
  for (uint64_t set : pool.sets) device.descriptorSets.erase(set);
  device.descriptorPools.erase(value);
  return env.Undefined();
}

Napi::Value AllocateDescriptorSets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t poolValue = ArgUint64(info, 1, "descriptorPool");
  DescriptorPoolRecord& pool = FindRecord(env, device.descriptorPools, poolValue, "VkDescriptorPool");
  std::vector<VkDescriptorSetLayout> layouts;
  for (uint64_t value : ArgWords(info, 2, "setLayouts")) {
    layouts.push_back(FindRecord(env, device.setLayouts, value, "VkDescriptorSetLayout").handle);
  }
  if (layouts.empty()) ThrowArgument(env, "setLayouts", "must not be empty");
  VkDescriptorSetAllocateInfo allocateInfo{};
  allocateInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO;
  allocateInfo.descriptorPool = pool.handle;
  allocateInfo.descriptorSetCount = static_cast<uint32_t>(layouts.size());
  allocateInfo.pSetLayouts = layouts.data();
  std::vector<VkDescriptorSet> sets(layouts.size());
  VkResult result = device.fn.allocateDescriptorSets(device.handle, &allocateInfo, sets.data());
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkAllocateDescriptorSets", result);
  Napi::BigUint64Array out = Napi::BigUint64Array::New(env, sets.size());
  for (size_t i = 0; i < sets.size(); ++i) {
    const uint64_t value = ValueOf(sets[i]);
    DescriptorSetRecord& record = device.descriptorSets[value];
    record = DescriptorSetRecord{};
    record.handle = sets[i];
    record.serial = device.NextSerial();
    record.pool = poolValue;
    pool.sets.insert(value);
    out[i] = value;
  }
  return out;
}

Napi::Value FreeDescriptorSets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const uint64_t poolValue = ArgUint64(info, 1, "descriptorPool");
  DescriptorPoolRecord& pool = FindRecord(env, device.descriptorPools, poolValue, "VkDescriptorPool");
  const std::vector<uint64_t> values = ArgWords(info, 2, "descriptorSets");
  std::vector<VkDescriptorSet> sets;
  for (uint64_t value : values) {
    DescriptorSetRecord& set = FindRecord(env, device.descriptorSets, value, "VkDescriptorSet");
    // A set freed through another pool would corrupt that pool in the driver.
    if (set.pool != poolValue) ThrowState(env, "VkDescriptorSet " + Hex(value) + " was not allocated from this pool");
    sets.push_back(set.handle);
  }
  if (sets.empty()) return env.Undefined();
  VkResult result = device.fn.freeDescriptorSets(device.handle, pool.handle, static_cast<uint32_t>(sets.size()),
                                                 sets.data());
  // vkFreeDescriptorSets returns VK_SUCCESS only; the sets are freed whatever it says.
  for (uint64_t value : values) {
    device.descriptorSets.erase(value);
    pool.sets.erase(value);
  }
  if (result != VK_SUCCESS) ThrowVkResult(env, "vkFreeDescriptorSets", result);
  return env.Undefined();
}

Napi::Value UpdateDescriptorSets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  const std::vector<uint64_t> words = ArgWords(info, 1, "writes");
  struct Pending {
    DescriptorSetRecord* set;
    uint32_t binding;
    uint32_t arrayElement;
    std::vector<ObjectRef> buffers;
  };
  std::vector<Pending> pending;
  std::vector<VkWriteDescriptorSet> writes;
  std::vector<std::vector<VkDescriptorBufferInfo>> infos;
  size_t at = 0;
  auto next = [&](const char* name) -> uint64_t {
    if (at >= words.size()) ThrowArgument(env, "writes", std::string("ends before ") + name);
    return words[at++];
  };
  auto next32 = [&](const char* name) -> uint32_t {
    const uint64_t value = next(name);
    if (value > UINT32_MAX) ThrowArgument(env, "writes", std::string(name) + " must be a 32-bit value");
    return static_cast<uint32_t>(value);
  };
  while (at < words.size()) {
    const uint64_t setValue = next("dstSet");
    DescriptorSetRecord& set = FindRecord(env, device.descriptorSets, setValue, "VkDescriptorSet");
    VkWriteDescriptorSet write{};
    write.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
    write.dstSet = set.handle;
    write.dstBinding = next32("dstBinding");
    write.dstArrayElement = next32("dstArrayElement");
    write.descriptorType = static_cast<VkDescriptorType>(next32("descriptorType"));
    write.descriptorCount = next32("descriptorCount");
    if (write.descriptorCount == 0 || write.descriptorCount > (words.size() - at) / 3) {
      ThrowArgument(env, "writes", "a write's descriptor count does not match its buffers");
    }
    Pending update{&set, write.dstBinding, write.dstArrayElement, {}};
    std::vector<VkDescriptorBufferInfo> buffers;
    for (uint32_t i = 0; i < write.descriptorCount; ++i) {
      const uint64_t bufferValue = next("buffer");
      BufferRecord& buffer = FindRecord(env, device.buffers, bufferValue, "VkBuffer");
      const uint64_t offset = next("offset");
      const uint64_t range = next("range");
      buffers.push_back(VkDescriptorBufferInfo{buffer.handle, offset, range});
      update.buffers.push_back(ObjectRef{bufferValue, buffer.serial});
    }
    infos.push_back(std::move(buffers));
    writes.push_back(write);
    pending.push_back(std::move(update));
  }
  for (size_t i = 0; i < writes.size(); ++i) writes[i].pBufferInfo = infos[i].data();
  if (writes.empty()) return env.Undefined();
  device.fn.updateDescriptorSets(device.handle, static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  for (Pending& update : pending) {
    for (size_t i = 0; i < update.buffers.size(); ++i) {
      const uint32_t element = static_cast<uint32_t>(update.arrayElement + i);
      const uint64_t key = (static_cast<uint64_t>(update.binding) << 32) | element;
      update.set->buffers[key] = update.buffers[i];
    }
  }
  return env.Undefined();
}

}  // namespace vkmap
