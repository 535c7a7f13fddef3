import { markAsUntransferable } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { emptyGuardedBuffer, guardMappedView, isGuardedBuffer, VkmapStateError } from '@vkmap/core';

type Moving = Record<string, ((this: ArrayBuffer, ...args: unknown[]) => unknown) | undefined>;
const prototype = ArrayBuffer.prototype as unknown as Moving;

describe('the view guard shared by the backends', () => {
  it('guards an unkeyed buffer once: transfers refuse it, its bytes stay', () => {
    const buffer = new ArrayBuffer(16);
    const view = guardMappedView(buffer, { keyed: false });
    view.fill(7);
    expect(guardMappedView(buffer, { keyed: false }).length).toBe(16); // a second guard is a no-op
    expect(isGuardedBuffer(buffer)).toBe(true);
    for (const name of ['transfer', 'transferToFixedLength']) {
      const method = prototype[name];
      if (typeof method !== 'function') continue;
      expect(() => method.call(buffer)).toThrow(VkmapStateError);
      expect(() => (buffer as unknown as Moving)[name]!.call(buffer)).toThrow(/not allowed on a mapped view/);
    }
    try {
      structuredClone(buffer, { transfer: [buffer] });
    } catch (error) {
      expect((error as Error).name).toBe('DataCloneError');
    }
    expect(buffer.byteLength).toBe(16);
    expect(view.every((b) => b === 7)).toBe(true);
  });

  it('leaves every other buffer alone', () => {
    guardMappedView(new ArrayBuffer(8), { keyed: false });
    const plain = new ArrayBuffer(8);
    const transfer = prototype.transfer;
    if (transfer) expect((transfer.call(plain) as ArrayBuffer).byteLength).toBe(8);
    expect(isGuardedBuffer(plain)).toBe(false);
  });

  it('empties a guarded resizable buffer with no transfer, even one the application marked', () => {
    const buffer = new (ArrayBuffer as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(32, {
      maxByteLength: 32,
    });
    const view = guardMappedView(buffer, { keyed: false });
    markAsUntransferable(buffer);
    expect(() => prototype.resize!.call(buffer, 0)).toThrow(VkmapStateError);
    emptyGuardedBuffer(buffer);
    expect(view.length).toBe(0);
    expect(() => view.fill(1)).toThrow(TypeError);
    // One byte less, once: the pages under the view stay until the buffer is collected.
    expect(buffer.byteLength).toBe(31);
    expect(() => emptyGuardedBuffer(buffer)).not.toThrow();
    expect(buffer.byteLength).toBe(31);
    expect(() => emptyGuardedBuffer(new ArrayBuffer(4))).not.toThrow(); // not resizable: nothing to do
  });
});
