/**
 * Command pools and the command buffer lifecycle: vkCreateCommandPool, vkDestroyCommandPool,
 * vkResetCommandPool, vkAllocateCommandBuffers, vkFreeCommandBuffers, vkBeginCommandBuffer,
 * vkEndCommandBuffer, vkResetCommandBuffer. Commands are recorded by the front as plain data (recording.ts)
 * and handed to the backend whole at vkEndCommandBuffer.
 */
import { VkCommandBufferUsageFlagBits, VkCommandPoolCreateFlagBits } from '../constants.js';
import type {
  CommandBuffer,
  CommandBufferAllocateInfo,
  CommandBufferBeginInfo,
  CommandPool,
  CommandPoolCreateInfo,
} from '../contract/index.js';
import { VkmapArgumentError } from '../errors.js';
import { snapshotArgument, snapshotHandle, SHAPES } from '../snapshot.js';
import { arrayArg, flagsArg, optionalStructureArg, positiveUint32Arg, structureArg, uint32Arg } from './arguments.js';
import { requireCommandBufferState, resettableProblem } from './command-buffer-state.js';
import { throwFirst } from './compute-rules.js';
import { FrontHandle } from './handles.js';
import { describeHandle } from './misuse.js';
import { dropDependent, liveObject, optionalObject, type ComputeContext } from './objects.js';
import type { CommandBufferRecord, CommandPoolRecord } from './records.js';

const POOL_FLAG_NAMES = VkCommandPoolCreateFlagBits;
const USAGE_FLAG_NAMES = VkCommandBufferUsageFlagBits;

/** Forgets what a command buffer recorded: it no longer depends on anything. */
export function clearRecording(commandBuffer: CommandBufferRecord): void {
  dropDependent(commandBuffer, commandBuffer.references);
  commandBuffer.references.clear();
  commandBuffer.commands = [];
  commandBuffer.bound = { pipeline: undefined, sets: [] };
  commandBuffer.invalidReason = '';
  commandBuffer.submitCount = 0;
}

export class CommandBuffers {
  readonly #ctx: ComputeContext;

  constructor(ctx: ComputeContext) {
    this.#ctx = ctx;
  }

