/**
 * Arguments are read once, before anything is checked or done (issue 15): cyclic and over-long pNext chains
 * are refused by name, getters that free memory or destroy the device while a call reads its arguments
 * cannot make the call act on what they ended, and a nested call cannot clear the failures of the call
 * around it.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_CHAIN_LENGTH,
  VK_WHOLE_SIZE,
  ValidationError,
  VkBufferUsageFlagBits,
  VkmapArgumentError,
  VkmapStateError,
  VkStructureType,
  withValidation,
  type Device,
  type DeviceMemory,
} from '@vkmap/core';
import { snapshotChain } from '../src/snapshot.js';
import { SCALE_SPIRV } from './validation/compute/fixture.js';
import { bareDevice, placedDevice, stress14, TYPE_COHERENT, TYPE_NON_COHERENT } from './validation/helpers.js';

const { VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO, VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT } = VkStructureType;

function capture(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

function bare(): Device {
  return bareDevice({ profile: stress14 });
}

/** A bare and a validated device of the stress profile at 1.4 (placed maps enabled on the validated one). */
const DEVICES: readonly [string, () => Device][] = [
  ['the checked front', bare],
  ['the validation layer', () => placedDevice()],
];

/** A chain of `length` structures whose last one points back to the one at `backTo`. */
function cycle(sType: number, length: number, backTo: number, extra: Record<string, unknown> = {}) {
  const nodes = Array.from({ length }, () => ({ sType, ...extra }) as Record<string, unknown>);
  nodes.forEach((node, i) => (node.pNext = nodes[i + 1] ?? nodes[backTo]));
  return nodes[0]!;
}

describe('pNext chains are walked once, bounded', () => {
  it('a cycle is refused by the snapshot, naming the parameter', () => {
    const error = capture(() => snapshotChain(cycle(1, 3, 1), 'pAllocateInfo'));
    expect(error).toBeInstanceOf(VkmapArgumentError);
    expect((error as VkmapArgumentError).argument).toBe('pAllocateInfo.pNext');
    expect(error.message).toMatch(/^pAllocateInfo\.pNext: the chain has a cycle: structure 3 .* back to structure 1/);
  });

  it('a chain longer than MAX_CHAIN_LENGTH is refused; one of that length is copied', () => {
    const long = (length: number) =>
      Array.from({ length }, () => ({ sType: 7 }) as Record<string, unknown>).reduceRight<unknown>(
        (next, node) => Object.assign(node, { pNext: next }),
        null,
      );
    expect(() => snapshotChain(long(MAX_CHAIN_LENGTH + 1), 'pMemoryMapInfo')).toThrow(
      /^pMemoryMapInfo\.pNext: the chain is longer than 16 structures/,
    );
    let copied = snapshotChain(long(MAX_CHAIN_LENGTH), 'x') as { pNext?: unknown } | null;
    let count = 0;
    for (; copied; copied = copied.pNext as typeof copied) count++;
    expect(count).toBe(MAX_CHAIN_LENGTH);
  });

  it('each pNext is read once: a getter that answers null first and a cycle after is seen as null', () => {
    let reads = 0;
    const node: Record<string, unknown> = { sType: 1 };
    Object.defineProperty(node, 'pNext', {
      get: () => (reads++ === 0 ? null : node),
    });
    const copy = snapshotChain(node, 'pAllocateInfo') as Record<string, unknown>;
    expect(reads).toBe(1);
    expect(copy.pNext).toBeNull();
  });

  it.each(DEVICES)('every command with a pNext refuses a cyclic chain and changes nothing (%s)', (_, make) => {
    const device = make();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_NON_COHERENT });
    const self: Record<string, unknown> = { sType: VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO, flags: 0 };
    self.pNext = self;
    const expectCycle = (act: () => unknown, argument: string) => {
      const error = capture(act);
      expect(error, argument).toBeInstanceOf(VkmapArgumentError);
      expect((error as VkmapArgumentError).argument).toBe(argument);
      expect(error.message).toMatch(/the chain has a cycle/);
    };
    expectCycle(
      () => device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT, pNext: self as never }),
      'pAllocateInfo.pNext',
    );
    expectCycle(
      () => device.mapMemory2({ memory, offset: 0, size: VK_WHOLE_SIZE, pNext: self as never }),
      'pMemoryMapInfo.pNext',
    );
    const range = device.reserveAddressRange(4096);
    expectCycle(
      () =>
        device.mapMemory2({
          memory,
          offset: 0,
          size: VK_WHOLE_SIZE,
          flags: 1,
          pNext: cycle(VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT, 1, 0, { pPlacedAddress: range.address }) as never,
        }),
      'pMemoryMapInfo.pNext',
    );
    device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
    expectCycle(
      () => device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE, pNext: self as never }]),
      'pMemoryRanges[0].pNext',
    );
    expectCycle(
      () =>
        device.invalidateMappedMemoryRanges([
          { memory, offset: 0, size: VK_WHOLE_SIZE },
          { memory, offset: 0, size: VK_WHOLE_SIZE, pNext: self as never },
        ]),
      'pMemoryRanges[1].pNext',
    );
    expectCycle(() => device.unmapMemory2({ memory, pNext: self as never }), 'pMemoryUnmapInfo.pNext');
    expect(device.mapMemory2.length).toBe(1);
    device.unmapMemory(memory); // still mapped: every refused call changed nothing
    device.freeMemory(memory);
    range.release();
    device.destroy();
  });

  it.each(DEVICES)('the compute create infos take no pNext: a cyclic one is never walked (%s)', (_, make) => {
    const device = make();
    const self: Record<string, unknown> = { sType: 12 };
    self.pNext = self;
    const buffer = device.createBuffer({
      size: 256n,
      usage: VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
      pNext: self,
    } as never);
    const pool = device.createCommandPool({ queueFamilyIndex: 1, pNext: self } as never);
    device.allocateCommandBuffers({ commandPool: pool, commandBufferCount: 1, pNext: self } as never);
    device.createFence({ pNext: self } as never);
    device.destroyBuffer(buffer);
    device.destroy();
  });
});

