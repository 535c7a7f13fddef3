#include "args.h"

#include "errors.h"

namespace vkmap {

uint32_t ValueUint32(Napi::Env env, Napi::Value value, const std::string& name) {
  if (!value.IsNumber()) ThrowArgument(env, name, "must be a number");
  double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= 0 && number <= 4294967295.0) || number != static_cast<double>(static_cast<uint32_t>(number))) {
    ThrowArgument(env, name, "must be a 32-bit unsigned integer");
  }
  return static_cast<uint32_t>(number);
}

bool SafeIntegerValue(double number, uint64_t* out) {
  if (!(number >= 0 && number <= 9007199254740991.0) || number != static_cast<double>(static_cast<uint64_t>(number))) {
    return false;
  }
  *out = static_cast<uint64_t>(number);
  return true;
}

uint64_t ValueUint64(Napi::Env env, Napi::Value value, const std::string& name) {
  if (value.IsNumber()) {
    // Handles come back from allocateMemory as numbers where they are safe integers.
    uint64_t result = 0;
    if (SafeIntegerValue(value.As<Napi::Number>().DoubleValue(), &result)) return result;
    ThrowArgument(env, name, "must be a bigint between 0 and 2^64 - 1, or a safe integer");
  }
  if (!value.IsBigInt()) ThrowArgument(env, name, "must be a bigint");
  bool lossless = false;
  uint64_t result = value.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) ThrowArgument(env, name, "must be a bigint between 0 and 2^64 - 1");
  return result;
}

uint32_t ArgUint32(const Napi::CallbackInfo& info, size_t index, const char* name) {
  return ValueUint32(info.Env(), info[index], name);
}

uint64_t ArgUint64(const Napi::CallbackInfo& info, size_t index, const char* name) {
  return ValueUint64(info.Env(), info[index], name);
}

bool ArgBool(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsBoolean()) ThrowArgument(info.Env(), name, "must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

std::vector<std::string> ArgStrings(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsArray()) ThrowArgument(info.Env(), name, "must be an array of strings");
  Napi::Array array = info[index].As<Napi::Array>();
  std::vector<std::string> result;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsString()) ThrowArgument(info.Env(), std::string(name) + "[" + std::to_string(i) + "]", "must be a string");
    result.push_back(item.As<Napi::String>().Utf8Value());
  }
  return result;
}

std::vector<uint64_t> ArgWords(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = info[index];
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array) {
    ThrowArgument(info.Env(), name, "must be a BigUint64Array");
  }
  Napi::TypedArrayOf<uint64_t> array = value.As<Napi::TypedArrayOf<uint64_t>>();
  return std::vector<uint64_t>(array.Data(), array.Data() + array.ElementLength());
}

std::vector<uint32_t> ArgUint32s(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = info[index];
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    ThrowArgument(info.Env(), name, "must be a Uint32Array");
  }
  Napi::TypedArrayOf<uint32_t> array = value.As<Napi::TypedArrayOf<uint32_t>>();
  return std::vector<uint32_t>(array.Data(), array.Data() + array.ElementLength());
}

Napi::BigInt BigUint64(Napi::Env env, uint64_t value) { return Napi::BigInt::New(env, value); }

}  // namespace vkmap
