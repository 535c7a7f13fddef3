// The module: one AddonState per Node environment (main thread and each worker), freed at teardown.
#include <dlfcn.h>
#include <link.h>
#include <napi.h>

#include <cstdint>
#include <exception>
#include <new>
#include <string>

#include "commands.h"
#include "device.h"
#include "errors.h"
#include "fence-wait.h"
#include "instance.h"
#include "mapping.h"
#include "memory.h"
#include "pipelines.h"
#include "queue.h"
#include "resources.h"
#include "state.h"
#include "view-guard.h"

namespace vkmap {
namespace {

using AddonFunction = Napi::Value (*)(const Napi::CallbackInfo&);

// The addon's own file: the loaded object one of whose segments holds `address`.
struct SelfSearch {
  uintptr_t address = 0;
  std::string path;
};

int FindSelf(struct dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<SelfSearch*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_LOAD) continue;
    const uintptr_t start = info->dlpi_addr + segment.p_vaddr;
    if (search->address >= start && search->address < start + segment.p_memsz) {
      search->path = info->dlpi_name != nullptr ? info->dlpi_name : "";
      return 1;
    }
  }
  return 0;
}

// Node unloads (dlclose) an addon when the last environment that loaded it ends, e.g. a worker thread
// that alone used it, and only then tears the isolate down. V8 frees the ArrayBuffers still on its heap at
// that point, calling the backing-store deleters of the mapped views, which are code of this addon: pinned
// here (RTLD_NODELETE, and a reference never dropped), the addon stays loaded until the process exits, so a
// worker that ends (or is terminated) with live views never calls into unmapped code.
void PinAddonInMemory() {
  static const bool pinned = [] {
    SelfSearch search;
    search.address = reinterpret_cast<uintptr_t>(&FindSelf);
    dl_iterate_phdr(FindSelf, &search);
    if (search.path.empty()) return false;
    return dlopen(search.path.c_str(), RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE) != nullptr;
  }();
  (void)pinned;
}

// node-addon-api turns a thrown Napi::Error into a JavaScript exception, but any other C++ exception leaving
// a callback ends the process. A request too large to allocate (a huge count from JavaScript) becomes
// VK_ERROR_OUT_OF_HOST_MEMORY instead.
Napi::Function Export(Napi::Env env, const char* name, AddonFunction function) {
  return Napi::Function::New(
      env,
      [function, name](const Napi::CallbackInfo& info) -> Napi::Value {
        try {
          return function(info);
        } catch (const Napi::Error&) {
          throw;
        } catch (const std::bad_alloc&) {
          ThrowVkResult(info.Env(), name, VK_ERROR_OUT_OF_HOST_MEMORY, "the addon could not allocate host memory");
        } catch (const std::exception& error) {
          ThrowState(info.Env(), std::string(name) + ": " + error.what());
        }
      },
      name);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  PinAddonInMemory();
  env.SetInstanceData(new AddonState());
  const struct {
    const char* name;
    Napi::Value (*function)(const Napi::CallbackInfo&);
  } functions[] = {
      {"loaderInfo", LoaderInfo},
      {"createInstance", CreateInstance},
      {"destroyInstance", DestroyInstance},
      {"enumeratePhysicalDevices", EnumeratePhysicalDevices},
      {"getMemoryBudget", GetMemoryBudget},
      {"createDevice", CreateDevice},
      {"destroyDevice", DestroyDevice},
      {"allocateMemory", AllocateMemory},
      {"freeMemory", FreeMemory},
      {"mappedMemoryRanges", MappedMemoryRanges},
      {"mapMemory", MapMemory},
      {"unmapMemory", UnmapMemory},
      {"reserveAddressRange", ReserveAddressRange},
      {"releaseAddressRange", ReleaseAddressRange},
      {"pageSize", PageSize},
      {"getDeviceQueue", GetDeviceQueue},
      {"queueSubmit", QueueSubmit},
      {"queueWaitIdle", QueueWaitIdle},
      {"deviceWaitIdle", DeviceWaitIdle},
      {"createFence", CreateFence},
      {"destroyFence", DestroyFence},
      {"resetFences", ResetFences},
      {"getFenceStatus", GetFenceStatus},
      {"waitForFences", WaitForFences},
      {"waitForFencesAsync", WaitForFencesAsync},
      {"createBuffer", CreateBuffer},
      {"destroyBuffer", DestroyBuffer},
      {"getBufferMemoryRequirements", GetBufferMemoryRequirements},
      {"bindBufferMemory", BindBufferMemory},
      {"createShaderModule", CreateShaderModule},
      {"destroyShaderModule", DestroyShaderModule},
      {"createDescriptorSetLayout", CreateDescriptorSetLayout},
      {"destroyDescriptorSetLayout", DestroyDescriptorSetLayout},
      {"createPipelineLayout", CreatePipelineLayout},
      {"destroyPipelineLayout", DestroyPipelineLayout},
      {"createComputePipeline", CreateComputePipeline},
      {"destroyPipeline", DestroyPipeline},
      {"createDescriptorPool", CreateDescriptorPool},
      {"destroyDescriptorPool", DestroyDescriptorPool},
      {"allocateDescriptorSets", AllocateDescriptorSets},
      {"freeDescriptorSets", FreeDescriptorSets},
      {"updateDescriptorSets", UpdateDescriptorSets},
      {"createCommandPool", CreateCommandPool},
      {"destroyCommandPool", DestroyCommandPool},
      {"resetCommandPool", ResetCommandPool},
      {"allocateCommandBuffers", AllocateCommandBuffers},
      {"freeCommandBuffers", FreeCommandBuffers},
      {"recordCommandBuffer", RecordCommandBuffer},
      {"resetCommandBuffer", ResetCommandBuffer},
  };
  for (const auto& entry : functions) exports.Set(entry.name, Export(env, entry.name, entry.function));
  exports.Set("viewsKeyed", Napi::Boolean::New(env, DetachKeysAreSafe()));
  return exports;
}

}  // namespace
}  // namespace vkmap

static Napi::Object InitVkmap(Napi::Env env, Napi::Object exports) { return vkmap::Init(env, exports); }

NODE_API_MODULE(vkmap_native, InitVkmap)
