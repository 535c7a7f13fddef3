/**
 * What the validation tests of the compute chapters build on, on any backend: a validated device (the layer
 * with `reflectShader` from @vkmap/spirv) over a physical device the backend's test file gives, with a queue of
 * every family; host-visible buffers in coherent and (where the device has one) non-coherent memory; the
 * tests' shader (shaders/scale.comp: a storage buffer at binding 0, a uniform buffer at binding 1, 8 bytes of
 * push constants) with its layouts, pipeline and descriptor set; command buffers; and pending work.
 */
import { readFileSync } from 'node:fs';
import {
  VkBufferUsageFlagBits,
  VkCommandPoolCreateFlagBits,
  VkDescriptorPoolCreateFlagBits,
  VkDescriptorType,
  VkMemoryPropertyFlagBits,
  VkQueueFlagBits,
  VkShaderStageFlagBits,
  withValidation,
  type Buffer,
  type CommandBuffer,
  type CommandPool,
  type DescriptorSet,
  type DescriptorSetLayoutBinding,
  type Device,
  type DeviceMemory,
  type Fence,
  type MappedMemory,
  type PhysicalDevice,
  type PhysicalDeviceLimits,
  type PipelineLayout,
  type PushConstantRange,
  type Queue,
  type ValidationReport,
} from '@vkmap/core';
import { shaderInterface } from '@vkmap/spirv';

export const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
export const COMPUTE = VkShaderStageFlagBits.VK_SHADER_STAGE_COMPUTE_BIT;
export const BIND_COMPUTE = 1;
export const STORAGE = VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
export const UNIFORM = VkDescriptorType.VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
const USAGE = VkBufferUsageFlagBits;
export const USAGE_ALL =
  USAGE.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
  USAGE.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT |
  USAGE.VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
  USAGE.VK_BUFFER_USAGE_TRANSFER_DST_BIT;
export const TRANSFER = USAGE.VK_BUFFER_USAGE_TRANSFER_SRC_BIT | USAGE.VK_BUFFER_USAGE_TRANSFER_DST_BIT;
export const STAGE_TRANSFER = 0x1000;
export const STAGE_COMPUTE = 0x800;
export const STAGE_HOST = 0x4000;
export const ACCESS_TRANSFER_WRITE = 0x1000;
export const ACCESS_SHADER_WRITE = 0x40;
export const ACCESS_HOST_READ = 0x2000;
export const ONE_TIME_SUBMIT = 0x1;
const { VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT: HOST_VISIBLE, VK_MEMORY_PROPERTY_HOST_COHERENT_BIT: HOST_COHERENT } =
  VkMemoryPropertyFlagBits;

