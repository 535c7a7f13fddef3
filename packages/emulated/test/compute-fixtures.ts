/**
 * The emulated device backend on its own, below the checked front: tests call it with resolved values, as the
 * front does, and so must meet its preconditions themselves.
 */
import {
  completeFeatures,
  VK_WHOLE_SIZE,
  VkBufferUsageFlagBits,
  VkQueueFlagBits,
  type DeviceRequest,
} from '@vkmap/core';
import { getBuiltInProfile, type DeviceProfile } from '@vkmap/emulated';
import type { EmulatedBuffer, EmulatedCommand, EmulatedFence } from '../src/compute/records.js';
import type { ShaderExecutor } from '../src/compute/shader-executor.js';
import type { EmulatedDeviceBackend } from '../src/device-backend.js';
import type { EmulatedMemory } from '../src/device-memory.js';
import { EmulatedPhysicalDeviceBackend } from '../src/physical-device.js';

export const TRANSFER_SRC = VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
export const TRANSFER_DST = VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_DST_BIT;
export const STORAGE = VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
export const UNIFORM = VkBufferUsageFlagBits.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT;
export const TRANSFER = TRANSFER_SRC | TRANSFER_DST;

export interface BackendFixture {
  readonly physical: EmulatedPhysicalDeviceBackend;
  readonly backend: EmulatedDeviceBackend;
  /** The family the device's one queue belongs to: the first with VK_QUEUE_COMPUTE_BIT. */
  readonly family: number;
}

/** The first queue family with VK_QUEUE_COMPUTE_BIT, as the front picks when the application names none. */
export function firstComputeFamily(physical: EmulatedPhysicalDeviceBackend): number {
  return physical.description.queueFamilies.findIndex(
    (family) => (family.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT) !== 0,
  );
}

/** A device backend of `profile` with one queue of its first compute family. */
export function makeBackend(
  profile: string | DeviceProfile,
  options: { readonly shaderExecutor?: ShaderExecutor; readonly queues?: DeviceRequest['queues'] } = {},
): BackendFixture {
  const physical = new EmulatedPhysicalDeviceBackend(
    typeof profile === 'string' ? getBuiltInProfile(profile) : profile,
    1,
    0,
  );
  const family = firstComputeFamily(physical);
  const request: DeviceRequest = {
    apiVersion: physical.description.properties.apiVersion,
    extensions: new Set(),
    features: completeFeatures({}),
    queues: options.queues ?? [{ queueFamilyIndex: family, priorities: [1] }],
    views: 'stable',
  };
  return { physical, backend: physical.createDevice(request, 1, options.shaderExecutor), family };
}

export function allocate(fixture: BackendFixture, memoryTypeIndex: number, size: number): EmulatedMemory {
  const { memoryTypes } = fixture.physical.description.memoryProperties;
  return fixture.backend.allocateMemory({
    size: BigInt(size),
    memoryTypeIndex,
    heapIndex: memoryTypes[memoryTypeIndex]!.heapIndex,
  }).memory;
}

/** Maps the whole of `memory` (vkMapMemory with VK_WHOLE_SIZE) and returns the view. */
export function mapWhole(fixture: BackendFixture, memory: EmulatedMemory): Uint8Array {
  return fixture.backend.mapMemory(memory, {
    command: 'vkMapMemory',
    offset: 0n,
    requestedSize: VK_WHOLE_SIZE,
    size: memory.size,
    placedAddress: undefined,
  }).view;
}

/** Flushes (or invalidates) the whole mapping of `memory`. */
export function flushWhole(fixture: BackendFixture, memory: EmulatedMemory, invalidate = false): void {
  const range = { memory, offset: 0n, size: VK_WHOLE_SIZE, end: memory.size };
  if (invalidate) fixture.backend.invalidateMappedMemoryRanges([range]);
  else fixture.backend.flushMappedMemoryRanges([range]);
}

/** A buffer of `size` bytes bound at `offset` of `memory`. */
export function boundBuffer(
  fixture: BackendFixture,
  memory: EmulatedMemory,
  size: number,
  usage: number = TRANSFER,
  offset = 0n,
): EmulatedBuffer {
  const buffer = fixture.backend.createBuffer({ size: BigInt(size), usage });
  fixture.backend.bindBufferMemory(buffer, memory, offset);
  return buffer;
}

/**
 * Records `commands` into a new command buffer of a new pool, submits it (with `fence` if given) and waits for
 * the queue to go idle, which is when the emulated queue runs it.
 */
export function run(
  fixture: BackendFixture,
  commands: readonly EmulatedCommand[],
  fence?: EmulatedFence,
  usageFlags = 0,
) {
  const { backend, family } = fixture;
  const pool = backend.createCommandPool({ flags: 0, queueFamilyIndex: family });
  const [commandBuffer] = backend.allocateCommandBuffers(pool, 1);
  backend.recordCommandBuffer(commandBuffer!, usageFlags, commands);
  backend.queueSubmit(backend.getQueue(family, 0), [[commandBuffer!]], fence);
  backend.queueWaitIdle(backend.getQueue(family, 0));
  return commandBuffer!;
}

export function copy(
  src: EmulatedBuffer,
  dst: EmulatedBuffer,
  size: number,
  srcOffset = 0,
  dstOffset = 0,
): EmulatedCommand {
  return {
    kind: 'copyBuffer',
    src,
    dst,
    regions: [{ srcOffset: BigInt(srcOffset), dstOffset: BigInt(dstOffset), size: BigInt(size) }],
  };
}

export function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 13 + seed * 29 + 1) & 0xff);
}
