/**
 * Buffers: their memory requirements, as real drivers report them, and their binding to memory.
 */
import {
  alignUp,
  VkBufferUsageFlagBits,
  VkMemoryPropertyFlagBits,
  type BackendMemoryRequirements,
  type MemoryType,
  type PhysicalDeviceLimits,
} from '@vkmap/core';
import type { EmulatedMemory } from '../device-memory.js';
import type { MemoryContents } from '../memory-contents.js';
import type { EmulatedBuffer } from './records.js';

/**
 * The alignment of a buffer that no descriptor reads: 16 bytes, one 128-bit vector (SwiftShader's
 * REQUIRED_MEMORY_ALIGNMENT; desktop drivers report 16 or more for transfer-only buffers).
 */
export const BASE_BUFFER_ALIGNMENT = 16n;

/** The limits that fix a buffer's alignment. */
export type BufferAlignmentLimits = Pick<
  PhysicalDeviceLimits,
  'minStorageBufferOffsetAlignment' | 'minUniformBufferOffsetAlignment' | 'minTexelBufferOffsetAlignment'
>;

const STORAGE = VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
const UNIFORM = VkBufferUsageFlagBits.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT;
const TEXEL =
  VkBufferUsageFlagBits.VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT |
  VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_TEXEL_BUFFER_BIT;
/** Memory a buffer cannot live in: lazily allocated memory is for transient images, protected for protected buffers. */
const NOT_FOR_BUFFERS =
  VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT |
  VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_PROTECTED_BIT;

export class BufferFactory {
  private readonly limits: BufferAlignmentLimits;
  /** Every memory type a buffer may use, as real drivers allow for all buffers. */
  private readonly memoryTypeBits: number;

  constructor(limits: BufferAlignmentLimits, memoryTypes: readonly MemoryType[]) {
    this.limits = limits;
    this.memoryTypeBits = memoryTypes.reduce(
      (bits, type, index) => ((type.propertyFlags & NOT_FOR_BUFFERS) === 0 ? bits | (1 << index) : bits),
      0,
    );
  }

  /** vkCreateBuffer: the requirements are fixed here, as drivers compute them at creation. */
  create(request: { readonly size: bigint; readonly usage: number }): EmulatedBuffer {
    const alignment = this.alignmentFor(request.usage);
    return {
      size: request.size,
      usage: request.usage,
      requirements: { size: alignUp(request.size, alignment), alignment, memoryTypeBits: this.memoryTypeBits },
      binding: null,
    };
  }

  requirements(buffer: EmulatedBuffer): BackendMemoryRequirements {
    return { ...buffer.requirements };
  }

  bind(buffer: EmulatedBuffer, memory: EmulatedMemory, offset: bigint): void {
    buffer.binding = { memory, offset };
  }

  /**
   * The largest offset alignment a descriptor of the buffer's usage needs, so that any offset a descriptor may
   * use from the buffer's start is aligned in memory too (drivers report the same).
   */
  private alignmentFor(usage: number): bigint {
    let alignment = BASE_BUFFER_ALIGNMENT;
    const raise = (limit: bigint) => {
      if (limit > alignment) alignment = limit;
    };
    if (usage & STORAGE) raise(this.limits.minStorageBufferOffsetAlignment);
    if (usage & UNIFORM) raise(this.limits.minUniformBufferOffsetAlignment);
    if (usage & TEXEL) raise(this.limits.minTexelBufferOffsetAlignment);
    return alignment;
  }
}

/**
 * Where bytes [offset, offset + size) of a bound buffer lie: the memory's contents and the start there, as the
 * numbers MemoryContents takes. Preconditions: the buffer is bound and the range lies inside it.
 */
export function bufferBytes(
  buffer: EmulatedBuffer,
  offset: bigint,
): { readonly contents: MemoryContents; readonly start: number } {
  const binding = buffer.binding;
  if (!binding) throw new Error('internal: a command uses a buffer with no memory bound');
  return { contents: binding.memory.contents, start: Number(binding.offset + offset) };
}
