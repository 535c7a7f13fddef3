// The module: one AddonState per Node environment (main thread and each worker), freed at teardown.
#include <napi.h>

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
