// Finds the Vulkan loader at run time (dlopen), so that loading the addon never fails for want of
// Vulkan: a missing loader is reported when an instance is first asked for.
#ifndef VKMAP_LOADER_H
#define VKMAP_LOADER_H

#include <string>

#include "vk_minimal.h"

namespace vkmap {

struct Loader {
  PFN_vkGetInstanceProcAddr getInstanceProcAddr = nullptr;
  std::string libraryName;  // the name that loaded
  std::string error;        // why nothing loaded (empty on success)
};

// Loads the loader once per process; later calls return the same result. The library is never closed:
// drivers keep threads and atexit handlers that must outlive every instance.
const Loader& GetLoader();

// The version vkEnumerateInstanceVersion reports; VK_API_VERSION_1_0 where the loader lacks it.
uint32_t LoaderInstanceVersion(const Loader& loader);

}  // namespace vkmap

#endif  // VKMAP_LOADER_H
