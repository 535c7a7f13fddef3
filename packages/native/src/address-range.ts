/** A host address range the addon reserved (mmap PROT_NONE): the native backend's record of it. */
import type { BackendAddressRange } from '@vkmap/core';
import type { BindingRange } from './binding.js';

export class NativeAddressRange implements BackendAddressRange {
  readonly id: number;
  readonly address: bigint;
  readonly size: bigint;

  constructor(range: BindingRange) {
    this.id = range.id;
    this.address = range.address;
    this.size = range.size;
  }
}

/** The records of one device's live ranges by the addon's id, so that the same range is the same record. */
export class NativeAddressRanges {
  private readonly byId = new Map<number, NativeAddressRange>();

  recordOf(range: BindingRange): NativeAddressRange {
    let record = this.byId.get(range.id);
    if (!record) {
      record = new NativeAddressRange(range);
      this.byId.set(range.id, record);
    }
    return record;
  }

  forget(range: NativeAddressRange): void {
    this.byId.delete(range.id);
  }

  /** Every live range, forgotten. */
  takeAll(): NativeAddressRange[] {
    const all = [...this.byId.values()];
    this.byId.clear();
    return all;
  }
}
