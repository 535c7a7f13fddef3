/**
 * The validation layer on the compute chapters, as a suite every backend runs (emulated here, native from its
 * own test file): each rule and each host-access hazard by an exact-set negative test (`negative([...], ...)`:
 * the call must throw a ValidationError carrying exactly those identifiers; the coverage test reads the
 * lists), and the correct uses, a ring buffer among them, reporting nothing. A test that needs what the device
 * lacks (non-coherent memory, two queue families, a memory type buffers cannot use) is skipped with the
 * reason in its name.
 */
import { describe, expect, it } from 'vitest';
import { VK_WHOLE_SIZE, ValidationError, type Device } from '@vkmap/core';
import {
  ACCESS_SHADER_WRITE,
  capabilitiesOf,
  COMPUTE,
  Fixture,
  ONE_TIME_SUBMIT,
  PAIR_SPIRV,
  STAGE_COMPUTE,
  STORAGE,
  TRANSFER,
  UINT64_MAX,
  UNIFORM,
  USAGE_ALL,
  words,
  type ComputeValidationTarget,
  type HostBuffer,
} from './fixture.js';

/** Runs `act`, whose last call must throw a ValidationError carrying exactly `vuids`. */
function expectVuids(act: () => unknown, vuids: readonly string[]): ValidationError {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'the call should have thrown a ValidationError').toBeInstanceOf(ValidationError);
  const error = thrown as ValidationError;
  expect([...error.vuids].sort()).toEqual([...vuids].sort());
  return error;
}

