#include "loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace vkmap {
namespace {

std::vector<std::string> CandidateNames() {
  // VKMAP_VULKAN_LIBRARY names another loader (a path or a soname), for tests and unusual installs.
  const char* chosen = std::getenv("VKMAP_VULKAN_LIBRARY");
  if (chosen != nullptr && chosen[0] != '\0') return {chosen};
#if defined(__APPLE__)
  return {"libvulkan.1.dylib", "libvulkan.dylib", "libMoltenVK.dylib"};
#else
  return {"libvulkan.so.1", "libvulkan.so"};
#endif
}

Loader LoadOnce() {
  Loader loader;
  std::string failures;
  for (const std::string& name : CandidateNames()) {
    void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* why = dlerror();
      failures += (failures.empty() ? "" : "; ") + std::string(why != nullptr ? why : name + ": not found");
      continue;
    }
    void* symbol = dlsym(library, "vkGetInstanceProcAddr");
    if (symbol == nullptr) {
      failures += (failures.empty() ? "" : "; ") + name + " has no vkGetInstanceProcAddr";
      continue;
    }
    loader.getInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(symbol);
    loader.libraryName = name;
    return loader;
  }
  loader.error = failures;
  return loader;
}

}  // namespace

const Loader& GetLoader() {
  static std::once_flag once;
  static Loader loader;
  std::call_once(once, [] { loader = LoadOnce(); });
  return loader;
}

uint32_t LoaderInstanceVersion(const Loader& loader) {
  if (loader.getInstanceProcAddr == nullptr) return 0;
  auto enumerate = reinterpret_cast<PFN_vkEnumerateInstanceVersion>(
      loader.getInstanceProcAddr(nullptr, "vkEnumerateInstanceVersion"));
  uint32_t version = VKMAP_API_VERSION_1_0;
  if (enumerate != nullptr && enumerate(&version) != VK_SUCCESS) version = VKMAP_API_VERSION_1_0;
  return version;
}

}  // namespace vkmap
