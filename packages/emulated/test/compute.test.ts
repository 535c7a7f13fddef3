import { describe, expect, it } from 'vitest';
import { VkError, VkmapStateError } from '@vkmap/core';
import {
  allocate,
  boundBuffer,
  bytesOf,
  copy,
  flushWhole,
  makeBackend,
  mapWhole,
  run,
  STORAGE,
  TRANSFER,
  UNIFORM,
} from './compute-fixtures.js';

/** Memory types of qualcomm-adreno-turnip. */
const TURNIP_COHERENT = 0;
const TURNIP_NON_COHERENT = 1;
const SIZE = 4096;

/**
 * The scenario on non-coherent hardware: the host fills a buffer through a persistent mapping of
 * non-coherent memory, the device copies it to a second buffer in other memory and back into a third, mapped
 * persistently, and the host reads it there.
 */
function roundTrip(options: { readonly flush: boolean; readonly invalidate: boolean }) {
  const fixture = makeBackend('qualcomm-adreno-turnip');
  const uploadMemory = allocate(fixture, TURNIP_NON_COHERENT, SIZE);
  const middleMemory = allocate(fixture, TURNIP_COHERENT, 2 * SIZE);
  const readbackMemory = allocate(fixture, TURNIP_NON_COHERENT, SIZE);
  const upload = mapWhole(fixture, uploadMemory);
  const readback = mapWhole(fixture, readbackMemory);
  const oldBytes = bytesOf(SIZE, 1);
  const newBytes = bytesOf(SIZE, 2);
  // Both ends start out agreeing on oldBytes, as after an earlier round trip.
  upload.set(oldBytes);
  flushWhole(fixture, uploadMemory);
  readback.set(oldBytes);
  flushWhole(fixture, readbackMemory);

  upload.set(newBytes);
  if (options.flush) flushWhole(fixture, uploadMemory);
  const src = boundBuffer(fixture, uploadMemory, SIZE);
  const middle = boundBuffer(fixture, middleMemory, SIZE, TRANSFER, BigInt(SIZE));
  const dst = boundBuffer(fixture, readbackMemory, SIZE);
  const fence = fixture.backend.createFence(false);
  run(fixture, [copy(src, middle, SIZE), copy(middle, dst, SIZE)], fence);
  expect(fixture.backend.getFenceStatus(fence)).toBe(true);
  if (options.invalidate) flushWhole(fixture, readbackMemory, true);
  return { readback, oldBytes, newBytes, fixture, readbackMemory };
}

