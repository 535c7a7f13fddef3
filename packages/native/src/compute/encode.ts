/**
 * The compact encoding recordCommandBuffer hands the addon: the front's RecordedCommand list as one
 * BigUint64Array of opcodes and operands (handles as their values), plus the push constant bytes it points
 * into. src/addon/commands.h documents the layout of each command; the opcodes here match its CommandOp.
 */
import type { RecordedCommand } from '@vkmap/core';
import type { NativeBuffer, NativeDescriptorSet, NativePipeline, NativePipelineLayout } from './records.js';

export const CommandOp = {
  bindPipeline: 1n,
  bindDescriptorSets: 2n,
  pushConstants: 3n,
  dispatch: 4n,
  pipelineBarrier: 5n,
  copyBuffer: 6n,
  fillBuffer: 7n,
} as const;

export type NativeRecordedCommand = RecordedCommand<
  NativeBuffer,
  NativePipeline,
  NativePipelineLayout,
  NativeDescriptorSet
>;

export interface EncodedCommands {
  readonly words: BigUint64Array;
  readonly bytes: Uint8Array;
}

/** Encodes `commands` in the addon's layout. Every value has been resolved and checked by the front. */
export function encodeCommands(commands: readonly NativeRecordedCommand[]): EncodedCommands {
  const words: bigint[] = [];
  const chunks: Uint8Array[] = [];
  let byteLength = 0;
  const push = (...values: readonly (number | bigint)[]) => {
    for (const value of values) words.push(BigInt(value));
  };
  for (const command of commands) {
    switch (command.kind) {
      case 'bindPipeline':
        push(CommandOp.bindPipeline, command.pipeline.handle);
        break;
      case 'bindDescriptorSets':
        push(
          CommandOp.bindDescriptorSets,
          command.layout.handle,
          command.firstSet,
          command.sets.length,
          command.dynamicOffsets.length,
          ...command.sets.map((set) => set.handle),
          ...command.dynamicOffsets,
        );
        break;
      case 'pushConstants':
        push(
          CommandOp.pushConstants,
          command.layout.handle,
          command.stageFlags,
          command.offset,
          command.values.byteLength,
          byteLength,
        );
        chunks.push(command.values);
        byteLength += command.values.byteLength;
        break;
      case 'dispatch':
        push(CommandOp.dispatch, command.groupCountX, command.groupCountY, command.groupCountZ);
        break;
      case 'pipelineBarrier':
        push(
          CommandOp.pipelineBarrier,
          command.srcStageMask,
          command.dstStageMask,
          command.dependencyFlags,
          command.memoryBarriers.length,
          command.bufferMemoryBarriers.length,
        );
        for (const barrier of command.memoryBarriers) push(barrier.srcAccessMask, barrier.dstAccessMask);
        for (const barrier of command.bufferMemoryBarriers) {
          push(barrier.srcAccessMask, barrier.dstAccessMask, barrier.buffer.handle, barrier.offset, barrier.size);
        }
        break;
      case 'copyBuffer':
        push(CommandOp.copyBuffer, command.src.handle, command.dst.handle, command.regions.length);
        for (const region of command.regions) push(region.srcOffset, region.dstOffset, region.size);
        break;
      case 'fillBuffer':
        push(CommandOp.fillBuffer, command.dst.handle, command.offset, command.size, command.data >>> 0);
        break;
    }
  }
  const bytes = new Uint8Array(byteLength);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { words: BigUint64Array.from(words), bytes };
}