describe('getters that end objects while a call reads its arguments', () => {
  it.each(DEVICES)(
    'allocateMemory on a device a getter destroyed is refused, and nothing is allocated (%s)',
    (_, make) => {
      const device = make();
      const error = capture(() =>
        device.allocateMemory({
          get allocationSize() {
            device.destroy();
            return 4096;
          },
          memoryTypeIndex: TYPE_COHERENT,
        }),
      );
      expect(error).toBeInstanceOf(error instanceof ValidationError ? ValidationError : VkmapStateError);
      expect(error.message).toMatch(/device has been destroyed/);
    },
  );

  it.each(DEVICES)('mapMemory2 of memory a getter freed is refused: no mapping of freed memory (%s)', (_, make) => {
    const device = make();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT });
    let reads = 0;
    const error = capture(() =>
      device.mapMemory2({
        memory,
        get offset() {
          reads++;
          device.freeMemory(memory);
          return 0;
        },
        size: VK_WHOLE_SIZE,
      }),
    );
    expect(reads).toBe(1);
    expect(error.message).toMatch(/has been freed/);
    expect(() => device.freeMemory(memory)).toThrow(/has been freed/);
    device.destroy();
  });

  it.each(DEVICES)('mapMemory2 on a device a getter destroyed is refused as such (%s)', (_, make) => {
    const device = make();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT });
    const error = capture(() =>
      device.mapMemory2({
        memory,
        offset: 0,
        get size() {
          device.destroy();
          return VK_WHOLE_SIZE;
        },
      }),
    );
    expect(error.message).toMatch(/device has been destroyed/);
  });

  it.each(DEVICES)('a flush whose range getter unmaps the memory never reaches the backend (%s)', (_, make) => {
    const device = make();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_NON_COHERENT });
    device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
    const error = capture(() =>
      device.flushMappedMemoryRanges([
        {
          get memory(): DeviceMemory {
            device.unmapMemory(memory);
            return memory;
          },
          offset: 0,
          size: VK_WHOLE_SIZE,
        },
      ]),
    );
    expect(error.message).toMatch(/is not mapped/);
    device.destroy();
  });

  it('the layer reads each member once: a memory getter that frees on its second read changes nothing', () => {
    const device = placedDevice();
    const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT });
    let reads = 0;
    const mapping = device.mapMemory2({
      get memory() {
        if (reads++ === 1) device.freeMemory(memory);
        return memory;
      },
      offset: 0,
      size: VK_WHOLE_SIZE,
    });
    expect(reads).toBe(1);
    expect(mapping.data.length).toBe(4096);
    device.unmapMemory(memory);
    device.freeMemory(memory);
    device.destroy();
  });

  it('a compute command whose later argument ends an earlier one checks what the getter left (cmdCopyBuffer)', () => {
    const device = bare();
    const usage =
      VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    const memory = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: TYPE_COHERENT });
    const [src, dst] = [0n, 32768n].map((offset) => {
      const buffer = device.createBuffer({ size: 256n, usage });
      device.bindBufferMemory(buffer, memory, offset);
      return buffer;
    });
    const pool = device.createCommandPool({ queueFamilyIndex: 1 });
    const [commandBuffer] = device.allocateCommandBuffers({ commandPool: pool, commandBufferCount: 1 });
    device.beginCommandBuffer(commandBuffer!);
    const error = capture(() =>
      device.cmdCopyBuffer(commandBuffer!, src!, dst!, [
        {
          get srcOffset() {
            device.destroyBuffer(src!);
            return 0;
          },
          dstOffset: 0,
          size: 16,
        },
      ]),
    );
    expect(error).toBeInstanceOf(VkmapStateError);
    expect((error as VkmapStateError).argument).toBe('srcBuffer');
    expect(error.message).toMatch(/has been destroyed/);
    device.endCommandBuffer(commandBuffer!);
    device.destroy();
  });
});

