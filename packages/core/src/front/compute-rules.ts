/**
 * The rules of the compute chapters that the checked front and the validation layer both answer, each under
 * its VUID: functions of the records (records.ts) that the front keeps in its handle table and the layer in
 * its own. Each returns the rules a call breaks, as `RuleProblem`s, in the order the front checks them: the
 * front throws the first (it stops at the first misuse, naming the argument), the layer reports them all.
 */
import { VK_WHOLE_SIZE, VkDescriptorType } from '../constants.js';
import { VkmapArgumentError, VkmapStateError, type VkmapError } from '../errors.js';
import type { HandleTable, MemoryRecord } from '../handle-table.js';
import type { PhysicalDeviceLimits } from '../structures/limits.js';
import { bytes } from '../validation/report.js';
import type { VuidId } from '../validation/vuids.js';
import { describeHandle, pendingMessage } from './misuse.js';
import type { BufferRecord, CommandBufferRecord, DescriptorSetRecord, FenceRecord, SetLayoutShape } from './records.js';

/** A rule a call breaks. */
export interface RuleProblem {
  readonly vuid: VuidId;
  /** The parameter path the front's error names. */
  readonly argument: string;
  /** 'argument': an argument unfit for the call (VkmapArgumentError); 'state': an object in the wrong state. */
  readonly kind: 'argument' | 'state';
  /** The rule broken, in the front's wording, without the VUID. */
  readonly message: string;
}

/** The error the front throws for a problem: its message ends with the VUID, as the memory chapter's do. */
export function problemError(problem: RuleProblem): VkmapError {
  const detail = `${problem.message} (${problem.vuid})`;
  return problem.kind === 'argument'
    ? new VkmapArgumentError(problem.argument, detail)
    : new VkmapStateError(detail, problem.argument);
}

/** Throws the first problem, if there is one. */
export function throwFirst(problems: readonly (RuleProblem | undefined)[]): void {
  for (const problem of problems) if (problem) throw problemError(problem);
}

/** `object` (a handle or memory object) is in use by pending work: the rule `vuid`, naming it as `what`. */
export function pendingProblem(
  table: HandleTable<unknown>,
  object: object,
  vuid: VuidId,
  argument: string,
  what?: string,
): RuleProblem | undefined {
  const work = table.pendingWorkOf(object);
  if (!work) return undefined;
  const name = what ?? describeHandle(object as { objectType?: unknown; handle?: unknown });
  return { vuid, argument, kind: 'state', message: pendingMessage(name, work) };
}

// ---- buffers ------------------------------------------------------------------------------------------

/** vkBindBufferMemory(buffer, memory, memoryOffset), with the buffer's memory requirements. */
export function bindBufferMemoryProblems(
  buffer: BufferRecord,
  memory: MemoryRecord<unknown>,
  offset: bigint,
  requirements: { readonly size: bigint; readonly alignment: bigint; readonly memoryTypeBits: number },
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const name = describeHandle(buffer.object);
  const memoryName = describeHandle(memory.memory);
  if (buffer.memory) {
    problems.push({
      vuid: 'VUID-vkBindBufferMemory-buffer-07459',
      argument: 'buffer',
      kind: 'state',
      message: `${name} is already bound to ${describeHandle(buffer.memory.memory)}; a buffer is bound once, for its life`,
    });
  }
  if ((requirements.memoryTypeBits & (1 << memory.memoryTypeIndex)) === 0) {
    problems.push({
      vuid: 'VUID-vkBindBufferMemory-memory-01035',
      argument: 'memory',
      kind: 'argument',
      message: `${memoryName} has memory type ${memory.memoryTypeIndex}, which is not in the memoryTypeBits 0x${requirements.memoryTypeBits.toString(16)} of ${name}`,
    });
  }
  if (offset % requirements.alignment !== 0n) {
    problems.push({
      vuid: 'VUID-vkBindBufferMemory-None-10739',
      argument: 'memoryOffset',
      kind: 'argument',
      message: `${bytes(offset)} is not a multiple of the alignment ${bytes(requirements.alignment)} that ${name} requires`,
    });
  }
  if (offset > memory.allocationSize || requirements.size > memory.allocationSize - offset) {
    problems.push({
      vuid: 'VUID-vkBindBufferMemory-None-10741',
      argument: 'memoryOffset',
      kind: 'argument',
      message: `${name} needs ${bytes(requirements.size)} from offset ${bytes(offset)}, past the end of ${memoryName} (${bytes(memory.allocationSize)})`,
    });
  }
  if (offset >= memory.allocationSize) {
    problems.push({
      vuid: 'VUID-vkBindBufferMemory-memoryOffset-01031',
      argument: 'memoryOffset',
      kind: 'argument',
      message: `${bytes(offset)} is not inside ${memoryName}, whose size is ${bytes(memory.allocationSize)}`,
    });
  }
  return problems;
}

