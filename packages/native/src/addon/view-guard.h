// The ArrayBuffers handed out for mappings, and how they are kept from escaping. A mapped view must never
// be moved into a second ArrayBuffer that this addon cannot detach (by structuredClone or postMessage with
// a transfer list, or by ArrayBuffer.prototype.transfer), because that buffer would outlive the mapping.
//
// Where V8 handles it safely, each view carries a detach key that only this addon holds: JavaScript can
// then neither transfer nor detach it, and the addon detaches it with the key when the mapping ends.
// V8 12 (Node 22) aborts the process when ArrayBuffer.prototype.transfer meets a keyed buffer, so there
// the views are left unkeyed and the JavaScript side guards them (src/views.ts).
#ifndef VKMAP_VIEW_GUARD_H
#define VKMAP_VIEW_GUARD_H

#include <napi.h>

namespace vkmap {

// Whether this runtime's V8 refuses JavaScript transfers of a keyed ArrayBuffer with an exception.
bool DetachKeysAreSafe();

// An external ArrayBuffer over `size` bytes at `pointer`, keyed when DetachKeysAreSafe().
Napi::ArrayBuffer NewMappedView(Napi::Env env, void* pointer, size_t size);

// Detaches a view made by NewMappedView. Returns false, with nothing thrown, when JavaScript replaced
// the key (Node 24's markAsUntransferable sets one of its own) and the view cannot be detached.
bool DetachMappedView(Napi::Env env, Napi::ArrayBuffer view);

}  // namespace vkmap

#endif  // VKMAP_VIEW_GUARD_H
