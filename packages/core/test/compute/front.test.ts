import { describe, expect, it } from 'vitest';
import {
  VK_WHOLE_SIZE,
  VkAccessFlagBits,
  VkCommandBufferUsageFlagBits,
  VkDescriptorType,
  VkPipelineStageFlagBits,
  ValidationError,
  VkmapArgumentError,
  VkmapStateError,
} from '@vkmap/core';
import { FAMILIES, fakeInstance } from './fake-backend.js';
import { BIND_COMPUTE, COMPUTE, rig, SPIRV, thrown, USAGE_ALL } from './rig.js';

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/** An object whose every member read is counted. */
function counted<T extends object>(value: T, reads: Map<string, number>, prefix: string): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string') reads.set(`${prefix}${key}`, (reads.get(`${prefix}${key}`) ?? 0) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
}

function expectState(act: () => unknown, argument: string | undefined, message: RegExp): void {
  const error = thrown(act);
  expect(error, error.message).toBeInstanceOf(VkmapStateError);
  expect((error as VkmapStateError).argument).toBe(argument);
  expect(error.message).toMatch(message);
}

function expectArgument(act: () => unknown, argument: string, message?: RegExp): void {
  const error = thrown(act);
  expect(error, error.message).toBeInstanceOf(VkmapArgumentError);
  expect((error as VkmapArgumentError).argument).toBe(argument);
  if (message) expect(error.message).toMatch(message);
}

describe('queues at createDevice', () => {
  it('default to one queue of the first family with COMPUTE, which need not be family 0', () => {
    const { physicalDevice, devices } = fakeInstance(FAMILIES.graphicsThenCompute);
    const device = physicalDevice.createDevice();
    expect(devices[0]!.request.queues).toEqual([{ queueFamilyIndex: 1, priorities: [1] }]);
    const queue = device.getDeviceQueue(1, 0);
    expect(queue).toMatchObject({ objectType: 'VkQueue', queueFamilyIndex: 1, queueIndex: 0 });
    expect(device.getDeviceQueue(1, 0)).toBe(queue);
    expectArgument(() => device.getDeviceQueue(0, 0), 'queueFamilyIndex', /family 1 \(1\)/);
    expectArgument(() => device.getDeviceQueue(1, 1), 'queueIndex');
    expectArgument(() => device.createCommandPool({ queueFamilyIndex: 0 }), 'pCreateInfo.queueFamilyIndex');
  });

  it('are none where no family has COMPUTE', () => {
    const { physicalDevice, devices } = fakeInstance(FAMILIES.none);
    const device = physicalDevice.createDevice();
    expect(devices[0]!.request.queues).toEqual([]);
    expectArgument(() => device.getDeviceQueue(0, 0), 'queueFamilyIndex', /created without queues/);
  });

  it('are what queueCreateInfos asks, each checked', () => {
    const { physicalDevice, devices } = fakeInstance(FAMILIES.graphicsThenCompute);
    const device = physicalDevice.createDevice({
      queueCreateInfos: [
        { queueFamilyIndex: 1, queuePriorities: [1, 0.5] },
        { queueFamilyIndex: 0, queuePriorities: [0] },
      ],
    });
    expect(devices[0]!.request.queues).toEqual([
      { queueFamilyIndex: 1, priorities: [1, 0.5] },
      { queueFamilyIndex: 0, priorities: [0] },
    ]);
    expect(device.getDeviceQueue(1, 1).queueIndex).toBe(1);
    const create = (infos: unknown) => () => physicalDevice.createDevice({ queueCreateInfos: infos as never });
    expectArgument(
      create([{ queueFamilyIndex: 2, queuePriorities: [1] }]),
      'pCreateInfo.queueCreateInfos[0].queueFamilyIndex',
    );
    expectArgument(
      create([
        { queueFamilyIndex: 1, queuePriorities: [1] },
        { queueFamilyIndex: 1, queuePriorities: [1] },
      ]),
      'pCreateInfo.queueCreateInfos[1].queueFamilyIndex',
      /already created by queueCreateInfos\[0\]/,
    );
    expectArgument(
      create([{ queueFamilyIndex: 1, queuePriorities: [1, 1, 1] }]),
      'pCreateInfo.queueCreateInfos[0].queuePriorities',
    );
    expectArgument(
      create([{ queueFamilyIndex: 1, queuePriorities: [] }]),
      'pCreateInfo.queueCreateInfos[0].queuePriorities',
    );
    expectArgument(
      create([{ queueFamilyIndex: 1, queuePriorities: [1.5] }]),
      'pCreateInfo.queueCreateInfos[0].queuePriorities[0]',
    );
    expectArgument(create({}), 'pCreateInfo.queueCreateInfos');
    expect(devices).toHaveLength(1);
  });
});