export function defineComputeValidationSuite(target: ComputeValidationTarget): void {
  const capabilities = capabilitiesOf(target);
  const { unavailable, limits } = capabilities;
  const NON_COHERENT =
    unavailable ??
    (capabilities.nonCoherentType === undefined
      ? 'the device has no HOST_VISIBLE memory type without HOST_COHERENT'
      : undefined);
  const TWO_FAMILIES = unavailable ?? (capabilities.familyCount < 2 ? 'the device has one queue family' : undefined);

  /**
   * A negative test: its title starts with the identifiers it asserts; `act` gets a fresh validated device and
   * must end in a call that throws exactly those. `skip` gives the reason the device cannot run it, if any.
   */
  function negative(vuids: readonly string[], description: string, act: (f: Fixture) => unknown, skip?: string): void {
    const reason = skip ?? unavailable;
    const title = `${[...vuids].sort().join(' + ')}: ${description}${reason ? ` (skipped: ${reason})` : ''}`;
    it.skipIf(reason !== undefined)(title, () => {
      const f = new Fixture(target);
      try {
        expectVuids(() => act(f), vuids);
      } finally {
        f.device.destroy();
      }
    });
  }

  /** A positive test, in 'report' mode: it must report nothing. */
  function valid(description: string, act: (f: Fixture) => unknown | Promise<unknown>, skip?: string): void {
    const reason = skip ?? unavailable;
    it.skipIf(reason !== undefined)(`${description}${reason ? ` (skipped: ${reason})` : ''}`, async () => {
      const f = new Fixture(target, 'report');
      try {
        await act(f);
        expect(f.reports).toEqual([]);
      } finally {
        f.device.destroy();
      }
    });
  }

  describe(`validation of the compute chapters on ${target.name}`, () => {
    describe('buffers and their memory', () => {
      negative(['VUID-vkBindBufferMemory-buffer-07459'], 'binding a buffer a second time', (f) => {
        const { buffer, memory } = f.hostBuffer(64);
        f.device.bindBufferMemory(buffer, memory, 0);
      });

      const buffersCannotUse = (f: Fixture) => {
        const bits = f.device.getBufferMemoryRequirements(
          f.device.createBuffer({ size: 64, usage: TRANSFER }),
        ).memoryTypeBits;
        return f.physicalDevice.getMemoryProperties().memoryTypes.findIndex((_, i) => (bits & (1 << i)) === 0);
      };
      negative(
        ['VUID-vkBindBufferMemory-memory-01035'],
        'memory of a type that is not in the buffer’s memoryTypeBits',
        (f) => {
          const buffer = f.device.createBuffer({ size: 64, usage: TRANSFER });
          const memory = f.device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: buffersCannotUse(f) });
          f.device.bindBufferMemory(buffer, memory, 0);
        },
        unavailable ??
          (() => {
            const f = new Fixture(target);
            const none = buffersCannotUse(f) < 0;
            f.device.destroy();
            return none ? 'every memory type of the device can back a buffer' : undefined;
          })(),
      );

      negative(
        ['VUID-vkBindBufferMemory-memoryOffset-01031', 'VUID-vkBindBufferMemory-None-10741'],
        'memoryOffset equal to the memory’s size',
        (f) => {
          const buffer = f.device.createBuffer({ size: 64, usage: TRANSFER });
          const memory = f.device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: f.coherentType });
          f.device.bindBufferMemory(buffer, memory, 4096);
        },
      );

      negative(['VUID-vkBindBufferMemory-None-10739'], 'memoryOffset half the buffer’s alignment', (f) => {
        const buffer = f.device.createBuffer({ size: 64, usage: USAGE_ALL });
        const { alignment } = f.device.getBufferMemoryRequirements(buffer);
        const memory = f.device.allocateMemory({ allocationSize: 8192, memoryTypeIndex: f.coherentType });
        f.device.bindBufferMemory(buffer, memory, alignment / 2n);
      });

      negative(['VUID-vkBindBufferMemory-None-10741'], 'an aligned offset from which the buffer does not fit', (f) => {
        const buffer = f.device.createBuffer({ size: 1024, usage: USAGE_ALL });
        const { alignment } = f.device.getBufferMemoryRequirements(buffer);
        const memory = f.device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: f.coherentType });
        f.device.bindBufferMemory(buffer, memory, 4096n - alignment);
      });

      negative(['VUID-vkDestroyBuffer-buffer-00922'], 'destroying a buffer that a pending dispatch uses', (f) => {
        const objects = f.compute();
        f.pendingDispatch(objects);
        f.device.destroyBuffer(objects.uniform.buffer);
      });

      negative(
        ['VUID-vkFreeMemory-memory-00677'],
        'freeing unmapped memory bound to a buffer a pending dispatch uses',
        (f) => {
          const objects = f.compute();
          f.device.unmapMemory(objects.uniform.memory);
          f.pendingDispatch(objects);
          f.device.freeMemory(objects.uniform.memory);
        },
      );
    });

    describe('descriptor updates', () => {
      const write = (
        f: Fixture,
        set: ReturnType<Fixture['descriptorSet']>['set'],
        overrides: Record<string, unknown>,
      ) => {
        const { buffer } = f.hostBuffer(256);
        f.device.updateDescriptorSets([
          {
            dstSet: set,
            dstBinding: 0,
            descriptorType: STORAGE,
            bufferInfo: [{ buffer, offset: 0, range: 64 }],
            ...overrides,
          } as never,
        ]);
      };

      negative(['VUID-vkUpdateDescriptorSets-None-03047'], 'rewriting a set that a pending dispatch binds', (f) => {
        const objects = f.compute();
        f.pendingDispatch(objects);
        write(f, objects.set, {});
      });
      negative(
        ['VUID-VkWriteDescriptorSet-dstBinding-00315'],
        'dstBinding 5, past the layout’s highest binding (1)',
        (f) => write(f, f.descriptorSet().set, { dstBinding: 5 }),
      );
      negative(
        ['VUID-VkWriteDescriptorSet-dstBinding-00316'],
        'dstBinding 1 of a layout with bindings 0 and 2',
        (f) => {
          const setLayout = f.setLayout([
            { binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
            { binding: 2, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
          ]);
          write(f, f.descriptorSet(setLayout).set, { dstBinding: 1 });
        },
      );
      negative(
        ['VUID-VkWriteDescriptorSet-descriptorType-00319'],
        'a uniform buffer written to the storage binding',
        (f) => write(f, f.descriptorSet().set, { descriptorType: UNIFORM }),
      );
      negative(
        ['VUID-VkWriteDescriptorSet-dstArrayElement-00321'],
        'dstArrayElement 1 of a one-descriptor binding',
        (f) => write(f, f.descriptorSet().set, { dstArrayElement: 1 }),
      );
      negative(
        ['VUID-VkWriteDescriptorSet-descriptorType-00327'],
        'a uniform buffer offset that is not a multiple of minUniformBufferOffsetAlignment',
        (f) => {
          const { buffer } = f.hostBuffer(4096);
          const offset = Number(f.limits.minUniformBufferOffsetAlignment) / 2;
          write(f, f.descriptorSet().set, {
            dstBinding: 1,
            descriptorType: UNIFORM,
            bufferInfo: [{ buffer, offset, range: 16 }],
          });
        },
        unavailable ??
          (limits!.minUniformBufferOffsetAlignment < 2n ? 'minUniformBufferOffsetAlignment is 1' : undefined),
      );
      negative(
        ['VUID-VkWriteDescriptorSet-descriptorType-00328'],
        'a storage buffer offset that is not a multiple of minStorageBufferOffsetAlignment',
        (f) => {
          const { buffer } = f.hostBuffer(4096);
          write(f, f.descriptorSet().set, {
            bufferInfo: [{ buffer, offset: Number(f.limits.minStorageBufferOffsetAlignment) / 2, range: 16 }],
          });
        },
        unavailable ??
          (limits!.minStorageBufferOffsetAlignment < 2n ? 'minStorageBufferOffsetAlignment is 1' : undefined),
      );
      negative(['VUID-VkWriteDescriptorSet-descriptorType-00329'], 'a buffer bound to no memory', (f) => {
        const buffer = f.device.createBuffer({ size: 64, usage: USAGE_ALL });
        write(f, f.descriptorSet().set, { bufferInfo: [{ buffer, offset: 0, range: 64 }] });
      });
      negative(
        ['VUID-VkWriteDescriptorSet-descriptorType-00330'],
        'a uniform descriptor of a buffer without UNIFORM_BUFFER usage',
        (f) => {
          const { buffer } = f.hostBuffer(256, TRANSFER | 0x20);
          write(f, f.descriptorSet().set, {
            dstBinding: 1,
            descriptorType: UNIFORM,
            bufferInfo: [{ buffer, offset: 0, range: 16 }],
          });
        },
      );
      negative(
        ['VUID-VkWriteDescriptorSet-descriptorType-00331'],
        'a storage descriptor of a buffer without STORAGE_BUFFER usage',
        (f) => {
          const { buffer } = f.hostBuffer(256, TRANSFER | 0x10);
          write(f, f.descriptorSet().set, { bufferInfo: [{ buffer, offset: 0, range: 16 }] });
        },
      );
      negative(
        ['VUID-VkWriteDescriptorSet-descriptorType-00332'],
        'a uniform range one word past maxUniformBufferRange',
        (f) => {
          const range = f.limits.maxUniformBufferRange + 4;
          const { buffer } = f.hostBuffer(range);
          write(f, f.descriptorSet().set, {
            dstBinding: 1,
            descriptorType: UNIFORM,
            bufferInfo: [{ buffer, offset: 0, range }],
          });
        },
      );
      negative(
        ['VUID-VkWriteDescriptorSet-descriptorType-00333'],
        'a storage range one word past maxStorageBufferRange',
        (f) => {
          const range = f.limits.maxStorageBufferRange + 4;
          const { buffer } = f.hostBuffer(range);
          write(f, f.descriptorSet().set, { bufferInfo: [{ buffer, offset: 0, range }] });
        },
        unavailable ??
          (limits!.maxStorageBufferRange > 1 << 28
            ? `maxStorageBufferRange is ${limits!.maxStorageBufferRange} bytes, more than this test allocates`
            : undefined),
      );
      negative(['VUID-VkDescriptorBufferInfo-offset-00340'], 'offset equal to the buffer’s size', (f) => {
        const { buffer } = f.hostBuffer(256);
        write(f, f.descriptorSet().set, { bufferInfo: [{ buffer, offset: 256, range: VK_WHOLE_SIZE }] });
      });
      negative(['VUID-VkDescriptorBufferInfo-range-00341'], 'range 0', (f) => {
        const { buffer } = f.hostBuffer(256);
        write(f, f.descriptorSet().set, { bufferInfo: [{ buffer, offset: 0, range: 0 }] });
      });
      negative(['VUID-VkDescriptorBufferInfo-range-00342'], 'offset 0 and a range one byte past the buffer', (f) => {
        const { buffer } = f.hostBuffer(256);
        write(f, f.descriptorSet().set, { bufferInfo: [{ buffer, offset: 0, range: 257 }] });
      });
      negative(['VUID-vkFreeDescriptorSets-pDescriptorSets-00309'], 'freeing a set a pending dispatch binds', (f) => {
        const objects = f.compute();
        f.pendingDispatch(objects);
        f.device.freeDescriptorSets(objects.pool, [objects.set]);
      });
      negative(
        ['VUID-vkDestroyDescriptorPool-descriptorPool-00303'],
        'destroying the pool of a set a pending dispatch binds',
        (f) => {
          const objects = f.compute();
          f.pendingDispatch(objects);
          f.device.destroyDescriptorPool(objects.pool);
        },
      );
    });

    describe('compute pipelines against their layout (the layer reflects the SPIR-V)', () => {
      negative(
        ['VUID-VkComputePipelineCreateInfo-layout-07988'],
        'a layout without the uniform buffer binding the shader uses',
        (f) =>
          f.pipelineOf(
            f.pipelineLayout([
              f.setLayout([{ binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE }]),
            ]),
          ),
      );
      negative(
        ['VUID-VkComputePipelineCreateInfo-layout-07988'],
        'a binding the compute stage cannot see (stageFlags 0)',
        (f) =>
          f.pipelineOf(
            f.pipelineLayout([
              f.setLayout([
                { binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
                { binding: 1, descriptorType: UNIFORM, descriptorCount: 1, stageFlags: 0 },
              ]),
            ]),
          ),
      );
      negative(
        ['VUID-VkComputePipelineCreateInfo-layout-07990'],
        'a storage binding where the shader declares a uniform buffer',
        (f) =>
          f.pipelineOf(
            f.pipelineLayout([
              f.setLayout([
                { binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
                { binding: 1, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE },
              ]),
            ]),
          ),
      );
      negative(
        ['VUID-VkComputePipelineCreateInfo-layout-07991'],
        'one descriptor where the shader declares an array of two',
        (f) =>
          f.pipelineOf(
            f.pipelineLayout(
              [f.setLayout([{ binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE }])],
              [],
            ),
            PAIR_SPIRV,
          ),
      );
      negative(
        ['VUID-VkComputePipelineCreateInfo-layout-07987'],
        'no push constant range for a shader that uses push constants',
        (f) => f.pipelineOf(f.pipelineLayout([f.setLayout()], [])),
      );
      negative(
        ['VUID-VkComputePipelineCreateInfo-layout-10069'],
        'a 4-byte range for the shader’s 8-byte push constant block',
        (f) => f.pipelineOf(f.pipelineLayout([f.setLayout()], [{ stageFlags: COMPUTE, offset: 0, size: 4 }])),
      );
      negative(['VUID-vkDestroyPipeline-pipeline-00765'], 'destroying a pipeline a pending dispatch binds', (f) => {
        const objects = f.compute();
        f.pendingDispatch(objects);
        f.device.destroyPipeline(objects.pipeline);
      });
    });

    describe('the command buffer lifecycle', () => {
      negative(
        ['VUID-vkBeginCommandBuffer-commandBuffer-00049'],
        'beginning a command buffer that is recording',
        (f) => {
          const commandBuffer = f.commandBuffer();
          f.device.beginCommandBuffer(commandBuffer);
          f.device.beginCommandBuffer(commandBuffer);
        },
      );
      negative(['VUID-vkBeginCommandBuffer-commandBuffer-00049'], 'beginning a command buffer that is pending', (f) => {
        const { commandBuffer } = f.pendingDispatch(f.compute());
        f.device.beginCommandBuffer(commandBuffer);
      });
      negative(
        ['VUID-vkBeginCommandBuffer-commandBuffer-00050'],
        'beginning an executable command buffer of a pool without RESET_COMMAND_BUFFER',
        (f) => {
          const commandBuffer = f.recorded(undefined, 0, f.commandPool(0));
          f.device.beginCommandBuffer(commandBuffer);
        },
      );
      negative(['VUID-vkEndCommandBuffer-commandBuffer-00059'], 'ending a command buffer in the initial state', (f) =>
        f.device.endCommandBuffer(f.commandBuffer()),
      );
      negative(['VUID-vkResetCommandBuffer-commandBuffer-00045'], 'resetting a pending command buffer', (f) =>
        f.device.resetCommandBuffer(f.pendingDispatch(f.compute()).commandBuffer),
      );
      negative(
        ['VUID-vkResetCommandBuffer-commandBuffer-00046'],
        'resetting a command buffer of a pool without RESET_COMMAND_BUFFER',
        (f) => f.device.resetCommandBuffer(f.commandBuffer(f.commandPool(0))),
      );
      negative(['VUID-vkFreeCommandBuffers-pCommandBuffers-00047'], 'freeing a pending command buffer', (f) =>
        f.device.freeCommandBuffers(f.pool, [f.pendingDispatch(f.compute()).commandBuffer]),
      );
      negative(['VUID-vkResetCommandPool-commandPool-00040'], 'resetting the pool of a pending command buffer', (f) => {
        f.pendingDispatch(f.compute());
        f.device.resetCommandPool(f.pool);
      });
      negative(
        ['VUID-vkDestroyCommandPool-commandPool-00041'],
        'destroying the pool of a pending command buffer',
        (f) => {
          f.pendingDispatch(f.compute());
          f.device.destroyCommandPool(f.pool);
        },
      );

      describe('every vkCmd* needs a recording command buffer (here: an executable one)', () => {
        const executable = (f: Fixture) => f.recorded();
        negative(['VUID-vkCmdBindPipeline-commandBuffer-recording'], 'cmdBindPipeline', (f) => {
          const objects = f.compute();
          f.device.cmdBindPipeline(executable(f), 1, objects.pipeline);
        });
        negative(['VUID-vkCmdBindDescriptorSets-commandBuffer-recording'], 'cmdBindDescriptorSets', (f) => {
          const objects = f.compute();
          f.device.cmdBindDescriptorSets(executable(f), 1, objects.layout, 0, [objects.set]);
        });
        negative(['VUID-vkCmdPushConstants-commandBuffer-recording'], 'cmdPushConstants', (f) => {
          const objects = f.compute();
          f.device.cmdPushConstants(executable(f), objects.layout, COMPUTE, 0, new Uint8Array(8));
        });
        negative(['VUID-vkCmdDispatch-commandBuffer-recording'], 'cmdDispatch', (f) =>
          f.device.cmdDispatch(executable(f), 1, 1, 1),
        );
        negative(['VUID-vkCmdPipelineBarrier-commandBuffer-recording'], 'cmdPipelineBarrier', (f) =>
          f.device.cmdPipelineBarrier(executable(f), {
            srcStageMask: 0x1000,
            dstStageMask: 0x1000,
            memoryBarriers: [{ srcAccessMask: 0x1000, dstAccessMask: 0x800 }],
          }),
        );
        negative(['VUID-vkCmdCopyBuffer-commandBuffer-recording'], 'cmdCopyBuffer', (f) => {
          const a = f.hostBuffer(64);
          const b = f.hostBuffer(64);
          f.device.cmdCopyBuffer(executable(f), a.buffer, b.buffer, [{ srcOffset: 0, dstOffset: 0, size: 64 }]);
        });
        negative(['VUID-vkCmdFillBuffer-commandBuffer-recording'], 'cmdFillBuffer', (f) =>
          f.device.cmdFillBuffer(executable(f), f.hostBuffer(64).buffer, 0, 64, 1),
        );
      });
    });

    describe('cmdDispatch', () => {
      /** A recording command buffer with scale.comp bound and its set, about to dispatch. */
      const ready = (f: Fixture) => {
        const objects = f.compute();
        const commandBuffer = f.commandBuffer();
        f.device.beginCommandBuffer(commandBuffer);
        f.device.cmdBindPipeline(commandBuffer, 1, objects.pipeline);
        f.device.cmdBindDescriptorSets(commandBuffer, 1, objects.layout, 0, [objects.set]);
        return { commandBuffer, objects };
      };
      negative(['VUID-vkCmdDispatch-groupCountX-00386'], 'groupCountX one past maxComputeWorkGroupCount[0]', (f) =>
        f.device.cmdDispatch(ready(f).commandBuffer, f.limits.maxComputeWorkGroupCount[0]! + 1, 1, 1),
      );
      negative(['VUID-vkCmdDispatch-groupCountY-00387'], 'groupCountY one past maxComputeWorkGroupCount[1]', (f) =>
        f.device.cmdDispatch(ready(f).commandBuffer, 1, f.limits.maxComputeWorkGroupCount[1]! + 1, 1),
      );
      negative(['VUID-vkCmdDispatch-groupCountZ-00388'], 'groupCountZ one past maxComputeWorkGroupCount[2]', (f) =>
        f.device.cmdDispatch(ready(f).commandBuffer, 1, 1, f.limits.maxComputeWorkGroupCount[2]! + 1),
      );
      negative(
        [
          'VUID-vkCmdDispatch-groupCountX-00386',
          'VUID-vkCmdDispatch-groupCountY-00387',
          'VUID-vkCmdDispatch-groupCountZ-00388',
        ],
        'all three past their limits, in one report',
        (f) => {
          const [x, y, z] = f.limits.maxComputeWorkGroupCount;
          f.device.cmdDispatch(ready(f).commandBuffer, x! + 1, y! + 1, z! + 1);
        },
      );
      negative(['VUID-vkCmdDispatch-None-02700'], 'no pipeline bound', (f) => {
        const commandBuffer = f.commandBuffer();
        f.device.beginCommandBuffer(commandBuffer);
        f.device.cmdDispatch(commandBuffer, 1, 1, 1);
      });
      negative(['VUID-vkCmdDispatch-None-02697'], 'the pipeline bound, its set not', (f) => {
        const objects = f.compute();
        const commandBuffer = f.commandBuffer();
        f.device.beginCommandBuffer(commandBuffer);
        f.device.cmdBindPipeline(commandBuffer, 1, objects.pipeline);
        f.device.cmdDispatch(commandBuffer, 1, 1, 1);
      });
      negative(
        ['VUID-vkCmdDispatch-None-02697'],
        'a set bound through a layout whose set 0 differs from the pipeline’s',
        (f) => {
          const objects = f.compute();
          const other = f.setLayout([{ binding: 0, descriptorType: STORAGE, descriptorCount: 1, stageFlags: COMPUTE }]);
          const { set } = f.descriptorSet(other);
          f.device.updateDescriptorSets([
            {
              dstSet: set,
              dstBinding: 0,
              descriptorType: STORAGE,
              bufferInfo: [{ buffer: objects.storage.buffer, offset: 0, range: 64 }],
            },
          ]);
          const commandBuffer = f.commandBuffer();
          f.device.beginCommandBuffer(commandBuffer);
          f.device.cmdBindPipeline(commandBuffer, 1, objects.pipeline);
          f.device.cmdBindDescriptorSets(commandBuffer, 1, f.pipelineLayout([other]), 0, [set]);
          f.device.cmdDispatch(commandBuffer, 1, 1, 1);
        },
      );
      negative(['VUID-vkCmdDispatch-None-02699'], 'a set whose uniform buffer binding was never written', (f) => {
        const objects = f.compute();
        const { set } = f.descriptorSet(objects.setLayout);
        f.device.updateDescriptorSets([
          {
            dstSet: set,
            dstBinding: 0,
            descriptorType: STORAGE,
            bufferInfo: [{ buffer: objects.storage.buffer, offset: 0, range: 64 }],
          },
        ]);
        const commandBuffer = f.commandBuffer();
        f.device.beginCommandBuffer(commandBuffer);
        f.device.cmdBindPipeline(commandBuffer, 1, objects.pipeline);
        f.device.cmdBindDescriptorSets(commandBuffer, 1, objects.layout, 0, [set]);
        f.device.cmdDispatch(commandBuffer, 1, 1, 1);
      });
    });

    describe('queueSubmit and fences', () => {
      negative(['VUID-vkQueueSubmit-fence-00063'], 'a signaled fence', (f) => f.submit([f.recorded()], f.fence(true)));
      negative(['VUID-vkQueueSubmit-fence-00064'], 'a fence a pending submission will signal', (f) => {
        const { fence } = f.pendingDispatch(f.compute());
        f.submit([f.recorded()], fence);
      });
      negative(['VUID-vkQueueSubmit-pCommandBuffers-00070'], 'a command buffer in the initial state', (f) =>
        f.submit([f.commandBuffer()]),
      );
      negative(['VUID-vkQueueSubmit-pCommandBuffers-00070'], 'a command buffer still recording', (f) => {
        const commandBuffer = f.commandBuffer();
        f.device.beginCommandBuffer(commandBuffer);
        f.submit([commandBuffer]);
      });
      negative(
        ['VUID-vkQueueSubmit-pCommandBuffers-00070'],
        'a command buffer made invalid: a buffer it copies was destroyed',
        (f) => {
          const a = f.hostBuffer(64);
          const b = f.hostBuffer(64);
          const commandBuffer = f.recorded((cb) =>
            f.device.cmdCopyBuffer(cb, a.buffer, b.buffer, [{ srcOffset: 0, dstOffset: 0, size: 64 }]),
          );
          f.device.destroyBuffer(a.buffer);
          f.submit([commandBuffer]);
        },
      );
      negative(['VUID-vkQueueSubmit-pCommandBuffers-00071'], 'a pending command buffer submitted again', (f) => {
        const { commandBuffer } = f.pendingDispatch(f.compute());
        f.submit([commandBuffer]);
      });
      negative(['VUID-vkQueueSubmit-pCommandBuffers-00071'], 'one command buffer twice in one call', (f) => {
        const commandBuffer = f.recorded();
        f.submit([commandBuffer, commandBuffer]);
      });
      negative(
        ['VUID-vkQueueSubmit-pCommandBuffers-00074'],
        'a command buffer of a pool of another queue family',
        (f) => {
          const other = f.families.find((family) => family !== f.family)!;
          f.submit([f.recorded(undefined, 0, f.commandPool(undefined, other))]);
        },
        TWO_FAMILIES,
      );
      negative(
        ['UNASSIGNED-DrawState-CommandBufferSingleSubmitViolation'],
        'a ONE_TIME_SUBMIT command buffer submitted again after its work completed (the Khronos layer’s identifier)',
        (f) => {
          const commandBuffer = f.recorded(undefined, ONE_TIME_SUBMIT);
          const fence = f.fence();
          f.submit([commandBuffer], fence);
          f.wait(fence);
          f.submit([commandBuffer]);
        },
      );
      negative(
        ['UNASSIGNED-DrawState-CommandBufferSingleSubmitViolation', 'VUID-vkQueueSubmit-pCommandBuffers-00071'],
        'a pending ONE_TIME_SUBMIT command buffer submitted again',
        (f) => {
          const commandBuffer = f.recorded(undefined, ONE_TIME_SUBMIT);
          f.submit([commandBuffer], f.fence());
          f.submit([commandBuffer]);
        },
      );
      negative(['VUID-vkResetFences-pFences-01123'], 'resetting a fence a pending submission will signal', (f) =>
        f.device.resetFences([f.pendingDispatch(f.compute()).fence]),
      );
      negative(['VUID-vkDestroyFence-fence-01120'], 'destroying a fence a pending submission will signal', (f) =>
        f.device.destroyFence(f.pendingDispatch(f.compute()).fence),
      );
    });

    describe('host access to mapped memory (vkmap’s own hazards)', () => {
      /** A copy of `size` bytes from `src` at `srcOffset` to `dst`, submitted with a fence (not waited for). */
      const pendingCopy = (
        f: Fixture,
        src: HostBuffer,
        dst: HostBuffer,
        size: number,
        srcOffset = 0,
        barrier = false,
      ) => {
        const commandBuffer = f.recorded((cb) => {
          f.device.cmdCopyBuffer(cb, src.buffer, dst.buffer, [{ srcOffset, dstOffset: 0, size }]);
          if (barrier) f.toHost(cb);
        });
        const fence = f.fence();
        f.submit([commandBuffer], fence);
        return fence;
      };

      negative(
        ['VKMAP-HOST-unflushed-write'],
        'the host writes non-coherent memory, does not flush, and submits a copy that reads it',
        (f) => {
          const upload = f.hostBuffer(256, USAGE_ALL, f.nonCoherentType);
          const target = f.hostBuffer(256);
          upload.mapping.data.fill(7, 0, 64);
          pendingCopy(f, upload, target, 64);
        },
        NON_COHERENT,
      );
      negative(
        ['VKMAP-HOST-read-before-wait'],
        'taking the data of a mapping that a pending copy writes in whole',
        (f) => {
          const source = f.hostBuffer(256);
          const target = f.hostBuffer(256);
          pendingCopy(f, source, target, Number(target.mapping.size), 0, true);
          target.mapping.data;
        },
      );
      negative(
        ['VKMAP-HOST-read-before-wait'],
        'invalidating non-coherent bytes a pending copy writes',
        (f) => {
          const source = f.hostBuffer(256);
          const target = f.hostBuffer(256, USAGE_ALL, f.nonCoherentType);
          pendingCopy(f, source, target, 64, 0, true);
          f.device.invalidateMappedMemoryRanges([{ memory: target.memory, offset: 0, size: VK_WHOLE_SIZE }]);
        },
        NON_COHERENT,
      );
      negative(
        ['VKMAP-HOST-read-without-host-barrier'],
        'taking the data of a mapping a completed copy wrote in whole, with no barrier to the host',
        (f) => {
          const source = f.hostBuffer(256);
          const target = f.hostBuffer(256);
          f.wait(pendingCopy(f, source, target, Number(target.mapping.size)));
          target.mapping.data;
        },
      );
      negative(
        ['VKMAP-HOST-read-without-host-barrier'],
        'invalidating non-coherent bytes a completed copy wrote with no barrier to the host',
        (f) => {
          const source = f.hostBuffer(256);
          const target = f.hostBuffer(256, USAGE_ALL, f.nonCoherentType);
          f.wait(pendingCopy(f, source, target, 64));
          f.device.invalidateMappedMemoryRanges([{ memory: target.memory, offset: 0, size: VK_WHOLE_SIZE }]);
        },
        NON_COHERENT,
      );
      negative(
        ['VKMAP-HOST-read-without-invalidate'],
        'taking the data of non-coherent memory a completed, barriered copy wrote in whole, without an invalidate',
        (f) => {
          const source = f.hostBuffer(256);
          const target = f.hostBuffer(256, USAGE_ALL, f.nonCoherentType);
          f.wait(pendingCopy(f, source, target, Number(target.mapping.size), 0, true));
          target.mapping.data;
        },
        NON_COHERENT,
      );
      negative(
        ['VKMAP-HOST-write-while-pending'],
        'flushing non-coherent bytes that a pending copy reads',
        (f) => {
          const upload = f.hostBuffer(256, USAGE_ALL, f.nonCoherentType);
          const target = f.hostBuffer(256);
          f.device.flushMappedMemoryRanges([{ memory: upload.memory, offset: 0, size: VK_WHOLE_SIZE }]);
          pendingCopy(f, upload, target, 64);
          f.device.flushMappedMemoryRanges([{ memory: upload.memory, offset: 0, size: VK_WHOLE_SIZE }]);
        },
        NON_COHERENT,
      );
      negative(
        ['VKMAP-HOST-write-while-pending'],
        'taking the data of a mapping a pending copy reads in whole',
        (f) => {
          const source = f.hostBuffer(256);
          const target = f.hostBuffer(Number(source.mapping.size));
          pendingCopy(f, source, target, Number(source.mapping.size));
          source.mapping.data;
        },
      );
      negative(['VKMAP-HOST-unmap-while-pending'], 'unmapping memory a pending copy reads', (f) => {
        const source = f.hostBuffer(256);
        pendingCopy(f, source, f.hostBuffer(256), 64);
        f.device.unmapMemory(source.memory);
      });
      negative(
        ['VKMAP-HOST-unmap-while-pending', 'VUID-vkFreeMemory-memory-00677'],
        'freeing mapped memory a pending copy reads',
        (f) => {
          const source = f.hostBuffer(256);
          pendingCopy(f, source, f.hostBuffer(256), 64);
          f.device.freeMemory(source.memory);
        },
      );

      it.skipIf(unavailable !== undefined)(
        `in 'report' mode a hazard is a warning: reported, and the call goes on${unavailable ? ` (skipped: ${unavailable})` : ''}`,
        () => {
          const f = new Fixture(target, 'report');
          try {
            const source = f.hostBuffer(256);
            pendingCopy(f, source, f.hostBuffer(256), 64);
            f.device.unmapMemory(source.memory);
            expect(f.reports.map((r) => [r.command, r.severity, r.failures.map((x) => x.vuid)])).toEqual([
              ['vkUnmapMemory', 'warning', ['VKMAP-HOST-unmap-while-pending']],
            ]);
            expect(source.mapping.isMapped).toBe(false);
            // A rule broken is an error: the call is skipped.
            f.device.freeMemory(source.memory);
            expect(f.reports.at(-1)).toMatchObject({ command: 'vkFreeMemory', severity: 'error' });
          } finally {
            f.device.destroy();
          }
        },
      );
    });

    describe('correct use reports nothing', () => {
      valid('a dispatch, a barrier to the host, the fence waited, the results read through the mapping', (f) => {
        const objects = f.compute(256);
        words(objects.storage.mapping, 4).set([1, 2, 3, 4]);
        words(objects.uniform.mapping, 1)[0] = 10;
        const commandBuffer = f.recorded((cb) => {
          f.recordDispatch(cb, objects, 4, 5);
          f.toHost(cb, STAGE_COMPUTE, ACCESS_SHADER_WRITE, objects.storage.buffer);
        });
        const fence = f.fence();
        f.submit([commandBuffer], fence);
        f.wait(fence);
        expect([...words(objects.storage.mapping, 4)]).toEqual([15, 25, 35, 45]);
      });

      valid(
        'the same on non-coherent memory, with a flush before the submit and an invalidate after the wait',
        (f) => {
          const objects = f.compute(256, f.nonCoherentType);
          const whole = (memory: Parameters<Device['freeMemory']>[0]) => [
            { memory: memory!, offset: 0, size: VK_WHOLE_SIZE },
          ];
          words(objects.storage.mapping, 4).set([1, 2, 3, 4]);
          words(objects.uniform.mapping, 1)[0] = 10;
          f.device.flushMappedMemoryRanges([...whole(objects.storage.memory), ...whole(objects.uniform.memory)]);
          const commandBuffer = f.recorded((cb) => {
            f.recordDispatch(cb, objects, 4, 5);
            f.toHost(cb, STAGE_COMPUTE, ACCESS_SHADER_WRITE);
          });
          const fence = f.fence();
          f.submit([commandBuffer], fence);
          f.wait(fence);
          f.device.invalidateMappedMemoryRanges(whole(objects.storage.memory));
          expect([...words(objects.storage.mapping, 4)]).toEqual([15, 25, 35, 45]);
        },
        NON_COHERENT,
      );

      valid('an asynchronous wait, then the results', async (f) => {
        const source = f.hostBuffer(256);
        const target = f.hostBuffer(256);
        source.mapping.data.fill(9);
        const commandBuffer = f.recorded((cb) => {
          f.device.cmdCopyBuffer(cb, source.buffer, target.buffer, [{ srcOffset: 0, dstOffset: 0, size: 256 }]);
          f.toHost(cb);
        });
        const fence = f.fence();
        f.submit([commandBuffer], fence);
        expect(await f.device.waitForFencesAsync([fence], true, UINT64_MAX)).toBe('VK_SUCCESS');
        expect(target.mapping.data[255]).toBe(9);
      });

      /**
       * The ring buffer: one buffer of three slots in one memory object, persistently mapped. Frame N writes slot
       * N % 3 (after waiting for frame N - 2, which also completes N - 3, the last user of that slot), flushes that
       * slot, and submits a copy of it; another frame's copy is always pending meanwhile.
       */
      const ring = (memoryType: 'coherent' | 'non-coherent') => (f: Fixture) => {
        const SLOT = 256;
        const type = memoryType === 'coherent' ? f.coherentType : f.nonCoherentType!;
        const ringBuffer = f.hostBuffer(3 * SLOT, USAGE_ALL, type);
        const out = f.hostBuffer(SLOT);
        const bytes = ringBuffer.mapping.data;
        const fences = [f.fence(), f.fence(), f.fence()];
        const commandBuffers = [0, 1, 2].map((slot) =>
          f.recorded((cb) =>
            f.device.cmdCopyBuffer(cb, ringBuffer.buffer, out.buffer, [
              { srcOffset: slot * SLOT, dstOffset: 0, size: SLOT },
            ]),
          ),
        );
        for (let frame = 0; frame < 12; frame++) {
          const slot = frame % 3;
          if (frame >= 2) f.wait(fences[(frame - 2) % 3]!);
          if (frame >= 3) f.device.resetFences([fences[slot]!]);
          bytes.fill(frame, slot * SLOT, (slot + 1) * SLOT);
          f.device.flushMappedMemoryRanges([{ memory: ringBuffer.memory, offset: slot * SLOT, size: SLOT }]);
          f.submit([commandBuffers[slot]!], fences[slot]);
        }
        f.device.deviceWaitIdle();
      };
      valid(
        'a ring buffer of three slots in coherent memory, a frame in flight while the next is written',
        ring('coherent'),
      );
      valid(
        'a ring buffer of three slots in non-coherent memory, each slot flushed before its copy',
        ring('non-coherent'),
        NON_COHERENT,
      );
    });
  });
}
