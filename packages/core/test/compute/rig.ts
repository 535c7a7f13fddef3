/**
 * A device over the fake backend with one of everything a dispatch needs: a buffer bound to memory, a
 * shader module, a set layout with one storage buffer, a pipeline layout with a push constant range, a
 * pipeline, a descriptor pool and set written with the buffer, a command pool, a command buffer that
 * records a dispatch, the queue and a fence.
 */
import {
  SPIRV_MAGIC_NUMBER,
  VkBufferUsageFlagBits,
  VkCommandPoolCreateFlagBits,
  VkDescriptorPoolCreateFlagBits,
  VkDescriptorType,
  VkShaderStageFlagBits,
  withValidation,
  type CommandBuffer,
  type Device,
  type DeviceCreateInfo,
  type QueueFamilyProperties,
} from '@vkmap/core';
import { FAMILIES, fakeInstance, MEMORY_TYPE_HOST_VISIBLE } from './fake-backend.js';

export const COMPUTE = VkShaderStageFlagBits.VK_SHADER_STAGE_COMPUTE_BIT;
export const BIND_COMPUTE = 1;
export const SPIRV = new Uint32Array([SPIRV_MAGIC_NUMBER, 0x00010000, 0, 1, 0]);
const { VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, VK_BUFFER_USAGE_TRANSFER_DST_BIT, VK_BUFFER_USAGE_TRANSFER_SRC_BIT } =
  VkBufferUsageFlagBits;
export const USAGE_ALL =
  VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT;

export interface RigOptions {
  readonly families?: readonly QueueFamilyProperties[];
  readonly create?: DeviceCreateInfo;
  readonly layered?: boolean;
  readonly poolFlags?: number;
}

export function rig(options: RigOptions = {}) {
  const { instance, physicalDevice, devices } = fakeInstance(options.families ?? FAMILIES.computeOnly);
  const bare = physicalDevice.createDevice(options.create ?? {});
  const device: Device = options.layered ? withValidation(bare) : bare;
  const backend = devices[0]!;
  const family = backend.request.queues[0]!.queueFamilyIndex;
  const queue = device.getDeviceQueue(family, 0);
  const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: MEMORY_TYPE_HOST_VISIBLE });
  const buffer = device.createBuffer({ size: 256, usage: USAGE_ALL });
  device.bindBufferMemory(buffer, memory, 0);
  const module = device.createShaderModule({ code: SPIRV });
  const setLayout = device.createDescriptorSetLayout({
    bindings: [
      {
        binding: 0,
        descriptorType: VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        descriptorCount: 1,
        stageFlags: COMPUTE,
      },
    ],
  });
  const pipelineLayout = device.createPipelineLayout({
    setLayouts: [setLayout],
    pushConstantRanges: [{ stageFlags: COMPUTE, offset: 0, size: 16 }],
  });
  const [pipeline] = device.createComputePipelines([
    { stage: { stage: COMPUTE, module, name: 'main' }, layout: pipelineLayout },
  ]);
  const descriptorPool = device.createDescriptorPool({
    flags: VkDescriptorPoolCreateFlagBits.VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT,
    maxSets: 4,
    poolSizes: [{ type: VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, descriptorCount: 4 }],
  });
  const [set] = device.allocateDescriptorSets({ descriptorPool, setLayouts: [setLayout] });
  device.updateDescriptorSets([
    {
      dstSet: set!,
      dstBinding: 0,
      descriptorType: VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
      bufferInfo: [{ buffer, offset: 0, range: 256 }],
    },
  ]);
  const commandPool = device.createCommandPool({
    flags: options.poolFlags ?? VkCommandPoolCreateFlagBits.VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
    queueFamilyIndex: family,
  });
  const [commandBuffer] = device.allocateCommandBuffers({ commandPool, commandBufferCount: 1 });
  const fence = device.createFence();

  /** Records bind pipeline, bind set, push constants, dispatch into `cb`. */
  const recordDispatch = (cb: CommandBuffer = commandBuffer!, flags = 0) => {
    device.beginCommandBuffer(cb, { flags });
    device.cmdBindPipeline(cb, BIND_COMPUTE, pipeline!);
    device.cmdBindDescriptorSets(cb, BIND_COMPUTE, pipelineLayout, 0, [set!]);
    device.cmdPushConstants(cb, pipelineLayout, COMPUTE, 0, new Uint8Array(16));
    device.cmdDispatch(cb, 1, 1, 1);
    device.endCommandBuffer(cb);
  };

  return {
    instance,
    device,
    bare,
    backend,
    family,
    queue,
    memory,
    buffer,
    module,
    setLayout,
    pipelineLayout,
    pipeline: pipeline!,
    descriptorPool,
    set: set!,
    commandPool,
    commandBuffer: commandBuffer!,
    fence,
    recordDispatch,
    /** Records the dispatch and submits it with the fence. */
    submit() {
      recordDispatch();
      device.queueSubmit(queue, [{ commandBuffers: [commandBuffer!] }], fence);
    },
  };
}

/** The error `act` throws (fails the test when it does not throw). */
export function thrown(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}
