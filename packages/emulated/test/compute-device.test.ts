/** The compute commands end to end: the public Device (the checked front) over the emulated backend. */
import { describe, expect, it } from 'vitest';
import {
  VK_WHOLE_SIZE,
  VkBufferUsageFlagBits,
  VkmapStateError,
  type CommandBuffer,
  type Device,
  type DeviceMemory,
} from '@vkmap/core';
import { createEmulatedInstance, type EmulatedDevice } from '@vkmap/emulated';
import { bytesOf } from './compute-fixtures.js';

const TRANSFER =
  VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_DST_BIT;
const STORAGE = VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
/** Memory types of qualcomm-adreno-turnip. */
const COHERENT = 0;
const NON_COHERENT = 1;
const SIZE = 4096;
/** Transfer writes made available to host reads (a fence alone makes them available to the device only). */
const TRANSFER_TO_HOST = {
  srcStageMask: 0x1000,
  dstStageMask: 0x4000,
  memoryBarriers: [{ srcAccessMask: 0x1000, dstAccessMask: 0x2000 }],
};

function deviceOf(profile: string, validation = false, shaderExecutor?: null): EmulatedDevice | Device {
  const physicalDevice = createEmulatedInstance({ profiles: [profile] }).enumeratePhysicalDevices()[0]!;
  return validation
    ? physicalDevice.createDevice({ validation: true, shaderExecutor })
    : physicalDevice.createEmulatedDevice({ shaderExecutor });
}

/** A buffer of `size` bytes in memory of its own, of type `memoryTypeIndex`. */
function bufferIn(device: Device, memoryTypeIndex: number, size: number, usage = TRANSFER) {
  const buffer = device.createBuffer({ size, usage });
  const requirements = device.getBufferMemoryRequirements(buffer);
  expect(requirements.memoryTypeBits & (1 << memoryTypeIndex)).not.toBe(0);
  const memory = device.allocateMemory({ allocationSize: requirements.size, memoryTypeIndex });
  device.bindBufferMemory(buffer, memory, 0);
  return { buffer, memory };
}

/** Records into a one-time command buffer, submits it to queue 0 of `family` with a fence, and waits. */
function submitAndWait(device: Device, family: number, record: (commandBuffer: CommandBuffer) => void) {
  const pool = device.createCommandPool({ queueFamilyIndex: family });
  const [commandBuffer] = device.allocateCommandBuffers({ commandPool: pool, commandBufferCount: 1 });
  device.beginCommandBuffer(commandBuffer!, { flags: 0x1 });
  record(commandBuffer!);
  device.endCommandBuffer(commandBuffer!);
  const fence = device.createFence();
  device.queueSubmit(device.getDeviceQueue(family, 0), [{ commandBuffers: [commandBuffer!] }], fence);
  expect(device.waitForFences([fence], true, VK_WHOLE_SIZE)).toBe('VK_SUCCESS');
  device.destroyFence(fence);
  device.destroyCommandPool(pool);
}

function roundTrip(validation: boolean, options: { readonly flush: boolean; readonly invalidate: boolean }) {
  const device = deviceOf('qualcomm-adreno-turnip', validation);
  const upload = bufferIn(device, NON_COHERENT, SIZE);
  const middle = bufferIn(device, COHERENT, SIZE);
  const readback = bufferIn(device, NON_COHERENT, SIZE);
  const uploadView = device.mapMemory(upload.memory, 0, VK_WHOLE_SIZE).data;
  const readbackView = device.mapMemory(readback.memory, 0, VK_WHOLE_SIZE).data;
  const whole = (memory: DeviceMemory) => [{ memory, offset: 0, size: VK_WHOLE_SIZE }];
  uploadView.set(bytesOf(SIZE, 1));
  device.flushMappedMemoryRanges(whole(upload.memory));
  readbackView.set(bytesOf(SIZE, 1));
  device.flushMappedMemoryRanges(whole(readback.memory));

  uploadView.set(bytesOf(SIZE, 2));
  if (options.flush) device.flushMappedMemoryRanges(whole(upload.memory));
  const all = [{ srcOffset: 0, dstOffset: 0, size: SIZE }];
  submitAndWait(device, 0, (commandBuffer) => {
    device.cmdCopyBuffer(commandBuffer, upload.buffer, middle.buffer, all);
    device.cmdPipelineBarrier(commandBuffer, {
      srcStageMask: 0x1000,
      dstStageMask: 0x1000,
      memoryBarriers: [{ srcAccessMask: 0x1000, dstAccessMask: 0x800 }],
    });
    device.cmdCopyBuffer(commandBuffer, middle.buffer, readback.buffer, all);
    device.cmdPipelineBarrier(commandBuffer, TRANSFER_TO_HOST);
  });
  if (options.invalidate) device.invalidateMappedMemoryRanges(whole(readback.memory));
  return readbackView.slice();
}