describe('a nested call cannot clear the failures of the call around it', () => {
  it('an invalid flush stays refused when a getter of it makes a valid call on the same validated device', () => {
    const device = placedDevice();
    const a = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_NON_COHERENT });
    const b = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_NON_COHERENT });
    device.mapMemory(a, 0n, VK_WHOLE_SIZE);
    device.mapMemory(b, 0n, VK_WHOLE_SIZE);
    const error = capture(() =>
      device.flushMappedMemoryRanges([
        { memory: a, offset: 3, size: 256 },
        {
          memory: b,
          get offset() {
            device.flushMappedMemoryRanges([{ memory: b, offset: 0, size: VK_WHOLE_SIZE }]);
            try {
              device.flushMappedMemoryRanges([{ memory: b, offset: 0, size: -1 }]);
            } catch {
              // a nested call that throws part way must not leave failures behind either
            }
            return 0;
          },
          size: VK_WHOLE_SIZE,
        },
      ]),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).failures.map((f) => f.vuid)).toEqual(['VUID-VkMappedMemoryRange-offset-00687']);
    device.destroy();
  });

  it('a shader reflector that calls the device does not clear the failures already found', () => {
    let calls = 0;
    const device: Device = withValidation(bare(), {
      reflectShader: () => {
        calls++;
        // The second module's reflection makes a call of its own, after the first pipeline broke 07988.
        if (calls === 2) device.flushMappedMemoryRanges([]);
        return {
          entryPoints: [
            {
              name: 'main',
              bindings: [{ set: 0, binding: 0, descriptorType: 7, descriptorCount: 1 }],
              pushConstants: undefined,
            },
          ],
        };
      },
    });
    const code = SCALE_SPIRV;
    const layout = device.createPipelineLayout({ setLayouts: [], pushConstantRanges: [] });
    const stages = [0, 1].map(() => ({ stage: 0x20, module: device.createShaderModule({ code }), name: 'main' }));
    const error = capture(() => device.createComputePipelines(stages.map((stage) => ({ stage, layout }))));
    expect(calls).toBe(2);
    expect(error).toBeInstanceOf(ValidationError);
    const messages = (error as ValidationError).failures.map((f) => f.message);
    expect(messages.some((m) => m.startsWith('pCreateInfos[0]'))).toBe(true);
    device.destroy();
  });
});

describe('ranges outside the mapping or off the atom grid never reach a backend', () => {
  it.each(DEVICES)('before, at the end of and past the mapping; misaligned offsets and sizes (%s)', (_, make) => {
    const device = make();
    const memory = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: TYPE_NON_COHERENT });
    const mapping = device.mapMemory(memory, 4096n, 8192n);
    mapping.data.fill(9);
    const cases: [number | bigint, number | bigint, RegExp][] = [
      [0, 256, /VUID-VkMappedMemoryRange-size-00685/],
      [4096 + 8192, 256, /VUID-VkMappedMemoryRange-size-00685/],
      [4096 + 8192 - 256, 512, /VUID-VkMappedMemoryRange-size-00685/],
      [4096 + 8192, VK_WHOLE_SIZE, /VUID-VkMappedMemoryRange-size-00686/],
      [0, VK_WHOLE_SIZE, /VUID-VkMappedMemoryRange-size-00686/],
      [4097, 256, /VUID-VkMappedMemoryRange-offset-00687/],
      [4096, 100, /VUID-VkMappedMemoryRange-size-01390/],
    ];
    for (const [offset, size, rule] of cases) {
      for (const command of ['flushMappedMemoryRanges', 'invalidateMappedMemoryRanges'] as const) {
        const error = capture(() => device[command]([{ memory, offset, size }]));
        expect(error.message, `${command} ${offset} ${size}`).toMatch(rule);
      }
    }
    expect(mapping.data.every((b) => b === 9)).toBe(true);
    device.destroy();
  });
});