// ---- descriptor updates -----------------------------------------------------------------------------

/** VkWriteDescriptorSet: the binding written, its type, and how many of its descriptors. */
export function writeProblems(
  set: DescriptorSetRecord,
  binding: number,
  descriptorType: number,
  first: number,
  count: number,
  at: string,
): RuleProblem[] {
  const layoutBinding = set.layout.bindings.get(binding);
  if (!layoutBinding || layoutBinding.descriptorCount === 0) {
    const numbers = [...set.layout.bindings.keys()];
    const highest = numbers.length === 0 ? -1 : Math.max(...numbers);
    return [
      {
        vuid:
          binding > highest
            ? 'VUID-VkWriteDescriptorSet-dstBinding-00315'
            : 'VUID-VkWriteDescriptorSet-dstBinding-00316',
        argument: `${at}.dstBinding`,
        kind: 'argument',
        message: `${describeHandle(set.object)} has no binding ${binding}${layoutBinding ? ' with descriptors' : ''} (its layout's bindings: ${numbers.join(', ') || 'none'})`,
      },
    ];
  }
  const problems: RuleProblem[] = [];
  if (descriptorType !== layoutBinding.descriptorType) {
    problems.push({
      vuid: 'VUID-VkWriteDescriptorSet-descriptorType-00319',
      argument: `${at}.descriptorType`,
      kind: 'argument',
      message: `${descriptorType} is not the type of binding ${binding} of ${describeHandle(set.object)} (${layoutBinding.descriptorType})`,
    });
  }
  if (first > layoutBinding.descriptorCount || count > layoutBinding.descriptorCount - first) {
    problems.push({
      vuid: 'VUID-VkWriteDescriptorSet-dstArrayElement-00321',
      argument: `${at}.bufferInfo`,
      kind: 'argument',
      message: `dstArrayElement ${first} + ${count} descriptors ends past the ${layoutBinding.descriptorCount} descriptors of binding ${binding} (vkmap does not continue a write into the next binding)`,
    });
  }
  return problems;
}

/**
 * One VkDescriptorBufferInfo of a write of `descriptorType`: the buffer bound to live memory and created with
 * the usage the type needs, offset and range inside it, offset aligned and range within the limit. Returns the
 * problems and the resolved range (VK_WHOLE_SIZE resolved; undefined when the range cannot be resolved).
 */
