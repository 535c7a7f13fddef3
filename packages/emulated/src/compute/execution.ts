/**
 * Runs recorded commands against the device-side bytes of the memory bound to each buffer
 * (MemoryContents.readDevice / writeDevice), in order, one command buffer after another. For coherent memory
 * the device sees the host's writes at once; for non-coherent memory only what was flushed, and the host sees
 * the device's writes only after an invalidate, so a missing flush or invalidate shows as stale data.
 *
 * Execution is sequential and finishes before the next command starts, so every command sees all earlier
 * writes: a pipeline barrier has nothing to order here (it stays in the record, for layers and tests).
 */
import { VkDescriptorType } from '@vkmap/core';
import { bufferBytes } from './buffers.js';
import type {
  EmulatedCommand,
  EmulatedCommandBuffer,
  EmulatedComputePipeline,
  EmulatedDescriptorSet,
} from './records.js';
import { dispatchUnsupportedError } from './shader-executor.js';

type CommandOf<K extends EmulatedCommand['kind']> = Extract<EmulatedCommand, { readonly kind: K }>;

/** What a command buffer has bound while it runs. */
interface BoundState {
  pipeline: EmulatedComputePipeline | undefined;
  readonly sets: (EmulatedDescriptorSet | undefined)[];
  readonly pushConstants: Uint8Array;
}

/**
 * The refusal for the first command of `commandBuffers` this device cannot run (a dispatch of a pipeline the
 * device could not compile, having no shader executor), or undefined when all of them can run. A submission
 * asks before it runs anything, so a refused submission changes nothing.
 */
export function findUnrunnableCommand(commandBuffers: readonly EmulatedCommandBuffer[]): Error | undefined {
  for (const [bufferIndex, commandBuffer] of commandBuffers.entries()) {
    let pipeline: EmulatedComputePipeline | undefined;
    for (const [commandIndex, command] of commandBuffer.commands.entries()) {
      if (command.kind === 'bindPipeline') pipeline = command.pipeline;
      if (command.kind === 'dispatch' && !pipeline?.kernel) return dispatchUnsupportedError(bufferIndex, commandIndex);
    }
  }
  return undefined;
}

export class CommandRunner {
  private readonly maxPushConstantsSize: number;

  constructor(maxPushConstantsSize: number) {
    this.maxPushConstantsSize = maxPushConstantsSize;
  }

  /** Runs a command buffer's commands, in order. Preconditions: `findUnrunnableCommand` found nothing. */
  run(commandBuffer: EmulatedCommandBuffer): void {
    const state: BoundState = {
      pipeline: undefined,
      sets: [],
      pushConstants: new Uint8Array(this.maxPushConstantsSize),
    };
    for (const command of commandBuffer.commands) {
      switch (command.kind) {
        case 'bindPipeline':
          state.pipeline = command.pipeline;
          break;
        case 'bindDescriptorSets':
          command.sets.forEach((set, i) => {
            state.sets[command.firstSet + i] = set;
          });
          break;
        case 'pushConstants':
          state.pushConstants.set(command.values, command.offset);
          break;
        case 'pipelineBarrier':
          break;
        case 'copyBuffer':
          copyBuffer(command);
          break;
        case 'fillBuffer':
          fillBuffer(command);
          break;
        case 'dispatch':
          dispatch(command, state);
          break;
      }
    }
  }
}

/**
 * vkCmdCopyBuffer. Each region is read whole before it is written, as memmove does, so a region whose source
 * and destination overlap (which the specification leaves undefined) copies the source's old bytes; regions
 * run in order.
 */
function copyBuffer({ src, dst, regions }: CommandOf<'copyBuffer'>): void {
  for (const { srcOffset, dstOffset, size } of regions) {
    const from = bufferBytes(src, srcOffset);
    const to = bufferBytes(dst, dstOffset);
    to.contents.writeDevice(to.start, from.contents.readDevice(from.start, Number(size)));
  }
}

/** vkCmdFillBuffer: `data` repeated as a 32-bit little-endian word (size is a multiple of 4, never 0). */
function fillBuffer({ dst, offset, size, data }: CommandOf<'fillBuffer'>): void {
  const bytes = new Uint8Array(Number(size));
  new DataView(bytes.buffer).setUint32(0, data >>> 0, true);
  for (let filled = 4; filled < bytes.length; filled *= 2) {
    bytes.copyWithin(filled, 0, Math.min(filled, bytes.length - filled));
  }
  const to = bufferBytes(dst, offset);
  to.contents.writeDevice(to.start, bytes);
}

/**
 * vkCmdDispatch through the pipeline's kernel: each bound buffer range is read from device memory, the kernel
 * reads and writes those bytes, and storage buffers are written back (uniform buffers are read-only). Two
 * descriptors over overlapping bytes get separate copies: the later binding's write-back wins.
 */
function dispatch(command: CommandOf<'dispatch'>, state: BoundState): void {
  const kernel = state.pipeline?.kernel;
  if (!kernel) throw new Error('internal: a dispatch without a compiled pipeline reached execution');
  const bindings = new Map<string, Uint8Array>();
  const writeBacks: (() => void)[] = [];
  state.sets.forEach((set, setIndex) => {
    for (const [binding, slots] of set?.descriptors ?? []) {
      const descriptor = slots[0];
      if (!descriptor) continue;
      const { contents, start } = bufferBytes(descriptor.buffer, descriptor.offset);
      const bytes = contents.readDevice(start, Number(descriptor.range));
      bindings.set(`${setIndex}.${binding}`, bytes);
      const type = set!.layout.bindings.get(binding)!.descriptorType;
      if (type !== VkDescriptorType.VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER) {
        writeBacks.push(() => contents.writeDevice(start, bytes));
      }
    }
  });
  const { groupCountX, groupCountY, groupCountZ } = command;
  kernel.dispatch({ groupCountX, groupCountY, groupCountZ, bindings, pushConstants: state.pushConstants.slice() });
  for (const writeBack of writeBacks) writeBack();
}
