/**
 * The vkCmd* commands: each checks its arguments against what the command buffer has bound so far, appends
 * one `RecordedCommand` (every value resolved: sizes never VK_WHOLE_SIZE, push constant bytes copied) and
 * notes every object it uses, so that destroying one invalidates the command buffer and a submission knows
 * what it uses.
 */
import {
  VK_WHOLE_SIZE,
  VkAccessFlagBits,
  VkDependencyFlagBits,
  VkPipelineBindPoint,
  VkPipelineStageFlagBits,
} from '../constants.js';
import type {
  Buffer,
  BufferCopy,
  CommandBuffer,
  DescriptorSet,
  Pipeline,
  PipelineBarrierInfo,
  PipelineLayout,
} from '../contract/index.js';
import type { DeviceSizeInput } from '../device-size.js';
import { VkmapArgumentError } from '../errors.js';
import type { ObjectRecord } from '../handle-table.js';
import { snapshotArgument, snapshotHandle, SHAPES } from '../snapshot.js';
import {
  arrayArg,
  deviceSizeArg,
  flagsArg,
  optionalArrayArg,
  requireMultipleOf4,
  structureArg,
  typedArrayArg,
  uint32Arg,
} from './arguments.js';
import { bufferRange, USAGE, usableBuffer } from './buffers.js';
import { requireCommandBufferState, type CmdCommand } from './command-buffer-state.js';
import { dispatchProblems, throwFirst } from './compute-rules.js';
import { describeHandle } from './misuse.js';
import { liveObject, type ComputeContext } from './objects.js';
import { stageFlagsArg } from './pipelines.js';
import type {
  BufferRecord,
  CommandBufferRecord,
  DescriptorSetRecord,
  PipelineLayoutRecord,
  PipelineRecord,
  Recorded,
} from './records.js';

const { VK_PIPELINE_BIND_POINT_COMPUTE } = VkPipelineBindPoint;
const STAGE_NAMES = VkPipelineStageFlagBits;
const ACCESS_NAMES = VkAccessFlagBits;
const DEPENDENCY_NAMES = VkDependencyFlagBits;

function bindPointArg(value: unknown): void {
  const bindPoint = uint32Arg(value, 'pipelineBindPoint');
  if (bindPoint !== VK_PIPELINE_BIND_POINT_COMPUTE) {
    throw new VkmapArgumentError(
      'pipelineBindPoint',
      `must be VK_PIPELINE_BIND_POINT_COMPUTE (${VK_PIPELINE_BIND_POINT_COMPUTE}): vkmap offers compute pipelines only (got ${bindPoint})`,
    );
  }
}

export class Recording {
  readonly #ctx: ComputeContext;

  constructor(ctx: ComputeContext) {
    this.#ctx = ctx;
  }

