// Reading JavaScript arguments with checks: a wrong type throws a 'argument' error naming the argument,
// never a crash or a silent conversion.
#ifndef VKMAP_ARGS_H
#define VKMAP_ARGS_H

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace vkmap {

uint32_t ArgUint32(const Napi::CallbackInfo& info, size_t index, const char* name);
// A bigint, or a number that is a safe integer (handles come back from allocateMemory as such numbers).
uint64_t ArgUint64(const Napi::CallbackInfo& info, size_t index, const char* name);
bool ArgBool(const Napi::CallbackInfo& info, size_t index, const char* name);
std::vector<std::string> ArgStrings(const Napi::CallbackInfo& info, size_t index, const char* name);
// A BigUint64Array (handle values, encoded commands), copied.
std::vector<uint64_t> ArgWords(const Napi::CallbackInfo& info, size_t index, const char* name);
// A Uint32Array (packed create-info members), copied.
std::vector<uint32_t> ArgUint32s(const Napi::CallbackInfo& info, size_t index, const char* name);

uint64_t ValueUint64(Napi::Env env, Napi::Value value, const std::string& name);
uint32_t ValueUint32(Napi::Env env, Napi::Value value, const std::string& name);

Napi::BigInt BigUint64(Napi::Env env, uint64_t value);

// A non-negative integer no larger than 2^53 - 1, as uint64_t; false for anything else (fractions, NaN).
bool SafeIntegerValue(double number, uint64_t* out);

}  // namespace vkmap

#endif  // VKMAP_ARGS_H