describe('transfers against device-side bytes', () => {
  it('flush, copy, copy back, invalidate: the host reads what it wrote', () => {
    const { readback, newBytes } = roundTrip({ flush: true, invalidate: true });
    expect(readback).toEqual(newBytes);
  });

  it('without the flush the device copies the old bytes: the host reads stale data', () => {
    const { readback, oldBytes } = roundTrip({ flush: false, invalidate: true });
    expect(readback).toEqual(oldBytes);
  });

  it('without the invalidate the host keeps reading its cache: stale data, though the device has the new', () => {
    const { readback, oldBytes, newBytes, fixture, readbackMemory } = roundTrip({ flush: true, invalidate: false });
    expect(readback).toEqual(oldBytes);
    expect(fixture.backend.deviceRead(readbackMemory, 0, SIZE)).toEqual(newBytes);
  });

  it('coherent memory needs neither: the device sees host writes at once, and the host the device writes', () => {
    const fixture = makeBackend('qualcomm-adreno-turnip');
    const memory = allocate(fixture, TURNIP_COHERENT, 2 * SIZE);
    const view = mapWhole(fixture, memory);
    view.set(bytesOf(SIZE, 3));
    run(fixture, [
      copy(boundBuffer(fixture, memory, SIZE), boundBuffer(fixture, memory, SIZE, TRANSFER, BigInt(SIZE)), SIZE),
    ]);
    expect(view.subarray(SIZE)).toEqual(bytesOf(SIZE, 3));
  });

  it('fillBuffer writes its 32-bit word little-endian over [offset, offset + size) and nothing else', () => {
    const fixture = makeBackend('qualcomm-adreno-turnip');
    const memory = allocate(fixture, TURNIP_NON_COHERENT, 256);
    const buffer = boundBuffer(fixture, memory, 256);
    run(fixture, [{ kind: 'fillBuffer', dst: buffer, offset: 8n, size: 12n, data: 0xa1b2c3d4 }]);
    const seen = fixture.backend.deviceRead(memory, 0, 32);
    expect([...seen.subarray(8, 20)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1, 0xd4, 0xc3, 0xb2, 0xa1, 0xd4, 0xc3, 0xb2, 0xa1]);
    expect(seen.subarray(0, 8).every((b) => b === 0)).toBe(true);
    expect(seen.subarray(20).every((b) => b === 0)).toBe(true);
  });

  it('fillBuffer of many words fills them all', () => {
    const fixture = makeBackend('lavapipe');
    const memory = allocate(fixture, 0, 1000);
    const buffer = boundBuffer(fixture, memory, 1000);
    run(fixture, [{ kind: 'fillBuffer', dst: buffer, offset: 4n, size: 996n, data: 0x01020304 }]);
    const words = new DataView(fixture.backend.deviceRead(memory, 4, 996).buffer);
    for (let i = 0; i < 996; i += 4) expect(words.getUint32(i, true)).toBe(0x01020304);
  });

  it('copies a buffer onto itself as memmove does when a region overlaps (undefined in the specification)', () => {
    const fixture = makeBackend('lavapipe');
    const memory = allocate(fixture, 0, 64);
    fixture.backend.deviceWrite(memory, 0, bytesOf(64, 4));
    const buffer = boundBuffer(fixture, memory, 64);
    run(fixture, [copy(buffer, buffer, 32, 0, 8)]);
    const seen = fixture.backend.deviceRead(memory, 0, 64);
    expect(seen.subarray(8, 40)).toEqual(bytesOf(64, 4).subarray(0, 32));
    expect(seen.subarray(0, 8)).toEqual(bytesOf(64, 4).subarray(0, 8));
  });

  it('runs regions, commands, command buffers and submits in order, barriers included', () => {
    const fixture = makeBackend('stress');
    const { backend, family } = fixture;
    const memory = allocate(fixture, 1, 64);
    const buffer = boundBuffer(fixture, memory, 64);
    const pool = backend.createCommandPool({ flags: 0, queueFamilyIndex: family });
    const [first, second, third] = backend.allocateCommandBuffers(pool, 3);
    const barrier = {
      kind: 'pipelineBarrier',
      srcStageMask: 0x1000,
      dstStageMask: 0x1000,
      dependencyFlags: 0,
      memoryBarriers: [{ srcAccessMask: 0x1000, dstAccessMask: 0x800 }],
      bufferMemoryBarriers: [],
    } as const;
    backend.recordCommandBuffer(first!, 0, [
      { kind: 'fillBuffer', dst: buffer, offset: 0n, size: 4n, data: 1 },
      barrier,
      copy(buffer, buffer, 4, 0, 4),
    ]);
    backend.recordCommandBuffer(second!, 0, [{ kind: 'fillBuffer', dst: buffer, offset: 0n, size: 4n, data: 2 }]);
    backend.recordCommandBuffer(third!, 0, [
      {
        kind: 'copyBuffer',
        src: buffer,
        dst: buffer,
        regions: [
          { srcOffset: 0n, dstOffset: 8n, size: 4n },
          { srcOffset: 8n, dstOffset: 12n, size: 4n },
        ],
      },
    ]);
    backend.queueSubmit(backend.getQueue(family, 0), [[first!, second!], [third!]], undefined);
    backend.queueWaitIdle(backend.getQueue(family, 0));
    const words = new Uint32Array(backend.deviceRead(memory, 0, 16).buffer);
    expect([...words]).toEqual([2, 1, 2, 2]);
  });

  it('uses each buffer binding offset, and a command buffer can be submitted again', () => {
    const fixture = makeBackend('nvidia-h100');
    const memory = allocate(fixture, 1, 1 << 16);
    const src = boundBuffer(fixture, memory, 16, TRANSFER, 1024n);
    const dst = boundBuffer(fixture, memory, 16, TRANSFER, 4096n);
    fixture.backend.deviceWrite(memory, 1024, bytesOf(16, 5));
    const commandBuffer = run(fixture, [copy(src, dst, 16)]);
    expect(fixture.backend.deviceRead(memory, 4096, 16)).toEqual(bytesOf(16, 5));
    fixture.backend.deviceWrite(memory, 1024, bytesOf(16, 6));
    fixture.backend.queueSubmit(fixture.backend.getQueue(fixture.family, 0), [[commandBuffer]], undefined);
    fixture.backend.deviceWaitIdle();
    expect(fixture.backend.deviceRead(memory, 4096, 16)).toEqual(bytesOf(16, 6));
    expect(commandBuffer.state).toBe('executable');
  });

  it('a one-time-submit command buffer is invalid once it has run', () => {
    const fixture = makeBackend('lavapipe');
    const memory = allocate(fixture, 0, 64);
    const commandBuffer = run(
      fixture,
      [copy(boundBuffer(fixture, memory, 32), boundBuffer(fixture, memory, 32, TRANSFER, 32n), 32)],
      undefined,
      0x1,
    );
    expect(commandBuffer.state).toBe('invalid');
  });
});