  cmdBindPipeline(commandBuffer: CommandBuffer, bindPoint: number, pipeline: Pipeline): void {
    const pipelineHandle = snapshotHandle(pipeline);
    const cb = this.recording('vkCmdBindPipeline', commandBuffer);
    bindPointArg(bindPoint);
    const record = liveObject<PipelineRecord>(this.#ctx, pipelineHandle, 'VkPipeline', 'pipeline');
    this.append(cb, { kind: 'bindPipeline', pipeline: record.backend }, [record]);
    cb.bound.pipeline = record;
  }

  cmdBindDescriptorSets(
    commandBuffer: CommandBuffer,
    bindPoint: number,
    layout: PipelineLayout,
    firstSet: number,
    sets: readonly DescriptorSet[],
    dynamicOffsets?: readonly number[],
  ): void {
    const ctx = this.#ctx;
    const layoutHandle = snapshotHandle(layout);
    const setHandles = snapshotArgument(sets, SHAPES.handles);
    const offsetList = snapshotArgument(dynamicOffsets, SHAPES.numbers);
    const cb = this.recording('vkCmdBindDescriptorSets', commandBuffer);
    bindPointArg(bindPoint);
    const layoutRecord = liveObject<PipelineLayoutRecord>(ctx, layoutHandle, 'VkPipelineLayout', 'layout');
    const first = uint32Arg(firstSet, 'firstSet');
    const list = arrayArg(setHandles, 'pDescriptorSets', 'DescriptorSet handles', true);
    const offsets = optionalArrayArg(offsetList, 'pDynamicOffsets', 'numbers');
    const setLayouts = layoutRecord.shape.setLayouts;
    if (first + list.length > setLayouts.length) {
      throw new VkmapArgumentError(
        'pDescriptorSets',
        `firstSet ${first} + ${list.length} sets is more than the ${setLayouts.length} set layouts of ${describeHandle(layoutRecord.object)}`,
      );
    }
    const records = list.map((value, i) => {
      const argument = `pDescriptorSets[${i}]`;
      const set = liveObject<DescriptorSetRecord>(ctx, value, 'VkDescriptorSet', argument);
      if (set.layout.key !== setLayouts[first + i]!.key) {
        throw new VkmapArgumentError(
          argument,
          `${describeHandle(set.object)} was allocated with a set layout not identical to set ${first + i} of ${describeHandle(layoutRecord.object)}`,
        );
      }
      return set;
    });
    if (offsets.length > 0) {
      throw new VkmapArgumentError(
        'pDynamicOffsets',
        `must be empty: vkmap offers no dynamic buffer descriptors (got ${offsets.length} offsets)`,
      );
    }
    this.append(
      cb,
      {
        kind: 'bindDescriptorSets',
        layout: layoutRecord.backend,
        firstSet: first,
        sets: records.map((s) => s.backend),
        dynamicOffsets: [],
      },
      [layoutRecord, ...records],
    );
    records.forEach((set, i) => (cb.bound.sets[first + i] = { set, layout: setLayouts[first + i]! }));
  }

  cmdPushConstants(
    commandBuffer: CommandBuffer,
    layout: PipelineLayout,
    stageFlags: number,
    offset: number,
    values: Uint8Array,
  ): void {
    const ctx = this.#ctx;
    const layoutHandle = snapshotHandle(layout);
    const valuesCopy = snapshotArgument(values, SHAPES.bytes);
    const cb = this.recording('vkCmdPushConstants', commandBuffer);
    const layoutRecord = liveObject<PipelineLayoutRecord>(ctx, layoutHandle, 'VkPipelineLayout', 'layout');
    const stages = stageFlagsArg(stageFlags, 'stageFlags', true);
    const start = uint32Arg(offset, 'offset');
    const bytesCopy = typedArrayArg(valuesCopy, 'pValues', Uint8Array);
    requireMultipleOf4(start, 'offset');
    if (bytesCopy.length === 0) throw new VkmapArgumentError('pValues', 'must hold at least 4 bytes');
    requireMultipleOf4(bytesCopy.length, 'pValues.length');
    const end = start + bytesCopy.length;
    const ranges = layoutRecord.shape.pushConstantRanges;
    for (const range of ranges) {
      if (range.offset < end && start < range.offset + range.size && (range.stageFlags & ~stages) !== 0) {
        throw new VkmapArgumentError(
          'stageFlags',
          `0x${stages.toString(16)} leaves out stages 0x${(range.stageFlags & ~stages).toString(16)} of the push constant range [${range.offset}, ${range.offset + range.size}) that [${start}, ${end}) overlaps`,
        );
      }
    }
    for (let byte = start; byte < end; byte += 4) {
      if (!ranges.some((r) => r.offset <= byte && byte < r.offset + r.size && (r.stageFlags & stages) !== 0)) {
        throw new VkmapArgumentError(
          'offset',
          `bytes [${start}, ${end}) are not all inside push constant ranges of ${describeHandle(layoutRecord.object)} for stages 0x${stages.toString(16)} (byte ${byte} is outside)`,
        );
      }
    }
    this.append(
      cb,
      { kind: 'pushConstants', layout: layoutRecord.backend, stageFlags: stages, offset: start, values: bytesCopy },
      [layoutRecord],
    );
  }

  cmdDispatch(commandBuffer: CommandBuffer, groupCountX: number, groupCountY: number, groupCountZ: number): void {
    const ctx = this.#ctx;
    const cb = this.recording('vkCmdDispatch', commandBuffer);
    const counts = [
      uint32Arg(groupCountX, 'groupCountX'),
      uint32Arg(groupCountY, 'groupCountY'),
      uint32Arg(groupCountZ, 'groupCountZ'),
    ] as const;
    throwFirst(dispatchProblems(ctx.table, cb, counts, ctx.limits.maxComputeWorkGroupCount));
    this.append(cb, { kind: 'dispatch', groupCountX: counts[0], groupCountY: counts[1], groupCountZ: counts[2] }, []);
  }

  cmdPipelineBarrier(commandBuffer: CommandBuffer, info: PipelineBarrierInfo): void {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.pipelineBarrierInfo);
    const cb = this.recording('vkCmdPipelineBarrier', commandBuffer);
    const args = structureArg(snapshot, 'info', 'PipelineBarrierInfo');
    const srcStageMask = flagsArg(args.srcStageMask, 'srcStageMask', 'VkPipelineStageFlags', STAGE_NAMES);
    const dstStageMask = flagsArg(args.dstStageMask, 'dstStageMask', 'VkPipelineStageFlags', STAGE_NAMES);
    if (srcStageMask === 0) throw new VkmapArgumentError('srcStageMask', 'must not be 0');
    if (dstStageMask === 0) throw new VkmapArgumentError('dstStageMask', 'must not be 0');
    const dependencyFlags = flagsArg(args.dependencyFlags, 'dependencyFlags', 'VkDependencyFlags', DEPENDENCY_NAMES);
    const access = (barrier: Record<string, unknown>, at: string) => ({
      srcAccessMask: flagsArg(barrier.srcAccessMask, `${at}.srcAccessMask`, 'VkAccessFlags', ACCESS_NAMES),
      dstAccessMask: flagsArg(barrier.dstAccessMask, `${at}.dstAccessMask`, 'VkAccessFlags', ACCESS_NAMES),
    });
    const memoryBarriers = optionalArrayArg(args.memoryBarriers, 'pMemoryBarriers', 'MemoryBarrier objects').map(
      (value, i) =>
        Object.freeze(access(structureArg(value, `pMemoryBarriers[${i}]`, 'MemoryBarrier'), `pMemoryBarriers[${i}]`)),
    );
    const buffers: BufferRecord[] = [];
    const bufferMemoryBarriers = optionalArrayArg(
      args.bufferMemoryBarriers,
      'pBufferMemoryBarriers',
      'BufferMemoryBarrier objects',
    ).map((value, i) => {
      const at = `pBufferMemoryBarriers[${i}]`;
      const barrier = structureArg(value, at, 'BufferMemoryBarrier');
      const masks = access(barrier, at);
      const buffer = usableBuffer(ctx, barrier.buffer, `${at}.buffer`);
      const offset = deviceSizeArg(barrier.offset, `${at}.offset`);
      const size = bufferRange(buffer, offset, deviceSizeArg(barrier.size, `${at}.size`), `${at}.offset`, `${at}.size`);
      buffers.push(buffer);
      return Object.freeze({ ...masks, buffer: buffer.backend, offset, size });
    });
    this.append(
      cb,
      {
        kind: 'pipelineBarrier',
        srcStageMask,
        dstStageMask,
        dependencyFlags,
        memoryBarriers: Object.freeze(memoryBarriers),
        bufferMemoryBarriers: Object.freeze(bufferMemoryBarriers),
      },
      buffers,
    );
  }

