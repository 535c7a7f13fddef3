import { describe, expect, it } from 'vitest';
import {
  VkBufferUsageFlagBits,
  VkError,
  VkMemoryPropertyFlagBits,
  VkmapArgumentError,
  VkmapStateError,
  type Buffer,
  type Device,
} from '@vkmap/core';
import { AllocationCreateFlagBits as F, createAllocator } from '@vkmap/allocator';
import { copyOnDevice, flagsOf, makeDevice, pattern, roundTrip, submitOnce } from './fixtures.js';

const { VK_BUFFER_USAGE_TRANSFER_SRC_BIT: SRC, VK_BUFFER_USAGE_TRANSFER_DST_BIT: DST } = VkBufferUsageFlagBits;
const STORAGE = VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
/** Not a multiple of any atom or alignment. */
const SIZE = 4096 + 123;
const {
  VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT: DEVICE_LOCAL,
  VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT: HOST_VISIBLE,
  VK_MEMORY_PROPERTY_HOST_COHERENT_BIT: HOST_COHERENT,
  VK_MEMORY_PROPERTY_HOST_CACHED_BIT: HOST_CACHED,
} = VkMemoryPropertyFlagBits;

/** A device whose createBuffer / destroyBuffer calls are counted, with `bindBufferMemory` optionally broken. */
function countingDevice(device: Device, failBind = false) {
  const created: Buffer[] = [];
  const destroyed: Buffer[] = [];
  const proxy = new Proxy(device, {
    get(target, key) {
      if (key === 'createBuffer')
        return (info: Parameters<Device['createBuffer']>[0]) => {
          const buffer = target.createBuffer(info);
          created.push(buffer);
          return buffer;
        };
      if (key === 'destroyBuffer')
        return (buffer: Buffer | null) => {
          target.destroyBuffer(buffer);
          if (buffer) destroyed.push(buffer);
        };
      if (key === 'bindBufferMemory' && failBind)
        return () => {
          throw new VkError('vkBindBufferMemory', 'VK_ERROR_OUT_OF_DEVICE_MEMORY', 'injected by the test');
        };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { device: proxy as Device, created, destroyed };
}

describe('createBuffer / destroyBuffer (vmaCreateBuffer / vmaDestroyBuffer) on the emulator', () => {
  it.each(['stress', 'arm-mali-g78', 'nvidia-rtx3060-rebar', 'amd-radv-rx580-smallbar', 'lavapipe'])(
    '%s: filled through a persistent mapping (coherent and not), copied on the device, read back through a mapping',
    (profile) => {
      const device = makeDevice(profile);
      const allocator = createAllocator(device);
      for (const uploadFlags of [F.HOST_ACCESS_SEQUENTIAL_WRITE, F.HOST_ACCESS_RANDOM]) {
        const [upload, , readback] = roundTrip(device, allocator, uploadFlags);
        expect(upload! & HOST_VISIBLE).toBe(HOST_VISIBLE);
        expect(readback! & (HOST_VISIBLE | HOST_CACHED)).toBe(HOST_VISIBLE | HOST_CACHED);
      }
      allocator.destroy();
      device.destroy();
    },
  );

  it('covers non-coherent uploads and readbacks: the stress and Mali profiles choose HOST_CACHED types without HOST_COHERENT', () => {
    for (const profile of ['stress', 'arm-mali-g78']) {
      const device = makeDevice(profile);
      const allocator = createAllocator(device);
      const [upload, , readback] = roundTrip(device, allocator, F.HOST_ACCESS_RANDOM);
      expect(upload! & HOST_COHERENT).toBe(0);
      expect(readback! & HOST_COHERENT).toBe(0);
      allocator.destroy();
      device.destroy();
    }
  });

  it('reads "does the device use it" from the buffer usage, as VMA does (ReBAR profile)', () => {
    const device = makeDevice('nvidia-rtx3060-rebar'); // 3: HV|HC, 4: HV|HC|HCACHED, 5: DL|HV|HC
    const allocator = createAllocator(device);
    const sequential = { flags: F.HOST_ACCESS_SEQUENTIAL_WRITE | F.MAPPED };
    // A staging buffer (transfers only) goes to system memory; a storage buffer the host writes goes to the BAR.
    const staging = allocator.createBuffer({ size: SIZE, usage: SRC }, sequential);
    const uniform = allocator.createBuffer({ size: SIZE, usage: STORAGE | DST }, sequential);
    const gpuOnly = allocator.createBuffer({ size: SIZE, usage: STORAGE | DST });
    expect(flagsOf(device, staging.allocation.memoryTypeIndex)).toBe(HOST_VISIBLE | HOST_COHERENT);
    expect(flagsOf(device, uniform.allocation.memoryTypeIndex)).toBe(DEVICE_LOCAL | HOST_VISIBLE | HOST_COHERENT);
    expect(flagsOf(device, gpuOnly.allocation.memoryTypeIndex)).toBe(DEVICE_LOCAL);
    // The same choice as findMemoryTypeIndex with deviceAccess said explicitly.
    const bits = device.getBufferMemoryRequirements(staging.buffer).memoryTypeBits;
    expect(staging.allocation.memoryTypeIndex).toBe(
      allocator.findMemoryTypeIndex(bits, { ...sequential, deviceAccess: false }),
    );
    expect(uniform.allocation.memoryTypeIndex).toBe(allocator.findMemoryTypeIndex(bits, sequential));
    expect(gpuOnly.allocation.mappedData).toBeUndefined(); // not MAPPED
    for (const { buffer, allocation } of [staging, uniform, gpuOnly]) allocator.destroyBuffer(buffer, allocation);
    allocator.destroy();
  });

  it("binds buffers sharing a block at their allocations' offsets, aligned to the requirements and the atom", () => {
    const device = makeDevice('stress'); // nonCoherentAtomSize 256
    const allocator = createAllocator(device);
    const info = { flags: F.HOST_ACCESS_RANDOM | F.MAPPED }; // type 2: HOST_VISIBLE | HOST_CACHED, not coherent
    const made = [100, 3000, 40, 700].map((size) => allocator.createBuffer({ size, usage: SRC | DST | STORAGE }, info));
    expect(new Set(made.map(({ allocation }) => allocation.memory)).size).toBe(1);
    for (const { buffer, allocation } of made) {
      const { alignment } = device.getBufferMemoryRequirements(buffer);
      expect(allocation.offset % alignment).toBe(0n);
      expect(allocation.offset % 256n).toBe(0n);
      expect(allocation.isDedicated).toBe(false);
    }
    // Each buffer's bytes are its own: copy buffer 1 into buffer 3 and see exactly buffer 1's bytes there.
    const [, second, , fourth] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0], (typeof made)[0]];
    second.allocation.mappedData!.set(pattern(3000, 9));
    allocator.flushAllocation(second.allocation);
    copyOnDevice(device, second.buffer, fourth.buffer, 700);
    allocator.invalidateAllocation(fourth.allocation);
    expect(fourth.allocation.mappedData!.subarray(0, 700)).toEqual(pattern(3000, 9).subarray(0, 700));
    // A large buffer, or DEDICATED_MEMORY, gets memory of its own, bound at offset 0.
    const dedicated = allocator.createBuffer(
      { size: 64, usage: SRC },
      { ...info, flags: info.flags | F.DEDICATED_MEMORY },
    );
    expect(dedicated.allocation.isDedicated).toBe(true);
    expect(dedicated.allocation.offset).toBe(0n);
    for (const { buffer, allocation } of [...made, dedicated]) allocator.destroyBuffer(buffer, allocation);
    allocator.destroy();
  });

  it('refuses a deviceAccess in the allocation info and bad arguments before creating anything', () => {
    const { device, created } = countingDevice(makeDevice('stress'));
    const allocator = createAllocator(device);
    expect(() => allocator.createBuffer({ size: 64, usage: SRC }, { deviceAccess: false })).toThrow(VkmapArgumentError);
    expect(() => allocator.createBuffer({ size: 64, usage: SRC }, { flags: F.MAPPED })).toThrow(VkmapArgumentError);
    expect(() => allocator.createBuffer(null as never)).toThrow(VkmapArgumentError);
    expect(created).toHaveLength(0);
    // The device's own checks of the create info, with the parameter named.
    expect(() => allocator.createBuffer({ size: 0, usage: SRC })).toThrow(/pCreateInfo\.size/);
    allocator.destroy();
  });

  it('leaves nothing behind when the allocation fails: the buffer is destroyed', () => {
    const bare = makeDevice('stress');
    const { device, created, destroyed } = countingDevice(bare);
    const allocator = createAllocator(device);
    bare.faults.setHeapBudget(1, 0n);
    bare.faults.setHeapBudget(0, 0n);
    expect(() => allocator.createBuffer({ size: 4096, usage: SRC }, { flags: F.HOST_ACCESS_RANDOM })).toThrow(VkError);
    expect(created).toHaveLength(1);
    expect(destroyed).toEqual(created);
    expect(allocator.allocationCount).toBe(0);
    allocator.destroy();
  });

  it('leaves nothing behind when binding fails: the allocation is freed (and unmapped), the buffer destroyed', () => {
    const bare = makeDevice('stress');
    const { device, created, destroyed } = countingDevice(bare, true);
    const allocator = createAllocator(device, { mappingHysteresis: false });
    const before = bare.allocationCount;
    expect(() =>
      allocator.createBuffer({ size: 4096, usage: SRC }, { flags: F.HOST_ACCESS_RANDOM | F.MAPPED }),
    ).toThrow(/injected by the test/);
    expect(destroyed).toEqual(created);
    expect(allocator.allocationCount).toBe(0);
    expect(allocator.calculateStatistics().total.statistics.allocationCount).toBe(0);
    allocator.destroy();
    expect(bare.allocationCount).toBe(before);
  });

  it('destroyBuffer checks the pair and the mapping first; a buffer in use by pending work is refused, changing nothing', () => {
    const device = makeDevice('stress');
    const allocator = createAllocator(device);
    const a = allocator.createBuffer({ size: 256, usage: SRC | DST }, { flags: F.HOST_ACCESS_RANDOM | F.MAPPED });
    const b = allocator.createBuffer({ size: 256, usage: SRC | DST }, { flags: F.HOST_ACCESS_RANDOM | F.MAPPED });
    expect(() => allocator.destroyBuffer(a.buffer, b.allocation)).toThrow(VkmapArgumentError);
    allocator.mapMemory(a.allocation);
    expect(() => allocator.destroyBuffer(a.buffer, a.allocation)).toThrow(VkmapStateError);
    allocator.unmapMemory(a.allocation);
    expect(allocator.allocationCount).toBe(2);
    expect(device.getBufferMemoryRequirements(a.buffer).size).toBeGreaterThanOrEqual(256n); // still alive

    const pending = submitOnce(device, (commandBuffer) =>
      device.cmdCopyBuffer(commandBuffer, a.buffer, b.buffer, [{ srcOffset: 0, dstOffset: 0, size: 256 }]),
    );
    expect(() => allocator.destroyBuffer(a.buffer, a.allocation)).toThrow(VkmapStateError);
    expect(a.allocation.isFreed).toBe(false);
    pending.finish();
    allocator.destroyBuffer(a.buffer, a.allocation);
    expect(a.allocation.isFreed).toBe(true);
    expect(() => allocator.destroyBuffer(null, a.allocation)).toThrow(VkmapStateError); // freed already

    // Either may be null, as in vmaDestroyBuffer.
    allocator.destroyBuffer(null, null);
    allocator.destroyBuffer(b.buffer, null);
    allocator.destroyBuffer(null, b.allocation);
    allocator.destroy();
  });
});
