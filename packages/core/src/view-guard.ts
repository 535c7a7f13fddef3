/**
 * The guard on the ArrayBuffers under mapped views, shared by every backend: a mapped view's memory must
 * never move into another ArrayBuffer (which would empty the live mapping, or take the backend's own store
 * away from it), whatever the application does with `view.buffer`.
 *
 * - Where a native addon keys its views (`keyed`, every V8 but 12), V8 itself refuses to move them. On Node 20
 *   `markAsUntransferable` is added so that postMessage copies instead of trying to move; where
 *   `markAsUntransferable` sets a detach key of its own (Node 24), it is not called: it would replace the
 *   addon's key.
 * - An unkeyed buffer (an addon on V8 12, and every buffer of a backend written in JavaScript) is marked with
 *   `markAsUntransferable`: Node 20 then copies it in structuredClone and postMessage, Node 22 and later refuse
 *   it there. The moving methods of this realm's `ArrayBuffer.prototype` (`transfer`, `transferToFixedLength`,
 *   and `resize` for a resizable buffer) are wrapped to refuse guarded buffers. A method taken from another
 *   realm (a `vm` context), or taken before the first guard, is not wrapped.
 * - Everywhere, those methods are shadowed on the buffer itself, so that the common call `view.buffer.transfer()`
 *   fails with a message that says what to do instead.
 *
 * Guarding a buffer again is a no-op. Nothing here changes a global before the first guard.
 */
import { VkmapStateError } from './errors.js';

const MOVING_METHODS = ['transfer', 'transferToFixedLength'] as const;
type GuardedMethod = (typeof MOVING_METHODS)[number] | 'resize';
type Method = (this: ArrayBuffer, ...args: unknown[]) => unknown;

/** Whether a buffer is resizable (ES2024, beyond the library types this package builds with). */
function isResizable(buffer: ArrayBuffer): boolean {
  return (buffer as { readonly resizable?: boolean }).resizable === true;
}

function refuse(name: GuardedMethod): never {
  throw new VkmapStateError(
    name === 'resize'
      ? 'ArrayBuffer.prototype.resize() is not allowed on a mapped view: the mapped memory cannot change size. Copy it instead (view.slice()).'
      : `ArrayBuffer.prototype.${name}() is not allowed on a mapped view: the mapped memory cannot move to another ArrayBuffer. Copy it instead (view.slice()).`,
  );
}

/** Node's markAsUntransferable, where there is one (reached without importing a Node module statically). */
const markAsUntransferable: ((value: object) => void) | undefined = (() => {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = process?.getBuiltinModule?.('node:worker_threads') as
    | { markAsUntransferable?: (value: object) => void }
    | undefined;
  return threads?.markAsUntransferable;
})();

/** Every buffer guarded so far, and the unkeyed ones, which the wrapped prototype methods refuse. */
const guarded = new WeakSet<ArrayBuffer>();
const unkeyed = new WeakSet<ArrayBuffer>();

/** `ArrayBuffer.prototype.resize` as it was before any guard: how a backend empties a window of its own. */
const originalResize = (ArrayBuffer.prototype as unknown as { resize?: Method }).resize;
let prototypeGuarded = false;

function guardPrototype(): void {
  if (prototypeGuarded) return;
  prototypeGuarded = true;
  const prototype = ArrayBuffer.prototype as unknown as Record<GuardedMethod, Method | undefined>;
  for (const name of [...MOVING_METHODS, 'resize'] as const) {
    const original = prototype[name];
    if (typeof original !== 'function') continue;
    // A method of the same name and length that passes every other buffer through unchanged.
    const wrapped = {
      [name](this: ArrayBuffer, ...args: unknown[]): unknown {
        if (unkeyed.has(this)) refuse(name);
        return Reflect.apply(original, this, args);
      },
    }[name]!;
    Object.defineProperty(prototype, name, { value: wrapped, writable: true, enumerable: false, configurable: true });
  }
}

let markingSetsDetachKeyAnswer: boolean | undefined;

/** Whether this runtime's `markAsUntransferable` sets a detach key (it then refuses `transfer()`). */
function markingSetsDetachKey(): boolean {
  if (markingSetsDetachKeyAnswer !== undefined) return markingSetsDetachKeyAnswer;
  const transfer = (ArrayBuffer.prototype as unknown as { transfer?: Method }).transfer;
  let answer = false;
  if (typeof transfer === 'function' && markAsUntransferable) {
    const probe = new ArrayBuffer(1);
    markAsUntransferable(probe);
    try {
      transfer.call(probe);
    } catch {
      answer = true;
    }
  }
  markingSetsDetachKeyAnswer = answer;
  return answer;
}

/**
 * Guards the ArrayBuffer under a mapped view and returns a Uint8Array over all of it (of fixed length, also
 * over a resizable buffer). `keyed`: the buffer carries a detach key of a native addon.
 */
export function guardMappedView(buffer: ArrayBuffer, options: { readonly keyed: boolean }): Uint8Array {
  if (!guarded.has(buffer)) {
    guarded.add(buffer);
    if (!options.keyed) {
      markAsUntransferable?.(buffer);
      unkeyed.add(buffer);
      guardPrototype();
    } else if (!markingSetsDetachKey()) {
      markAsUntransferable?.(buffer);
    }
    const shadowed: GuardedMethod[] = MOVING_METHODS.filter((name) => name in ArrayBuffer.prototype);
    if (isResizable(buffer)) shadowed.push('resize');
    for (const name of shadowed) {
      Object.defineProperty(buffer, name, {
        value: () => refuse(name),
        enumerable: false,
        writable: false,
        configurable: false,
      });
    }
  }
  return new Uint8Array(buffer, 0, buffer.byteLength);
}

/** Whether `buffer` is under a guard of this module. */
export function isGuardedBuffer(buffer: ArrayBuffer): boolean {
  return guarded.has(buffer);
}

/**
 * Ends a guarded resizable buffer for good, the way a backend without an addon "detaches" a view: it shrinks
 * by one byte, so a fixed-length view that reaches its end is out of bounds (length 0, methods throw, as over
 * a detached buffer). Only pages wholly past the new end are given back, so a view whose last byte does not
 * start a page keeps every page it covers until the buffer is collected: work Node's thread pool is still
 * doing on it lands in harmless memory. Neither a detach key nor markAsUntransferable stands in the way.
 * Never throws.
 */
export function emptyGuardedBuffer(buffer: ArrayBuffer): void {
  // Once only: a second byte less could give back the page the view ends on.
  if (!isResizable(buffer) || buffer.byteLength === 0 || !originalResize || emptied.has(buffer)) return;
  emptied.add(buffer);
  Reflect.apply(originalResize, buffer, [buffer.byteLength - 1]);
}

const emptied = new WeakSet<ArrayBuffer>();