  createCommandPool(info: CommandPoolCreateInfo): CommandPool {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.commandPoolCreateInfo);
    ctx.enter('vkCreateCommandPool');
    const args = structureArg(snapshot, 'pCreateInfo', 'CommandPoolCreateInfo');
    const flags = flagsArg(args.flags, 'pCreateInfo.flags', 'VkCommandPoolCreateFlags', POOL_FLAG_NAMES);
    const queueFamilyIndex = uint32Arg(args.queueFamilyIndex, 'pCreateInfo.queueFamilyIndex');
    if (!ctx.queues.some((q) => q.queueFamilyIndex === queueFamilyIndex)) {
      const families = ctx.queues.map((q) => q.queueFamilyIndex);
      throw new VkmapArgumentError(
        'pCreateInfo.queueFamilyIndex',
        `${queueFamilyIndex} is not a family this device has queues of (${families.length > 0 ? `families ${families.join(', ')}` : 'it was created without queues'})`,
      );
    }
    const backend = ctx.backend.createCommandPool({ flags, queueFamilyIndex });
    const object = new FrontHandle('VkCommandPool', ctx.newHandle());
    ctx.table.recordObject<CommandPoolRecord>({
      object,
      backend,
      parent: undefined,
      children: new Set(),
      dependents: new Set(),
      flags,
      queueFamilyIndex,
    });
    return object as CommandPool;
  }

  destroyCommandPool(pool: CommandPool | null): void {
    const ctx = this.#ctx;
    ctx.enter('vkDestroyCommandPool');
    const record = optionalObject<CommandPoolRecord>(ctx, snapshotHandle(pool), 'VkCommandPool', 'commandPool');
    if (!record) return;
    const commandBuffers = this.commandBuffersOf(record, 'vkDestroyCommandPool');
    ctx.backend.destroyCommandPool(record.backend);
    for (const commandBuffer of commandBuffers) this.end(commandBuffer);
    ctx.table.recordEnd(record);
  }

  resetCommandPool(pool: CommandPool): void {
    const ctx = this.#ctx;
    ctx.enter('vkResetCommandPool');
    const record = liveObject<CommandPoolRecord>(ctx, snapshotHandle(pool), 'VkCommandPool', 'commandPool');
    const commandBuffers = this.commandBuffersOf(record, 'vkResetCommandPool');
    ctx.backend.resetCommandPool(record.backend);
    for (const commandBuffer of commandBuffers) {
      clearRecording(commandBuffer);
      commandBuffer.state = 'initial';
    }
  }

  allocateCommandBuffers(info: CommandBufferAllocateInfo): CommandBuffer[] {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.commandBufferAllocateInfo);
    ctx.enter('vkAllocateCommandBuffers');
    const args = structureArg(snapshot, 'pAllocateInfo', 'CommandBufferAllocateInfo');
    const pool = liveObject<CommandPoolRecord>(ctx, args.commandPool, 'VkCommandPool', 'pAllocateInfo.commandPool');
    const count = positiveUint32Arg(args.commandBufferCount, 'pAllocateInfo.commandBufferCount');
    return ctx.backend.allocateCommandBuffers(pool.backend, count).map((backend) => {
      const object = new FrontHandle('VkCommandBuffer', ctx.newHandle());
      ctx.table.recordObject<CommandBufferRecord>({
        object,
        backend,
        parent: pool,
        children: new Set(),
        dependents: new Set(),
        state: 'initial',
        invalidReason: '',
        usageFlags: 0,
        submitCount: 0,
        commands: [],
        references: new Set(),
        bound: { pipeline: undefined, sets: [] },
        submission: undefined,
      });
      return object as CommandBuffer;
    });
  }

  freeCommandBuffers(pool: CommandPool, commandBuffers: readonly CommandBuffer[]): void {
    const ctx = this.#ctx;
    const poolHandle = snapshotHandle(pool);
    const handles = snapshotArgument(commandBuffers, SHAPES.handles);
    ctx.enter('vkFreeCommandBuffers');
    const poolRecord = liveObject<CommandPoolRecord>(ctx, poolHandle, 'VkCommandPool', 'commandPool');
    const list = arrayArg(handles, 'pCommandBuffers', 'CommandBuffer handles', true);
    const records = new Set<CommandBufferRecord>();
    list.forEach((value, i) => {
      const argument = `pCommandBuffers[${i}]`;
      const record = optionalObject<CommandBufferRecord>(ctx, value, 'VkCommandBuffer', argument);
      if (!record) return;
      if (record.parent !== poolRecord) {
        throw new VkmapArgumentError(
          argument,
          `${describeHandle(record.object)} was allocated from ${describeHandle(record.parent.object)}, not ${describeHandle(poolRecord.object)}`,
        );
      }
      if (records.has(record))
        throw new VkmapArgumentError(argument, `${describeHandle(record.object)} is listed twice`);
      requireCommandBufferState(record, 'vkFreeCommandBuffers', argument);
      records.add(record);
    });
    if (records.size === 0) return;
    ctx.backend.freeCommandBuffers(
      poolRecord.backend,
      [...records].map((r) => r.backend),
    );
    for (const record of records) this.end(record);
  }

  beginCommandBuffer(commandBuffer: CommandBuffer, info?: CommandBufferBeginInfo): void {
    const ctx = this.#ctx;
    const handle = snapshotHandle(commandBuffer);
    const snapshot = snapshotArgument(info, SHAPES.commandBufferBeginInfo);
    ctx.enter('vkBeginCommandBuffer');
    const record = liveObject<CommandBufferRecord>(ctx, handle, 'VkCommandBuffer', 'commandBuffer');
    const args = optionalStructureArg(snapshot, 'pBeginInfo', 'CommandBufferBeginInfo');
    const usageFlags = flagsArg(args.flags, 'pBeginInfo.flags', 'VkCommandBufferUsageFlags', USAGE_FLAG_NAMES);
    requireCommandBufferState(record, 'vkBeginCommandBuffer', 'commandBuffer');
    // Nothing reaches the backend until vkEndCommandBuffer, which replaces what it recorded before.
    clearRecording(record);
    record.usageFlags = usageFlags;
    record.state = 'recording';
  }

  endCommandBuffer(commandBuffer: CommandBuffer): void {
    const ctx = this.#ctx;
    ctx.enter('vkEndCommandBuffer');
    const record = liveObject<CommandBufferRecord>(
      ctx,
      snapshotHandle(commandBuffer),
      'VkCommandBuffer',
      'commandBuffer',
    );
    requireCommandBufferState(record, 'vkEndCommandBuffer', 'commandBuffer');
    ctx.backend.recordCommandBuffer(record.backend, record.usageFlags, Object.freeze(record.commands));
    record.state = 'executable';
  }

  resetCommandBuffer(commandBuffer: CommandBuffer): void {
    const ctx = this.#ctx;
    ctx.enter('vkResetCommandBuffer');
    const record = liveObject<CommandBufferRecord>(
      ctx,
      snapshotHandle(commandBuffer),
      'VkCommandBuffer',
      'commandBuffer',
    );
    throwFirst([resettableProblem(record, 'commandBuffer')]);
    requireCommandBufferState(record, 'vkResetCommandBuffer', 'commandBuffer');
    ctx.backend.resetCommandBuffer(record.backend);
    clearRecording(record);
    record.state = 'initial';
  }

  /** Device destroy: every pool left and its command buffers (no work is pending). */
  destroyAll(): void {
    for (const pool of [...this.#ctx.table.objectsOf<CommandPoolRecord>('VkCommandPool')]) {
      this.#ctx.backend.destroyCommandPool(pool.backend);
      for (const commandBuffer of [...pool.children] as CommandBufferRecord[]) this.end(commandBuffer);
      this.#ctx.table.recordEnd(pool);
    }
  }

  /** A pool's command buffers, none of them pending (else the command is refused). */
  private commandBuffersOf(
    pool: CommandPoolRecord,
    command: 'vkDestroyCommandPool' | 'vkResetCommandPool',
  ): CommandBufferRecord[] {
    const commandBuffers = [...pool.children] as CommandBufferRecord[];
    for (const commandBuffer of commandBuffers) requireCommandBufferState(commandBuffer, command, 'commandPool');
    return commandBuffers;
  }

  private end(commandBuffer: CommandBufferRecord): void {
    clearRecording(commandBuffer);
    this.#ctx.table.recordEnd(commandBuffer);
  }
}
