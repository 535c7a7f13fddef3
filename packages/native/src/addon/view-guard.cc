#include "view-guard.h"

#include <sys/mman.h>
#include <unistd.h>
#include <v8.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "fault-guard.h"
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

ViewWindow* ViewWindow::Alias(uintptr_t pageBase, size_t length) {
  // With old_size 0 the kernel maps the same pages a second time, at an address it picks (no MREMAP_FIXED:
  // a failed fixed remap would leave a hole in our own range first). It refuses private mappings (EINVAL)
  // and device memory (EFAULT), which is the test of whether a driver's mapping can be aliased.
  void* alias = mremap(reinterpret_cast<void*>(pageBase), 0, length, MREMAP_MAYMOVE);
  if (alias == MAP_FAILED) return nullptr;
  return new ViewWindow(reinterpret_cast<uintptr_t>(alias), length);
}

ViewWindow* ViewWindow::Reserve(size_t length, size_t alignment) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  if (alignment < page) alignment = page;
  if (length > SIZE_MAX - alignment) return nullptr;
  const size_t total = length + alignment - page;
  void* start = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (start == MAP_FAILED) return nullptr;
  const uintptr_t raw = reinterpret_cast<uintptr_t>(start);
  const uintptr_t base = (raw + (alignment - 1)) & ~static_cast<uintptr_t>(alignment - 1);
  if (base > raw) munmap(start, base - raw);
  if (raw + total > base + length) munmap(reinterpret_cast<void*>(base + length), raw + total - (base + length));
  ViewWindow* window = new ViewWindow(base, length);
  window->guard_ = fault_guard::Register(base, length);
  return window;
}

void ViewWindow::Scratch() {
  if (length_ == 0) return;
  // MAP_FIXED only ever over this window, which is ours. Should the host refuse (out of memory), the pages
  // become inaccessible instead, so that a stale view can at worst fault, never reach freed memory.
  void* scratch = mmap(reinterpret_cast<void*>(base_), length_, PROT_READ | PROT_WRITE,
                       MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (scratch == MAP_FAILED) mprotect(reinterpret_cast<void*>(base_), length_, PROT_NONE);
}

void ViewWindow::GiveAway() {
  fault_guard::Unregister(guard_);
  guard_ = -1;
  length_ = 0;
}

void ViewWindow::BeginChange() { fault_guard::BeginChange(guard_); }

void ViewWindow::EndChange(bool placed) { fault_guard::EndChange(guard_, placed); }

void ViewWindow::Release() {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

ViewWindow::~ViewWindow() {
  fault_guard::Unregister(guard_);
  if (length_ != 0) munmap(reinterpret_cast<void*>(base_), length_);
}

namespace {

void ReleaseWindow(void*, size_t, void* window) { static_cast<ViewWindow*>(window)->Release(); }

}  // namespace

CollectedHolds::~CollectedHolds() {
  for (const auto& [ref, window] : holds_) window->Release();
}

void CollectedHolds::Add(napi_env env, napi_value buffer, ViewWindow* window) {
  napi_ref ref = nullptr;
  if (napi_create_reference(env, buffer, 0, &ref) != napi_ok) {
    NAPI_THROW_VOID(Napi::Error::New(env, "could not reference a mapped view"));
  }
  window->Retain();
  holds_.emplace_back(ref, window);
  if (holds_.size() >= sweepAt_) Sweep(env);
}

void CollectedHolds::Sweep(napi_env env) {
  if (holds_.empty()) return;
  size_t kept = 0;
  for (auto& hold : holds_) {
    napi_value value = nullptr;
    if (napi_get_reference_value(env, hold.first, &value) == napi_ok && value == nullptr) {
      napi_delete_reference(env, hold.first);
      hold.second->Release();
    } else {
      holds_[kept++] = hold;
    }
  }
  holds_.resize(kept);
  sweepAt_ = std::max<size_t>(64, 2 * kept);
}

Napi::ArrayBuffer NewMappedView(Napi::Env env, void* pointer, size_t size, ViewWindow* window,
                                bool holdUntilCollected) {
  // Made with V8 directly, not napi_create_external_arraybuffer: Node wraps that one in a Buffer whose
  // environment-cleanup hook detaches it without a key, which aborts at exit while a keyed view is live.
  // Without a window the mapping owns the memory, so the backing store's deleter does nothing.
  std::shared_ptr<v8::BackingStore> store;
  if (window != nullptr) {
    window->Retain();
    store = v8::ArrayBuffer::NewBackingStore(pointer, size, ReleaseWindow, window);
  } else {
    store = v8::ArrayBuffer::NewBackingStore(pointer, size, v8::BackingStore::EmptyDeleter, nullptr);
  }
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(v8::Isolate::GetCurrent(), std::move(store));
  if (DetachKeysAreSafe()) buffer->SetDetachKey(ToV8(Key(env)));
  napi_value value;
  static_assert(sizeof(value) == sizeof(buffer), "napi_value is a V8 handle");
  std::memcpy(&value, static_cast<void*>(&buffer), sizeof value);
  if (window != nullptr && holdUntilCollected) State(env).collectedHolds.Add(env, value, window);
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
