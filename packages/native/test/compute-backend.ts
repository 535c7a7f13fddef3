/**
 * The native compute tests' setup below the front: the addon through the backend's own marshalling
 * (NativePhysicalDeviceBackend.createDevice, NativeDeviceBackend), with the values the front would pass.
 * The shaders are test/shaders/*.comp, compiled to the .spv beside them.
 */
import { readFileSync } from 'node:fs';
import {
  makeApiVersion,
  noFeatures,
  VK_WHOLE_SIZE,
  VkMemoryPropertyFlagBits,
  VkQueueFlagBits,
  type DeviceRequest,
} from '@vkmap/core';
import { loadBinding } from '../src/binding.js';
import type { NativeBuffer } from '../src/compute/records.js';
import type { NativeDeviceBackend, NativeMemory } from '../src/device.js';
import { NativePhysicalDeviceBackend } from '../src/physical-device.js';

/** VKMAP_NATIVE_API_VERSION (e.g. "1.3") caps the instance, as in conformance.test.ts (khronos-crosscheck.sh). */
const cap = /^1\.(\d)$/.exec(process.env.VKMAP_NATIVE_API_VERSION ?? '');
const API_VERSION = cap ? makeApiVersion(0, 1, Number(cap[1]), 0) : makeApiVersion(0, 1, 4, 0);

/** SPIR-V words of test/shaders/<name>.spv. */
export function spirv(name: string): Uint32Array {
  const bytes = readFileSync(new URL(`./shaders/${name}.spv`, import.meta.url));
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export interface MappedBuffer {
  readonly buffer: NativeBuffer;
  readonly memory: NativeMemory;
  readonly size: bigint;
  /** The persistent mapping of the whole memory object, as 32-bit words. */
  readonly words: Uint32Array;
}

export interface ComputeFixture {
  readonly backend: NativeDeviceBackend;
  readonly physical: NativePhysicalDeviceBackend;
  readonly family: number;
  readonly memoryType: number;
  readonly coherent: boolean;
  /** A host-visible buffer of `size` bytes with its own memory, bound and persistently mapped. */
  mappedBuffer(size: number, usage: number): MappedBuffer;
  /** Flush (before the device reads) or invalidate (before the host reads) the whole mapping. */
  flush(target: MappedBuffer): void;
  invalidate(target: MappedBuffer): void;
  destroy(): void;
}

export function openCompute(): ComputeFixture {
  const binding = loadBinding();
  const instance = binding.createInstance(API_VERSION);
  const [description] = binding.enumeratePhysicalDevices(instance.id);
  const physical = new NativePhysicalDeviceBackend({ binding, id: instance.id }, 0, description!);
  const families = physical.description.queueFamilies;
  const family = families.findIndex((f) => (f.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT) !== 0);
  const apiVersion = Math.min(API_VERSION, physical.description.properties.apiVersion);
  const request: DeviceRequest = {
    apiVersion,
    extensions: new Set(),
    features: noFeatures(),
    queues: [{ queueFamilyIndex: family, priorities: [1] }],
    views: 'stable',
  };
  const backend = physical.createDevice(request);
  const types = physical.description.memoryProperties.memoryTypes;
  const memoryType = types.findIndex(
    (t) => (t.propertyFlags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) !== 0,
  );
  const coherent =
    (types[memoryType]!.propertyFlags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0;
  const range = (target: MappedBuffer) => [
    { memory: target.memory, offset: 0n, size: VK_WHOLE_SIZE, end: target.size },
  ];
  return {
    backend,
    physical,
    family,
    memoryType,
    coherent,
    mappedBuffer(size, usage) {
      const buffer = backend.createBuffer({ size: BigInt(size), usage });
      const requirements = backend.getBufferMemoryRequirements(buffer);
      const { memory } = backend.allocateMemory({
        size: requirements.size,
        memoryTypeIndex: memoryType,
        deviceMask: undefined,
      });
      backend.bindBufferMemory(buffer, memory, 0n);
      const { view } = backend.mapMemory(memory, {
        command: 'vkMapMemory',
        offset: 0n,
        requestedSize: VK_WHOLE_SIZE,
        size: requirements.size,
        placedAddress: undefined,
      });
      return { buffer, memory, size: requirements.size, words: new Uint32Array(view.buffer, 0, size / 4) };
    },
    // Flushing and invalidating HOST_COHERENT memory is allowed and does nothing, so the tests always do it:
    // the calls are exercised on lavapipe too, whose only memory type is coherent.
    flush: (target) => backend.flushMappedMemoryRanges(range(target)),
    invalidate: (target) => backend.invalidateMappedMemoryRanges(range(target)),
    destroy() {
      backend.destroy();
      binding.destroyInstance(instance.id);
    },
  };
}
