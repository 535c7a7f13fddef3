/**
 * The reference memory model that operation sequences are checked against, after the Khronos CTS's
 * ReferenceMemory (dEQP-VK.memory.mapping.*.random), extended with the device's side: per byte a host
 * value and a device value, each with a "defined" bit, and per non-coherent atom a "flushed" bit that is
 * set while the atom is clean (the host has not written it since host and device last agreed on it).
 *
 * - A fresh allocation is undefined on both sides: drivers need not clear memory.
 * - A host write defines its host bytes and clears the flushed bit of every atom it touches.
 * - A device write (a shader or a transfer) defines its device bytes; the host keeps its bytes.
 * - A flush writes back the atoms it covers that are not flushed, whole (the device takes every host byte
 *   of the atom, defined or not), and sets their flushed bit. Flushed atoms are clean: like clean cache
 *   lines they are not written back, so device writes to them survive the flush.
 * - An invalidate brings the device's bytes of flushed atoms to the host. The bytes of unflushed atoms
 *   become undefined on both sides (the host may see its own write or the device's older bytes, or a mix,
 *   and some caches write the line back first); afterwards host and device agree, so the atom is flushed.
 * - Reading an undefined byte accepts any value, but pins it: later reads must see the same value. In a
 *   flushed atom a byte undefined on both sides holds the same value on both, so the read pins both.
 * - Coherent memory has one set of bytes that host and device share; flush and invalidate change nothing.
 *
 * Unmap and map change nothing: a host write survives unmap and map without a flush (CTS "remap").
 */
export interface ByteMismatch {
  /** Offset in the allocation. */
  readonly offset: number;
  readonly expected: number;
  readonly actual: number;
  /** Whether the atom holding the byte was flushed since its last write. */
  readonly atomFlushed: boolean;
}

export class ReferenceMemory {
  readonly size: number;
  readonly atomSize: number;
  readonly coherent: boolean;
  private readonly values: Uint8Array;
  private readonly defined: Uint8Array;
  /** The device's bytes; the host's own arrays for coherent memory. */
  private readonly deviceValues: Uint8Array;
  private readonly deviceDefined: Uint8Array;
  private readonly flushed: Uint8Array;

  constructor(size: number, atomSize: number, coherent: boolean) {
    if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(`size must be a positive integer (got ${size})`);
    if (!Number.isSafeInteger(atomSize) || atomSize <= 0 || (atomSize & (atomSize - 1)) !== 0) {
      throw new RangeError(`atomSize must be a power of two (got ${atomSize})`);
    }
    this.size = size;
    this.atomSize = atomSize;
    this.coherent = coherent;
    this.values = new Uint8Array(size);
    this.defined = new Uint8Array(size);
    this.deviceValues = coherent ? this.values : new Uint8Array(size);
    this.deviceDefined = coherent ? this.defined : new Uint8Array(size);
    this.flushed = new Uint8Array(Math.ceil(size / atomSize)).fill(1);
  }

  isDefined(offset: number): boolean {
    this.checkRange(offset, 1);
    return this.defined[offset] === 1;
  }

  /** The value the model expects the host to read at `offset`, or undefined where any value is allowed. */
  expectedAt(offset: number): number | undefined {
    return this.isDefined(offset) ? this.values[offset] : undefined;
  }

  /** The value the model expects the device to read at `offset`, or undefined where any value is allowed. */
  deviceExpectedAt(offset: number): number | undefined {
    this.checkRange(offset, 1);
    return this.deviceDefined[offset] === 1 ? this.deviceValues[offset] : undefined;
  }

  isAtomFlushed(offset: number): boolean {
    this.checkRange(offset, 1);
    return this.flushed[Math.floor(offset / this.atomSize)] === 1;
  }

  /** Number of undefined bytes in [offset, offset + length). */
  undefinedCount(offset = 0, length = this.size - offset): number {
    this.checkRange(offset, length);
    let count = 0;
    for (let i = offset; i < offset + length; i++) count += 1 - this.defined[i]!;
    return count;
  }

