// The ArrayBuffers handed out for mappings, the host address windows under them, and how both are kept
// from escaping or outliving what they show.
//
// Transfers: a mapped view must never be moved into a second ArrayBuffer (by structuredClone or
// postMessage with a transfer list, or by ArrayBuffer.prototype.transfer). Where V8 handles it safely,
// each view carries a detach key that only this addon holds: JavaScript can then neither transfer nor
// detach it. V8 12 (Node 22) aborts the process when ArrayBuffer.prototype.transfer meets a keyed buffer,
// so there the views are left unkeyed and the JavaScript side guards them.
//
// Windows: where it can, the addon does not hand out the driver's pointer but a window of its own over the
// same bytes (view-guard.cc says how), so that when the memory is freed it can put harmless scratch pages
// under every view of it before the driver reuses the memory. A window is reference counted: the memory
// record holds it until the memory is freed, and every ArrayBuffer over it holds it (through the backing
// store's deleter, and in detach mode also until the ArrayBuffer object is collected, since Node's thread
// pool may still write through the raw pointer of a detached buffer). The last holder unmaps it.
#ifndef VKMAP_VIEW_GUARD_H
#define VKMAP_VIEW_GUARD_H

#include <napi.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace vkmap {

// Whether this runtime's V8 refuses JavaScript transfers of a keyed ArrayBuffer with an exception.
bool DetachKeysAreSafe();

class ViewWindow {
 public:
  // A second mapping of the driver's shared pages [pageBase, pageBase + length) (mremap with old_size 0),
  // or nullptr where the driver's mapping cannot be aliased (private, or device memory).
  static ViewWindow* Alias(uintptr_t pageBase, size_t length);
  // Address space with no access, `length` bytes aligned to `alignment` (powers of two, page multiples),
  // for the driver to place maps into; nullptr when the host has none left.
  static ViewWindow* Reserve(size_t length, size_t alignment);

  uintptr_t base() const { return base_; }
  size_t length() const { return length_; }

  // Replaces the window's pages with private zero pages: every view over it stays addressable and reaches
  // nothing but them.
  void Scratch();
  // The window's address range now belongs to someone else (a reserving unmap handed it to the
  // application): it is never touched again, not even unmapped.
  void GiveAway();
  // Around every change the driver makes to a reserved window's pages (fault-guard.h): a view's access
  // that faults meanwhile waits, then reaches the driver's map (placed) or a zero page.
  void BeginChange();
  void EndChange(bool placed);

  void Retain() { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Drops one holder; the last one unmaps the window. Safe on any thread.
  void Release();

 private:
  ViewWindow(uintptr_t base, size_t length) : base_(base), length_(length) {}
  ~ViewWindow();

  uintptr_t base_;
  size_t length_;
  int guard_ = -1;  // the fault guard's slot of a reserved window; -1 for an alias, or when none was free
  std::atomic<uint32_t> refs_{1};
};

// Holds on windows until V8 collects ArrayBuffer objects (detach mode). Checked through weak Node-API
// references whenever as many again have piled up, rather than with finalizers: Node runs those from the
// event loop, so a loop that maps and unmaps without yielding would pile them up without bound.
class CollectedHolds {
 public:
  CollectedHolds() = default;
  CollectedHolds(const CollectedHolds&) = delete;
  CollectedHolds& operator=(const CollectedHolds&) = delete;
  // Environment teardown: gives the holds up; the references belong to the environment, which ends them.
  ~CollectedHolds();

  // Takes a hold on `window` until `buffer` is collected.
  void Add(napi_env env, napi_value buffer, ViewWindow* window);
  // Gives up the holds whose ArrayBuffer objects were collected (at each free, and as holds pile up).
  void Sweep(napi_env env);

 private:
  std::vector<std::pair<napi_ref, ViewWindow*>> holds_;
  size_t sweepAt_ = 64;
};

// An ArrayBuffer over `size` bytes at `pointer`, keyed when DetachKeysAreSafe(). With a window, the buffer
// holds it (pointer lies inside it) until V8 drops the backing store, and also, when `holdUntilCollected`,
// until the ArrayBuffer object itself is collected.
Napi::ArrayBuffer NewMappedView(Napi::Env env, void* pointer, size_t size, ViewWindow* window,
                                bool holdUntilCollected);

// Detaches a view made by NewMappedView. Returns false, with nothing thrown, when JavaScript replaced
// the key (Node 24's markAsUntransferable sets one of its own) and the view cannot be detached.
bool DetachMappedView(Napi::Env env, Napi::ArrayBuffer view);

}  // namespace vkmap

#endif  // VKMAP_VIEW_GUARD_H
