/**
 * vkCreateBuffer, vkDestroyBuffer, vkGetBufferMemoryRequirements and vkBindBufferMemory, and what commands
 * that use a buffer check of it: live, bound to memory that is still allocated, created with the usage the
 * command needs, and the range they touch inside it.
 */
import { VK_WHOLE_SIZE, VkBufferUsageFlagBits } from '../constants.js';
import type { Buffer, BufferCreateInfo, DeviceMemory, MemoryRequirements } from '../contract/index.js';
import type { DeviceSizeInput } from '../device-size.js';
import { VkmapArgumentError, VkmapStateError } from '../errors.js';
import type { HandleTable, MemoryRecord } from '../handle-table.js';
import { snapshotArgument, snapshotHandle, SHAPES } from '../snapshot.js';
import { memoryProblemMessage } from '../validation/common-rules.js';
import { bytes } from '../validation/report.js';
import { deviceSizeArg, flagsArg, structureArg } from './arguments.js';
import { bindBufferMemoryProblems, pendingProblem, throwFirst } from './compute-rules.js';
import { FrontBuffer } from './handles.js';
import { describeHandle, memoryArgumentError } from './misuse.js';
import { invalidateDependents, liveObject, optionalObject, type ComputeContext } from './objects.js';
import type { BufferRecord } from './records.js';

const BUFFER_USAGE_NAMES: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(VkBufferUsageFlagBits).map(([name, bit]) => [name.replace('VK_BUFFER_USAGE_', ''), bit]),
);

/** A usage a command needs of a buffer, by its bit and name. */
export interface UsageNeed {
  readonly bit: number;
  readonly name: string;
}

export const USAGE = {
  transferSrc: { bit: VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_SRC_BIT, name: 'TRANSFER_SRC' },
  transferDst: { bit: VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_DST_BIT, name: 'TRANSFER_DST' },
  uniform: { bit: VkBufferUsageFlagBits.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, name: 'UNIFORM_BUFFER' },
  storage: { bit: VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, name: 'STORAGE_BUFFER' },
} as const satisfies Record<string, UsageNeed>;

/**
 * A buffer a command can use now: live, of this device, bound to memory that is still allocated, and
 * created with `usage` (when given).
 */
export function usableBuffer(ctx: ComputeContext, value: unknown, argument: string, usage?: UsageNeed): BufferRecord {
  const buffer = liveObject<BufferRecord>(ctx, value, 'VkBuffer', argument);
  const name = describeHandle(buffer.object);
  if (!buffer.memory)
    throw new VkmapStateError(`${name} is not bound to memory; call bindBufferMemory first`, argument);
  if (buffer.memoryFreed) {
    throw new VkmapStateError(
      `${name} was bound to ${describeHandle(buffer.memory.memory)}, which has been freed; the buffer cannot be used any more`,
      argument,
    );
  }
  if (usage && (buffer.object.usage & usage.bit) === 0) {
    throw new VkmapArgumentError(
      argument,
      `${name} was created without the ${usage.name} usage (0x${usage.bit.toString(16)}), which this command needs (its usage is 0x${buffer.object.usage.toString(16)})`,
    );
  }
  return buffer;
}

/**
 * A range of a buffer: `offset` inside it, `size` (VK_WHOLE_SIZE for the rest, when `whole` allows it)
 * greater than 0 and not past its end. Returns the resolved size.
 */
export function bufferRange(
  buffer: BufferRecord,
  offset: bigint,
  size: bigint,
  offsetArgument: string,
  sizeArgument: string,
): bigint {
  const total = buffer.object.size;
  const name = describeHandle(buffer.object);
  if (offset >= total)
    throw new VkmapArgumentError(
      offsetArgument,
      `${bytes(offset)} is not inside ${name}, whose size is ${bytes(total)}`,
    );
  if (size === VK_WHOLE_SIZE) return total - offset;
  if (size === 0n) throw new VkmapArgumentError(sizeArgument, 'must be greater than 0 (or VK_WHOLE_SIZE)');
  if (size > total - offset) {
    throw new VkmapArgumentError(
      sizeArgument,
      `offset ${bytes(offset)} + size ${bytes(size)} ends past the end of ${name} (${bytes(total)})`,
    );
  }
  return size;
}

/** A new buffer's record (not bound to memory yet). */
export function newBufferRecord(object: FrontBuffer, backend: unknown): BufferRecord {
  return {
    object,
    backend,
    parent: undefined,
    children: new Set(),
    dependents: new Set(),
    requirements: undefined,
    memory: undefined,
    memoryOffset: 0n,
    memoryFreed: false,
  };
}

/** vkBindBufferMemory succeeded: the buffer is bound to `memory` at `offset` for its life. */
export function recordBinding(
  table: HandleTable<unknown>,
  buffer: BufferRecord,
  memory: MemoryRecord,
  offset: bigint,
): void {
  buffer.memory = memory;
  buffer.memoryOffset = offset;
  table.addMemoryDependent(memory.memory, buffer);
}

