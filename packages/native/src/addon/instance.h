// vkCreateInstance / vkDestroyInstance and the physical-device queries: properties, limits, memory
// properties, extensions, VK_EXT_map_memory_placed features and properties, VK_EXT_memory_budget.
#ifndef VKMAP_INSTANCE_H
#define VKMAP_INSTANCE_H

#include <napi.h>

namespace vkmap {

// loaderInfo() -> { loaded, library, error, instanceVersion }
Napi::Value LoaderInfo(const Napi::CallbackInfo& info);
// createInstance(apiVersion: number) -> { id, apiVersion }
Napi::Value CreateInstance(const Napi::CallbackInfo& info);
// destroyInstance(id): destroys the instance's devices first.
Napi::Value DestroyInstance(const Napi::CallbackInfo& info);
// enumeratePhysicalDevices(id) -> array of descriptions, one per physical device, in the loader's order
Napi::Value EnumeratePhysicalDevices(const Napi::CallbackInfo& info);
// getMemoryBudget(instanceId, index) -> { heapBudget: bigint[], heapUsage: bigint[] } | undefined
Napi::Value GetMemoryBudget(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_INSTANCE_H
