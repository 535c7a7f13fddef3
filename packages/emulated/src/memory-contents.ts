import { moveBuffer, detachBuffer } from './detach.js';

/** The host's bytes while a mapping is live: a buffer of exactly the mapped range. */
interface HostWindow {
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** The window took over the whole backing store (no copy) and gives it back at close. */
  readonly ownsWholeStore: boolean;
}

/**
 * The bytes of one memory object, as the device and as the host see them.
 *
 * Coherent types have one store: host and device see the same bytes at once. Non-coherent types have two:
 * device memory and a host cache that persists across unmap and map (an unflushed write is never lost by a
 * remap). Invalidate copies device memory over the host cache; flush writes back the host's dirty atoms
 * (units of nonCoherentAtomSize, like cache lines) and only those, so a device write to an atom the host did
 * not write survives a flush of a range around it. Nothing else moves bytes between the two, so a missing
 * flush or invalidate shows as stale data.
 *
 * Stores into the mapped Uint8Array are invisible to this class, so an atom is dirty when its host bytes
 * differ from a clean snapshot: the host bytes as of the last time host and device agreed on that atom (the
 * host cache's creation at the first map, an invalidate, a flush that wrote it back). The one store this
 * cannot see is a host store of the value the atom already held: a real cache would write that line back
 * (overwriting a device write made since), here the atom stays clean and the device keeps its bytes.
 *
 * While mapped, the mapped range of the host side lives in its own buffer (`HostWindow`), so the view handed
 * out covers exactly that range and can be detached at unmap. A window over the whole object takes the
 * store itself without copying.
 */
export class MemoryContents {
  readonly size: number;
  readonly coherent: boolean;
  /** nonCoherentAtomSize: the unit in which non-coherent host bytes are dirty or clean. */
  readonly atomSize: number;
  /** Device memory; for coherent types also the host side outside the window. Null until first needed (zeros). */
  private deviceStore: Uint8Array | null = null;
  /** Non-coherent types: the host cache outside the window. Null until the first map. */
  private hostCache: Uint8Array | null = null;
  /**
   * Non-coherent types: the host bytes of every atom as of its last synchronisation with the device; an
   * atom whose host bytes differ from these is dirty. Null while every byte of it would be zero.
   */
  private cleanSnapshot: Uint8Array | null = null;
  private window: HostWindow | null = null;

  constructor(size: number, coherent: boolean, atomSize: number) {
    if (!Number.isSafeInteger(atomSize) || atomSize <= 0)
      throw new RangeError(`atomSize must be a positive integer (got ${atomSize})`);
    this.size = size;
    this.coherent = coherent;
    this.atomSize = atomSize;
  }

  get isMapped(): boolean {
    return this.window !== null;
  }

  /**
   * Opens the host window over [offset, offset + length) and returns its bytes. Throws RangeError when the
   * host cannot provide the memory (the caller reports MEMORY_MAP_FAILED); nothing changes then.
   */
  openWindow(offset: number, length: number): Uint8Array {
    if (this.window) throw new Error('internal: window already open');
    const whole = offset === 0 && length === this.size;
    if (this.coherent) {
      const store = this.deviceStore ?? new Uint8Array(this.size);
      this.window = this.takeWindow(store, offset, length, whole);
      this.deviceStore = whole ? null : store;
    } else {
      const cache = this.hostCache ?? this.createHostCache();
      this.window = this.takeWindow(cache, offset, length, whole);
      this.hostCache = whole ? null : cache;
    }
    return this.window.bytes;
  }

  /** Ends the window: its bytes go back to the host side and every view of it is detached. */
  closeWindow(): void {
    const window = this.window;
    if (!window) return;
    this.window = null;
    let hostSide = this.coherent ? this.deviceStore : this.hostCache;
    if (window.ownsWholeStore) {
      // A view whose buffer the user transferred away took those bytes along; the store restarts as zeros.
      hostSide =
        window.bytes.byteLength === this.size
          ? new Uint8Array(moveBuffer(window.bytes.buffer as ArrayBuffer))
          : new Uint8Array(this.size);
    } else {
      if (!hostSide) throw new Error('internal: host side missing under a partial window');
      if (window.bytes.byteLength === window.bytes.buffer.byteLength && window.bytes.byteLength > 0) {
        hostSide.set(window.bytes, window.offset);
      }
      detachBuffer(window.bytes.buffer as ArrayBuffer);
    }
    if (this.coherent) this.deviceStore = hostSide;
    else this.hostCache = hostSide;
  }

  /** Reads bytes as the device sees them. */
  readDevice(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    if (this.coherent) this.readHost(offset, out);
    else if (this.deviceStore) out.set(this.deviceStore.subarray(offset, offset + length));
    return out;
  }

  /** Writes bytes as the device would (a shader or a transfer). */
  writeDevice(offset: number, bytes: Uint8Array): void {
    if (this.coherent) this.writeHost(offset, bytes);
    else this.ensureDeviceStore().set(bytes, offset);
  }

  /**
   * Writes back the dirty atoms of [offset, offset + length) (whole atoms, as the caller rounds the range)
   * to device memory and marks them clean; clean atoms leave device memory as it is. No-op on coherent types.
   */
  flush(offset: number, length: number): void {
    if (this.coherent || length === 0) return;
    const host = new Uint8Array(length);
    this.readHost(offset, host);
    const clean = this.ensureCleanSnapshot();
    const host32 = words(host);
    const clean32 = words(clean);
    const end = offset + length;
    let runStart = -1;
    for (let start = offset; start < end; ) {
      const atomEnd = Math.min(end, start - (start % this.atomSize) + this.atomSize);
      const dirty = !sameBytes(host, host32, start - offset, clean, clean32, start, atomEnd - start);
      if (dirty && runStart < 0) runStart = start;
      if (!dirty && runStart >= 0) {
        this.writeBack(host, offset, runStart, start);
        runStart = -1;
      }
      start = atomEnd;
    }
    if (runStart >= 0) this.writeBack(host, offset, runStart, end);
  }

