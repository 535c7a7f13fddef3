/** HostAddressRange: host address space reserved with no access, for placed maps. */
import { VkmapStateError, type HostAddressRange } from '@vkmap/core';
import type { BindingRange, NativeBinding } from './binding.js';
import { callAddon } from './errors.js';

export class NativeHostAddressRange implements HostAddressRange {
  readonly address: bigint;
  readonly size: bigint;
  readonly #binding: NativeBinding;
  readonly #id: number;
  #reserved = true;

  constructor(binding: NativeBinding, range: BindingRange) {
    this.#binding = binding;
    this.#id = range.id;
    this.address = range.address;
    this.size = range.size;
  }

  get isReserved(): boolean {
    return this.#reserved;
  }

  release(): void {
    if (!this.#reserved) throw new VkmapStateError('this address range has already been released');
    callAddon(() => this.#binding.releaseAddressRange(this.#id));
    this.#reserved = false;
    ranges.delete(this.#id);
  }

  toString(): string {
    return `HostAddressRange(0x${this.address.toString(16)}, ${this.size} bytes${this.#reserved ? '' : ', released'})`;
  }
}

/** Every live range by the addon's id, so that an unmap with the reserve bit returns the same object. */
const ranges = new Map<number, NativeHostAddressRange>();

export function hostAddressRange(binding: NativeBinding, range: BindingRange): NativeHostAddressRange {
  let object = ranges.get(range.id);
  if (!object) {
    object = new NativeHostAddressRange(binding, range);
    ranges.set(range.id, object);
  }
  return object;
}
