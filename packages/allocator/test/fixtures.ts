import { expect } from 'vitest';
import { AllocationCreateFlagBits as F, type Allocator } from '@vkmap/allocator';
import {
  VkAccessFlagBits,
  VkBufferUsageFlagBits,
  VkPipelineStageFlagBits,
  VkQueueFlagBits,
  type Buffer,
  type CommandBuffer,
  type Device,
  type Fence,
} from '@vkmap/core';
import { createEmulatedInstance, type EmulatedDevice } from '@vkmap/emulated';
import { NO_SPACE, type BlockAlgorithm } from '@vkmap/allocator';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** An emulated device of a built-in profile, with its fault injector; `views` as createDevice takes it. */
export function makeDevice(profile: string, seed = 1, views?: 'stable' | 'detach'): EmulatedDevice {
  return createEmulatedInstance({ profiles: [profile], seed })
    .enumeratePhysicalDevices()[0]!
    .createEmulatedDevice(views === undefined ? {} : { views });
}

export function pattern(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return bytes;
}

/** Checks that the regions of a block tile [0, size) exactly and that the totals match them. */
export function checkTiling(algorithm: BlockAlgorithm): { allocations: number; freeRanges: number } {
  let cursor = 0;
  let allocated = 0;
  let allocations = 0;
  let freeBytes = 0;
  let freeRanges = 0;
  let previousFree = false;
  algorithm.forEachRegion((offset, size, handle) => {
    if (offset !== cursor) throw new Error(`region at ${offset} does not start where the previous ended (${cursor})`);
    if (size <= 0) throw new Error(`empty region at ${offset}`);
    cursor = offset + size;
    if (handle === NO_SPACE) {
      if (previousFree && algorithm.name === 'tlsf')
        throw new Error(`two free ranges touch at ${offset}: they should have merged`);
      freeBytes += size;
      freeRanges += 1;
      previousFree = true;
    } else {
      allocated += size;
      allocations += 1;
      previousFree = false;
    }
  });
  if (cursor !== algorithm.size) throw new Error(`regions end at ${cursor}, the block at ${algorithm.size}`);
  if (allocated !== algorithm.allocatedBytes)
    throw new Error(`allocatedBytes ${algorithm.allocatedBytes} but regions hold ${allocated}`);
  if (freeBytes !== algorithm.freeBytes)
    throw new Error(`freeBytes ${algorithm.freeBytes} but free regions hold ${freeBytes}`);
  if (allocations !== algorithm.allocationCount)
    throw new Error(`allocationCount ${algorithm.allocationCount} but ${allocations} regions`);
  if (freeRanges !== algorithm.freeRangeCount)
    throw new Error(`freeRangeCount ${algorithm.freeRangeCount} but ${freeRanges} free regions`);
  return { allocations, freeRanges };
}

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/** The queue family a device made without queueCreateInfos has its queue in: the first with COMPUTE. */
export function computeFamily(device: Device): number {
  const families = device.physicalDevice.getQueueFamilyProperties();
  const index = families.findIndex((f) => (f.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT) !== 0);
  if (index < 0) throw new Error('the device has no COMPUTE queue family');
  return index;
}

/**
 * Records one command buffer with `record`, submits it with a fence and returns the fence and a `finish`
 * that waits for it (without a time limit) and destroys what was made.
 */
export function submitOnce(
  device: Device,
  record: (commandBuffer: CommandBuffer) => void,
): { readonly fence: Fence; finish(): void } {
  const family = computeFamily(device);
  const pool = device.createCommandPool({ queueFamilyIndex: family });
  const [commandBuffer] = device.allocateCommandBuffers({ commandPool: pool, commandBufferCount: 1 });
  const fence = device.createFence();
  device.beginCommandBuffer(commandBuffer!);
  record(commandBuffer!);
  device.endCommandBuffer(commandBuffer!);
  device.queueSubmit(device.getDeviceQueue(family, 0), [{ commandBuffers: [commandBuffer!] }], fence);
  return {
    fence,
    finish() {
      if (device.waitForFences([fence], true, UINT64_MAX) !== 'VK_SUCCESS') throw new Error('the fence wait timed out');
      device.destroyFence(fence);
      device.destroyCommandPool(pool);
    },
  };
}

