import { emptyGuardedBuffer, guardMappedView } from '@vkmap/core';

/** 'detach' mode: the host's bytes while a mapping is live, in a buffer of exactly the mapped range. */
interface HostWindow {
  readonly offset: number;
  readonly bytes: Uint8Array;
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
 * The view handed out for a mapping depends on the device's view lifetime:
 * - 'stable': a view over the host side itself (the one store of a coherent type, the host cache of a
 *   non-coherent one), which is never moved, replaced or detached while the memory object lives. Mapping the
 *   same range again returns the same Uint8Array. After unmap a stale view still reaches this object's host
 *   bytes (and nothing else); after release the object drops the store, which the stale view alone keeps.
 * - 'detach': while mapped, the mapped range of the host side lives in a window of its own (a resizable
 *   buffer of exactly that range); at unmap its bytes go back to the host side and the window shrinks to 0
 *   bytes, so its views read as length 0 and their methods throw, as over a detached buffer.
 * Either way the buffer under a view is guarded (view-guard in @vkmap/core): it cannot be transferred away.
 */
export class MemoryContents {
  readonly size: number;
  readonly coherent: boolean;
  /** nonCoherentAtomSize: the unit in which non-coherent host bytes are dirty or clean. */
  readonly atomSize: number;
  /** The view lifetime: views over the host side itself ('stable'), or over a window ('detach'). */
  readonly stable: boolean;
  /** Device memory; for coherent types also the host side outside the window. Null until first needed (zeros). */
  private deviceStore: Uint8Array | null = null;
  /** Non-coherent types: the host cache outside the window. Null until the first map. */
  private hostCache: Uint8Array | null = null;
  /**
   * Non-coherent types: the host bytes of every atom as of its last synchronisation with the device; an
   * atom whose host bytes differ from these is dirty. Null while every byte of it would be zero.
   */
  private cleanSnapshot: Uint8Array | null = null;
  /** 'detach' mode: the window of the live mapping. */
  private window: HostWindow | null = null;
  /** 'stable' mode: whether a mapping is live, and the last view handed out (reused for the same range). */
  private stableMapped = false;
  private stableView: Uint8Array | null = null;

  constructor(size: number, coherent: boolean, atomSize: number, stable = true) {
    if (!Number.isSafeInteger(atomSize) || atomSize <= 0)
      throw new RangeError(`atomSize must be a positive integer (got ${atomSize})`);
    this.size = size;
    this.coherent = coherent;
    this.atomSize = atomSize;
    this.stable = stable;
  }

  get isMapped(): boolean {
    return this.stableMapped || this.window !== null;
  }

  /**
   * Opens the host window over [offset, offset + length) and returns its bytes. Throws RangeError when the
   * host cannot provide the memory (the caller reports MEMORY_MAP_FAILED); nothing changes then.
   */
  openWindow(offset: number, length: number): Uint8Array {
    if (this.isMapped) throw new Error('internal: window already open');
    return this.stable ? this.openStable(offset, length) : this.openDetachable(offset, length);
  }

  /** Ends the window: in 'detach' mode its bytes go back to the host side and its views are detached. Never throws. */
  closeWindow(): void {
    this.stableMapped = false;
    const window = this.window;
    if (!window) return;
    this.window = null;
    const buffer = window.bytes.buffer as ArrayBuffer;
    // A window the application shrank (with a resize taken before the guard) lost its bytes; the host side
    // keeps what it had.
    if (buffer.byteLength === window.bytes.byteOffset + window.bytes.length) {
      (this.coherent ? this.deviceStore : this.hostCache)!.set(window.bytes, window.offset);
    }
    emptyGuardedBuffer(buffer);
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

  /** Drops every byte; in 'detach' mode the live view, if any, is detached. */
  release(): void {
    if (this.window) emptyGuardedBuffer(this.window.bytes.buffer as ArrayBuffer);
    this.window = null;
    this.stableMapped = false;
    this.stableView = null;
    this.deviceStore = null;
    this.hostCache = null;
    this.cleanSnapshot = null;
  }

  private openStable(offset: number, length: number): Uint8Array {
    const store = this.coherent ? this.ensureDeviceStore() : (this.hostCache ??= this.createHostCache());
    const last = this.stableView;
    if (!last || last.buffer !== store.buffer || last.byteOffset !== offset || last.length !== length) {
      this.stableView = guardMappedView(store.buffer as ArrayBuffer, { keyed: false }).subarray(
        offset,
        offset + length,
      );
    }
    this.stableMapped = true;
    return this.stableView!;
  }

  private openDetachable(offset: number, length: number): Uint8Array {
    // The host side exists from here on, so that giving the window's bytes back at unmap allocates nothing.
    const hostSide = this.coherent ? this.ensureDeviceStore() : (this.hostCache ??= this.createHostCache());
    // Ending the window shrinks its buffer by one byte (emptyGuardedBuffer), which puts the view out of bounds.
    // V8 gives back the pages past the new end, and Node's thread pool may still be writing into the view
    // (crypto.randomFill, fs.read): so the view's last byte must not start a page, or that page would go while
    // a write is under way. One leading byte moves it off the page boundary where it would fall on one
    // (no page size of 4 KiB or a multiple of it divides two consecutive numbers).
    const lead = (length - 1) % 4096 === 0 ? 1 : 0;
    const buffer = new (ArrayBuffer as new (length: number, options: { maxByteLength: number }) => ArrayBuffer)(
      lead + length,
      { maxByteLength: lead + length },
    );
    const bytes = guardMappedView(buffer, { keyed: false }).subarray(lead, lead + length);
    bytes.set(hostSide.subarray(offset, offset + length));
    this.window = { offset, bytes };
    return bytes;
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
