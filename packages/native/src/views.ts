/**
 * The zero-copy views handed out for mappings. The addon creates an ArrayBuffer over the mapped bytes and
 * detaches it when the mapping ends, so that buffer must never be moved into a second ArrayBuffer the
 * addon cannot detach: structuredClone / postMessage with a transfer list, and
 * `ArrayBuffer.prototype.transfer` / `transferToFixedLength`, would do exactly that.
 *
 * - Where the addon keys its views (`binding.viewsKeyed`, every V8 but 12), V8 refuses to move them. On
 *   Node 20 `markAsUntransferable` is added so that postMessage copies instead of trying to move; where
 *   `markAsUntransferable` sets a detach key of its own (Node 24), it is not called: it would replace the
 *   addon's key.
 * - On V8 12 (Node 22) a keyed buffer aborts the process in `transfer()`, so the views are unkeyed:
 *   `markAsUntransferable` makes structuredClone and postMessage refuse them, and the two transfer methods
 *   of this realm's `ArrayBuffer.prototype` are wrapped to refuse mapped buffers. A transfer method taken
 *   from another realm (a `vm` context) is not wrapped there.
 * - Everywhere, `transfer` and `transferToFixedLength` are shadowed on the buffer itself, so the common
 *   call `view.buffer.transfer()` fails with a message that says what to do instead.
 */
import { markAsUntransferable } from 'node:worker_threads';
import { VkmapStateError } from '@vkmap/core';

const MOVING_METHODS = ['transfer', 'transferToFixedLength'] as const;
type MovingMethod = (typeof MOVING_METHODS)[number];

function refuseMove(name: MovingMethod): never {
  throw new VkmapStateError(
    `ArrayBuffer.prototype.${name}() is not allowed on a mapped view: the mapped memory cannot move to ` +
      'another ArrayBuffer. Copy it instead (view.slice()).',
  );
}

/** The unkeyed mapped buffers (V8 12 only), refused by the wrapped prototype methods. */
const unkeyedViews = new WeakSet<ArrayBuffer>();
let prototypeGuarded = false;

function guardPrototype(): void {
  if (prototypeGuarded) return;
  prototypeGuarded = true;
  const prototype = ArrayBuffer.prototype as unknown as Record<
    MovingMethod,
    ((...args: unknown[]) => unknown) | undefined
  >;
  for (const name of MOVING_METHODS) {
    const original = prototype[name];
    if (typeof original !== 'function') continue;
    // A method of the same name and length that passes every other buffer through unchanged.
    const guarded = {
      [name](this: ArrayBuffer, ...args: unknown[]): unknown {
        if (unkeyedViews.has(this)) refuseMove(name);
        return Reflect.apply(original, this, args);
      },
    }[name]!;
    Object.defineProperty(prototype, name, { value: guarded, writable: true, enumerable: false, configurable: true });
  }
}

/** Whether this runtime's `markAsUntransferable` sets a detach key (it then refuses `transfer()`). */
const markingSetsDetachKey = (() => {
  const transfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer) => ArrayBuffer }).transfer;
  if (typeof transfer !== 'function') return false;
  const probe = new ArrayBuffer(1);
  markAsUntransferable(probe);
  try {
    transfer.call(probe);
    return false;
  } catch {
    return true;
  }
})();

/** Wraps the addon's ArrayBuffer for a new mapping in the view handed to the user. */
export function guardedView(buffer: ArrayBuffer, keyed: boolean): Uint8Array {
  if (!keyed) {
    markAsUntransferable(buffer);
    unkeyedViews.add(buffer);
    guardPrototype();
  } else if (!markingSetsDetachKey) {
    markAsUntransferable(buffer);
  }
  for (const name of MOVING_METHODS) {
    if (!(name in ArrayBuffer.prototype)) continue;
    Object.defineProperty(buffer, name, {
      value: () => refuseMove(name),
      enumerable: false,
      writable: false,
      configurable: false,
    });
  }
  return new Uint8Array(buffer);
}
