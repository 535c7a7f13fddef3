/**
 * Queues and submission: vkGetDeviceQueue, vkQueueSubmit, vkQueueWaitIdle, vkDeviceWaitIdle. The queues
 * are those the device was created with (device-create.ts resolves them); each (family, index) is one Queue
 * object for the device's life. A submission is checked whole, handed to the backend, then tracked
 * (submissions.ts) until it is seen complete.
 */
import type { DeviceMemory, Fence, Queue, SubmitInfo } from '../contract/index.js';
import { VkError, VkmapArgumentError, VkmapStateError } from '../errors.js';
import type { ObjectRecord, ObjectType } from '../handle-table.js';
import { snapshotArgument, snapshotHandle, SHAPES } from '../snapshot.js';
import { arrayArg, structureArg, uint32Arg } from './arguments.js';
import { commandBufferStateProblems } from './command-buffer-state.js';
import { submitFenceProblem, throwFirst, type RuleProblem } from './compute-rules.js';
import { buffersIn } from './descriptors.js';
import { FrontQueue, type FrontHandle } from './handles.js';
import { describeHandle } from './misuse.js';
import { liveObject, optionalObject, type ComputeContext } from './objects.js';
import type { BufferRecord, CommandBufferRecord, DescriptorSetRecord, FenceRecord, QueueRecord } from './records.js';

export class Queues {
  readonly #ctx: ComputeContext;
  /** The Queue object of each (family, index) asked for so far. */
  readonly #queues = new Map<string, QueueRecord>();

  constructor(ctx: ComputeContext) {
    this.#ctx = ctx;
  }

  getDeviceQueue(queueFamilyIndex: number, queueIndex: number): Queue {
    const ctx = this.#ctx;
    ctx.enter('vkGetDeviceQueue');
    const family = uint32Arg(queueFamilyIndex, 'queueFamilyIndex');
    const index = uint32Arg(queueIndex, 'queueIndex');
    const created = ctx.queues.find((q) => q.queueFamilyIndex === family);
    if (!created) {
      const list = ctx.queues.map((q) => `family ${q.queueFamilyIndex} (${q.priorities.length})`).join(', ');
      throw new VkmapArgumentError(
        'queueFamilyIndex',
        `${family} is not a family this device created queues of (${list || 'it was created without queues'})`,
      );
    }
    if (index >= created.priorities.length) {
      throw new VkmapArgumentError(
        'queueIndex',
        `${index} is not below the ${created.priorities.length} queue${created.priorities.length === 1 ? '' : 's'} this device created of family ${family}`,
      );
    }
    const key = `${family}:${index}`;
    let record = this.#queues.get(key);
    if (!record) {
      const object = new FrontQueue(ctx.newHandle(), family, index);
      record = ctx.table.recordObject<QueueRecord>({
        object,
        backend: ctx.backend.getQueue(family, index),
        parent: undefined,
        children: new Set(),
        dependents: new Set(),
      });
      this.#queues.set(key, record);
    }
    return record.object;
  }

  queueSubmit(queue: Queue, submits: readonly SubmitInfo[], fence?: Fence | null): void {
    const ctx = this.#ctx;
    const queueHandle = snapshotHandle(queue);
    const submitInfos = snapshotArgument(submits, SHAPES.submitInfos);
    const fenceHandle = snapshotHandle(fence);
    ctx.enter('vkQueueSubmit');
    const queueRecord = liveObject<QueueRecord>(ctx, queueHandle, 'VkQueue', 'queue');
    const list = arrayArg(submitInfos, 'pSubmits', 'SubmitInfo objects');
    const fenceRecord = optionalObject<FenceRecord>(ctx, fenceHandle, 'VkFence', 'fence');
    const all = new Set<CommandBufferRecord>();
    const batches = list.map((value, i) => {
      const submit = structureArg(value, `pSubmits[${i}]`, 'SubmitInfo');
      return arrayArg(submit.commandBuffers, `pSubmits[${i}].commandBuffers`, 'CommandBuffer handles').map(
        (handle, k) => {
          const argument = `pSubmits[${i}].commandBuffers[${k}]`;
          const commandBuffer = liveObject<CommandBufferRecord>(ctx, handle, 'VkCommandBuffer', argument);
          throwFirst(commandBufferStateProblems(commandBuffer, 'vkQueueSubmit', argument, all.has(commandBuffer)));
          throwFirst([queueFamilyProblem(commandBuffer, queueRecord, argument)]);
          all.add(commandBuffer);
          return commandBuffer;
        },
      );
    });
    if (fenceRecord) throwFirst([submitFenceProblem(fenceRecord)]);
    const uses = this.usesOf(all);
    ctx.backend.queueSubmit(
      queueRecord.backend,
      batches.map((batch) => batch.map((cb) => cb.backend)),
      fenceRecord?.backend,
    );
    ctx.submissions.submit(queueRecord, fenceRecord, [...all], uses);
  }