  cmdCopyBuffer(commandBuffer: CommandBuffer, src: Buffer, dst: Buffer, regions: readonly BufferCopy[]): void {
    const ctx = this.#ctx;
    const srcHandle = snapshotHandle(src);
    const dstHandle = snapshotHandle(dst);
    const regionList = snapshotArgument(regions, SHAPES.bufferCopies);
    const cb = this.recording('vkCmdCopyBuffer', commandBuffer);
    const source = usableBuffer(ctx, srcHandle, 'srcBuffer', USAGE.transferSrc);
    const destination = usableBuffer(ctx, dstHandle, 'dstBuffer', USAGE.transferDst);
    const list = arrayArg(regionList, 'pRegions', 'BufferCopy objects', true);
    const resolved = list.map((value, i) => {
      const at = `pRegions[${i}]`;
      const region = structureArg(value, at, 'BufferCopy');
      const srcOffset = deviceSizeArg(region.srcOffset, `${at}.srcOffset`);
      const dstOffset = deviceSizeArg(region.dstOffset, `${at}.dstOffset`);
      const size = deviceSizeArg(region.size, `${at}.size`);
      if (size === VK_WHOLE_SIZE)
        throw new VkmapArgumentError(`${at}.size`, 'must be a size in bytes: a copy takes no VK_WHOLE_SIZE');
      bufferRange(source, srcOffset, size, `${at}.srcOffset`, `${at}.size`);
      bufferRange(destination, dstOffset, size, `${at}.dstOffset`, `${at}.size`);
      return Object.freeze({ srcOffset, dstOffset, size });
    });
    // The source regions and the destination regions must not overlap in memory (one buffer, or two
    // bound to the same memory object).
    if (source.memory === destination.memory) {
      const srcBase = source.memoryOffset;
      const dstBase = destination.memoryOffset;
      resolved.forEach((a, i) => {
        resolved.forEach((b, j) => {
          const start = srcBase + a.srcOffset;
          const other = dstBase + b.dstOffset;
          if (start < other + b.size && other < start + a.size) {
            throw new VkmapArgumentError(
              `pRegions[${j}]`,
              `its destination overlaps the source of pRegions[${i}] in ${describeHandle(source.memory!.memory)}: a copy's source and destination must not overlap`,
            );
          }
        });
      });
    }
    this.append(
      cb,
      { kind: 'copyBuffer', src: source.backend, dst: destination.backend, regions: Object.freeze(resolved) },
      [source, destination],
    );
  }

