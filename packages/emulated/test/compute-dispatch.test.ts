import { describe, expect, it } from 'vitest';
import { VkError, VkmapArgumentError, VkmapStateError } from '@vkmap/core';
import type { EmulatedCommand } from '../src/compute/records.js';
import type { ComputeKernel, KernelDispatch, ShaderExecutor } from '../src/compute/shader-executor.js';
import {
  allocate,
  boundBuffer,
  bytesOf,
  copy,
  makeBackend,
  STORAGE,
  UNIFORM,
  type BackendFixture,
} from './compute-fixtures.js';

const STORAGE_BUFFER = 7;
const UNIFORM_BUFFER = 6;
const SPIRV = Uint32Array.of(0x07230203, 0x00010000, 0, 1, 0);

/** A compute pipeline with one set: binding 0 storage, binding 1 uniform; 16 bytes of push constants. */
function pipelineOf(fixture: BackendFixture) {
  const { backend } = fixture;
  const setLayout = backend.createDescriptorSetLayout([
    { binding: 0, descriptorType: STORAGE_BUFFER, descriptorCount: 1, stageFlags: 0x20 },
    { binding: 1, descriptorType: UNIFORM_BUFFER, descriptorCount: 1, stageFlags: 0x20 },
  ]);
  const layout = backend.createPipelineLayout({
    setLayouts: [setLayout],
    pushConstantRanges: [{ stageFlags: 0x20, offset: 0, size: 16 }],
  });
  const module = backend.createShaderModule(SPIRV);
  const pipeline = backend.createComputePipeline({ module, entryPoint: 'main', specialization: undefined, layout });
  const pool = backend.createDescriptorPool({
    flags: 0,
    maxSets: 1,
    poolSizes: [
      { type: STORAGE_BUFFER, descriptorCount: 1 },
      { type: UNIFORM_BUFFER, descriptorCount: 1 },
    ],
  });
  const [set] = backend.allocateDescriptorSets(pool, [setLayout]);
  const memory = allocate(fixture, 0, 4096);
  const storage = boundBuffer(fixture, memory, 256, STORAGE);
  const uniform = boundBuffer(fixture, memory, 256, UNIFORM, 256n);
  backend.updateDescriptorSets([
    {
      set: set!,
      binding: 0,
      arrayElement: 0,
      descriptorType: STORAGE_BUFFER,
      buffers: [{ buffer: storage, offset: 0n, range: 64n }],
    },
    {
      set: set!,
      binding: 1,
      arrayElement: 0,
      descriptorType: UNIFORM_BUFFER,
      buffers: [{ buffer: uniform, offset: 16n, range: 16n }],
    },
  ]);
  const commands: EmulatedCommand[] = [
    { kind: 'bindPipeline', pipeline },
    { kind: 'bindDescriptorSets', layout, firstSet: 0, sets: [set!], dynamicOffsets: [] },
    { kind: 'pushConstants', layout, stageFlags: 0x20, offset: 4, values: Uint8Array.of(9, 8, 7, 6) },
    { kind: 'dispatch', groupCountX: 2, groupCountY: 3, groupCountZ: 4 },
  ];
  return { memory, storage, uniform, commands, module, pipeline };
}

describe('cmdDispatch without a shader executor', () => {
  it('records, and the submission is refused with a clear error that changes nothing', () => {
    const fixture = makeBackend('lavapipe');
    const { backend, family } = fixture;
    const { memory, storage, commands } = pipelineOf(fixture);
    const pool = backend.createCommandPool({ flags: 0, queueFamilyIndex: family });
    const [copying, dispatching] = backend.allocateCommandBuffers(pool, 2);
    const scratch = boundBuffer(fixture, memory, 64, STORAGE, 1024n);
    backend.deviceWrite(memory, 1024, bytesOf(64, 1));
    backend.recordCommandBuffer(copying!, 0, [copy(scratch, storage, 64)]);
    backend.recordCommandBuffer(dispatching!, 0, commands);
    expect(dispatching!.state).toBe('executable');
    const fence = backend.createFence(false);
    const before = backend.deviceRead(memory, 0, 4096);
    let error: unknown;
    try {
      backend.queueSubmit(backend.getQueue(family, 0), [[copying!], [dispatching!]], fence);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VkmapStateError);
    expect((error as Error).message).toMatch(/^cmdDispatch: the emulated backend does not execute SPIR-V yet/);
    expect((error as Error).message).toMatch(/command buffer 1 of the submission, command 3/);
    expect(backend.deviceRead(memory, 0, 4096)).toEqual(before);
    expect(backend.getFenceStatus(fence)).toBe(false);
    backend.queueSubmit(backend.getQueue(family, 0), [[copying!]], fence);
    expect(backend.getFenceStatus(fence)).toBe(true);
    expect(backend.deviceRead(memory, 0, 64)).toEqual(bytesOf(64, 1));
  });

  it('keeps the shader module words, its own copy', () => {
    const { backend } = makeBackend('lavapipe');
    const words = SPIRV.slice();
    const module = backend.createShaderModule(words);
    words[0] = 0;
    expect(module.code).toEqual(SPIRV);
  });
});