export function bufferDescriptorProblems(
  buffer: BufferRecord,
  offset: bigint,
  range: bigint,
  descriptorType: number,
  limits: Pick<
    PhysicalDeviceLimits,
    | 'minStorageBufferOffsetAlignment'
    | 'minUniformBufferOffsetAlignment'
    | 'maxStorageBufferRange'
    | 'maxUniformBufferRange'
  >,
  at: string,
): { problems: RuleProblem[]; range: bigint | undefined } {
  const problems: RuleProblem[] = [];
  const storage = descriptorType === VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
  const name = describeHandle(buffer.object);
  const total = buffer.object.size;
  if (!buffer.memory || buffer.memoryFreed) {
    problems.push({
      vuid: 'VUID-VkWriteDescriptorSet-descriptorType-00329',
      argument: `${at}.buffer`,
      kind: 'state',
      message: buffer.memory
        ? `${name} was bound to ${describeHandle(buffer.memory.memory)}, which has been freed; the buffer cannot be used any more`
        : `${name} is not bound to memory; call bindBufferMemory first`,
    });
  }
  const usage = storage
    ? { bit: 0x20, name: 'STORAGE_BUFFER', vuid: 'VUID-VkWriteDescriptorSet-descriptorType-00331' as const }
    : { bit: 0x10, name: 'UNIFORM_BUFFER', vuid: 'VUID-VkWriteDescriptorSet-descriptorType-00330' as const };
  if ((buffer.object.usage & usage.bit) === 0) {
    problems.push({
      vuid: usage.vuid,
      argument: `${at}.buffer`,
      kind: 'argument',
      message: `${name} was created without the ${usage.name} usage (0x${usage.bit.toString(16)}), which this command needs (its usage is 0x${buffer.object.usage.toString(16)})`,
    });
  }
  let resolved: bigint | undefined;
  if (offset >= total) {
    problems.push({
      vuid: 'VUID-VkDescriptorBufferInfo-offset-00340',
      argument: `${at}.offset`,
      kind: 'argument',
      message: `${bytes(offset)} is not inside ${name}, whose size is ${bytes(total)}`,
    });
  } else if (range === VK_WHOLE_SIZE) {
    resolved = total - offset;
  } else if (range === 0n) {
    problems.push({
      vuid: 'VUID-VkDescriptorBufferInfo-range-00341',
      argument: `${at}.range`,
      kind: 'argument',
      message: 'must be greater than 0 (or VK_WHOLE_SIZE)',
    });
  } else if (range > total - offset) {
    problems.push({
      vuid: 'VUID-VkDescriptorBufferInfo-range-00342',
      argument: `${at}.range`,
      kind: 'argument',
      message: `offset ${bytes(offset)} + size ${bytes(range)} ends past the end of ${name} (${bytes(total)})`,
    });
  } else {
    resolved = range;
  }
  const alignmentName = storage ? 'minStorageBufferOffsetAlignment' : 'minUniformBufferOffsetAlignment';
  const alignment = BigInt(limits[alignmentName]);
  if (offset % alignment !== 0n) {
    problems.push({
      vuid: storage
        ? 'VUID-VkWriteDescriptorSet-descriptorType-00328'
        : 'VUID-VkWriteDescriptorSet-descriptorType-00327',
      argument: `${at}.offset`,
      kind: 'argument',
      message: `${bytes(offset)} is not a multiple of ${alignmentName} (${bytes(alignment)})`,
    });
  }
  const maxName = storage ? 'maxStorageBufferRange' : 'maxUniformBufferRange';
  const max = BigInt(limits[maxName]);
  if (resolved !== undefined && resolved > max) {
    problems.push({
      vuid: storage
        ? 'VUID-VkWriteDescriptorSet-descriptorType-00333'
        : 'VUID-VkWriteDescriptorSet-descriptorType-00332',
      argument: `${at}.range`,
      kind: 'argument',
      message: `${bytes(resolved)} is more than ${maxName} (${bytes(max)})`,
    });
  }
  return { problems, range: resolved };
}

// ---- dispatch ---------------------------------------------------------------------------------------

/**
 * A set's descriptors as a dispatch needs them: every descriptor of its layout written with a buffer that is
 * live and bound to live memory (vkmap cannot tell which descriptors a shader uses, so it asks this of all).
 */
export function setDescriptorsProblem(
  table: HandleTable<unknown>,
  set: DescriptorSetRecord,
  argument: string,
): RuleProblem | undefined {
  const problem = (message: string): RuleProblem => ({
    vuid: 'VUID-vkCmdDispatch-None-02699',
    argument,
    kind: 'state',
    message,
  });
  for (const [binding, layoutBinding] of set.layout.bindings) {
    const elements = set.contents.get(binding);
    for (let element = 0; element < layoutBinding.descriptorCount; element++) {
      const descriptor = elements?.[element];
      const where = `binding ${binding}${layoutBinding.descriptorCount > 1 ? ` element ${element}` : ''} of ${describeHandle(set.object)}`;
      if (!descriptor) {
        return problem(
          `${where} has not been written (vkmap cannot tell which descriptors a shader uses, so every one must be written before a dispatch)`,
        );
      }
      const buffer = descriptor.buffer;
      if (table.lookupObject(buffer.object, 'VkBuffer') !== buffer)
        return problem(`${where} holds ${describeHandle(buffer.object)}, which has been destroyed`);
      if (buffer.memoryFreed) {
        return problem(
          `${where} holds ${describeHandle(buffer.object)}, whose memory ${describeHandle(buffer.memory!.memory)} has been freed`,
        );
      }
    }
  }
  return undefined;
}

