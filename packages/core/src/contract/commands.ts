/**
 * Vulkan "Command Buffers", "Synchronization and Cache Control" (barriers, fences) and "Devices and
 * Queues" (queues, submission) for compute. Commands are recorded with `cmd*` calls between
 * `beginCommandBuffer` and `endCommandBuffer`, and run when submitted.
 */
import type { DeviceSizeInput } from '../device-size.js';
import type { DescriptorSet, Pipeline, PipelineLayout } from './pipelines.js';
import type { Buffer } from './resources.js';

export interface Queue {
  readonly objectType: 'VkQueue';
  readonly handle: bigint;
  readonly queueFamilyIndex: number;
  readonly queueIndex: number;
}

export interface CommandPoolCreateInfo {
  /** VkCommandPoolCreateFlags: RESET_COMMAND_BUFFER (0x2) allows resetting single command buffers. */
  readonly flags?: number;
  readonly queueFamilyIndex: number;
}

export interface CommandPool {
  readonly objectType: 'VkCommandPool';
  readonly handle: bigint;
}

export interface CommandBufferAllocateInfo {
  readonly commandPool: CommandPool;
  /** Primary command buffers only. */
  readonly commandBufferCount: number;
}

export interface CommandBuffer {
  readonly objectType: 'VkCommandBuffer';
  readonly handle: bigint;
}

export interface CommandBufferBeginInfo {
  /** VkCommandBufferUsageFlags: ONE_TIME_SUBMIT (0x1). */
  readonly flags?: number;
}

export interface MemoryBarrier {
  readonly srcAccessMask: number;
  readonly dstAccessMask: number;
}

export interface BufferMemoryBarrier {
  readonly srcAccessMask: number;
  readonly dstAccessMask: number;
  readonly buffer: Buffer;
  readonly offset: DeviceSizeInput;
  /** Bytes, or VK_WHOLE_SIZE. */
  readonly size: DeviceSizeInput;
}

export interface PipelineBarrierInfo {
  readonly srcStageMask: number;
  readonly dstStageMask: number;
  readonly dependencyFlags?: number;
  readonly memoryBarriers?: readonly MemoryBarrier[];
  readonly bufferMemoryBarriers?: readonly BufferMemoryBarrier[];
}

export interface BufferCopy {
  readonly srcOffset: DeviceSizeInput;
  readonly dstOffset: DeviceSizeInput;
  readonly size: DeviceSizeInput;
}

export interface SubmitInfo {
  readonly commandBuffers: readonly CommandBuffer[];
}

export interface FenceCreateInfo {
  /** VkFenceCreateFlags: SIGNALED (0x1). */
  readonly flags?: number;
}

export interface Fence {
  readonly objectType: 'VkFence';
  readonly handle: bigint;
}

export interface DeviceCommandBufferCommands {
  /**
   * The queue created at createDevice: family `queueFamilyIndex`, index `queueIndex`; the same object on
   * every call. `VkmapArgumentError` for a pair the device was not created with.
   */
  getDeviceQueue(queueFamilyIndex: number, queueIndex: number): Queue;
  createCommandPool(info: CommandPoolCreateInfo): CommandPool;
  /** Frees its command buffers; refused while one of them is pending. */
  destroyCommandPool(pool: CommandPool | null): void;
  /** Returns every command buffer of the pool to the initial state; refused while one is pending. */
  resetCommandPool(pool: CommandPool): void;
  allocateCommandBuffers(info: CommandBufferAllocateInfo): CommandBuffer[];
  freeCommandBuffers(pool: CommandPool, commandBuffers: readonly CommandBuffer[]): void;
  beginCommandBuffer(commandBuffer: CommandBuffer, info?: CommandBufferBeginInfo): void;
  endCommandBuffer(commandBuffer: CommandBuffer): void;
  /** Needs a pool created with RESET_COMMAND_BUFFER; refused while pending. */
  resetCommandBuffer(commandBuffer: CommandBuffer): void;
  /** bindPoint: VK_PIPELINE_BIND_POINT_COMPUTE (1). */
  cmdBindPipeline(commandBuffer: CommandBuffer, bindPoint: number, pipeline: Pipeline): void;
  cmdBindDescriptorSets(
    commandBuffer: CommandBuffer,
    bindPoint: number,
    layout: PipelineLayout,
    firstSet: number,
    sets: readonly DescriptorSet[],
    dynamicOffsets?: readonly number[],
  ): void;
  cmdPushConstants(
    commandBuffer: CommandBuffer,
    layout: PipelineLayout,
    stageFlags: number,
    offset: number,
    values: Uint8Array,
  ): void;
  cmdDispatch(commandBuffer: CommandBuffer, groupCountX: number, groupCountY: number, groupCountZ: number): void;
  cmdPipelineBarrier(commandBuffer: CommandBuffer, info: PipelineBarrierInfo): void;
  cmdCopyBuffer(commandBuffer: CommandBuffer, src: Buffer, dst: Buffer, regions: readonly BufferCopy[]): void;
  /** size: a multiple of 4 or VK_WHOLE_SIZE; dstOffset a multiple of 4. */
  cmdFillBuffer(
    commandBuffer: CommandBuffer,
    dst: Buffer,
    dstOffset: DeviceSizeInput,
    size: DeviceSizeInput,
    data: number,
  ): void;
}

export interface DeviceQueueCommands {
  queueSubmit(queue: Queue, submits: readonly SubmitInfo[], fence?: Fence | null): void;
  queueWaitIdle(queue: Queue): void;
  deviceWaitIdle(): void;
  createFence(info?: FenceCreateInfo): Fence;
  /** Refused while a pending submission will signal it. */
  destroyFence(fence: Fence | null): void;
  resetFences(fences: readonly Fence[]): void;
  /** 'VK_SUCCESS' when signaled, 'VK_NOT_READY' otherwise. */
  getFenceStatus(fence: Fence): 'VK_SUCCESS' | 'VK_NOT_READY';
  /**
   * Blocks the thread up to `timeout` nanoseconds (UINT64_MAX: no limit). 'VK_TIMEOUT' when the fences
   * were not signaled in time. A wait without a limit that nothing pending can end (an unsignaled fence no
   * submission will signal) would block forever: it throws `VkmapStateError` instead.
   */
  waitForFences(fences: readonly Fence[], waitAll: boolean, timeout: DeviceSizeInput): 'VK_SUCCESS' | 'VK_TIMEOUT';
  /**
   * The same wait off the event loop: a Promise, and Node keeps running meanwhile (a fence submitted after
   * the call is waited for). Malformed arguments reject the promise; the fences cannot be destroyed until
   * it settles.
   */
  waitForFencesAsync(
    fences: readonly Fence[],
    waitAll: boolean,
    timeout: DeviceSizeInput,
  ): Promise<'VK_SUCCESS' | 'VK_TIMEOUT'>;
}
