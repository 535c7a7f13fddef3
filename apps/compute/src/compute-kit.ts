/**
 * The pieces every compute run of the app needs around its own work: a compute pipeline from embedded SPIR-V,
 * one primary command buffer recorded, submitted with a fence and waited for, and the pipeline barriers, each
 * a single call so that --no-barrier leaves them all out in one place.
 */
import {
  VkAccessFlagBits,
  VkCommandBufferUsageFlagBits,
  VkPipelineStageFlagBits,
  VkShaderStageFlagBits,
  type Buffer,
  type CommandBuffer,
  type DescriptorSetLayout,
  type Device,
  type Pipeline,
  type PipelineLayout,
  type Queue,
} from '@vkmap/core';

export const COMPUTE_STAGE = VkShaderStageFlagBits.VK_SHADER_STAGE_COMPUTE_BIT;
const STAGE = VkPipelineStageFlagBits;
const ACCESS = VkAccessFlagBits;
/** A fence wait without a time limit: UINT64_MAX nanoseconds. */
const NO_TIMEOUT = 0xffff_ffff_ffff_ffffn;

/** `words` as the bytes of push constants or specialization data (little-endian u32). */
export function wordBytes(words: readonly number[]): Uint8Array {
  return new Uint8Array(Uint32Array.from(words).buffer);
}

/** A compute pipeline of `code`'s `main`, with u32 specialization constants 0, 1, ... set to `constants`. */
export function createComputePipeline(
  device: Device,
  code: Uint32Array,
  layout: PipelineLayout,
  constants: readonly number[] = [],
): Pipeline {
  const module = device.createShaderModule({ code });
  try {
    const specializationInfo =
      constants.length === 0
        ? undefined
        : {
            mapEntries: constants.map((_, i) => ({ constantID: i, offset: i * 4, size: 4 })),
            data: wordBytes(constants),
          };
    const [pipeline] = device.createComputePipelines([
      { stage: { stage: COMPUTE_STAGE, module, name: 'main', specializationInfo }, layout },
    ]);
    return pipeline!;
  } finally {
    device.destroyShaderModule(module); // a pipeline keeps what it needs of its module
  }
}

/** A pipeline layout over one descriptor set layout, with an optional push constant range from offset 0. */
export function createPipelineLayout(
  device: Device,
  setLayout: DescriptorSetLayout,
  pushConstantBytes = 0,
): PipelineLayout {
  return device.createPipelineLayout({
    setLayouts: [setLayout],
    pushConstantRanges:
      pushConstantBytes > 0 ? [{ stageFlags: COMPUTE_STAGE, offset: 0, size: pushConstantBytes }] : [],
  });
}

/** The barriers of the app's command buffers, or none of them (--no-barrier). */
export class Barriers {
  constructor(
    private readonly device: Device,
    private readonly enabled: boolean,
  ) {}

  /** A later dispatch reads and writes what earlier ones wrote. */
  computeToCompute(commandBuffer: CommandBuffer): void {
    if (!this.enabled) return;
    this.device.cmdPipelineBarrier(commandBuffer, {
      srcStageMask: STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
      dstStageMask: STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
      memoryBarriers: [
        {
          srcAccessMask: ACCESS.VK_ACCESS_SHADER_WRITE_BIT,
          dstAccessMask: ACCESS.VK_ACCESS_SHADER_READ_BIT | ACCESS.VK_ACCESS_SHADER_WRITE_BIT,
        },
      ],
    });
  }

  /** Dispatches read and write what a copy wrote into `buffer`. */
  transferToCompute(commandBuffer: CommandBuffer, buffer: Buffer): void {
    this.bufferBarrier(commandBuffer, buffer, ['TRANSFER', 'TRANSFER_WRITE'], ['COMPUTE_SHADER', 'SHADER_RW']);
  }

  /** A copy reads what dispatches wrote into `buffer`. */
  computeToTransfer(commandBuffer: CommandBuffer, buffer: Buffer): void {
    this.bufferBarrier(commandBuffer, buffer, ['COMPUTE_SHADER', 'SHADER_WRITE'], ['TRANSFER', 'TRANSFER_READ']);
  }

  /**
   * The host reads what `stage` wrote into `buffer`: without this barrier a fence makes the writes available
   * to the device only, and the host may read stale bytes even from coherent memory.
   */
  toHost(commandBuffer: CommandBuffer, stage: 'COMPUTE_SHADER' | 'TRANSFER', buffer: Buffer): void {
    const access = stage === 'TRANSFER' ? 'TRANSFER_WRITE' : 'SHADER_WRITE';
    this.bufferBarrier(commandBuffer, buffer, [stage, access], ['HOST', 'HOST_READ']);
  }

  private bufferBarrier(
    commandBuffer: CommandBuffer,
    buffer: Buffer,
    [srcStage, srcAccess]: [StageName, AccessName],
    [dstStage, dstAccess]: [StageName, AccessName],
  ): void {
    if (!this.enabled) return;
    this.device.cmdPipelineBarrier(commandBuffer, {
      srcStageMask: STAGES[srcStage],
      dstStageMask: STAGES[dstStage],
      bufferMemoryBarriers: [
        {
          srcAccessMask: ACCESSES[srcAccess],
          dstAccessMask: ACCESSES[dstAccess],
          buffer,
          offset: 0,
          size: buffer.size,
        },
      ],
    });
  }
}

const STAGES = {
  COMPUTE_SHADER: STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
  TRANSFER: STAGE.VK_PIPELINE_STAGE_TRANSFER_BIT,
  HOST: STAGE.VK_PIPELINE_STAGE_HOST_BIT,
} as const;
type StageName = keyof typeof STAGES;

const ACCESSES = {
  SHADER_WRITE: ACCESS.VK_ACCESS_SHADER_WRITE_BIT,
  SHADER_RW: ACCESS.VK_ACCESS_SHADER_READ_BIT | ACCESS.VK_ACCESS_SHADER_WRITE_BIT,
  TRANSFER_READ: ACCESS.VK_ACCESS_TRANSFER_READ_BIT,
  TRANSFER_WRITE: ACCESS.VK_ACCESS_TRANSFER_WRITE_BIT,
  HOST_READ: ACCESS.VK_ACCESS_HOST_READ_BIT,
} as const;
type AccessName = keyof typeof ACCESSES;

/**
 * Records one command buffer with `record`, submits it with a fence and waits for the fence without blocking
 * the event loop (waitForFencesAsync). Returns the milliseconds from the submit to the end of the wait: on a
 * real GPU the time the work took; on the emulated one, which runs submitted work when its fence is waited,
 * the time the emulator took to run it.
 */
export async function submitAndWait(
  device: Device,
  queue: Queue,
  record: (commandBuffer: CommandBuffer) => void,
): Promise<number> {
  const pool = device.createCommandPool({ queueFamilyIndex: queue.queueFamilyIndex });
  const fence = device.createFence();
  try {
    const [commandBuffer] = device.allocateCommandBuffers({ commandPool: pool, commandBufferCount: 1 });
    device.beginCommandBuffer(commandBuffer!, {
      flags: VkCommandBufferUsageFlagBits.VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    });
    record(commandBuffer!);
    device.endCommandBuffer(commandBuffer!);
    const start = performance.now();
    device.queueSubmit(queue, [{ commandBuffers: [commandBuffer!] }], fence);
    await device.waitForFencesAsync([fence], true, NO_TIMEOUT);
    return performance.now() - start;
  } finally {
    device.destroyFence(fence);
    device.destroyCommandPool(pool);
  }
}
