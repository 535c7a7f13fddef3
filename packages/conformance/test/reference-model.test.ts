import { describe, expect, it } from 'vitest';
import { ReferenceMemory } from '../src/index.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('ReferenceMemory', () => {
  it('starts undefined: the first read accepts anything and pins it', () => {
    const model = new ReferenceMemory(8, 4, false);
    expect(model.undefinedCount()).toBe(8);
    expect(model.checkRead(0, bytes(9, 8, 7, 6))).toBeUndefined();
    expect(model.expectedAt(1)).toBe(8);
    expect(model.checkRead(0, bytes(9, 8, 7, 6))).toBeUndefined();
    expect(model.checkRead(1, bytes(0))).toEqual({ offset: 1, expected: 8, actual: 0, atomFlushed: true });
    expect(model.undefinedCount()).toBe(4);
  });

  it('a failed check pins nothing', () => {
    const model = new ReferenceMemory(8, 4, false);
    model.write(0, bytes(1));
    expect(model.checkRead(0, bytes(2, 5))).toMatchObject({ offset: 0, expected: 1, actual: 2 });
    expect(model.isDefined(1)).toBe(false);
  });

  it('a write defines its bytes and clears the flushed bit of every atom it touches', () => {
    const model = new ReferenceMemory(16, 4, false);
    model.write(3, bytes(1, 2));
    expect(model.isAtomFlushed(0)).toBe(false);
    expect(model.isAtomFlushed(4)).toBe(false);
    expect(model.isAtomFlushed(8)).toBe(true);
    expect([model.expectedAt(3), model.expectedAt(4), model.expectedAt(5)]).toEqual([1, 2, undefined]);
  });

  it('invalidate keeps flushed atoms and makes unflushed atoms undefined, whole atoms at a time', () => {
    const model = new ReferenceMemory(16, 4, false);
    model.write(0, bytes(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3));
    model.flush(0, 4);
    model.flush(9, 1); // rounds out to the atom [8, 12)
    model.invalidate(0, 16);
    expect(model.expectedAt(0)).toBe(1);
    expect(model.expectedAt(4)).toBeUndefined();
    expect(model.expectedAt(7)).toBeUndefined();
    expect(model.expectedAt(11)).toBe(3);
    // Host and device agree after the invalidate: a second one loses nothing more.
    expect(model.checkRead(4, bytes(0, 0, 0, 0))).toBeUndefined();
    model.invalidate(0, 16);
    expect(model.expectedAt(4)).toBe(0);
  });

  it('a write after a flush makes the atom unflushed again', () => {
    const model = new ReferenceMemory(8, 4, false);
    model.write(0, bytes(1, 1, 1, 1));
    model.flush(0, 8);
    model.write(2, bytes(5));
    model.invalidate(0, 4);
    expect(model.undefinedCount(0, 4)).toBe(4);
  });

  it('coherent memory ignores flush and invalidate', () => {
    const model = new ReferenceMemory(8, 4, true);
    model.write(0, bytes(1, 2, 3));
    model.invalidate(0, 8);
    expect([model.expectedAt(0), model.expectedAt(2)]).toEqual([1, 3]);
    expect(model.isAtomFlushed(0)).toBe(true);
  });

  it('handles a last atom cut short by the allocation size', () => {
    const model = new ReferenceMemory(10, 4, false);
    model.write(8, bytes(7, 7));
    model.invalidate(8, 2);
    expect(model.undefinedCount(8, 2)).toBe(2);
  });

  it('a flush writes back only unflushed atoms, whole: device writes to clean atoms survive', () => {
    const model = new ReferenceMemory(16, 4, false);
    model.deviceWrite(4, bytes(181));
    model.deviceWrite(8, bytes(5, 6));
    model.write(9, bytes(7)); // atom [8, 12) becomes unflushed
    model.flush(0, 16);
    expect(model.deviceExpectedAt(4)).toBe(181);
    expect(model.deviceExpectedAt(9)).toBe(7);
    // The host never wrote byte 8, so the written-back atom leaves it undefined on the device.
    expect(model.deviceExpectedAt(8)).toBeUndefined();
    expect(model.checkDeviceRead(4, bytes(0))).toEqual({ offset: 4, expected: 181, actual: 0, atomFlushed: true });
    expect(model.checkDeviceRead(4, bytes(181))).toBeUndefined();
    // Flushed again without a host write: a later device write to the atom survives.
    model.deviceWrite(9, bytes(8));
    model.flush(0, 16);
    expect(model.deviceExpectedAt(9)).toBe(8);
  });

  it('an invalidate brings device bytes of flushed atoms to the host and drops both sides of unflushed ones', () => {
    const model = new ReferenceMemory(8, 4, false);
    model.deviceWrite(0, bytes(1, 2, 3, 4, 5, 6, 7, 8));
    model.write(4, bytes(9));
    model.invalidate(0, 8);
    expect([model.expectedAt(0), model.expectedAt(3)]).toEqual([1, 4]);
    expect([model.expectedAt(4), model.deviceExpectedAt(4), model.deviceExpectedAt(5)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(model.isAtomFlushed(4)).toBe(true);
  });

  it('a read of a byte undefined on both sides of a flushed atom pins both; in an unflushed atom only the host', () => {
    const model = new ReferenceMemory(8, 4, false);
    expect(model.checkRead(0, bytes(3))).toBeUndefined();
    expect(model.deviceExpectedAt(0)).toBe(3);
    model.write(4, bytes(1));
    expect(model.checkRead(5, bytes(2))).toBeUndefined();
    expect(model.deviceExpectedAt(5)).toBeUndefined();
    expect(model.checkDeviceRead(6, bytes(9))).toBeUndefined();
    expect(model.expectedAt(6)).toBeUndefined();
  });

  it('coherent memory shares one set of bytes between host and device', () => {
    const model = new ReferenceMemory(8, 4, true);
    model.deviceWrite(0, bytes(4));
    model.write(1, bytes(5));
    expect([model.expectedAt(0), model.deviceExpectedAt(1)]).toEqual([4, 5]);
    expect(model.checkDeviceRead(0, bytes(4, 5))).toBeUndefined();
  });

  it('refuses ranges outside the memory and bad atom sizes', () => {
    const model = new ReferenceMemory(8, 4, false);
    expect(() => model.write(7, bytes(1, 2))).toThrow(RangeError);
    expect(() => model.flush(-1, 2)).toThrow(RangeError);
    expect(() => model.deviceWrite(8, bytes(1))).toThrow(RangeError);
    expect(() => new ReferenceMemory(8, 3, false)).toThrow(/power of two/);
    expect(() => new ReferenceMemory(0, 4, false)).toThrow(/positive/);
  });
});