describe.each([false, true])('compute through the public Device (validation layer: %s)', (validation) => {
  it('flush, copy there and back, invalidate: the host reads what it wrote', () => {
    expect(roundTrip(validation, { flush: true, invalidate: true })).toEqual(bytesOf(SIZE, 2));
  });

  it('without the flush: stale data (the validation layer refuses the submission: VKMAP-HOST-unflushed-write)', () => {
    if (validation)
      expect(() => roundTrip(validation, { flush: false, invalidate: true })).toThrow(/VKMAP-HOST-unflushed-write/);
    else expect(roundTrip(validation, { flush: false, invalidate: true })).toEqual(bytesOf(SIZE, 1));
  });

  it('without the invalidate: stale data', () => {
    expect(roundTrip(validation, { flush: true, invalidate: false })).toEqual(bytesOf(SIZE, 1));
  });

  it('fillBuffer to VK_WHOLE_SIZE, seen through a coherent mapping', () => {
    const device = deviceOf('qualcomm-adreno-turnip', validation);
    const target = bufferIn(device, COHERENT, 64);
    const view = device.mapMemory(target.memory, 0, VK_WHOLE_SIZE).data;
    submitAndWait(device, 0, (commandBuffer) =>
      device.cmdFillBuffer(commandBuffer, target.buffer, 8, VK_WHOLE_SIZE, 0x11223344),
    );
    expect([...view.subarray(4, 12)]).toEqual([0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11]);
    expect([...view.subarray(60)]).toEqual([0x44, 0x33, 0x22, 0x11]);
  });

  it('a device of a profile whose family 0 cannot compute gets its default queue on the compute family', () => {
    const device = deviceOf('stress', validation);
    const queue = device.getDeviceQueue(1, 0);
    expect(queue.queueFamilyIndex).toBe(1);
    const target = bufferIn(device, 1, 256);
    submitAndWait(device, 1, (commandBuffer) => {
      device.cmdFillBuffer(commandBuffer, target.buffer, 0, 256, 5);
      device.cmdPipelineBarrier(commandBuffer, TRANSFER_TO_HOST);
    });
    const view = device.mapMemory(target.memory, 0, VK_WHOLE_SIZE).data;
    expect(view[252]).toBe(5);
  });

  it('without a shader executor, cmdDispatch records and the submission is refused, changing nothing', () => {
    const device = deviceOf('lavapipe', validation, null);
    const target = bufferIn(device, 0, 256, TRANSFER | STORAGE);
    const view = device.mapMemory(target.memory, 0, VK_WHOLE_SIZE).data;
    const setLayout = device.createDescriptorSetLayout({
      bindings: [{ binding: 0, descriptorType: 7, descriptorCount: 1, stageFlags: 0x20 }],
    });
    const layout = device.createPipelineLayout({ setLayouts: [setLayout] });
    const module = device.createShaderModule({ code: Uint32Array.of(0x07230203, 0x00010000, 0, 1, 0) });
    const [pipeline] = device.createComputePipelines([{ stage: { stage: 0x20, module, name: 'main' }, layout }]);
    const pool = device.createDescriptorPool({ maxSets: 1, poolSizes: [{ type: 7, descriptorCount: 1 }] });
    const [set] = device.allocateDescriptorSets({ descriptorPool: pool, setLayouts: [setLayout] });
    device.updateDescriptorSets([
      {
        dstSet: set!,
        dstBinding: 0,
        descriptorType: 7,
        bufferInfo: [{ buffer: target.buffer, offset: 0, range: VK_WHOLE_SIZE }],
      },
    ]);
    const commandPool = device.createCommandPool({ queueFamilyIndex: 0 });
    const [commandBuffer] = device.allocateCommandBuffers({ commandPool, commandBufferCount: 1 });
    device.beginCommandBuffer(commandBuffer!);
    device.cmdFillBuffer(commandBuffer!, target.buffer, 0, 256, 0xffffffff);
    device.cmdBindPipeline(commandBuffer!, 1, pipeline!);
    device.cmdBindDescriptorSets(commandBuffer!, 1, layout, 0, [set!]);
    device.cmdDispatch(commandBuffer!, 1, 1, 1);
    device.endCommandBuffer(commandBuffer!);
    const fence = device.createFence();
    expect(() =>
      device.queueSubmit(device.getDeviceQueue(0, 0), [{ commandBuffers: [commandBuffer!] }], fence),
    ).toThrow(/cmdDispatch: the emulated backend does not execute SPIR-V yet/);
    expect(() =>
      device.queueSubmit(device.getDeviceQueue(0, 0), [{ commandBuffers: [commandBuffer!] }], fence),
    ).toThrow(VkmapStateError);
    expect(view.every((byte) => byte === 0)).toBe(true);
    expect(device.getFenceStatus(fence)).toBe('VK_NOT_READY');
    expect(device.waitForFences([fence], true, 0)).toBe('VK_TIMEOUT');
  });

  it('a descriptor pool past its sets or descriptors fails with VK_ERROR_OUT_OF_POOL_MEMORY', () => {
    const device = deviceOf('arm-mali-g78', validation);
    const setLayout = device.createDescriptorSetLayout({
      bindings: [{ binding: 0, descriptorType: 7, descriptorCount: 2, stageFlags: 0x20 }],
    });
    const pool = device.createDescriptorPool({ maxSets: 2, poolSizes: [{ type: 7, descriptorCount: 3 }] });
    device.allocateDescriptorSets({ descriptorPool: pool, setLayouts: [setLayout] });
    expect(() => device.allocateDescriptorSets({ descriptorPool: pool, setLayouts: [setLayout] })).toThrow(
      expect.objectContaining({ name: 'VkError', result: 'VK_ERROR_OUT_OF_POOL_MEMORY' }),
    );
  });

  it('waitForFencesAsync resolves without blocking', async () => {
    const device = deviceOf('lavapipe', validation);
    const fence = device.createFence({ flags: 0x1 });
    await expect(device.waitForFencesAsync([fence], true, VK_WHOLE_SIZE)).resolves.toBe('VK_SUCCESS');
  });
});