/** vkCmdDispatch in `commandBuffer` (recording): the group counts, the bound pipeline, and its sets bound and complete. */
export function dispatchProblems(
  table: HandleTable<unknown>,
  commandBuffer: CommandBufferRecord,
  counts: readonly [number, number, number],
  maxCounts: readonly number[],
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const countVuids = [
    'VUID-vkCmdDispatch-groupCountX-00386',
    'VUID-vkCmdDispatch-groupCountY-00387',
    'VUID-vkCmdDispatch-groupCountZ-00388',
  ] as const;
  counts.forEach((count, axis) => {
    if (count > maxCounts[axis]!) {
      problems.push({
        vuid: countVuids[axis]!,
        argument: `groupCount${'XYZ'[axis]}`,
        kind: 'argument',
        message: `${count} is more than maxComputeWorkGroupCount[${axis}] (${maxCounts[axis]})`,
      });
    }
  });
  const pipeline = commandBuffer.bound.pipeline;
  if (!pipeline) {
    problems.push({
      vuid: 'VUID-vkCmdDispatch-None-02700',
      argument: 'commandBuffer',
      kind: 'state',
      message: `no compute pipeline is bound in ${describeHandle(commandBuffer.object)}; call cmdBindPipeline first`,
    });
    return problems;
  }
  pipeline.layout.setLayouts.forEach((setLayout: SetLayoutShape, index: number) => {
    const bound = commandBuffer.bound.sets[index];
    if (!bound) {
      problems.push({
        vuid: 'VUID-vkCmdDispatch-None-02697',
        argument: 'commandBuffer',
        kind: 'state',
        message: `set ${index} of the bound pipeline's layout has no descriptor set bound; call cmdBindDescriptorSets first`,
      });
    } else if (bound.set.layout.key !== setLayout.key) {
      problems.push({
        vuid: 'VUID-vkCmdDispatch-None-02697',
        argument: 'commandBuffer',
        kind: 'state',
        message: `${describeHandle(bound.set.object)}, bound at set ${index}, does not match set ${index} of the bound pipeline's layout`,
      });
    } else {
      const incomplete = setDescriptorsProblem(table, bound.set, 'commandBuffer');
      if (incomplete) problems.push(incomplete);
    }
  });
  return problems;
}

// ---- submission and fences --------------------------------------------------------------------------

/** vkQueueSubmit's fence: unsignaled and not waiting for another submission. */
export function submitFenceProblem(fence: FenceRecord): RuleProblem | undefined {
  const name = describeHandle(fence.object);
  if (fence.status === 'pending') {
    return {
      vuid: 'VUID-vkQueueSubmit-fence-00064',
      argument: 'fence',
      kind: 'state',
      message: pendingMessage(name, fence.submission!),
    };
  }
  if (fence.status === 'signaled') {
    return {
      vuid: 'VUID-vkQueueSubmit-fence-00063',
      argument: 'fence',
      kind: 'state',
      message: `${name} is signaled; reset it with resetFences before submitting it`,
    };
  }
  return undefined;
}

/** A fence that a pending submission will signal, which `vuid` forbids ending or resetting. */
export function pendingFenceProblem(fence: FenceRecord, vuid: VuidId, argument: string): RuleProblem | undefined {
  if (fence.status !== 'pending') return undefined;
  return {
    vuid,
    argument,
    kind: 'state',
    message: pendingMessage(`${describeHandle(fence.object)}, which it will signal,`, fence.submission!),
  };
}
