/**
 * Vulkan "Resource Creation" for compute: buffers, their memory requirements and binding. Sizes are
 * `VkDeviceSize`: `number | bigint` in, `bigint` out.
 */
import type { DeviceSizeInput } from '../device-size.js';
import type { DeviceMemory } from './memory.js';

/** A VkBuffer handle. A child of its device; opaque to everyone else. */
export interface Buffer {
  readonly objectType: 'VkBuffer';
  readonly handle: bigint;
  readonly size: bigint;
  /** VkBufferUsageFlags it was created with. */
  readonly usage: number;
}

/** VkBufferCreateInfo (exclusive sharing; sparse and protected flags are not offered). */
export interface BufferCreateInfo {
  readonly size: DeviceSizeInput;
  /** VkBufferUsageFlags: at least one of TRANSFER_SRC, TRANSFER_DST, UNIFORM_BUFFER, STORAGE_BUFFER, ... */
  readonly usage: number;
  /** VkBufferCreateFlags: must be 0 here. */
  readonly flags?: number;
}

/** VkMemoryRequirements. */
export interface MemoryRequirements {
  readonly size: bigint;
  readonly alignment: bigint;
  /** Bit i set: memory type i can back the resource. */
  readonly memoryTypeBits: number;
}

export interface DeviceBufferCommands {
  createBuffer(info: BufferCreateInfo): Buffer;
  /** Refused while pending work uses the buffer. `null` does nothing. */
  destroyBuffer(buffer: Buffer | null): void;
  getBufferMemoryRequirements(buffer: Buffer): MemoryRequirements;
  /** Binds once, for the buffer's life; memoryOffset a multiple of the requirements' alignment. */
  bindBufferMemory(buffer: Buffer, memory: DeviceMemory, memoryOffset: DeviceSizeInput): void;
}
