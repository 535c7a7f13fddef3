/**
 * The zero-copy views handed out for mappings. The addon creates an ArrayBuffer over the mapped bytes, so that
 * buffer must never be moved into a second ArrayBuffer the addon cannot reach: structuredClone / postMessage
 * with a transfer list, and `ArrayBuffer.prototype.transfer` / `transferToFixedLength`, would do exactly that.
 * The guard is @vkmap/core's, shared with every backend (core/src/view-guard.ts says how it works on each
 * Node version); `keyed` is `binding.viewsKeyed`: the addon set a detach key of its own (every V8 but 12).
 */
import { guardMappedView } from '@vkmap/core';

/** Wraps the addon's ArrayBuffer for a new mapping in the view handed to the user. */
export function guardedView(buffer: ArrayBuffer, keyed: boolean): Uint8Array {
  return guardMappedView(buffer, { keyed });
}