describe('cmdDispatch through a shader executor', () => {
  function fakeExecutor(seen: KernelDispatch[]): ShaderExecutor {
    return {
      loadModule: (code) => {
        if (code[4] === 0xbad) throw new VkmapArgumentError('pCreateInfo.pCode', 'uses an opcode the executor lacks');
        return { words: code.length };
      },
      compile: (module, { entryPoint }): ComputeKernel => {
        if (entryPoint !== 'main') throw new VkmapArgumentError('pCreateInfos[0].stage.pName', 'no such entry point');
        expect(module).toEqual({ words: 5 });
        return {
          dispatch(dispatch) {
            seen.push(dispatch);
            dispatch.bindings.get('0.0')!.fill(0xee);
            dispatch.bindings.get('0.1')!.fill(0xdd);
          },
        };
      },
    };
  }

  it('hands the kernel the bound bytes, group counts and push constants, and stores the storage buffers back', () => {
    const seen: KernelDispatch[] = [];
    const fixture = makeBackend('lavapipe', { shaderExecutor: fakeExecutor(seen) });
    const { backend, family } = fixture;
    const { memory, commands } = pipelineOf(fixture);
    backend.deviceWrite(memory, 272, bytesOf(16, 2));
    const pool = backend.createCommandPool({ flags: 0, queueFamilyIndex: family });
    const [commandBuffer] = backend.allocateCommandBuffers(pool, 1);
    backend.recordCommandBuffer(commandBuffer!, 0, commands);
    backend.queueSubmit(backend.getQueue(family, 0), [[commandBuffer!]], undefined);
    expect(seen).toHaveLength(0);
    backend.deviceWaitIdle();
    expect(seen).toHaveLength(1);
    const [dispatch] = seen;
    expect(dispatch).toMatchObject({ groupCountX: 2, groupCountY: 3, groupCountZ: 4 });
    expect([...dispatch!.bindings.keys()]).toEqual(['0.0', '0.1']);
    expect([...dispatch!.pushConstants.subarray(0, 12)]).toEqual([0, 0, 0, 0, 9, 8, 7, 6, 0, 0, 0, 0]);
    expect(dispatch!.pushConstants).toHaveLength(256);
    const after = backend.deviceRead(memory, 0, 512);
    expect(after.subarray(0, 64).every((b) => b === 0xee)).toBe(true);
    expect(after.subarray(64, 256).every((b) => b === 0)).toBe(true);
    expect(after.subarray(272, 288)).toEqual(bytesOf(16, 2));
  });

  it('lets the executor refuse a module or an entry point', () => {
    const fixture = makeBackend('lavapipe', { shaderExecutor: fakeExecutor([]) });
    expect(() => fixture.backend.createShaderModule(Uint32Array.of(0x07230203, 0x00010000, 0, 1, 0xbad))).toThrow(
      VkmapArgumentError,
    );
    const { module, pipeline } = pipelineOf(fixture);
    expect(pipeline.kernel).not.toBeNull();
    expect(() =>
      fixture.backend.createComputePipeline({
        module,
        entryPoint: 'other',
        specialization: undefined,
        layout: pipeline.layout,
      }),
    ).toThrow(/no such entry point/);
  });
});

describe('a shader fault while the queued work runs', () => {
  it('fails the wait that ran it with VK_ERROR_DEVICE_LOST, and every later submit and wait', () => {
    const faulting: ShaderExecutor = {
      loadModule: () => ({}),
      compile: (): ComputeKernel => ({
        dispatch() {
          throw new VkError('vkQueueSubmit', 'VK_ERROR_DEVICE_LOST', 'binding 0.0: word 64 is outside the bound range');
        },
      }),
    };
    const fixture = makeBackend('lavapipe', { shaderExecutor: faulting });
    const { backend, family } = fixture;
    const { commands } = pipelineOf(fixture);
    const pool = backend.createCommandPool({ flags: 0, queueFamilyIndex: family });
    const [commandBuffer] = backend.allocateCommandBuffers(pool, 1);
    backend.recordCommandBuffer(commandBuffer!, 0, commands);
    const fence = backend.createFence(false);
    const queue = backend.getQueue(family, 0);
    backend.queueSubmit(queue, [[commandBuffer!]], fence);
    expect(() => backend.waitForFences([fence], true, 0n)).toThrow(
      /^vkWaitForFences failed with VK_ERROR_DEVICE_LOST \(-4\): binding 0\.0: word 64 is outside the bound range$/,
    );
    expect(() => backend.getFenceStatus(fence)).toThrow(/^vkGetFenceStatus failed with VK_ERROR_DEVICE_LOST/);
    expect(() => backend.queueSubmit(queue, [[commandBuffer!]], undefined)).toThrow(
      /^vkQueueSubmit failed with VK_ERROR_DEVICE_LOST/,
    );
    expect(() => backend.deviceWaitIdle()).toThrow(/^vkDeviceWaitIdle failed with VK_ERROR_DEVICE_LOST/);
  });
});
