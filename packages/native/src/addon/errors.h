// Errors thrown to JavaScript. Each carries `vkmapKind` so that the TypeScript side can turn it into the
// matching @vkmap/core class: 'vk' (a VkResult from a command), 'state' (a handle or mapping in the wrong
// state), 'argument' (a malformed argument), 'unavailable' (no loader, driver or device).
#ifndef VKMAP_ERRORS_H
#define VKMAP_ERRORS_H

#include <napi.h>

#include <string>

#include "vk_minimal.h"

namespace vkmap {

[[noreturn]] void ThrowVkResult(Napi::Env env, const std::string& command, VkResult result,
                                const std::string& detail = std::string());
[[noreturn]] void ThrowState(Napi::Env env, const std::string& message);
[[noreturn]] void ThrowArgument(Napi::Env env, const std::string& argument, const std::string& message);
[[noreturn]] void ThrowUnavailable(Napi::Env env, const std::string& message);

// The same errors as values, for rejecting a promise.
Napi::Error VkResultError(Napi::Env env, const std::string& command, VkResult result,
                          const std::string& detail = std::string());
Napi::Error StateError(Napi::Env env, const std::string& message);

std::string Hex(uint64_t value);

}  // namespace vkmap

#endif  // VKMAP_ERRORS_H
