// Shader modules, descriptor set layouts, pipeline layouts, compute pipelines, descriptor pools and sets
// (Vulkan "Shaders", "Pipelines", "Resource Descriptors"). Create-info members arrive packed in typed arrays:
// the backend (src/compute/pack.ts) writes them in the order each function below names.
#ifndef VKMAP_PIPELINES_H
#define VKMAP_PIPELINES_H

#include <napi.h>

namespace vkmap {

// createShaderModule(device, code: Uint32Array) -> bigint
Napi::Value CreateShaderModule(const Napi::CallbackInfo& info);
// destroyShaderModule(device, module)
Napi::Value DestroyShaderModule(const Napi::CallbackInfo& info);
// createDescriptorSetLayout(device, bindings: Uint32Array of [binding, descriptorType, descriptorCount, stageFlags])
Napi::Value CreateDescriptorSetLayout(const Napi::CallbackInfo& info);
// destroyDescriptorSetLayout(device, layout)
Napi::Value DestroyDescriptorSetLayout(const Napi::CallbackInfo& info);
// createPipelineLayout(device, setLayouts: BigUint64Array,
//                      pushConstantRanges: Uint32Array of [stageFlags, offset, size])
Napi::Value CreatePipelineLayout(const Napi::CallbackInfo& info);
// destroyPipelineLayout(device, layout)
Napi::Value DestroyPipelineLayout(const Napi::CallbackInfo& info);
// createComputePipeline(device, module, entryPoint: string, layout,
//                       mapEntries: Uint32Array of [constantID, offset, size] | undefined,
//                       data: Uint8Array | undefined)
Napi::Value CreateComputePipeline(const Napi::CallbackInfo& info);
// destroyPipeline(device, pipeline)
Napi::Value DestroyPipeline(const Napi::CallbackInfo& info);
// createDescriptorPool(device, flags, maxSets, poolSizes: Uint32Array of [type, descriptorCount]) -> bigint
Napi::Value CreateDescriptorPool(const Napi::CallbackInfo& info);
// destroyDescriptorPool(device, pool): its sets go with it
Napi::Value DestroyDescriptorPool(const Napi::CallbackInfo& info);
// allocateDescriptorSets(device, pool, layouts: BigUint64Array) -> BigUint64Array
Napi::Value AllocateDescriptorSets(const Napi::CallbackInfo& info);
// freeDescriptorSets(device, pool, sets: BigUint64Array): each set of that pool
Napi::Value FreeDescriptorSets(const Napi::CallbackInfo& info);
// updateDescriptorSets(device, writes: BigUint64Array of
//                      [set, binding, arrayElement, descriptorType, count, count x (buffer, offset, range)])
Napi::Value UpdateDescriptorSets(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_PIPELINES_H
