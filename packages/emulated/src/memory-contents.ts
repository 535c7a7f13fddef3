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
 * remap). Flush copies host cache to device memory, invalidate copies device memory over the host cache;
 * nothing else moves bytes between them, so a missing flush or invalidate shows as stale data.
 *
 * While mapped, the mapped range of the host side lives in its own buffer (`HostWindow`), so the view handed
 * out covers exactly that range and can be detached at unmap. A window over the whole object takes the
 * store itself without copying.
 */
export class MemoryContents {
  readonly size: number;
  readonly coherent: boolean;
  /** Device memory; for coherent types also the host side outside the window. Null until first needed (zeros). */
  private deviceStore: Uint8Array | null = null;
  /** Non-coherent types: the host cache outside the window. Null until the first map. */
  private hostCache: Uint8Array | null = null;
  private window: HostWindow | null = null;

  constructor(size: number, coherent: boolean) {
    this.size = size;
    this.coherent = coherent;
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
      const cache = this.hostCache ?? this.snapshotDevice();
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
        window.bytes.byteLength === this.size ? new Uint8Array(moveBuffer(window.bytes.buffer as ArrayBuffer)) : new Uint8Array(this.size);
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

  /** Publishes the host's bytes of [offset, offset + length) to device memory. No-op on coherent types. */
  flush(offset: number, length: number): void {
    if (this.coherent || length === 0) return;
    const bytes = new Uint8Array(length);
    this.readHost(offset, bytes);
    this.ensureDeviceStore().set(bytes, offset);
  }

  /** Replaces the host's bytes of [offset, offset + length) with device memory. No-op on coherent types. */
  invalidate(offset: number, length: number): void {
    if (this.coherent || length === 0) return;
    this.writeHost(offset, this.readDevice(offset, length));
  }

  /** Drops every byte and detaches the live view, if any. */
  release(): void {
    if (this.window) detachBuffer(this.window.bytes.buffer as ArrayBuffer);
    this.window = null;
    this.deviceStore = null;
    this.hostCache = null;
  }

  private takeWindow(store: Uint8Array, offset: number, length: number, whole: boolean): HostWindow {
    if (whole) return { offset, bytes: new Uint8Array(moveBuffer(store.buffer as ArrayBuffer)), ownsWholeStore: true };
    return { offset, bytes: store.slice(offset, offset + length), ownsWholeStore: false };
  }

  private snapshotDevice(): Uint8Array {
    return this.deviceStore ? this.deviceStore.slice() : new Uint8Array(this.size);
  }

  private ensureDeviceStore(): Uint8Array {
    this.deviceStore ??= new Uint8Array(this.size);
    return this.deviceStore;
  }

  /** The host side outside the window (device store for coherent types, host cache otherwise). */
  private hostBase(create: boolean): Uint8Array | null {
    if (this.coherent) return create ? this.ensureDeviceStore() : this.deviceStore;
    if (!this.hostCache && create) this.hostCache = this.snapshotDevice();
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