describe('arguments are read once', () => {
  for (const layered of [false, true]) {
    it(`create infos, writes and submits, each member once${layered ? ' (under the validation layer)' : ''}`, () => {
      const r = rig({ layered });
      const reads = new Map<string, number>();
      const buffer = r.device.createBuffer(counted({ size: 64, usage: USAGE_ALL, flags: 0 }, reads, 'create.'));
      r.device.bindBufferMemory(buffer, r.memory, 256);
      r.device.updateDescriptorSets(
        counted(
          [
            counted(
              {
                dstSet: r.set,
                dstBinding: 0,
                dstArrayElement: 0,
                descriptorType: VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                bufferInfo: [counted({ buffer, offset: 0, range: VK_WHOLE_SIZE }, reads, 'info.')],
              },
              reads,
              'write.',
            ),
          ],
          reads,
          'writes.',
        ),
      );
      r.recordDispatch();
      r.device.queueSubmit(
        r.queue,
        counted([counted({ commandBuffers: [r.commandBuffer] }, reads, 'submit.')], reads, 'submits.'),
        r.fence,
      );
      for (const [member, count] of reads) expect(count, member).toBe(1);
      expect([...reads.keys()]).toEqual(
        expect.arrayContaining([
          'create.size',
          'create.usage',
          'create.flags',
          'writes.length',
          'write.dstSet',
          'write.bufferInfo',
          'info.buffer',
          'info.range',
          'submits.length',
          'submit.commandBuffers',
        ]),
      );
    });
  }

  it('a getter that changes its answer cannot slip past the checks', () => {
    const r = rig();
    let calls = 0;
    const buffer = r.device.createBuffer({
      usage: USAGE_ALL,
      get size() {
        calls += 1;
        return calls === 1 ? 128 : 0;
      },
    });
    expect(buffer.size).toBe(128n);
    expect(calls).toBe(1);
  });

  it('copies what it keeps: SPIR-V words and push constant bytes', () => {
    const r = rig();
    const bytes = new Uint8Array(16).fill(7);
    r.device.beginCommandBuffer(r.commandBuffer);
    r.device.cmdPushConstants(r.commandBuffer, r.pipelineLayout, COMPUTE, 0, bytes);
    bytes.fill(9);
    r.device.endCommandBuffer(r.commandBuffer);
    const recorded = r.backend.lastRecorded;
    expect(recorded[0]).toMatchObject({ kind: 'pushConstants', offset: 0, stageFlags: COMPUTE });
    expect([...(recorded[0] as { values: Uint8Array }).values]).toEqual(new Array(16).fill(7));
  });
});

