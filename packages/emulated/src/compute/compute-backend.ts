/**
 * The compute chapters of the emulated device backend (the narrow interface of @vkmap/core's
 * backend/compute.ts), each method handed to the module that owns it. Like the rest of the backend, it relies
 * on the front's preconditions and checks nothing again.
 */
import type {
  BackendDescriptorBinding,
  BackendDescriptorWrite,
  BackendPushConstantRange,
  BackendSpecialization,
  ComputeDeviceBackend,
  DeviceRequest,
  MemoryType,
  PhysicalDeviceLimits,
} from '@vkmap/core';
import type { EmulatedMemory } from '../device-memory.js';
import { type BufferAlignmentLimits, BufferFactory } from './buffers.js';
import * as commandBuffers from './command-buffers.js';
import * as descriptors from './descriptors.js';
import { CommandRunner } from './execution.js';
import * as fences from './fences.js';
import { PipelineFactory } from './pipelines.js';
import { DeviceQueues, SubmittedWork } from './queues.js';
import type {
  EmulatedBuffer,
  EmulatedCommand,
  EmulatedCommandBuffer,
  EmulatedCommandPool,
  EmulatedComputePipeline,
  EmulatedDescriptorPool,
  EmulatedDescriptorSet,
  EmulatedDescriptorSetLayout,
  EmulatedFence,
  EmulatedPipelineLayout,
  EmulatedQueue,
  EmulatedShaderModule,
} from './records.js';
import type { ShaderExecutor } from './shader-executor.js';

/** What the compute part of a device is made of. */
export interface EmulatedComputeSpec {
  readonly memoryTypes: readonly MemoryType[];
  readonly limits: BufferAlignmentLimits & Pick<PhysicalDeviceLimits, 'maxPushConstantsSize'>;
  /** The queues the device was created with. */
  readonly queues: DeviceRequest['queues'];
  /** Runs SPIR-V; without one, shader modules and pipelines are recorded and a dispatch fails at submit. */
  readonly shaderExecutor?: ShaderExecutor | undefined;
}