  cmdFillBuffer(
    commandBuffer: CommandBuffer,
    dst: Buffer,
    dstOffset: DeviceSizeInput,
    size: DeviceSizeInput,
    data: number,
  ): void {
    const ctx = this.#ctx;
    const dstHandle = snapshotHandle(dst);
    const cb = this.recording('vkCmdFillBuffer', commandBuffer);
    const buffer = usableBuffer(ctx, dstHandle, 'dstBuffer', USAGE.transferDst);
    const offset = deviceSizeArg(dstOffset, 'dstOffset');
    const requested = deviceSizeArg(size, 'size');
    const value = uint32Arg(data, 'data');
    requireMultipleOf4(offset, 'dstOffset');
    if (requested !== VK_WHOLE_SIZE) requireMultipleOf4(requested, 'size');
    let resolved = bufferRange(buffer, offset, requested, 'dstOffset', 'size');
    // VK_WHOLE_SIZE fills to the end, rounded down to whole words.
    if (requested === VK_WHOLE_SIZE) resolved -= resolved % 4n;
    // Less than one word left: nothing to fill (and a backend is never asked for a fill of 0 bytes).
    if (resolved === 0n) return;
    this.append(cb, { kind: 'fillBuffer', dst: buffer.backend, offset, size: resolved, data: value }, [buffer]);
  }

  /**
   * Starts a vkCmd* command: the command buffer must be live, of this device, and recording. Called once the
   * command's other arguments are read, so that no getter of theirs runs after this check.
   */
  private recording(command: CmdCommand, commandBuffer: unknown): CommandBufferRecord {
    const handle = snapshotHandle(commandBuffer);
    this.#ctx.enter(command);
    const record = liveObject<CommandBufferRecord>(this.#ctx, handle, 'VkCommandBuffer', 'commandBuffer');
    requireCommandBufferState(record, command, 'commandBuffer');
    return record;
  }

  private append(cb: CommandBufferRecord, command: Recorded, uses: readonly ObjectRecord[]): void {
    cb.commands.push(Object.freeze(command));
    for (const record of uses) {
      cb.references.add(record);
      record.dependents.add(cb);
    }
  }
}