describe('the command buffer lifecycle', () => {
  it('refuses each command in a state that does not accept it, saying what to do', () => {
    const r = rig();
    const cb = r.commandBuffer;
    expectState(
      () => r.device.cmdDispatch(cb, 1, 1, 1),
      'commandBuffer',
      /initial state, not recording: call beginCommandBuffer/,
    );
    expectState(() => r.device.endCommandBuffer(cb), 'commandBuffer', /initial state/);
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [cb] }]),
      'pSubmits[0].commandBuffers[0]',
      /initial state: nothing has been recorded/,
    );
    r.device.beginCommandBuffer(cb);
    expectState(() => r.device.beginCommandBuffer(cb), 'commandBuffer', /already recording/);
    expectState(() => r.device.cmdDispatch(cb, 1, 1, 1), 'commandBuffer', /no compute pipeline is bound/);
    r.device.cmdBindPipeline(cb, BIND_COMPUTE, r.pipeline);
    expectState(() => r.device.cmdDispatch(cb, 1, 1, 1), 'commandBuffer', /set 0 .* no descriptor set bound/);
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [cb] }]),
      'pSubmits[0].commandBuffers[0]',
      /still recording: call endCommandBuffer/,
    );
    r.device.endCommandBuffer(cb);
    expectState(() => r.device.cmdDispatch(cb, 1, 1, 1), 'commandBuffer', /executable, not recording/);
    expect(r.backend.named('recordCommandBuffer')).toHaveLength(1);
  });

  it('pending -> executable when the submission completes; ONE_TIME_SUBMIT -> invalid', () => {
    const r = rig();
    r.submit();
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [r.commandBuffer] }]),
      'pSubmits[0].commandBuffers[0]',
      /VkCommandBuffer 0x\w+ is in use by submission #1 to VkQueue 0x\w+ \(fence VkFence 0x\w+\)/,
    );
    expectState(() => r.device.beginCommandBuffer(r.commandBuffer), 'commandBuffer', /in use by submission #1/);
    r.device.queueWaitIdle(r.queue);
    r.device.resetFences([r.fence]);
    r.device.queueSubmit(r.queue, [{ commandBuffers: [r.commandBuffer] }], r.fence);
    expect(r.device.waitForFences([r.fence], true, UINT64_MAX)).toBe('VK_SUCCESS');

    const once = VkCommandBufferUsageFlagBits.VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    r.recordDispatch(r.commandBuffer, once);
    expect(r.backend.calls.at(-1)).toBe('recordCommandBuffer');
    r.device.queueSubmit(r.queue, [{ commandBuffers: [r.commandBuffer] }]);
    r.device.deviceWaitIdle();
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [r.commandBuffer] }]),
      'pSubmits[0].commandBuffers[0]',
      /is invalid: it was recorded with ONE_TIME_SUBMIT and submission #3 .* has completed; record it again/,
    );
    r.recordDispatch();
  });

  it('begins again (an implicit reset) only from a pool created with RESET_COMMAND_BUFFER', () => {
    const r = rig({ poolFlags: 0 });
    r.recordDispatch();
    expectState(() => r.device.beginCommandBuffer(r.commandBuffer), 'commandBuffer', /resetCommandPool instead/);
    expectArgument(() => r.device.resetCommandBuffer(r.commandBuffer), 'commandBuffer', /RESET_COMMAND_BUFFER_BIT/);
    r.device.resetCommandPool(r.commandPool);
    r.recordDispatch();
  });

  it('becomes invalid when something it recorded is destroyed, freed or rewritten', () => {
    const r = rig();
    r.recordDispatch();
    r.device.updateDescriptorSets([
      {
        dstSet: r.set,
        dstBinding: 0,
        descriptorType: VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        bufferInfo: [{ buffer: r.buffer, offset: 0, range: 128 }],
      },
    ]);
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [r.commandBuffer] }]),
      'pSubmits[0].commandBuffers[0]',
      /is invalid: VkDescriptorSet 0x\w+, which it binds, was updated/,
    );
    r.recordDispatch();
    r.device.freeMemory(r.memory);
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [r.commandBuffer] }]),
      'pSubmits[0].commandBuffers[0]',
      /is invalid: VkDeviceMemory 0x\w+, bound to a buffer it uses, was freed/,
    );
    expectState(
      () => r.recordDispatch(),
      'commandBuffer',
      /holds VkBuffer 0x\w+, whose memory VkDeviceMemory 0x\w+ has been freed/,
    );
    expectState(
      () => r.device.cmdFillBuffer(r.commandBuffer, r.buffer, 0, VK_WHOLE_SIZE, 0),
      'dstBuffer',
      /which has been freed; the buffer cannot be used any more/,
    );
    expect(r.backend.named('queueSubmit')).toHaveLength(0);
  });
});