describe('buffers', () => {
  it('align storage and uniform buffers to the offset alignment their descriptors need, others to 16 bytes', () => {
    const { backend } = makeBackend('nvidia-gtx950-smallbar');
    const storage = backend.getBufferMemoryRequirements(backend.createBuffer({ size: 100n, usage: STORAGE }));
    expect(storage).toMatchObject({ size: 128n, alignment: 32n });
    const uniform = backend.getBufferMemoryRequirements(backend.createBuffer({ size: 100n, usage: UNIFORM | STORAGE }));
    expect(uniform).toMatchObject({ size: 256n, alignment: 256n });
    const transfer = backend.getBufferMemoryRequirements(backend.createBuffer({ size: 100n, usage: TRANSFER }));
    expect(transfer).toMatchObject({ size: 112n, alignment: 16n });
  });

  it('may live in every memory type but lazily allocated ones', () => {
    expect(
      makeBackend('nvidia-h100').backend.createBuffer({ size: 4n, usage: TRANSFER }).requirements.memoryTypeBits,
    ).toBe(0b11111);
    // apple-m1-moltenvk: type 2 is DEVICE_LOCAL | LAZILY_ALLOCATED.
    expect(
      makeBackend('apple-m1-moltenvk').backend.createBuffer({ size: 4n, usage: STORAGE }).requirements,
    ).toMatchObject({ memoryTypeBits: 0b011, alignment: 16n });
  });

  it('requirements are the same on every call', () => {
    const { backend } = makeBackend('stress');
    const buffer = backend.createBuffer({ size: 1n, usage: STORAGE });
    expect(backend.getBufferMemoryRequirements(buffer)).toEqual(backend.getBufferMemoryRequirements(buffer));
    expect(backend.getBufferMemoryRequirements(buffer)).toEqual({
      size: 256n,
      alignment: 256n,
      memoryTypeBits: 0b11111,
    });
  });
});

describe('queues', () => {
  it('a profile whose family 0 cannot compute gets its queue, and runs work, on the compute family', () => {
    const fixture = makeBackend('stress');
    expect(fixture.physical.description.queueFamilies.map((family) => family.queueFlags)).toEqual([0x4, 0x6]);
    expect(fixture.family).toBe(1);
    const queue = fixture.backend.getQueue(1, 0);
    expect(queue).toMatchObject({ queueFamilyIndex: 1, queueIndex: 0 });
    const memory = allocate(fixture, 1, 64);
    run(fixture, [{ kind: 'fillBuffer', dst: boundBuffer(fixture, memory, 64), offset: 0n, size: 64n, data: 7 }]);
    expect(fixture.backend.deviceRead(memory, 60, 4)).toEqual(Uint8Array.of(7, 0, 0, 0));
  });

  it('creates every queue asked for, each its own', () => {
    const { backend } = makeBackend('nvidia-h100', {
      queues: [
        { queueFamilyIndex: 0, priorities: [1, 0.5] },
        { queueFamilyIndex: 2, priorities: [0.25] },
      ],
    });
    expect(backend.getQueue(0, 1)).toMatchObject({ queueFamilyIndex: 0, queueIndex: 1, priority: 0.5 });
    expect(backend.getQueue(2, 0)).not.toBe(backend.getQueue(0, 0));
    backend.queueWaitIdle(backend.getQueue(2, 0));
    backend.deviceWaitIdle();
  });
});

