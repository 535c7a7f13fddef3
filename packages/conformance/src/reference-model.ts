/**
 * The reference memory model that random operation sequences are checked against, after the Khronos
 * CTS's ReferenceMemory (dEQP-VK.memory.mapping.*.random): per byte a value and a "defined" bit, per
 * non-coherent atom a "flushed" bit.
 *
 * - A fresh allocation is undefined: drivers need not clear memory.
 * - A host write defines its bytes and clears the flushed bit of every atom it touches.
 * - A flush sets the flushed bit of the atoms it covers.
 * - An invalidate makes the bytes of unflushed atoms undefined (the host may see its own write or the
 *   device's older bytes, or a mix); afterwards host and device agree, so the atom counts as flushed.
 * - Reading an undefined byte accepts any value, but pins it: later reads must see the same value.
 * - Coherent memory ignores flush and invalidate: every write is visible at once.
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
    this.flushed = new Uint8Array(Math.ceil(size / atomSize)).fill(1);
  }

  isDefined(offset: number): boolean {
    this.checkRange(offset, 1);
    return this.defined[offset] === 1;
  }

  /** The value the model expects at `offset`, or undefined where any value is allowed. */
  expectedAt(offset: number): number | undefined {
    return this.isDefined(offset) ? this.values[offset] : undefined;
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

  /** vkFlushMappedMemoryRanges over [offset, offset + length), rounded out to whole atoms. */
  flush(offset: number, length: number): void {
    this.checkRange(offset, length);
    if (this.coherent || length === 0) return;
    const [first, last] = this.atomsOf(offset, length);
    this.flushed.fill(1, first, last);
  }

  /** vkInvalidateMappedMemoryRanges over [offset, offset + length), rounded out to whole atoms. */
  invalidate(offset: number, length: number): void {
    this.checkRange(offset, length);
    if (this.coherent || length === 0) return;
    const [first, last] = this.atomsOf(offset, length);
    for (let atom = first; atom < last; atom++) {
      if (this.flushed[atom] === 1) continue;
      const start = atom * this.atomSize;
      this.defined.fill(0, start, Math.min(this.size, start + this.atomSize));
      this.flushed[atom] = 1;
    }
  }

  /**
   * Checks what the host read at `offset` against the model: every defined byte must match; undefined
   * bytes accept any value and are pinned to it. Returns the first mismatch (nothing is pinned then).
   */
  checkRead(offset: number, actual: Uint8Array): ByteMismatch | undefined {
    this.checkRange(offset, actual.length);
    const { values, defined } = this;
    for (let i = 0; i < actual.length; i++) {
      const at = offset + i;
      if (defined[at] === 1 && values[at] !== actual[i]) {
        return { offset: at, expected: values[at]!, actual: actual[i]!, atomFlushed: this.isAtomFlushed(at) };
      }
    }
    for (let i = 0; i < actual.length; i++) {
      const at = offset + i;
      if (defined[at] === 0) {
        values[at] = actual[i]!;
        defined[at] = 1;
      }
    }
    return undefined;
  }

  /** Atom indices [first, last) that [offset, offset + length) touches. */
  private atomsOf(offset: number, length: number): [number, number] {
    return [Math.floor(offset / this.atomSize), Math.ceil((offset + length) / this.atomSize)];
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`range [${offset}, ${offset + length}) is outside the ${this.size}-byte model`);
    }
  }
}