describe('pending work', () => {
  it('refuses to destroy, free, reset or rewrite what a pending submission uses, naming the submission', () => {
    const r = rig();
    r.submit();
    const pending = /is in use by submission #1 to VkQueue 0x\w+ \(fence VkFence 0x\w+\); wait for its fence/;
    expectState(() => r.device.destroyBuffer(r.buffer), 'buffer', pending);
    expectState(() => r.device.freeMemory(r.memory), 'memory', /VkDeviceMemory 0x\w+ is in use by submission #1/);
    expectState(() => r.device.destroyPipeline(r.pipeline), 'pipeline', pending);
    expectState(() => r.device.destroyPipelineLayout(r.pipelineLayout), 'pipelineLayout', pending);
    expectState(
      () => r.device.destroyDescriptorPool(r.descriptorPool),
      'descriptorPool',
      /VkDescriptorSet 0x\w+, allocated from it, is in use/,
    );
    expectState(() => r.device.freeDescriptorSets(r.descriptorPool, [r.set]), 'pDescriptorSets[0]', pending);
    expectState(
      () =>
        r.device.updateDescriptorSets([
          {
            dstSet: r.set,
            dstBinding: 0,
            descriptorType: VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
            bufferInfo: [{ buffer: r.buffer, offset: 0, range: 64 }],
          },
        ]),
      'pDescriptorWrites[0].dstSet',
      pending,
    );
    expectState(() => r.device.destroyCommandPool(r.commandPool), 'commandPool', pending);
    expectState(() => r.device.resetCommandPool(r.commandPool), 'commandPool', pending);
    expectState(() => r.device.freeCommandBuffers(r.commandPool, [r.commandBuffer]), 'pCommandBuffers[0]', pending);
    expectState(() => r.device.resetCommandBuffer(r.commandBuffer), 'commandBuffer', pending);
    expectState(
      () => r.device.destroyFence(r.fence),
      'fence',
      /VkFence 0x\w+, which it will signal, is in use by submission #1/,
    );
    expectState(() => r.device.resetFences([r.fence]), 'pFences[0]', /which it will signal/);
    // Mappings stay valid while the GPU works on the memory.
    const mapping = r.device.mapMemory(r.memory, 0, VK_WHOLE_SIZE);
    mapping.data[0] = 1;
    const destroys = ['destroyBuffer', 'freeMemory', 'destroyPipeline', 'destroyDescriptorPool', 'freeDescriptorSets'];
    for (const call of destroys) expect(r.backend.named(call), call).toEqual([]);
    expect(r.backend.named('updateDescriptorSets')).toHaveLength(1);

    // The fence seen signaled completes the submission and lets everything go.
    expect(r.device.getFenceStatus(r.fence)).toBe('VK_NOT_READY');
    r.backend.gpu.finish();
    expect(r.device.getFenceStatus(r.fence)).toBe('VK_SUCCESS');
    expect(mapping.isMapped).toBe(true);
    r.device.destroyBuffer(r.buffer);
    r.device.freeMemory(r.memory);
    r.device.destroyPipeline(r.pipeline);
    r.device.destroyDescriptorPool(r.descriptorPool);
    r.device.destroyCommandPool(r.commandPool);
    r.device.resetFences([r.fence]);
    r.device.destroyFence(r.fence);
  });

  it('completes earlier unfenced submissions to the same queue with a later fence', () => {
    const r = rig();
    r.recordDispatch();
    r.device.queueSubmit(r.queue, [{ commandBuffers: [r.commandBuffer] }]);
    const [other] = r.device.allocateCommandBuffers({ commandPool: r.commandPool, commandBufferCount: 1 });
    const scratch = r.device.createBuffer({ size: 64, usage: USAGE_ALL });
    r.device.bindBufferMemory(scratch, r.memory, 1024);
    r.device.beginCommandBuffer(other!);
    r.device.cmdFillBuffer(other!, scratch, 0, VK_WHOLE_SIZE, 0);
    r.device.endCommandBuffer(other!);
    r.device.queueSubmit(r.queue, [{ commandBuffers: [other!] }], r.fence);
    expectState(() => r.device.destroyBuffer(r.buffer), 'buffer', /submission #1 to VkQueue 0x\w+ \(no fence\)/);
    expect(r.device.waitForFences([r.fence], true, 1_000_000_000)).toBe('VK_SUCCESS');
    r.device.destroyBuffer(r.buffer);
    r.device.destroyBuffer(scratch);
  });

  it('a queue submit with the fence of pending work, or a signaled fence, is refused', () => {
    const r = rig();
    r.submit();
    const [other] = r.device.allocateCommandBuffers({ commandPool: r.commandPool, commandBufferCount: 1 });
    r.recordDispatch(other);
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [other!] }], r.fence),
      'fence',
      /in use by submission #1/,
    );
    r.device.deviceWaitIdle();
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [other!] }], r.fence),
      'fence',
      /is signaled; reset it/,
    );
    expectState(
      () => r.device.queueSubmit(r.queue, [{ commandBuffers: [other!, other!] }]),
      'pSubmits[0].commandBuffers[1]',
      /submitted twice/,
    );
  });
});

