#include "view-guard.h"

#include <v8.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "state.h"

namespace vkmap {
namespace {

// Node-API values are V8 handles in every Node release; this is the one place the addon relies on it.
v8::Local<v8::Value> ToV8(napi_value value) {
  v8::Local<v8::Value> local;
  static_assert(sizeof(local) == sizeof(value), "napi_value is a V8 handle");
  std::memcpy(static_cast<void*>(&local), &value, sizeof value);
  return local;
}

// The key: a plain object that no JavaScript can reach, one per environment.
napi_value Key(Napi::Env env) {
  AddonState& state = State(env);
  if (state.viewKey.IsEmpty()) state.viewKey = Napi::Persistent(Napi::Object::New(env));
  return state.viewKey.Value();
}

}  // namespace

bool DetachKeysAreSafe() {
  static const bool safe = [] {
    // "12.4.254.21-node.33": the major version is all that matters.
    const int major = std::atoi(v8::V8::GetVersion());
    return major != 12;
  }();
  return safe;
}

Napi::ArrayBuffer NewMappedView(Napi::Env env, void* pointer, size_t size) {
  // Made with V8 directly, not napi_create_external_arraybuffer: Node wraps that one in a Buffer whose
  // environment-cleanup hook detaches it without a key, which aborts at exit while a keyed view is live.
  // The mapping owns the memory, so the backing store's deleter does nothing.
  std::shared_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(pointer, size, v8::BackingStore::EmptyDeleter, nullptr);
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(v8::Isolate::GetCurrent(), std::move(store));
  if (DetachKeysAreSafe()) buffer->SetDetachKey(ToV8(Key(env)));
  napi_value value;
  static_assert(sizeof(value) == sizeof(buffer), "napi_value is a V8 handle");
  std::memcpy(&value, static_cast<void*>(&buffer), sizeof value);
  return Napi::ArrayBuffer(env, value);
}

bool DetachMappedView(Napi::Env env, Napi::ArrayBuffer view) {
  if (view.IsEmpty()) return true;
  v8::Local<v8::ArrayBuffer> buffer = ToV8(view).As<v8::ArrayBuffer>();
  if (buffer->WasDetached()) return true;
  // A key mismatch throws in V8; the caller reports it as a state error instead.
  v8::TryCatch keyMismatch(v8::Isolate::GetCurrent());
  const v8::Local<v8::Value> key = DetachKeysAreSafe() ? ToV8(Key(env)) : v8::Local<v8::Value>();
  return buffer->Detach(key).FromMaybe(false) && buffer->WasDetached();
}

}  // namespace vkmap