export class EmulatedComputeBackend
  implements
    ComputeDeviceBackend<
      EmulatedMemory,
      EmulatedBuffer,
      EmulatedShaderModule,
      EmulatedDescriptorSetLayout,
      EmulatedPipelineLayout,
      EmulatedComputePipeline,
      EmulatedDescriptorPool,
      EmulatedDescriptorSet,
      EmulatedCommandPool,
      EmulatedCommandBuffer,
      EmulatedQueue,
      EmulatedFence
    >
{
  private readonly buffers: BufferFactory;
  private readonly pipelines: PipelineFactory;
  private readonly queues: DeviceQueues;
  /** Submitted work not run yet: it runs when the host waits for it. */
  private readonly work: SubmittedWork;

  constructor(spec: EmulatedComputeSpec) {
    this.buffers = new BufferFactory(spec.limits, spec.memoryTypes);
    this.pipelines = new PipelineFactory(spec.shaderExecutor);
    this.queues = new DeviceQueues(spec.queues);
    this.work = new SubmittedWork(new CommandRunner(spec.limits.maxPushConstantsSize));
  }

  getQueue(queueFamilyIndex: number, queueIndex: number): EmulatedQueue {
    return this.queues.get(queueFamilyIndex, queueIndex);
  }

  createBuffer(request: { readonly size: bigint; readonly usage: number }): EmulatedBuffer {
    return this.buffers.create(request);
  }

  destroyBuffer(_buffer: EmulatedBuffer): void {}

  getBufferMemoryRequirements(buffer: EmulatedBuffer) {
    return this.buffers.requirements(buffer);
  }

  bindBufferMemory(buffer: EmulatedBuffer, memory: EmulatedMemory, offset: bigint): void {
    this.buffers.bind(buffer, memory, offset);
  }

  createShaderModule(code: Uint32Array): EmulatedShaderModule {
    return this.pipelines.createShaderModule(code);
  }

  destroyShaderModule(_module: EmulatedShaderModule): void {}

  createDescriptorSetLayout(bindings: readonly BackendDescriptorBinding[]): EmulatedDescriptorSetLayout {
    return descriptors.createDescriptorSetLayout(bindings);
  }

  destroyDescriptorSetLayout(_layout: EmulatedDescriptorSetLayout): void {}

  createPipelineLayout(request: {
    readonly setLayouts: readonly EmulatedDescriptorSetLayout[];
    readonly pushConstantRanges: readonly BackendPushConstantRange[];
  }): EmulatedPipelineLayout {
    return this.pipelines.createPipelineLayout(request);
  }

  destroyPipelineLayout(_layout: EmulatedPipelineLayout): void {}

  createComputePipeline(request: {
    readonly module: EmulatedShaderModule;
    readonly entryPoint: string;
    readonly specialization: BackendSpecialization | undefined;
    readonly layout: EmulatedPipelineLayout;
  }): EmulatedComputePipeline {
    return this.pipelines.createComputePipeline(request);
  }

  destroyPipeline(_pipeline: EmulatedComputePipeline): void {}

  createDescriptorPool(request: {
    readonly flags: number;
    readonly maxSets: number;
    readonly poolSizes: readonly { readonly type: number; readonly descriptorCount: number }[];
  }): EmulatedDescriptorPool {
    return descriptors.createDescriptorPool(request);
  }

  destroyDescriptorPool(pool: EmulatedDescriptorPool): void {
    descriptors.destroyDescriptorPool(pool);
  }

  allocateDescriptorSets(
    pool: EmulatedDescriptorPool,
    layouts: readonly EmulatedDescriptorSetLayout[],
  ): EmulatedDescriptorSet[] {
    return descriptors.allocateDescriptorSets(pool, layouts);
  }

  freeDescriptorSets(pool: EmulatedDescriptorPool, sets: readonly EmulatedDescriptorSet[]): void {
    descriptors.freeDescriptorSets(pool, sets);
  }

  updateDescriptorSets(writes: readonly BackendDescriptorWrite<EmulatedDescriptorSet, EmulatedBuffer>[]): void {
    descriptors.updateDescriptorSets(writes);
  }

  createCommandPool(request: { readonly flags: number; readonly queueFamilyIndex: number }): EmulatedCommandPool {
    return commandBuffers.createCommandPool(request);
  }

  destroyCommandPool(pool: EmulatedCommandPool): void {
    commandBuffers.destroyCommandPool(pool);
  }

  resetCommandPool(pool: EmulatedCommandPool): void {
    commandBuffers.resetCommandPool(pool);
  }

  allocateCommandBuffers(pool: EmulatedCommandPool, count: number): EmulatedCommandBuffer[] {
    return commandBuffers.allocateCommandBuffers(pool, count);
  }

  freeCommandBuffers(pool: EmulatedCommandPool, buffers: readonly EmulatedCommandBuffer[]): void {
    commandBuffers.freeCommandBuffers(pool, buffers);
  }

  recordCommandBuffer(commandBuffer: EmulatedCommandBuffer, flags: number, commands: readonly EmulatedCommand[]): void {
    commandBuffers.recordCommandBuffer(commandBuffer, flags, commands);
  }

  resetCommandBuffer(commandBuffer: EmulatedCommandBuffer): void {
    commandBuffers.resetCommandBuffer(commandBuffer);
  }

  /** Queues the work: it runs when the host waits for it (its fence, its queue or the device). */
  queueSubmit(
    queue: EmulatedQueue,
    submits: readonly (readonly EmulatedCommandBuffer[])[],
    fence: EmulatedFence | undefined,
  ): void {
    this.work.submit(queue, submits, fence);
  }

  queueWaitIdle(queue: EmulatedQueue): void {
    this.work.runQueue(queue, 'vkQueueWaitIdle');
  }

  deviceWaitIdle(): void {
    this.work.runAll('vkDeviceWaitIdle');
  }

  createFence(signaled: boolean): EmulatedFence {
    return fences.createFence(signaled);
  }

  destroyFence(_fence: EmulatedFence): void {}

  resetFences(list: readonly EmulatedFence[]): void {
    fences.resetFences(list);
  }

  getFenceStatus(fence: EmulatedFence): boolean {
    return fences.getFenceStatus(this.work, fence);
  }

  waitForFences(list: readonly EmulatedFence[], waitAll: boolean, timeout: bigint): boolean {
    return fences.waitForFences(this.work, list, waitAll, timeout);
  }

  waitForFencesAsync(list: readonly EmulatedFence[], waitAll: boolean, timeout: bigint): Promise<boolean> {
    return fences.waitForFencesAsync(this.work, list, waitAll, timeout);
  }
}
