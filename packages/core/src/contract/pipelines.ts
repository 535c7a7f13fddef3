/**
 * Vulkan "Shaders", "Pipelines" and "Resource Descriptors" for compute: shader modules, descriptor set
 * layouts and pools, descriptor sets and their updates, pipeline layouts with push constant ranges, and
 * compute pipelines with specialization constants.
 */
import type { DeviceSizeInput } from '../device-size.js';
import type { Buffer } from './resources.js';

export interface ShaderModule {
  readonly objectType: 'VkShaderModule';
  readonly handle: bigint;
}

export interface ShaderModuleCreateInfo {
  /** SPIR-V words. */
  readonly code: Uint32Array;
}

export interface DescriptorSetLayoutBinding {
  readonly binding: number;
  /** VkDescriptorType: STORAGE_BUFFER (7) or UNIFORM_BUFFER (6) here. */
  readonly descriptorType: number;
  readonly descriptorCount: number;
  /** VkShaderStageFlags: COMPUTE (0x20). */
  readonly stageFlags: number;
}

export interface DescriptorSetLayoutCreateInfo {
  readonly bindings: readonly DescriptorSetLayoutBinding[];
}

export interface DescriptorSetLayout {
  readonly objectType: 'VkDescriptorSetLayout';
  readonly handle: bigint;
}

export interface PushConstantRange {
  readonly stageFlags: number;
  /** Bytes, multiples of 4; offset + size <= maxPushConstantsSize. */
  readonly offset: number;
  readonly size: number;
}

export interface PipelineLayoutCreateInfo {
  readonly setLayouts?: readonly DescriptorSetLayout[];
  readonly pushConstantRanges?: readonly PushConstantRange[];
}

export interface PipelineLayout {
  readonly objectType: 'VkPipelineLayout';
  readonly handle: bigint;
}

export interface SpecializationMapEntry {
  readonly constantID: number;
  readonly offset: number;
  readonly size: number;
}

export interface SpecializationInfo {
  readonly mapEntries: readonly SpecializationMapEntry[];
  readonly data: Uint8Array;
}

export interface PipelineShaderStageCreateInfo {
  /** VkShaderStageFlagBits: COMPUTE (0x20). */
  readonly stage: number;
  readonly module: ShaderModule;
  /** The entry point's name, `main` for glslang. */
  readonly name: string;
  readonly specializationInfo?: SpecializationInfo;
}

export interface ComputePipelineCreateInfo {
  readonly stage: PipelineShaderStageCreateInfo;
  readonly layout: PipelineLayout;
}

export interface Pipeline {
  readonly objectType: 'VkPipeline';
  readonly handle: bigint;
}

export interface DescriptorPoolSize {
  readonly type: number;
  readonly descriptorCount: number;
}

export interface DescriptorPoolCreateInfo {
  /** VkDescriptorPoolCreateFlags: FREE_DESCRIPTOR_SET (0x1) allows freeDescriptorSets. */
  readonly flags?: number;
  readonly maxSets: number;
  readonly poolSizes: readonly DescriptorPoolSize[];
}

export interface DescriptorPool {
  readonly objectType: 'VkDescriptorPool';
  readonly handle: bigint;
}

export interface DescriptorSetAllocateInfo {
  readonly descriptorPool: DescriptorPool;
  readonly setLayouts: readonly DescriptorSetLayout[];
}

export interface DescriptorSet {
  readonly objectType: 'VkDescriptorSet';
  readonly handle: bigint;
}

export interface DescriptorBufferInfo {
  readonly buffer: Buffer;
  readonly offset: DeviceSizeInput;
  /** Bytes, or VK_WHOLE_SIZE for the rest of the buffer. */
  readonly range: DeviceSizeInput;
}

export interface WriteDescriptorSet {
  readonly dstSet: DescriptorSet;
  readonly dstBinding: number;
  readonly dstArrayElement?: number;
  readonly descriptorType: number;
  readonly bufferInfo: readonly DescriptorBufferInfo[];
}

export interface DevicePipelineCommands {
  createShaderModule(info: ShaderModuleCreateInfo): ShaderModule;
  destroyShaderModule(module: ShaderModule | null): void;
  createDescriptorSetLayout(info: DescriptorSetLayoutCreateInfo): DescriptorSetLayout;
  destroyDescriptorSetLayout(layout: DescriptorSetLayout | null): void;
  createPipelineLayout(info: PipelineLayoutCreateInfo): PipelineLayout;
  destroyPipelineLayout(layout: PipelineLayout | null): void;
  /** One pipeline per create info; no pipeline cache. */
  createComputePipelines(infos: readonly ComputePipelineCreateInfo[]): Pipeline[];
  /** Refused while pending work uses the pipeline. */
  destroyPipeline(pipeline: Pipeline | null): void;
  createDescriptorPool(info: DescriptorPoolCreateInfo): DescriptorPool;
  /** Frees its sets; refused while pending work uses one of them. */
  destroyDescriptorPool(pool: DescriptorPool | null): void;
  allocateDescriptorSets(info: DescriptorSetAllocateInfo): DescriptorSet[];
  /** Needs a pool created with FREE_DESCRIPTOR_SET. */
  freeDescriptorSets(pool: DescriptorPool, sets: readonly DescriptorSet[]): void;
  /** Storage and uniform buffer writes (descriptor copies are not offered). */
  updateDescriptorSets(writes: readonly WriteDescriptorSet[]): void;
}