/** The buffer ended: what recorded it is invalid, and its memory forgets it. */
export function recordBufferEnd(table: HandleTable<unknown>, buffer: BufferRecord, how: string): void {
  invalidateDependents(buffer.dependents, `${describeHandle(buffer.object)}, which it uses, ${how}`);
  if (buffer.memory && !buffer.memoryFreed) table.memoryDependents(buffer.memory.memory)?.delete(buffer);
  table.recordEnd(buffer);
}

/** `memory` was freed: its buffers can no longer be used, and what recorded them is invalid. */
export function recordMemoryFreed(table: HandleTable<unknown>, memory: MemoryRecord): void {
  const buffers = table.memoryDependents(memory.memory);
  if (!buffers) return;
  for (const buffer of buffers) (buffer as BufferRecord).memoryFreed = true;
  invalidateDependents(buffers, `${describeHandle(memory.memory)}, bound to a buffer it uses, was freed`);
}

export class Buffers {
  readonly #ctx: ComputeContext;

  constructor(ctx: ComputeContext) {
    this.#ctx = ctx;
  }

  createBuffer(info: BufferCreateInfo): Buffer {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.bufferCreateInfo);
    ctx.enter('vkCreateBuffer');
    const args = structureArg(snapshot, 'pCreateInfo', 'BufferCreateInfo');
    const size = deviceSizeArg(args.size, 'pCreateInfo.size');
    if (size === 0n) throw new VkmapArgumentError('pCreateInfo.size', 'must be greater than 0');
    const usage = flagsArg(args.usage, 'pCreateInfo.usage', 'VkBufferUsageFlags', BUFFER_USAGE_NAMES);
    if (usage === 0) throw new VkmapArgumentError('pCreateInfo.usage', 'must not be 0');
    flagsArg(args.flags, 'pCreateInfo.flags', 'VkBufferCreateFlags', {});
    const backend = ctx.backend.createBuffer({ size, usage });
    const object = new FrontBuffer(ctx.newHandle(), size, usage);
    ctx.table.recordObject(newBufferRecord(object, backend));
    return object;
  }

  destroyBuffer(buffer: Buffer | null): void {
    const ctx = this.#ctx;
    ctx.enter('vkDestroyBuffer');
    const record = optionalObject<BufferRecord>(ctx, snapshotHandle(buffer), 'VkBuffer', 'buffer');
    if (!record) return;
    throwFirst([pendingProblem(ctx.table, record.object, 'VUID-vkDestroyBuffer-buffer-00922', 'buffer')]);
    ctx.backend.destroyBuffer(record.backend);
    this.end(record, 'was destroyed');
  }

  getBufferMemoryRequirements(buffer: Buffer): MemoryRequirements {
    const ctx = this.#ctx;
    ctx.enter('vkGetBufferMemoryRequirements');
    return this.requirementsOf(liveObject<BufferRecord>(ctx, snapshotHandle(buffer), 'VkBuffer', 'buffer'));
  }

  bindBufferMemory(buffer: Buffer, memory: DeviceMemory, memoryOffset: DeviceSizeInput): void {
    const ctx = this.#ctx;
    const bufferHandle = snapshotHandle(buffer);
    const memoryHandle = snapshotHandle(memory);
    ctx.enter('vkBindBufferMemory');
    const record = liveObject<BufferRecord>(ctx, bufferHandle, 'VkBuffer', 'buffer');
    const found = ctx.table.lookup(memoryHandle);
    if (typeof found === 'string')
      throw memoryArgumentError('memory', found, memoryProblemMessage(found, memoryHandle, 'memory'));
    const offset = deviceSizeArg(memoryOffset, 'memoryOffset');
    throwFirst(bindBufferMemoryProblems(record, found, offset, this.requirementsOf(record)));
    ctx.backend.bindBufferMemory(record.backend, found.backend, offset);
    recordBinding(ctx.table, record, found, offset);
  }

  /** vkFreeMemory is about to free `memory`: refused while pending work uses a buffer bound to it. */
  refuseFreeingUsedMemory(memory: MemoryRecord): void {
    const problem = pendingProblem(this.#ctx.table, memory.memory, 'VUID-vkFreeMemory-memory-00677', 'memory');
    if (problem) throwFirst([problem]);
  }

  /** `memory` was freed: its buffers can no longer be used, and what recorded them is invalid. */
  memoryFreed(memory: MemoryRecord): void {
    recordMemoryFreed(this.#ctx.table, memory);
  }

  /** Device destroy: every buffer left (no work is pending). */
  destroyAll(): void {
    for (const record of [...this.#ctx.table.objectsOf<BufferRecord>('VkBuffer')]) {
      this.#ctx.backend.destroyBuffer(record.backend);
      this.end(record, 'was destroyed');
    }
  }

  private end(record: BufferRecord, how: string): void {
    recordBufferEnd(this.#ctx.table, record, how);
  }

  private requirementsOf(record: BufferRecord): MemoryRequirements {
    if (!record.requirements) {
      const { size, alignment, memoryTypeBits } = this.#ctx.backend.getBufferMemoryRequirements(record.backend);
      record.requirements = Object.freeze({ size, alignment, memoryTypeBits });
    }
    return record.requirements;
  }
}