  queueWaitIdle(queue: Queue): void {
    const ctx = this.#ctx;
    ctx.enter('vkQueueWaitIdle');
    const record = liveObject<QueueRecord>(ctx, snapshotHandle(queue), 'VkQueue', 'queue');
    ctx.backend.queueWaitIdle(record.backend);
    ctx.submissions.queueIdle(record);
  }

  deviceWaitIdle(): void {
    const ctx = this.#ctx;
    ctx.enter('vkDeviceWaitIdle');
    ctx.backend.deviceWaitIdle();
    ctx.submissions.deviceIdle();
  }

  /**
   * Device destroy: waits for pending work (a device lost has none running), so that the objects can be
   * destroyed; then forgets the queues.
   */
  destroyAll(): void {
    const ctx = this.#ctx;
    if (ctx.submissions.hasPending) {
      try {
        ctx.backend.deviceWaitIdle();
      } catch (error) {
        if (!(error instanceof VkError)) throw error;
      }
      ctx.submissions.deviceIdle();
    }
    for (const record of this.#queues.values()) ctx.table.recordEnd(record);
    this.#queues.clear();
  }

  /**
   * Every object and memory object the command buffers use, as it stands now: what they recorded, the
   * memory of each buffer, and the buffers (and their memory) written into each descriptor set they bind.
   * Each must still be live: what ended since recording made the command buffer invalid already, so a
   * failure here is a front bug, reported rather than handed to the backend.
   */
  private usesOf(commandBuffers: ReadonlySet<CommandBufferRecord>): Set<FrontHandle | DeviceMemory> {
    return submissionUses(commandBuffers, (record, type, by) => {
      this.requireLive(record, type, by);
      const buffer = record as BufferRecord;
      if (type === 'VkBuffer' && (buffer.memoryFreed || !buffer.memory)) {
        throw new VkmapStateError(
          `${describeHandle(by.object)} uses ${describeHandle(buffer.object)}, which has no memory any more`,
        );
      }
    });
  }

  private requireLive(
    record: { readonly object: FrontHandle | object },
    type: ObjectType,
    by: CommandBufferRecord,
  ): void {
    if (this.#ctx.table.lookupObject(record.object, type) === record) return;
    throw new VkmapStateError(
      `${describeHandle(by.object)} uses ${describeHandle(record.object as FrontHandle)}, which has ended`,
    );
  }
}

/** A command buffer submitted to a queue of another family than its pool's. */
export function queueFamilyProblem(
  commandBuffer: CommandBufferRecord,
  queue: QueueRecord,
  argument: string,
): RuleProblem | undefined {
  if (commandBuffer.parent.queueFamilyIndex === queue.object.queueFamilyIndex) return undefined;
  return {
    vuid: 'VUID-vkQueueSubmit-pCommandBuffers-00074',
    argument,
    kind: 'argument',
    message: `${describeHandle(commandBuffer.object)} was allocated from a pool of queue family ${commandBuffer.parent.queueFamilyIndex}, and ${describeHandle(queue.object)} is of family ${queue.object.queueFamilyIndex}`,
  };
}

/**
 * Every object and memory object that `commandBuffers` use, as it stands now: themselves, what they recorded,
 * the memory of each buffer, and the buffers (and their memory) written into each descriptor set they bind.
 * `check` sees each record first (the front refuses what has ended).
 */
export function submissionUses(
  commandBuffers: Iterable<CommandBufferRecord>,
  check?: (record: ObjectRecord, type: ObjectType, by: CommandBufferRecord) => void,
): Set<FrontHandle | DeviceMemory> {
  const uses = new Set<FrontHandle | DeviceMemory>();
  const useBuffer = (buffer: BufferRecord, by: CommandBufferRecord) => {
    check?.(buffer, 'VkBuffer', by);
    uses.add(buffer.object);
    if (buffer.memory) uses.add(buffer.memory.memory);
  };
  for (const commandBuffer of commandBuffers) {
    uses.add(commandBuffer.object as FrontHandle);
    for (const record of commandBuffer.references) {
      const type = record.object.objectType;
      if (type === 'VkBuffer') {
        useBuffer(record as BufferRecord, commandBuffer);
      } else {
        check?.(record, type, commandBuffer);
        uses.add(record.object as FrontHandle);
        if (type === 'VkDescriptorSet')
          for (const buffer of buffersIn(record as DescriptorSetRecord)) useBuffer(buffer, commandBuffer);
      }
    }
  }
  return uses;
}
