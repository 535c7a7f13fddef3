import { describe, expect, it } from 'vitest';
import {
  argumentOf,
  COMMAND_ERROR_RESULTS,
  COMMANDS,
  decodePhysicalDeviceLimits,
  FAULTABLE_COMMANDS,
  frontAnswer,
  isDeviceCommandAvailable,
  PHYSICAL_DEVICE_LIMITS,
  requiredLimits,
  VK_API_VERSION_1_3,
  VK_WHOLE_SIZE,
  VkMemoryMapFlagBits,
  VkStructureType,
  VkmapArgumentError,
  VkmapStateError,
  withValidation,
  type Device,
} from '@vkmap/core';
import { createEmulatedInstance } from '@vkmap/emulated';
import { stress14, TYPE_COHERENT } from './validation/helpers.js';

function device(): Device {
  return createEmulatedInstance({ profiles: [stress14] })
    .enumeratePhysicalDevices()[0]!
    .createDevice({
      enabledExtensionNames: ['VK_EXT_map_memory_placed'],
      enabledFeatures: { mapMemoryPlaced: { memoryMapPlaced: true } },
    });
}

/** An object whose every member read is counted. */
function counted<T extends object>(value: T, reads: Map<string, number>, prefix: string): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string') reads.set(`${prefix}${key}`, (reads.get(`${prefix}${key}`) ?? 0) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
}

describe('the checked front reads each argument once', () => {
  for (const layered of [false, true]) {
    it(`a map info and its chain, and a range array, each member once${layered ? ' (under the validation layer)' : ''}`, () => {
      const bare = device();
      const target = layered ? withValidation(bare) : bare;
      const memory = target.allocateMemory({ allocationSize: 8192, memoryTypeIndex: TYPE_COHERENT });
      const reads = new Map<string, number>();
      const chain = counted(
        { sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT, pPlacedAddress: 0n, pNext: null },
        reads,
        'placed.',
      );
      const mapping = target.mapMemory2(
        counted({ memory, offset: 0, size: VK_WHOLE_SIZE, flags: 0, pNext: chain }, reads, 'info.'),
      );
      for (const [member, count] of reads) expect(count, member).toBe(1);
      expect([...reads.keys()]).toEqual(
        expect.arrayContaining(['info.memory', 'info.offset', 'info.size', 'info.flags', 'info.pNext', 'placed.sType']),
      );
      reads.clear();
      target.flushMappedMemoryRanges(
        counted([counted({ memory, offset: 0, size: VK_WHOLE_SIZE }, reads, 'range.')], reads, 'ranges.'),
      );
      expect(reads.get('ranges.length')).toBe(1);
      expect(reads.get('ranges.0')).toBe(1);
      for (const member of ['memory', 'offset', 'size', 'sType', 'pNext'])
        expect(reads.get(`range.${member}`), member).toBe(1);
      expect(mapping.isMapped).toBe(true);
      target.destroy();
    });
  }

  it('a getter that changes its answer cannot slip past the checks', () => {
    const target = device();
    const memory = target.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT });
    let calls = 0;
    const info = {
      memory,
      offset: 0,
      get size() {
        calls += 1;
        return calls === 1 ? 4096 : 1 << 30; // a second read would see a size past the end
      },
    };
    expect(target.mapMemory2(info).size).toBe(4096n);
    expect(calls).toBe(1);
  });
});

describe('one wording of misuse', () => {
  it('names arguments by their Vulkan parameter paths', () => {
    expect(argumentOf('vkMapMemory', 'VUID-vkMapMemory-offset-00679', undefined)).toBe('offset');
    expect(argumentOf('vkMapMemory2', 'VUID-VkMemoryMapInfo-memory-07958', undefined)).toBe('pMemoryMapInfo.memory');
    expect(argumentOf('vkMapMemory2KHR', 'UNASSIGNED-VkMemoryMapInfo-memory-parent', undefined)).toBe(
      'pMemoryMapInfo.memory',
    );
    expect(argumentOf('vkFlushMappedMemoryRanges', 'VUID-VkMappedMemoryRange-size-00685', 2)).toBe(
      'pMemoryRanges[2].size',
    );
    expect(argumentOf('vkMapMemory2', 'VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09577', undefined)).toBe(
      'VkMemoryMapPlacedInfoEXT.pPlacedAddress',
    );
  });

  it('refuses with the class the command table gives, naming the argument and the rule', () => {
    const target = device();
    const memory = target.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT });
    target.mapMemory(memory, 0, VK_WHOLE_SIZE);
    const again = (() => {
      try {
        target.mapMemory2({ memory, offset: 0, size: 16 });
      } catch (error) {
        return error;
      }
    })();
    expect(again).toBeInstanceOf(VkmapStateError);
    expect((again as VkmapStateError).argument).toBe('pMemoryMapInfo.memory');
    expect((again as Error).message).toMatch(
      /^pMemoryMapInfo\.memory: VkDeviceMemory 0x\w+ is already mapped .*\(VUID-VkMemoryMapInfo-memory-07958\)$/,
    );
    expect(() => target.mapMemory2({ memory, offset: 0, size: 16, flags: 0x8 })).toThrow(VkmapArgumentError);
    // A range off the atom grid never reaches a backend, validation or not.
    expect(() => target.flushMappedMemoryRanges([{ memory, offset: 3, size: 5 }])).toThrow(
      /pMemoryRanges\[0\]\.offset: 3 bytes is not a multiple of nonCoherentAtomSize .*VUID-VkMappedMemoryRange-offset-00687/,
    );
    expect(frontAnswer('vkFlushMappedMemoryRanges', 'VUID-VkMappedMemoryRange-offset-00687')).toBeUndefined();
    expect(frontAnswer('vkAllocateMemory', 'VUID-vkAllocateMemory-pAllocateInfo-01713')).toBe(
      'VK_ERROR_OUT_OF_DEVICE_MEMORY',
    );
    expect(VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT).toBe(1);
  });
});

