/**
 * The handles of the compute chapters as the application holds them: immutable, opaque, compared by
 * identity. The front issues their values (unique among the objects of a device) and keeps everything else
 * about the object in its handle table.
 */
import type { Buffer, Queue } from '../contract/index.js';
import type { ObjectHandle, ObjectType } from '../handle-table.js';
import { IssuedHandle } from '../issued-handle.js';

export class FrontHandle<T extends ObjectType = ObjectType> extends IssuedHandle implements ObjectHandle {
  readonly objectType: T;
  readonly handle: bigint;

  constructor(objectType: T, handle: bigint) {
    super();
    this.objectType = objectType;
    this.handle = handle;
    if (new.target === FrontHandle) Object.freeze(this);
  }

  override toString(): string {
    return `${this.objectType}(0x${this.handle.toString(16)})`;
  }
}

export class FrontBuffer extends FrontHandle<'VkBuffer'> implements Buffer {
  readonly size: bigint;
  readonly usage: number;

  constructor(handle: bigint, size: bigint, usage: number) {
    super('VkBuffer', handle);
    this.size = size;
    this.usage = usage;
    Object.freeze(this);
  }

  override toString(): string {
    return `VkBuffer(0x${this.handle.toString(16)}, ${this.size} bytes, usage 0x${this.usage.toString(16)})`;
  }
}

export class FrontQueue extends FrontHandle<'VkQueue'> implements Queue {
  readonly queueFamilyIndex: number;
  readonly queueIndex: number;

  constructor(handle: bigint, queueFamilyIndex: number, queueIndex: number) {
    super('VkQueue', handle);
    this.queueFamilyIndex = queueFamilyIndex;
    this.queueIndex = queueIndex;
    Object.freeze(this);
  }

  override toString(): string {
    return `VkQueue(0x${this.handle.toString(16)}, family ${this.queueFamilyIndex}, index ${this.queueIndex})`;
  }
}