/** Copies `size` bytes from `src` to `dst` (from offset 0 of each) on the device, the writes made visible to host reads. */
export function copyOnDevice(device: Device, src: Buffer, dst: Buffer, size: number): void {
  submitOnce(device, (commandBuffer) => {
    device.cmdCopyBuffer(commandBuffer, src, dst, [{ srcOffset: 0, dstOffset: 0, size }]);
    device.cmdPipelineBarrier(commandBuffer, {
      srcStageMask: VkPipelineStageFlagBits.VK_PIPELINE_STAGE_TRANSFER_BIT,
      dstStageMask:
        VkPipelineStageFlagBits.VK_PIPELINE_STAGE_TRANSFER_BIT | VkPipelineStageFlagBits.VK_PIPELINE_STAGE_HOST_BIT,
      memoryBarriers: [
        {
          srcAccessMask: VkAccessFlagBits.VK_ACCESS_TRANSFER_WRITE_BIT,
          dstAccessMask: VkAccessFlagBits.VK_ACCESS_TRANSFER_READ_BIT | VkAccessFlagBits.VK_ACCESS_HOST_READ_BIT,
        },
      ],
    });
  }).finish();
}

const { VK_BUFFER_USAGE_TRANSFER_SRC_BIT: SRC, VK_BUFFER_USAGE_TRANSFER_DST_BIT: DST } = VkBufferUsageFlagBits;
const STORAGE = VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;

/** The round trip's buffer size: not a multiple of any atom or alignment, so the allocation's rounding shows. */
const SIZE = 4096 + 123;

/** The property flags of a memory type of `device`. */
export function flagsOf(device: Device, memoryTypeIndex: number): number {
  return device.physicalDevice.getMemoryProperties().memoryTypes[memoryTypeIndex]!.propertyFlags;
}

/**
 * Fills an upload buffer through its persistent mapping, copies it on the device into a device buffer and
 * from there into a readback buffer, and reads the bytes back through the readback buffer's mapping.
 * Returns the memory property flags of the three allocations.
 */
export function roundTrip(device: Device, allocator: Allocator, uploadFlags: number): number[] {
  const upload = allocator.createBuffer({ size: SIZE, usage: SRC }, { flags: uploadFlags | F.MAPPED });
  const onDevice = allocator.createBuffer({ size: SIZE, usage: STORAGE | SRC | DST });
  const readback = allocator.createBuffer({ size: SIZE, usage: DST }, { flags: F.HOST_ACCESS_RANDOM | F.MAPPED });
  try {
    const bytes = pattern(SIZE, uploadFlags);
    const view = upload.allocation.mappedData!;
    expect(view.byteLength).toBe(Number(upload.allocation.size)); // the buffer's requirements.size
    expect(view.byteLength).toBeGreaterThanOrEqual(SIZE);
    view.set(bytes); // byte 0 of the view is byte 0 of the buffer
    allocator.flushAllocation(upload.allocation, 0, SIZE);
    copyOnDevice(device, upload.buffer, onDevice.buffer, SIZE);
    copyOnDevice(device, onDevice.buffer, readback.buffer, SIZE);
    allocator.invalidateAllocation(readback.allocation, 0, SIZE);
    expect(readback.allocation.mappedData!.subarray(0, SIZE)).toEqual(bytes);
    return [upload, onDevice, readback].map(({ allocation }) => flagsOf(device, allocation.memoryTypeIndex));
  } finally {
    for (const { buffer, allocation } of [upload, onDevice, readback]) allocator.destroyBuffer(buffer, allocation);
  }
}

/**
 * Whether a view handed out over a mapping that has since ended is cut off from the memory: detached, or (on
 * emulated in 'detach' mode, a subarray ending before its window's end) over a window that was closed (shrunk
 * by a byte, its bytes given back to the memory), which no write reaches the memory through.
 */
export function isCutOff(view: Uint8Array, windowBytes: number): boolean {
  return view.length === 0 || view.buffer.byteLength < windowBytes;
}
