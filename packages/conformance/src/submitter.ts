/**
 * Recording and running one command buffer at a time on one queue, and waiting for it with a fence: what the
 * device-side access and the transfer and compute scenarios share. The pool, command buffer and fence are
 * made on first use and reused (the pool is reset after each wait); the device destroys them with itself.
 */
import {
  VkAccessFlagBits,
  VkCommandBufferUsageFlagBits,
  VkPipelineStageFlagBits,
  type Buffer,
  type CommandBuffer,
  type CommandPool,
  type Device,
  type Fence,
  type PipelineBarrierInfo,
  type Queue,
} from '@vkmap/core';

/** vkWaitForFences' "no limit". */
export const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

const { VK_PIPELINE_STAGE_HOST_BIT } = VkPipelineStageFlagBits;
const { VK_ACCESS_HOST_READ_BIT, VK_ACCESS_HOST_WRITE_BIT } = VkAccessFlagBits;

/**
 * The barrier after device writes that the host reads next (through a mapping, after the fence wait and any
 * invalidate): a fence alone makes device writes available but not visible to the host.
 */
export function toHostBarrier(
  srcStageMask: number,
  srcAccessMask: number,
  buffers: readonly Buffer[],
): PipelineBarrierInfo {
  return {
    srcStageMask,
    dstStageMask: VK_PIPELINE_STAGE_HOST_BIT,
    bufferMemoryBarriers: buffers.map((buffer) => ({
      srcAccessMask,
      dstAccessMask: VK_ACCESS_HOST_READ_BIT | VK_ACCESS_HOST_WRITE_BIT,
      buffer,
      offset: 0,
      size: buffer.size,
    })),
  };
}

export class Submitter {
  readonly device: Device;
  readonly queueFamilyIndex: number;
  private objects: { queue: Queue; pool: CommandPool; commandBuffer: CommandBuffer; fence: Fence } | undefined;

  constructor(device: Device, queueFamilyIndex: number) {
    this.device = device;
    this.queueFamilyIndex = queueFamilyIndex;
  }

  /** Records `record` into the command buffer, submits it with the fence, and waits on the thread. */
  run(record: (commandBuffer: CommandBuffer) => void): void {
    const { fence } = this.submit(record);
    const result = this.device.waitForFences([fence], true, UINT64_MAX);
    this.finish(result);
  }

  /** The same, waiting with waitForFencesAsync: the event loop keeps running meanwhile. */
  async runAsync(record: (commandBuffer: CommandBuffer) => void): Promise<void> {
    const { fence } = this.submit(record);
    const result = await this.device.waitForFencesAsync([fence], true, UINT64_MAX);
    this.finish(result);
  }

  private submit(record: (commandBuffer: CommandBuffer) => void): { fence: Fence } {
    const objects = this.ensureObjects();
    const { device } = this;
    device.beginCommandBuffer(objects.commandBuffer, {
      flags: VkCommandBufferUsageFlagBits.VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    });
    try {
      record(objects.commandBuffer);
      device.endCommandBuffer(objects.commandBuffer);
      device.queueSubmit(objects.queue, [{ commandBuffers: [objects.commandBuffer] }], objects.fence);
    } catch (error) {
      // Nothing was submitted: back to the initial state (resetting a pool is allowed while recording).
      device.resetCommandPool(objects.pool);
      throw error;
    }
    return objects;
  }

  private finish(result: 'VK_SUCCESS' | 'VK_TIMEOUT'): void {
    const objects = this.objects!;
    if (result !== 'VK_SUCCESS') throw new Error(`waiting for the fence without a time limit returned ${result}`);
    this.device.resetFences([objects.fence]);
    this.device.resetCommandPool(objects.pool);
  }

  private ensureObjects() {
    if (!this.objects) {
      const { device } = this;
      const queue = device.getDeviceQueue(this.queueFamilyIndex, 0);
      const pool = device.createCommandPool({ queueFamilyIndex: this.queueFamilyIndex });
      const [commandBuffer] = device.allocateCommandBuffers({ commandPool: pool, commandBufferCount: 1 });
      this.objects = { queue, pool, commandBuffer: commandBuffer!, fence: device.createFence() };
    }
    return this.objects;
  }
}