  /** Replaces the host's bytes of [offset, offset + length) with device memory. No-op on coherent types. */
  invalidate(offset: number, length: number): void {
    if (this.coherent || length === 0) return;
    const bytes = this.readDevice(offset, length);
    this.writeHost(offset, bytes);
    // Host and device now agree on these atoms. A null snapshot stays valid while both are still all zero.
    if (this.cleanSnapshot || this.deviceStore) this.ensureCleanSnapshot().set(bytes, offset);
  }

  /** Drops every byte and detaches the live view, if any. */
  release(): void {
    if (this.window) detachBuffer(this.window.bytes.buffer as ArrayBuffer);
    this.window = null;
    this.deviceStore = null;
    this.hostCache = null;
    this.cleanSnapshot = null;
  }

  private takeWindow(store: Uint8Array, offset: number, length: number, whole: boolean): HostWindow {
    if (whole) return { offset, bytes: new Uint8Array(moveBuffer(store.buffer as ArrayBuffer)), ownsWholeStore: true };
    return { offset, bytes: store.slice(offset, offset + length), ownsWholeStore: false };
  }

  /** The host cache as the first map finds it: a copy of device memory, which is also its first clean snapshot. */
  private createHostCache(): Uint8Array {
    this.cleanSnapshot = this.deviceStore ? this.deviceStore.slice() : null;
    return this.deviceStore ? this.deviceStore.slice() : new Uint8Array(this.size);
  }

  private ensureCleanSnapshot(): Uint8Array {
    this.cleanSnapshot ??= new Uint8Array(this.size);
    return this.cleanSnapshot;
  }

  /** Copies host[start - base, end - base) (allocation offsets [start, end)) to device memory and the clean snapshot. */
  private writeBack(host: Uint8Array, base: number, start: number, end: number): void {
    const bytes = host.subarray(start - base, end - base);
    this.ensureDeviceStore().set(bytes, start);
    this.ensureCleanSnapshot().set(bytes, start);
  }

  private ensureDeviceStore(): Uint8Array {
    this.deviceStore ??= new Uint8Array(this.size);
    return this.deviceStore;
  }

  /** The host side outside the window (device store for coherent types, host cache otherwise). */
  private hostBase(create: boolean): Uint8Array | null {
    if (this.coherent) return create ? this.ensureDeviceStore() : this.deviceStore;
    if (!this.hostCache && create) this.hostCache = this.createHostCache();
    return this.hostCache;
  }

  private readHost(offset: number, out: Uint8Array): void {
    this.forEachHostPart(offset, out.length, false, (bytes, from, at) => {
      if (bytes) out.set(bytes.subarray(from, from + at.length), at.start);
      else out.fill(0, at.start, at.start + at.length);
    });
  }

  private writeHost(offset: number, src: Uint8Array): void {
    this.forEachHostPart(offset, src.length, true, (bytes, from, at) => {
      bytes?.set(src.subarray(at.start, at.start + at.length), from);
    });
  }

  /**
   * Splits [offset, offset + length) into the parts held by the window and by the host base, calling
   * `visit(buffer or null, index in that buffer, { start: index in the caller's range, length })`.
   */
  private forEachHostPart(
    offset: number,
    length: number,
    create: boolean,
    visit: (bytes: Uint8Array | null, from: number, at: { start: number; length: number }) => void,
  ): void {
    const end = offset + length;
    const w = this.window;
    const wStart = w ? w.offset : end;
    const wEnd = w ? w.offset + w.bytes.byteLength : end;
    let cursor = offset;
    while (cursor < end) {
      if (w && cursor >= wStart && cursor < wEnd) {
        const partEnd = Math.min(end, wEnd);
        visit(w.bytes, cursor - wStart, { start: cursor - offset, length: partEnd - cursor });
        cursor = partEnd;
      } else {
        const partEnd = cursor < wStart ? Math.min(end, wStart) : end;
        visit(this.hostBase(create), cursor, { start: cursor - offset, length: partEnd - cursor });
        cursor = partEnd;
      }
    }
  }
}

/** A 32-bit view of the whole of `bytes`, when it starts 4-byte aligned in its buffer. */
function words(bytes: Uint8Array): Uint32Array | null {
  return bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2) : null;
}

/**
 * Whether a[aStart, aStart + length) equals b[bStart, bStart + length): 32 bits at a time where both starts
 * are 4-byte aligned (a32 and b32 are `words` of a and b), the rest byte by byte.
 */
function sameBytes(
  a: Uint8Array,
  a32: Uint32Array | null,
  aStart: number,
  b: Uint8Array,
  b32: Uint32Array | null,
  bStart: number,
  length: number,
): boolean {
  let i = 0;
  if (a32 && b32 && (aStart & 3) === 0 && (bStart & 3) === 0) {
    const count = length >>> 2;
    const aWord = aStart >>> 2;
    const bWord = bStart >>> 2;
    for (let w = 0; w < count; w++) if (a32[aWord + w] !== b32[bWord + w]) return false;
    i = count << 2;
  }
  for (; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
