/**
 * The emulated backend's records of the compute objects. The front keeps them in its handle table and hands
 * them back; only the backend reads their fields.
 */
import type {
  BackendBufferDescriptor,
  BackendDescriptorBinding,
  BackendPushConstantRange,
  BackendSpecialization,
  RecordedCommand,
} from '@vkmap/core';
import type { EmulatedMemory } from '../device-memory.js';
import type { ComputeKernel } from './shader-executor.js';

export interface EmulatedBuffer {
  readonly size: bigint;
  readonly usage: number;
  /** What vkGetBufferMemoryRequirements reports, fixed at creation. */
  readonly requirements: {
    readonly size: bigint;
    readonly alignment: bigint;
    readonly memoryTypeBits: number;
  };
  /** The memory bound and the offset of the buffer's first byte in it; null until vkBindBufferMemory. */
  binding: { readonly memory: EmulatedMemory; readonly offset: bigint } | null;
}

export interface EmulatedShaderModule {
  /** The SPIR-V words, a copy of the front's. */
  readonly code: Uint32Array;
  /** What the shader executor made of the words, when the device has one. */
  readonly loaded: unknown;
}

export interface EmulatedDescriptorSetLayout {
  /** By binding number, in increasing order. */
  readonly bindings: ReadonlyMap<number, BackendDescriptorBinding>;
}

export interface EmulatedPipelineLayout {
  readonly setLayouts: readonly EmulatedDescriptorSetLayout[];
  readonly pushConstantRanges: readonly BackendPushConstantRange[];
}

export interface EmulatedComputePipeline {
  readonly module: EmulatedShaderModule;
  readonly entryPoint: string;
  readonly specialization: BackendSpecialization | undefined;
  readonly layout: EmulatedPipelineLayout;
  /** The compiled entry point; null where the device has no shader executor (dispatch fails at submit). */
  readonly kernel: ComputeKernel | null;
}

export interface EmulatedDescriptorPool {
  readonly flags: number;
  readonly maxSets: number;
  /** Descriptors of each type the pool was created with. */
  readonly capacity: ReadonlyMap<number, number>;
  /** Descriptors of each type its live sets take. */
  readonly used: Map<number, number>;
  readonly sets: Set<EmulatedDescriptorSet>;
}

export interface EmulatedDescriptorSet {
  readonly pool: EmulatedDescriptorPool;
  readonly layout: EmulatedDescriptorSetLayout;
  /** Each binding's array of descriptors; an element stays undefined until a write fills it. */
  readonly descriptors: ReadonlyMap<number, (BackendBufferDescriptor<EmulatedBuffer> | undefined)[]>;
}

/** A command as the emulated backend records it. */
export type EmulatedCommand = RecordedCommand<
  EmulatedBuffer,
  EmulatedComputePipeline,
  EmulatedPipelineLayout,
  EmulatedDescriptorSet
>;

export interface EmulatedCommandPool {
  readonly flags: number;
  readonly queueFamilyIndex: number;
  readonly commandBuffers: Set<EmulatedCommandBuffer>;
}

/** The lifecycle states of the specification's "Command Buffer Lifecycle" that the backend sees. */
export type CommandBufferState = 'initial' | 'executable' | 'invalid';

export interface EmulatedCommandBuffer {
  readonly pool: EmulatedCommandPool;
  state: CommandBufferState;
  /** VkCommandBufferUsageFlags of the recording. */
  usageFlags: number;
  commands: readonly EmulatedCommand[];
}

export interface EmulatedQueue {
  readonly queueFamilyIndex: number;
  readonly queueIndex: number;
  readonly priority: number;
}

export interface EmulatedFence {
  signaled: boolean;
}
