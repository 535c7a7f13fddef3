// The module: one AddonState per Node environment (main thread and each worker), freed at teardown.
#include <napi.h>

#include "device.h"
#include "instance.h"
#include "mapping.h"
#include "memory.h"
#include "state.h"
#include "view-guard.h"

namespace vkmap {
namespace {

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
  };
  for (const auto& entry : functions) {
    exports.Set(entry.name, Napi::Function::New(env, entry.function, entry.name));
  }
  exports.Set("viewsKeyed", Napi::Boolean::New(env, DetachKeysAreSafe()));
  return exports;
}

}  // namespace
}  // namespace vkmap

static Napi::Object InitVkmap(Napi::Env env, Napi::Object exports) { return vkmap::Init(env, exports); }

NODE_API_MODULE(vkmap_native, InitVkmap)