describe('fences', () => {
  it('a synchronous wait nothing pending can end is refused without a time limit, and times out with one', () => {
    const r = rig();
    expectState(() => r.device.waitForFences([r.fence], true, UINT64_MAX), 'pFences', /would block forever/);
    expect(r.device.waitForFences([r.fence], true, 0)).toBe('VK_TIMEOUT');
    expect(r.backend.named('waitForFences')).toEqual([]);
    const signaled = r.device.createFence({ flags: 1 });
    expect(r.device.waitForFences([r.fence, signaled], false, UINT64_MAX)).toBe('VK_SUCCESS');
    expect(r.device.getFenceStatus(signaled)).toBe('VK_SUCCESS');
    expectArgument(() => r.device.waitForFences([], true, 0), 'pFences');
    expectArgument(() => r.device.waitForFences([r.fence], 1 as never, 0), 'waitAll');
    expectArgument(() => r.device.waitForFences([r.fence], true, -1), 'timeout');
    expectArgument(() => r.device.createFence({ flags: 2 }), 'pCreateInfo.flags', /VK_FENCE_CREATE_SIGNALED_BIT 0x1/);
  });

  it('a wait that times out leaves the work pending', () => {
    const r = rig();
    r.submit();
    r.backend.gpu.finishOnWait = false;
    expect(r.device.waitForFences([r.fence], true, 1000)).toBe('VK_TIMEOUT');
    expectState(() => r.device.destroyBuffer(r.buffer), 'buffer', /in use by submission #1/);
  });
});

describe('waitForFencesAsync', () => {
  it('resolves without blocking the event loop, and completes the submission', async () => {
    const r = rig();
    r.submit();
    const order: string[] = [];
    const wait = r.device.waitForFencesAsync([r.fence], true, UINT64_MAX).then((result) => {
      order.push('wait');
      return result;
    });
    setImmediate(() => order.push('immediate'));
    expectState(() => r.device.destroyFence(r.fence), 'fence', /in use by submission #1/);
    expect(await wait).toBe('VK_SUCCESS');
    expect(order).toEqual(['immediate', 'wait']);
    expect(r.backend.named('waitForFencesAsync')).toHaveLength(1);
    r.device.destroyBuffer(r.buffer);
  });

  it('waits for a fence submitted after the call', async () => {
    const r = rig();
    const wait = r.device.waitForFencesAsync([r.fence], true, UINT64_MAX);
    await new Promise((resolve) => setTimeout(resolve, 2));
    expectState(() => r.device.destroyFence(r.fence), 'fence', /being waited on by waitForFencesAsync/);
    r.submit();
    expect(await wait).toBe('VK_SUCCESS');
    r.device.destroyFence(r.fence);
  });

  it('times out, and rejects malformed arguments', async () => {
    const r = rig();
    expect(await r.device.waitForFencesAsync([r.fence], true, 2_000_000)).toBe('VK_TIMEOUT');
    r.submit();
    r.backend.gpu.finishOnWait = false;
    expect(await r.device.waitForFencesAsync([r.fence], false, 1000)).toBe('VK_TIMEOUT');
    await expect(r.device.waitForFencesAsync([{} as never], true, 0)).rejects.toThrow(VkmapArgumentError);
  });

  it('settles when the device is destroyed meanwhile', async () => {
    const r = rig();
    r.submit();
    r.backend.gpu.finishOnWait = false;
    const idle = r.device.createFence();
    const done = r.device.waitForFencesAsync([r.fence], true, UINT64_MAX);
    const never = expect(r.device.waitForFencesAsync([idle], true, UINT64_MAX)).rejects.toThrow(
      /destroyed while waitForFencesAsync waited/,
    );
    r.device.destroy();
    expect(await done).toBe('VK_SUCCESS');
    await never;
  });
});

describe('lifetimes', () => {
  it('device destroy waits idle, then destroys children in dependency order, then memory', () => {
    const r = rig();
    r.submit();
    r.device.destroy();
    const order = r.backend.calls.slice(r.backend.calls.indexOf('queueSubmit') + 1);
    expect(order).toEqual([
      'deviceWaitIdle',
      'destroyCommandPool',
      'destroyDescriptorPool',
      'destroyPipeline',
      'destroyPipelineLayout',
      'destroyDescriptorSetLayout',
      'destroyShaderModule',
      'destroyBuffer',
      'destroyFence',
      'destroy',
    ]);
    expectState(
      () => r.device.createBuffer({ size: 4, usage: USAGE_ALL }),
      'device',
      /VUID-vkCreateBuffer-device-parameter/,
    );
    expectState(
      () => r.device.cmdDispatch(r.commandBuffer, 1, 1, 1),
      'commandBuffer',
      /VUID-vkCmdDispatch-commandBuffer-parameter/,
    );
    expectState(() => r.device.queueWaitIdle(r.queue), 'queue', /device has been destroyed/);
    r.device.destroy();
  });

  it('instance destroy waits for each device to go idle', () => {
    const r = rig();
    r.submit();
    r.instance.destroy();
    const calls = r.backend.calls;
    expect(calls.indexOf('deviceWaitIdle')).toBeGreaterThan(calls.indexOf('queueSubmit'));
    expect(calls.indexOf('deviceWaitIdle')).toBeLessThan(calls.indexOf('destroyCommandPool'));
    expect(r.device.isDestroyed).toBe(true);
  });

  it('a pool ends its children; an ended handle is refused except by null', () => {
    const r = rig();
    r.device.destroyDescriptorPool(r.descriptorPool);
    expectState(
      () =>
        r.device.updateDescriptorSets([
          { dstSet: r.set, dstBinding: 0, descriptorType: 7, bufferInfo: [{ buffer: r.buffer, offset: 0, range: 4 }] },
        ]),
      'pDescriptorWrites[0].dstSet',
      /VkDescriptorSet 0x\w+ has been freed/,
    );
    r.device.destroyCommandPool(r.commandPool);
    expectState(() => r.device.beginCommandBuffer(r.commandBuffer), 'commandBuffer', /has been freed/);
    r.device.destroyBuffer(r.buffer);
    expectState(() => r.device.destroyBuffer(r.buffer), 'buffer', /VkBuffer 0x\w+ has been destroyed/);
    r.device.destroyBuffer(null);
    r.device.destroyCommandPool(null);
    expectArgument(
      () => r.device.destroyBuffer({ objectType: 'VkBuffer', handle: 1n } as never),
      'buffer',
      /not a VkBuffer handle/,
    );
  });

  it('objects of another device are refused', () => {
    const a = rig();
    const b = rig();
    expectState(() => a.device.destroyBuffer(b.buffer), 'buffer', /belongs to another device, not this one/);
    expectState(
      () => a.device.bindBufferMemory(a.device.createBuffer({ size: 4, usage: USAGE_ALL }), b.memory, 0),
      'memory',
      /another device/,
    );
    expectState(
      () => a.device.queueSubmit(a.queue, [{ commandBuffers: [b.commandBuffer] }]),
      'pSubmits[0].commandBuffers[0]',
      /another device/,
    );
  });

  it('a failed pipeline creation destroys the pipelines made before it', () => {
    const r = rig();
    const module = r.device.createShaderModule({ code: SPIRV });
    const original = r.backend.createComputePipeline.bind(r.backend);
    let made = 0;
    r.backend.createComputePipeline = (request) => {
      if (++made === 2) throw new VkmapArgumentError('pCreateInfos[1].stage.name', 'no such entry point');
      return original(request);
    };
    const stage = { stage: COMPUTE, module, name: 'main' };
    expect(() =>
      r.device.createComputePipelines([
        { stage, layout: r.pipelineLayout },
        { stage, layout: r.pipelineLayout },
      ]),
    ).toThrow(/no such entry point/);
    expect(r.backend.named('destroyPipeline')).toHaveLength(1);
  });
});

describe('recording resolves every value', () => {
  it('VK_WHOLE_SIZE in fills and barriers, COMPUTE -> HOST barriers, copies inside their buffers', () => {
    const r = rig();
    const cb = r.commandBuffer;
    const small = r.device.createBuffer({ size: 70, usage: USAGE_ALL });
    r.device.bindBufferMemory(small, r.memory, 512);
    r.device.beginCommandBuffer(cb);
    r.device.cmdFillBuffer(cb, small, 4, VK_WHOLE_SIZE, 0xdeadbeef);
    r.device.cmdFillBuffer(cb, small, 68, VK_WHOLE_SIZE, 0);
    r.device.cmdCopyBuffer(cb, r.buffer, small, [{ srcOffset: 0, dstOffset: 0, size: 70 }]);
    r.device.cmdPipelineBarrier(cb, {
      srcStageMask: VkPipelineStageFlagBits.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
      dstStageMask: VkPipelineStageFlagBits.VK_PIPELINE_STAGE_HOST_BIT,
      bufferMemoryBarriers: [
        {
          srcAccessMask: VkAccessFlagBits.VK_ACCESS_SHADER_WRITE_BIT,
          dstAccessMask: VkAccessFlagBits.VK_ACCESS_HOST_READ_BIT,
          buffer: r.buffer,
          offset: 64,
          size: VK_WHOLE_SIZE,
        },
      ],
    });
    expectArgument(
      () => r.device.cmdCopyBuffer(cb, r.buffer, small, [{ srcOffset: 0, dstOffset: 8, size: 70 }]),
      'pRegions[0].size',
      /ends past the end of VkBuffer/,
    );
    expectArgument(
      () => r.device.cmdCopyBuffer(cb, r.buffer, r.buffer, [{ srcOffset: 0, dstOffset: 8, size: 16 }]),
      'pRegions[0]',
      /must not overlap/,
    );
    expectArgument(() => r.device.cmdFillBuffer(cb, small, 2, 4, 0), 'dstOffset', /multiple of 4/);
    expectArgument(() => r.device.cmdDispatch(cb, 70000, 1, 1), 'groupCountX', /maxComputeWorkGroupCount\[0\]/);
    expectArgument(() => r.device.cmdBindPipeline(cb, 0, r.pipeline), 'pipelineBindPoint');
    expectArgument(
      () => r.device.cmdPushConstants(cb, r.pipelineLayout, COMPUTE, 12, new Uint8Array(8)),
      'offset',
      /byte 16 is outside/,
    );
    r.device.endCommandBuffer(cb);
    expect(r.backend.lastRecorded).toEqual([
      { kind: 'fillBuffer', dst: expect.anything(), offset: 4n, size: 64n, data: 0xdeadbeef },
      {
        kind: 'copyBuffer',
        src: expect.anything(),
        dst: expect.anything(),
        regions: [{ srcOffset: 0n, dstOffset: 0n, size: 70n }],
      },
      {
        kind: 'pipelineBarrier',
        srcStageMask: 0x800,
        dstStageMask: 0x4000,
        dependencyFlags: 0,
        memoryBarriers: [],
        bufferMemoryBarriers: [
          { srcAccessMask: 0x40, dstAccessMask: 0x2000, buffer: expect.anything(), offset: 64n, size: 192n },
        ],
      },
    ]);
    expect(Object.isFrozen(r.backend.lastRecorded)).toBe(true);
  });
});

describe('argument checks name the Vulkan parameter', () => {
  it('create infos', () => {
    const r = rig();
    expectArgument(() => r.device.createBuffer({ size: 0, usage: USAGE_ALL }), 'pCreateInfo.size');
    expectArgument(() => r.device.createBuffer({ size: 4, usage: 0x10000 }), 'pCreateInfo.usage', /does not offer/);
    expectArgument(() => r.device.createBuffer(null as never), 'pCreateInfo', /BufferCreateInfo object/);
    expectArgument(
      () => r.device.createShaderModule({ code: new Uint32Array([1, 2]) }),
      'pCreateInfo.code',
      /not SPIR-V/,
    );
    expectArgument(
      () => r.device.createShaderModule({ code: [0x07230203] as never }),
      'pCreateInfo.code',
      /Uint32Array/,
    );
    expectArgument(
      () =>
        r.device.createDescriptorSetLayout({
          bindings: [
            { binding: 0, descriptorType: 7, descriptorCount: 1, stageFlags: COMPUTE },
            { binding: 0, descriptorType: 6, descriptorCount: 1, stageFlags: COMPUTE },
          ],
        }),
      'pCreateInfo.bindings[1].binding',
    );
    expectArgument(
      () =>
        r.device.createDescriptorSetLayout({
          bindings: [{ binding: 0, descriptorType: 2, descriptorCount: 1, stageFlags: COMPUTE }],
        }),
      'pCreateInfo.bindings[0].descriptorType',
    );
    expectArgument(
      () => r.device.createPipelineLayout({ pushConstantRanges: [{ stageFlags: COMPUTE, offset: 64, size: 128 }] }),
      'pCreateInfo.pushConstantRanges[0].size',
      /maxPushConstantsSize \(128 bytes\)/,
    );
    expectArgument(
      () =>
        r.device.createComputePipelines([
          { stage: { stage: 1, module: r.module, name: 'main' }, layout: r.pipelineLayout },
        ]),
      'pCreateInfos[0].stage.stage',
    );
    expectArgument(
      () =>
        r.device.createComputePipelines([
          {
            stage: {
              stage: COMPUTE,
              module: r.module,
              name: 'main',
              specializationInfo: { mapEntries: [{ constantID: 0, offset: 2, size: 4 }], data: new Uint8Array(4) },
            },
            layout: r.pipelineLayout,
          },
        ]),
      'pCreateInfos[0].stage.specializationInfo.mapEntries[0].size',
    );
    expectArgument(
      () => r.device.freeDescriptorSets(r.device.createDescriptorPool({ maxSets: 1, poolSizes: [] }), [r.set]),
      'descriptorPool',
      /FREE_DESCRIPTOR_SET_BIT/,
    );
    expectArgument(
      () =>
        r.device.updateDescriptorSets([
          { dstSet: r.set, dstBinding: 0, descriptorType: 7, bufferInfo: [{ buffer: r.buffer, offset: 4, range: 4 }] },
        ]),
      'pDescriptorWrites[0].bufferInfo[0].offset',
      /minStorageBufferOffsetAlignment/,
    );
    expectArgument(
      () =>
        r.device.updateDescriptorSets([
          { dstSet: r.set, dstBinding: 1, descriptorType: 7, bufferInfo: [{ buffer: r.buffer, offset: 0, range: 4 }] },
        ]),
      'pDescriptorWrites[0].dstBinding',
      /has no binding 1/,
    );
    const unbound = r.device.createBuffer({ size: 16, usage: USAGE_ALL });
    expectState(
      () =>
        r.device.updateDescriptorSets([
          { dstSet: r.set, dstBinding: 0, descriptorType: 7, bufferInfo: [{ buffer: unbound, offset: 0, range: 4 }] },
        ]),
      'pDescriptorWrites[0].bufferInfo[0].buffer',
      /is not bound to memory/,
    );
    expectState(() => r.device.bindBufferMemory(r.buffer, r.memory, 0), 'buffer', /already bound/);
    expectArgument(() => r.device.bindBufferMemory(unbound, r.memory, 32), 'memoryOffset', /alignment 64 bytes/);
    expectArgument(() => r.device.bindBufferMemory(unbound, r.memory, 4096), 'memoryOffset', /past the end/);
  });
});

describe('the validation layer', () => {
  it('reports a rule before the front refuses it, and stays coherent when the front refuses what it lets through', () => {
    const r = rig({ layered: true });
    r.submit();
    const error = thrown(() => r.device.freeMemory(r.memory));
    expect(error).toBeInstanceOf(ValidationError);
    expect([...(error as ValidationError).vuids]).toEqual(['VUID-vkFreeMemory-memory-00677']);
    expect(error.message).toMatch(/in use by submission #1/);
    // The front keeps a pipeline layout while pending work uses it, stricter than Vulkan: no rule to report.
    expectState(() => r.device.destroyPipelineLayout(r.pipelineLayout), 'pipelineLayout', /in use by submission #1/);
    expect(r.device.waitForFences([r.fence], true, UINT64_MAX)).toBe('VK_SUCCESS');
    r.device.destroyBuffer(r.buffer);
    r.device.freeMemory(r.memory);
    // The layer saw the free: mapping the freed memory is reported by its rule.
    expect(() => r.device.mapMemory(r.memory, 0, VK_WHOLE_SIZE)).toThrow(/VUID-vkMapMemory-memory-parameter/);
    r.device.destroy();
    expect(r.backend.calls.at(-1)).toBe('destroy');
  });
});
