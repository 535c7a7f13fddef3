/**
 * The zero-copy views handed out for mappings. The addon creates an ArrayBuffer over the mapped bytes and
 * detaches it when the mapping ends; these guards keep that buffer from escaping into one the addon
 * cannot detach:
 * - `markAsUntransferable`: postMessage and structuredClone copy it (Node 20) or refuse it (Node 21+)
 *   instead of moving its memory to a new ArrayBuffer;
 * - `transfer()` / `transferToFixedLength()` (Node 21+) are shadowed on the buffer by methods that throw,
 *   because they would move the mapped memory into a new, untracked ArrayBuffer.
 */
import { markAsUntransferable } from 'node:worker_threads';
import { VkmapStateError } from '@vkmap/core';

const MOVING_METHODS = ['transfer', 'transferToFixedLength'] as const;

export function guardedView(buffer: ArrayBuffer): Uint8Array {
  markAsUntransferable(buffer);
  for (const name of MOVING_METHODS) {
    if (!(name in ArrayBuffer.prototype)) continue;
    Object.defineProperty(buffer, name, {
      value: () => {
        throw new VkmapStateError(
          `ArrayBuffer.prototype.${name}() is not allowed on a mapped view: the mapped memory cannot move to ` +
            'another ArrayBuffer. Copy it instead (view.slice()).',
        );
      },
      enumerable: false,
      writable: false,
      configurable: false,
    });
  }
  return new Uint8Array(buffer);
}