describe('fences', () => {
  it('are signaled by the submission that carries them, and reset', () => {
    const fixture = makeBackend('lavapipe');
    const { backend } = fixture;
    const fence = backend.createFence(false);
    expect(backend.getFenceStatus(fence)).toBe(false);
    run(fixture, [], fence);
    expect(backend.getFenceStatus(fence)).toBe(true);
    expect(backend.waitForFences([fence], true, 0n)).toBe(true);
    backend.resetFences([fence]);
    expect(backend.getFenceStatus(fence)).toBe(false);
    expect(backend.getFenceStatus(backend.createFence(true))).toBe(true);
  });

  it('a finite wait on a fence nothing will signal times out at once, without sleeping', () => {
    const { backend } = makeBackend('lavapipe');
    const fence = backend.createFence(false);
    const started = performance.now();
    expect(backend.waitForFences([fence], true, 0n)).toBe(false);
    expect(backend.waitForFences([fence], true, 10_000_000_000n)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('waitAll false needs one signaled fence; waitAll true needs all', () => {
    const { backend } = makeBackend('lavapipe');
    const fences = [backend.createFence(true), backend.createFence(false)];
    expect(backend.waitForFences(fences, false, 0n)).toBe(true);
    expect(backend.waitForFences(fences, true, 0n)).toBe(false);
  });

  it('an endless wait on a fence nothing will signal throws instead of hanging', () => {
    const { backend } = makeBackend('lavapipe');
    const fence = backend.createFence(false);
    expect(() => backend.waitForFences([fence], true, 0xffff_ffff_ffff_ffffn)).toThrow(VkmapStateError);
    expect(() => backend.waitForFences([fence], true, 0xffff_ffff_ffff_ffffn)).toThrow(/would wait forever/);
    expect(backend.waitForFences([backend.createFence(true)], true, 0xffff_ffff_ffff_ffffn)).toBe(true);
  });

  it('the asynchronous wait returns a Promise and lets the event loop run', async () => {
    const fixture = makeBackend('lavapipe');
    const { backend } = fixture;
    const fence = backend.createFence(false);
    run(fixture, [], fence);
    const waiting = backend.waitForFencesAsync([fence], true, 0xffff_ffff_ffff_ffffn);
    expect(waiting).toBeInstanceOf(Promise);
    let ticked = false;
    setImmediate(() => {
      ticked = true;
    });
    await expect(waiting).resolves.toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ticked).toBe(true);
    await expect(backend.waitForFencesAsync([backend.createFence(false)], true, 5n)).resolves.toBe(false);
    await expect(
      backend.waitForFencesAsync([backend.createFence(false)], true, 0xffff_ffff_ffff_ffffn),
    ).rejects.toThrow(VkmapStateError);
  });
});

describe('descriptor pools', () => {
  const STORAGE_BUFFER = 7;
  const UNIFORM_BUFFER = 6;
  const binding = (n: number, type: number, count: number) => ({
    binding: n,
    descriptorType: type,
    descriptorCount: count,
    stageFlags: 0x20,
  });

  it('count maxSets and fail with VK_ERROR_OUT_OF_POOL_MEMORY past it, changing nothing', () => {
    const { backend } = makeBackend('lavapipe');
    const layout = backend.createDescriptorSetLayout([binding(0, STORAGE_BUFFER, 1)]);
    const pool = backend.createDescriptorPool({
      flags: 1,
      maxSets: 2,
      poolSizes: [{ type: STORAGE_BUFFER, descriptorCount: 8 }],
    });
    const [first] = backend.allocateDescriptorSets(pool, [layout]);
    let error: unknown;
    try {
      backend.allocateDescriptorSets(pool, [layout, layout]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VkError);
    expect(error).toMatchObject({ result: 'VK_ERROR_OUT_OF_POOL_MEMORY', command: 'vkAllocateDescriptorSets' });
    expect(backend.allocateDescriptorSets(pool, [layout])).toHaveLength(1);
    backend.freeDescriptorSets(pool, [first!]);
    expect(backend.allocateDescriptorSets(pool, [layout])).toHaveLength(1);
  });

  it('count descriptors of each type, arrays included, and a type the pool lacks', () => {
    const { backend } = makeBackend('lavapipe');
    const pool = backend.createDescriptorPool({
      flags: 0,
      maxSets: 10,
      poolSizes: [
        { type: STORAGE_BUFFER, descriptorCount: 3 },
        { type: STORAGE_BUFFER, descriptorCount: 2 },
      ],
    });
    const four = backend.createDescriptorSetLayout([binding(0, STORAGE_BUFFER, 1), binding(3, STORAGE_BUFFER, 3)]);
    const uniform = backend.createDescriptorSetLayout([binding(0, UNIFORM_BUFFER, 1)]);
    backend.allocateDescriptorSets(pool, [four]);
    expect(() => backend.allocateDescriptorSets(pool, [four])).toThrow(
      /OUT_OF_POOL_MEMORY.*need 4 descriptors of type 7.*1 of them free/,
    );
    expect(() => backend.allocateDescriptorSets(pool, [uniform])).toThrow(/VK_ERROR_OUT_OF_POOL_MEMORY/);
    expect(
      backend.allocateDescriptorSets(pool, [backend.createDescriptorSetLayout([binding(0, STORAGE_BUFFER, 1)])]),
    ).toHaveLength(1);
    backend.destroyDescriptorPool(pool);
  });

  it('writes fill array elements and go on into the next binding', () => {
    const fixture = makeBackend('lavapipe');
    const { backend } = fixture;
    const layout = backend.createDescriptorSetLayout([binding(2, STORAGE_BUFFER, 1), binding(0, STORAGE_BUFFER, 2)]);
    const pool = backend.createDescriptorPool({
      flags: 0,
      maxSets: 1,
      poolSizes: [{ type: STORAGE_BUFFER, descriptorCount: 3 }],
    });
    const [set] = backend.allocateDescriptorSets(pool, [layout]);
    const buffer = boundBuffer(fixture, allocate(fixture, 0, 1024), 1024, STORAGE);
    const descriptor = (offset: bigint) => ({ buffer, offset, range: 16n });
    backend.updateDescriptorSets([
      {
        set: set!,
        binding: 0,
        arrayElement: 1,
        descriptorType: STORAGE_BUFFER,
        buffers: [descriptor(16n), descriptor(32n)],
      },
    ]);
    expect(set!.descriptors.get(0)).toEqual([undefined, descriptor(16n)]);
    expect(set!.descriptors.get(2)).toEqual([descriptor(32n)]);
  });
});

describe('command pools', () => {
  it('reset and free their command buffers', () => {
    const fixture = makeBackend('lavapipe');
    const { backend, family } = fixture;
    const pool = backend.createCommandPool({ flags: 2, queueFamilyIndex: family });
    const [a, b] = backend.allocateCommandBuffers(pool, 2);
    backend.recordCommandBuffer(a!, 0, [{ kind: 'dispatch', groupCountX: 1, groupCountY: 1, groupCountZ: 1 }]);
    expect(a!.state).toBe('executable');
    backend.resetCommandBuffer(a!);
    expect(a).toMatchObject({ state: 'initial', commands: [] });
    backend.recordCommandBuffer(b!, 0, []);
    backend.resetCommandPool(pool);
    expect(b!.state).toBe('initial');
    backend.freeCommandBuffers(pool, [a!]);
    expect(pool.commandBuffers.has(a!)).toBe(false);
    backend.destroyCommandPool(pool);
    expect(pool.commandBuffers.size).toBe(0);
  });
});

describe('submitted work runs when the host waits for it', () => {
  /** A fill of `data` over 16 bytes at `offset` of coherent memory, submitted with a new fence. */
  function submitFill(
    fixture: ReturnType<typeof makeBackend>,
    memory: ReturnType<typeof allocate>,
    offset: number,
    data: number,
  ) {
    const { backend, family } = fixture;
    const pool = backend.createCommandPool({ flags: 0, queueFamilyIndex: family });
    const [commandBuffer] = backend.allocateCommandBuffers(pool, 1);
    const buffer = boundBuffer(fixture, memory, 16, TRANSFER, BigInt(offset));
    backend.recordCommandBuffer(commandBuffer!, 0, [{ kind: 'fillBuffer', dst: buffer, offset: 0n, size: 16n, data }]);
    const fence = backend.createFence(false);
    backend.queueSubmit(backend.getQueue(family, 0), [[commandBuffer!]], fence);
    return fence;
  }
  const word = (fixture: ReturnType<typeof makeBackend>, memory: ReturnType<typeof allocate>, offset: number) =>
    new DataView(fixture.backend.deviceRead(memory, offset, 4).buffer).getUint32(0, true);

  it('before the wait the device has written nothing; polling the fence runs its submission and those before it', () => {
    const fixture = makeBackend('lavapipe');
    const memory = allocate(fixture, 0, 64);
    const view = mapWhole(fixture, memory);
    const first = submitFill(fixture, memory, 0, 1);
    const second = submitFill(fixture, memory, 16, 2);
    const third = submitFill(fixture, memory, 32, 3);
    expect([...view.subarray(0, 48)].every((b) => b === 0)).toBe(true);
    expect(fixture.backend.getFenceStatus(second)).toBe(true);
    expect([word(fixture, memory, 0), word(fixture, memory, 16), word(fixture, memory, 32)]).toEqual([1, 2, 0]);
    expect(fixture.backend.getFenceStatus(first)).toBe(true);
    expect(fixture.backend.waitForFences([third], true, 0n)).toBe(true);
    expect(view[32]).toBe(3);
  });

  it('a wait for any fence runs up to the first one; a wait for all, up to the last; idle runs everything', () => {
    const fixture = makeBackend('lavapipe');
    const memory = allocate(fixture, 0, 64);
    const fences = [submitFill(fixture, memory, 0, 1), submitFill(fixture, memory, 16, 2)];
    expect(fixture.backend.waitForFences([fences[1]!, fences[0]!], false, 0n)).toBe(true);
    expect([word(fixture, memory, 0), word(fixture, memory, 16)]).toEqual([1, 0]);
    expect(fixture.backend.waitForFences(fences, true, 0n)).toBe(true);
    expect(word(fixture, memory, 16)).toBe(2);
    submitFill(fixture, memory, 32, 3);
    fixture.backend.queueWaitIdle(fixture.backend.getQueue(fixture.family, 0));
    expect(word(fixture, memory, 32)).toBe(3);
    submitFill(fixture, memory, 48, 4);
    fixture.backend.deviceWaitIdle();
    expect(word(fixture, memory, 48)).toBe(4);
  });

  it('the asynchronous wait runs the work in a later turn: a read before awaiting sees the old bytes', async () => {
    const fixture = makeBackend('lavapipe');
    const memory = allocate(fixture, 0, 16);
    const view = mapWhole(fixture, memory);
    const fence = submitFill(fixture, memory, 0, 9);
    const waiting = fixture.backend.waitForFencesAsync([fence], true, 0xffff_ffff_ffff_ffffn);
    expect(view[0]).toBe(0);
    await expect(waiting).resolves.toBe(true);
    expect(view[0]).toBe(9);
  });

  it('a host write after the submit and before the wait is what the device reads (the race, every time)', () => {
    const fixture = makeBackend('lavapipe');
    const memory = allocate(fixture, 0, 64);
    const view = mapWhole(fixture, memory);
    view.set(bytesOf(16, 1));
    const src = boundBuffer(fixture, memory, 16);
    const dst = boundBuffer(fixture, memory, 16, TRANSFER, 32n);
    const { family } = fixture;
    const pool = fixture.backend.createCommandPool({ flags: 0, queueFamilyIndex: family });
    const [commandBuffer] = fixture.backend.allocateCommandBuffers(pool, 1);
    fixture.backend.recordCommandBuffer(commandBuffer!, 0, [copy(src, dst, 16)]);
    fixture.backend.queueSubmit(fixture.backend.getQueue(family, 0), [[commandBuffer!]], undefined);
    view.set(bytesOf(16, 2));
    fixture.backend.deviceWaitIdle();
    expect(view.subarray(32, 48)).toEqual(bytesOf(16, 2));
  });
});