  /** A host write of `bytes` at `offset`. */
  write(offset: number, bytes: Uint8Array): void {
    this.checkRange(offset, bytes.length);
    if (bytes.length === 0) return;
    this.values.set(bytes, offset);
    this.defined.fill(1, offset, offset + bytes.length);
    if (!this.coherent) {
      const [first, last] = this.atomsOf(offset, bytes.length);
      this.flushed.fill(0, first, last);
    }
  }

  /** A device write (shader store or transfer) of `bytes` at `offset`. */
  deviceWrite(offset: number, bytes: Uint8Array): void {
    this.checkRange(offset, bytes.length);
    this.deviceValues.set(bytes, offset);
    this.deviceDefined.fill(1, offset, offset + bytes.length);
  }

  /** vkFlushMappedMemoryRanges over [offset, offset + length), rounded out to whole atoms. */
  flush(offset: number, length: number): void {
    this.checkRange(offset, length);
    if (this.coherent || length === 0) return;
    const [first, last] = this.atomsOf(offset, length);
    for (let atom = first; atom < last; atom++) {
      if (this.flushed[atom] === 1) continue;
      const [start, end] = this.bytesOf(atom);
      this.deviceValues.set(this.values.subarray(start, end), start);
      this.deviceDefined.set(this.defined.subarray(start, end), start);
      this.flushed[atom] = 1;
    }
  }

  /** vkInvalidateMappedMemoryRanges over [offset, offset + length), rounded out to whole atoms. */
  invalidate(offset: number, length: number): void {
    this.checkRange(offset, length);
    if (this.coherent || length === 0) return;
    const [first, last] = this.atomsOf(offset, length);
    for (let atom = first; atom < last; atom++) {
      const [start, end] = this.bytesOf(atom);
      if (this.flushed[atom] === 1) {
        this.values.set(this.deviceValues.subarray(start, end), start);
        this.defined.set(this.deviceDefined.subarray(start, end), start);
      } else {
        this.defined.fill(0, start, end);
        this.deviceDefined.fill(0, start, end);
        this.flushed[atom] = 1;
      }
    }
  }

  /**
   * Checks what the host read at `offset` against the model: every defined byte must match; undefined
   * bytes accept any value and are pinned to it. Returns the first mismatch (nothing is pinned then).
   */
  checkRead(offset: number, actual: Uint8Array): ByteMismatch | undefined {
    return this.checkSide(offset, actual, this.values, this.defined, this.deviceValues, this.deviceDefined);
  }

  /** As `checkRead`, for what the device read at `offset`. */
  checkDeviceRead(offset: number, actual: Uint8Array): ByteMismatch | undefined {
    return this.checkSide(offset, actual, this.deviceValues, this.deviceDefined, this.values, this.defined);
  }

  private checkSide(
    offset: number,
    actual: Uint8Array,
    values: Uint8Array,
    defined: Uint8Array,
    otherValues: Uint8Array,
    otherDefined: Uint8Array,
  ): ByteMismatch | undefined {
    this.checkRange(offset, actual.length);
    for (let i = 0; i < actual.length; i++) {
      const at = offset + i;
      if (defined[at] === 1 && values[at] !== actual[i]) {
        return { offset: at, expected: values[at]!, actual: actual[i]!, atomFlushed: this.isAtomFlushed(at) };
      }
    }
    for (let i = 0; i < actual.length; i++) {
      const at = offset + i;
      if (defined[at] === 1) continue;
      values[at] = actual[i]!;
      defined[at] = 1;
      if (otherDefined[at] === 0 && this.flushed[Math.floor(at / this.atomSize)] === 1) {
        otherValues[at] = actual[i]!;
        otherDefined[at] = 1;
      }
    }
    return undefined;
  }

  /** Atom indices [first, last) that [offset, offset + length) touches. */
  private atomsOf(offset: number, length: number): [number, number] {
    return [Math.floor(offset / this.atomSize), Math.ceil((offset + length) / this.atomSize)];
  }

  /** Byte offsets [start, end) of an atom; the last one may be cut short by the size. */
  private bytesOf(atom: number): [number, number] {
    const start = atom * this.atomSize;
    return [start, Math.min(this.size, start + this.atomSize)];
  }

  private checkRange(offset: number, length: number): void {
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > this.size
    ) {
      throw new RangeError(`range [${offset}, ${offset + length}) is outside the ${this.size}-byte model`);
    }
  }
}