describe('the command table', () => {
  it('is where the other command tables come from', () => {
    expect(Object.keys(COMMAND_ERROR_RESULTS)).toEqual(Object.keys(COMMANDS));
    expect(FAULTABLE_COMMANDS).toEqual([
      'vkAllocateMemory',
      'vkMapMemory',
      'vkMapMemory2',
      'vkUnmapMemory2',
      'vkFlushMappedMemoryRanges',
      'vkInvalidateMappedMemoryRanges',
    ]);
    expect(isDeviceCommandAvailable('vkMapMemory2', VK_API_VERSION_1_3, new Set())).toBe(false);
    expect(isDeviceCommandAvailable('vkMapMemory2KHR', VK_API_VERSION_1_3, new Set(['VK_KHR_map_memory2']))).toBe(true);
    expect(isDeviceCommandAvailable('vkCreateDevice', VK_API_VERSION_1_3, new Set())).toBe(false);
  });
});

describe('VkPhysicalDeviceLimits', () => {
  it('decodes the C structure member by member from the one table', () => {
    const limits = requiredLimits(1n << 30n);
    expect(Object.keys(limits)).toHaveLength(Object.keys(PHYSICAL_DEVICE_LIMITS).length + 1);
    // The structure as a 64-bit C compiler lays it out: 504 bytes, nonCoherentAtomSize last.
    const bytes = new Uint8Array(504);
    const view = new DataView(bytes.buffer);
    view.setUint32(36, 4096, true); // maxMemoryAllocationCount
    view.setBigUint64(496, 64n, true); // nonCoherentAtomSize
    view.setBigUint64(304, 64n, true); // minMemoryMapAlignment (size_t)
    const decoded = decodePhysicalDeviceLimits(bytes, 8, true, 1n << 30n);
    expect(decoded.maxMemoryAllocationCount).toBe(4096);
    expect(decoded.nonCoherentAtomSize).toBe(64n);
    expect(decoded.minMemoryMapAlignment).toBe(64);
    expect(decoded.maxComputeWorkGroupSize).toEqual([0, 0, 0]);
    expect(() => decodePhysicalDeviceLimits(new Uint8Array(500), 8, true, 0n)).toThrow(/504 bytes/);
  });
});

describe('the front tells its handles apart by what each carries', () => {
  const misuse = (call: () => unknown) => {
    try {
      call();
    } catch (error) {
      return String((error as Error).message);
    }
    return 'no error';
  };

  it('a freed handle, another device’s, a forged one and a Proxy of a live one: each named for what it is', () => {
    const first = device();
    const second = device();
    const live = first.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT });
    const freed = first.allocateMemory({ allocationSize: 4096, memoryTypeIndex: TYPE_COHERENT });
    first.freeMemory(freed);
    const forged = Object.create(Object.getPrototypeOf(live) as object) as typeof live;
    let trapped = 0;
    const proxy = new Proxy(live, {
      get(target, key, receiver) {
        trapped++;
        return Reflect.get(target, key, receiver);
      },
    });

    expect(misuse(() => first.mapMemory(freed, 0, VK_WHOLE_SIZE))).toMatch(
      /has been freed \(VUID-vkMapMemory-memory-parameter\)/,
    );
    expect(misuse(() => second.mapMemory(live, 0, VK_WHOLE_SIZE))).toMatch(
      /was allocated from another device, not this one \(VUID-vkMapMemory-memory-parent\)/,
    );
    expect(misuse(() => first.mapMemory(forged, 0, VK_WHOLE_SIZE))).toMatch(
      /is an object, not a VkDeviceMemory handle/,
    );
    // A Proxy is not the handle the front issued: refused as no handle, read once at most (the snapshot).
    expect(misuse(() => first.unmapMemory(proxy))).toMatch(/is an object, not a VkDeviceMemory handle/);
    expect(trapped).toBeLessThanOrEqual(2);
    // A handle stays frozen while the front records its state in it.
    expect(Object.isFrozen(live)).toBe(true);
    first.freeMemory(live);
    expect(misuse(() => first.freeMemory(live))).toMatch(/has been freed \(VUID-vkFreeMemory-memory-parameter\)/);
  });
});
