#include "errors.h"

#include <cstdio>

namespace vkmap {
namespace {

Napi::Error MakeKind(Napi::Env env, const char* kind, const std::string& message, Napi::Object extra) {
  Napi::Error error = Napi::Error::New(env, message);
  Napi::Object object = error.Value();
  object.Set("vkmapKind", Napi::String::New(env, kind));
  if (!extra.IsEmpty()) {
    Napi::Array keys = extra.GetPropertyNames();
    for (uint32_t i = 0; i < keys.Length(); ++i) {
      Napi::Value key = keys.Get(i);
      object.Set(key, extra.Get(key));
    }
  }
  return error;
}

[[noreturn]] void ThrowKind(Napi::Env env, const char* kind, const std::string& message, Napi::Object extra) {
  throw MakeKind(env, kind, message, extra);
}

}  // namespace

Napi::Error VkResultError(Napi::Env env, const std::string& command, VkResult result, const std::string& detail) {
  Napi::Object extra = Napi::Object::New(env);
  extra.Set("command", Napi::String::New(env, command));
  extra.Set("vkResult", Napi::Number::New(env, result));
  extra.Set("detail", Napi::String::New(env, detail));
  return MakeKind(env, "vk",
                  command + " failed with VkResult " + std::to_string(result) + (detail.empty() ? "" : ": " + detail),
                  extra);
}

Napi::Error StateError(Napi::Env env, const std::string& message) {
  return MakeKind(env, "state", message, Napi::Object());
}

void ThrowVkResult(Napi::Env env, const std::string& command, VkResult result, const std::string& detail) {
  throw VkResultError(env, command, result, detail);
}

void ThrowState(Napi::Env env, const std::string& message) { throw StateError(env, message); }

void ThrowArgument(Napi::Env env, const std::string& argument, const std::string& message) {
  Napi::Object extra = Napi::Object::New(env);
  extra.Set("argument", Napi::String::New(env, argument));
  extra.Set("detail", Napi::String::New(env, message));
  ThrowKind(env, "argument", argument + ": " + message, extra);
}

void ThrowUnavailable(Napi::Env env, const std::string& message) {
  ThrowKind(env, "unavailable", message, Napi::Object());
}

std::string Hex(uint64_t value) {
  char text[32];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace vkmap