function spirv(name: string): Uint32Array {
  const bytes = readFileSync(new URL(`./shaders/${name}.spv`, import.meta.url));
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** shaders/scale.comp and shaders/pair.comp as SPIR-V words. */
export const SCALE_SPIRV = spirv('scale');
export const PAIR_SPIRV = spirv('pair');

/** The backend a test file runs the suite on. */
export interface ComputeValidationTarget {
  readonly name: string;
  /** A physical device of the backend, or why there is none (every test is then skipped with that reason). */
  readonly physicalDevice: () => PhysicalDevice | string;
}

/** What the suite knows of a target's physical device before its tests run: the reasons some cannot. */
export interface Capabilities {
  readonly unavailable: string | undefined;
  readonly nonCoherentType: number | undefined;
  readonly limits: PhysicalDeviceLimits | undefined;
  readonly familyCount: number;
}

export function capabilitiesOf(target: ComputeValidationTarget): Capabilities {
  const physicalDevice = target.physicalDevice();
  if (typeof physicalDevice === 'string')
    return { unavailable: physicalDevice, nonCoherentType: undefined, limits: undefined, familyCount: 0 };
  return {
    unavailable: undefined,
    nonCoherentType: hostVisibleType(physicalDevice, false),
    limits: physicalDevice.getProperties().limits,
    familyCount: physicalDevice.getQueueFamilyProperties().length,
  };
}

function hostVisibleType(physicalDevice: PhysicalDevice, coherent: boolean): number | undefined {
  const index = physicalDevice
    .getMemoryProperties()
    .memoryTypes.findIndex(
      (t) => (t.propertyFlags & HOST_VISIBLE) !== 0 && ((t.propertyFlags & HOST_COHERENT) !== 0) === coherent,
    );
  return index < 0 ? undefined : index;
}

/** The first `count` 32-bit words of a mapping's bytes. */
export function words(mapping: MappedMemory, count: number): Uint32Array {
  const data = mapping.data;
  return new Uint32Array(data.buffer, data.byteOffset, count);
}

export interface HostBuffer {
  readonly buffer: Buffer;
  readonly memory: DeviceMemory;
  readonly mapping: MappedMemory;
}

export interface ComputeObjects {
  readonly setLayout: ReturnType<Device['createDescriptorSetLayout']>;
  readonly layout: PipelineLayout;
  readonly pipeline: ReturnType<Device['createComputePipelines']>[number];
  readonly set: DescriptorSet;
  readonly storage: HostBuffer;
  readonly uniform: HostBuffer;
}

/** One test's device and helpers. */
export class Fixture {
  readonly device: Device;
  readonly reports: ValidationReport[] = [];
  readonly physicalDevice: PhysicalDevice;
  readonly limits: PhysicalDeviceLimits;
  readonly family: number;
  readonly queue: Queue;
  readonly families: readonly number[];
  readonly coherentType: number;
  readonly nonCoherentType: number | undefined;
  readonly pool: CommandPool;

  constructor(target: ComputeValidationTarget, mode: 'throw' | 'report' = 'throw') {
    const physicalDevice = target.physicalDevice();
    if (typeof physicalDevice === 'string') throw new Error(physicalDevice);
    this.physicalDevice = physicalDevice;
    const families = physicalDevice.getQueueFamilyProperties();
    const bare = physicalDevice.createDevice({
      queueCreateInfos: families.map((_, queueFamilyIndex) => ({ queueFamilyIndex, queuePriorities: [1] })),
    });
    this.device = withValidation(bare, {
      mode,
      onReport: (report) => this.reports.push(report),
      duplicateLimit: Infinity,
      reflectShader: shaderInterface,
    });
    this.limits = physicalDevice.getProperties().limits;
    this.families = families.map((_, i) => i);
    this.family = families.findIndex((f) => (f.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT) !== 0);
    this.queue = this.device.getDeviceQueue(this.family, 0);
    this.coherentType = hostVisibleType(physicalDevice, true)!;
    this.nonCoherentType = hostVisibleType(physicalDevice, false);
    this.pool = this.commandPool();
  }

  /**
   * A buffer of `size` bytes bound at offset 0 to memory of its own of `memoryType`, its bytes mapped (the
   * mapping is exactly the buffer's bytes).
   */
  hostBuffer(size: number | bigint, usage = USAGE_ALL, memoryType = this.coherentType): HostBuffer {
    const buffer = this.device.createBuffer({ size, usage });
    const requirements = this.device.getBufferMemoryRequirements(buffer);
    const memory = this.device.allocateMemory({ allocationSize: requirements.size, memoryTypeIndex: memoryType });
    this.device.bindBufferMemory(buffer, memory, 0);
    const mapping = this.device.mapMemory(memory, 0, size);
    return { buffer, memory, mapping };
  }

  commandPool(
    flags: number = VkCommandPoolCreateFlagBits.VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
    family = this.family,
  ) {
    return this.device.createCommandPool({ flags, queueFamilyIndex: family });
  }

  commandBuffer(pool = this.pool): CommandBuffer {
    return this.device.allocateCommandBuffers({ commandPool: pool, commandBufferCount: 1 })[0]!;
  }

  /** A command buffer of `pool` recorded with `body`, executable. */
  recorded(body: (commandBuffer: CommandBuffer) => void = () => {}, flags = 0, pool = this.pool): CommandBuffer {
    const commandBuffer = this.commandBuffer(pool);
    this.device.beginCommandBuffer(commandBuffer, { flags });
    body(commandBuffer);
    this.device.endCommandBuffer(commandBuffer);
    return commandBuffer;
  }

  fence(signaled = false): Fence {
    return this.device.createFence({ flags: signaled ? 1 : 0 });
  }

  submit(commandBuffers: readonly CommandBuffer[], fence?: Fence, queue = this.queue): void {
    this.device.queueSubmit(queue, [{ commandBuffers }], fence ?? null);
  }

  wait(fence: Fence): void {
    this.device.waitForFences([fence], true, UINT64_MAX);
  }

  /** The set layout of scale.comp, or `bindings` instead. */
  setLayout(
    bindings: readonly DescriptorSetLayoutBinding[] = [
      { binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
      { binding: 1, descriptorType: UNIFORM, descriptorCount: 1, stageFlags: COMPUTE },
    ],
  ) {
    return this.device.createDescriptorSetLayout({ bindings });
  }

  pipelineLayout(
    setLayouts = [this.setLayout()],
    pushConstantRanges: readonly PushConstantRange[] = [{ stageFlags: COMPUTE, offset: 0, size: 8 }],
  ): PipelineLayout {
    return this.device.createPipelineLayout({ setLayouts, pushConstantRanges });
  }

  pipelineOf(layout: PipelineLayout, code = SCALE_SPIRV) {
    const module = this.device.createShaderModule({ code });
    return this.device.createComputePipelines([{ stage: { stage: COMPUTE, module, name: 'main' }, layout }])[0]!;
  }

  /** A descriptor set of `setLayout` from a pool that can free sets. */
  descriptorSet(setLayout = this.setLayout()) {
    const pool = this.device.createDescriptorPool({
      flags: VkDescriptorPoolCreateFlagBits.VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT,
      maxSets: 4,
      poolSizes: [
        { type: STORAGE, descriptorCount: 8 },
        { type: UNIFORM, descriptorCount: 8 },
      ],
    });
    const [set] = this.device.allocateDescriptorSets({ descriptorPool: pool, setLayouts: [setLayout] });
    return { pool, set: set! };
  }

  /** scale.comp ready to dispatch: pipeline, layout, and a set written with a storage and a uniform buffer. */
  compute(
    storageBytes = 256,
    memoryType = this.coherentType,
  ): ComputeObjects & { readonly pool: ReturnType<Device['createDescriptorPool']> } {
    const setLayout = this.setLayout();
    const layout = this.pipelineLayout([setLayout]);
    const pipeline = this.pipelineOf(layout);
    const { pool, set } = this.descriptorSet(setLayout);
    const storage = this.hostBuffer(storageBytes, USAGE_ALL, memoryType);
    const uniform = this.hostBuffer(256, USAGE_ALL, memoryType);
    this.device.updateDescriptorSets([
      {
        dstSet: set,
        dstBinding: 0,
        descriptorType: STORAGE,
        bufferInfo: [{ buffer: storage.buffer, offset: 0, range: 0xffff_ffff_ffff_ffffn }],
      },
      {
        dstSet: set,
        dstBinding: 1,
        descriptorType: UNIFORM,
        bufferInfo: [{ buffer: uniform.buffer, offset: 0, range: 16 }],
      },
    ]);
    return { setLayout, layout, pipeline, set, storage, uniform, pool };
  }

  /** Records a dispatch of `objects` over `count` words (adding `add`), then `after` (barriers). */
  recordDispatch(commandBuffer: CommandBuffer, objects: ComputeObjects, count: number, add = 0): void {
    const { device } = this;
    device.cmdBindPipeline(commandBuffer, BIND_COMPUTE, objects.pipeline);
    device.cmdBindDescriptorSets(commandBuffer, BIND_COMPUTE, objects.layout, 0, [objects.set]);
    device.cmdPushConstants(
      commandBuffer,
      objects.layout,
      COMPUTE,
      0,
      new Uint8Array(new Uint32Array([count, add]).buffer),
    );
    device.cmdDispatch(commandBuffer, Math.ceil(count / 64), 1, 1);
  }

  /** A dispatch of `objects` submitted with a fence and not waited for: pending work that uses all of them. */
  pendingDispatch(objects: ComputeObjects): { commandBuffer: CommandBuffer; fence: Fence } {
    const commandBuffer = this.recorded((cb) => this.recordDispatch(cb, objects, 4));
    const fence = this.fence();
    this.submit([commandBuffer], fence);
    return { commandBuffer, fence };
  }

  /** The barrier that makes `stage`'s writes (access `access`) available to host reads. */
  toHost(commandBuffer: CommandBuffer, stage = STAGE_TRANSFER, access = ACCESS_TRANSFER_WRITE, buffer?: Buffer): void {
    this.device.cmdPipelineBarrier(commandBuffer, {
      srcStageMask: stage,
      dstStageMask: STAGE_HOST,
      ...(buffer
        ? {
            bufferMemoryBarriers: [
              {
                srcAccessMask: access,
                dstAccessMask: ACCESS_HOST_READ,
                buffer,
                offset: 0,
                size: 0xffff_ffff_ffff_ffffn,
              },
            ],
          }
        : { memoryBarriers: [{ srcAccessMask: access, dstAccessMask: ACCESS_HOST_READ }] }),
    });
  }

  /** Wait for everything, so the device can be destroyed without reports of its own. */
  finish(): void {
    this.device.deviceWaitIdle();
    this.device.destroy();
  }
}
