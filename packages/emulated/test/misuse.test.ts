import { describe, expect, it } from 'vitest';
import { VK_WHOLE_SIZE, VkError, VkmapArgumentError, VkmapError, VkmapStateError } from '@vkmap/core';
import { createEmulatedInstance } from '@vkmap/emulated';
import { capture, COHERENT, DEVICE_LOCAL, makeDevice, NON_COHERENT, pattern, testProfile } from './fixtures.js';

/** Without the validation layer, misuse must give a clear vkmap error and leave other allocations intact. */
describe('misuse without the validation layer', () => {
  const cases: Array<[string, (ctx: Ctx) => unknown, RegExp]> = [
    ['map of a non-host-visible type', ({ device, local }) => device.mapMemory(local, 0, 16), /not HOST_VISIBLE/],
    ['double map', ({ device, victim }) => device.mapMemory(victim, 0, 16), /already mapped/],
    ['offset past the end', ({ device, spare }) => device.mapMemory(spare, 4096, 1), /is not inside/],
    ['size past the end', ({ device, spare }) => device.mapMemory(spare, 4000, 200), /past the end of/],
    ['size 0', ({ device, spare }) => device.mapMemory(spare, 0, 0), /map at least one byte/],
    ['negative offset', ({ device, spare }) => device.mapMemory(spare, -1, 16), /negative/],
    ['fractional size', ({ device, spare }) => device.mapMemory(spare, 0, 1.5), /whole number/],
    ['unmap of unmapped memory', ({ device, spare }) => device.unmapMemory(spare), /not mapped/],
    [
      'flush of unmapped memory',
      ({ device, spare }) => device.flushMappedMemoryRanges([{ memory: spare, offset: 0, size: 64 }]),
      /not mapped/,
    ],
    [
      'flush past the allocation',
      ({ device, victim }) => device.flushMappedMemoryRanges([{ memory: victim, offset: 9984, size: 64 }]),
      /not inside the mapping/,
    ],
    ['a non-array of ranges', ({ device }) => device.invalidateMappedMemoryRanges({} as never), /array/],
    ['a handle that is not memory', ({ device }) => device.mapMemory({} as never, 0, 16), /VkDeviceMemory/],
    [
      'a handle of another device',
      ({ device, foreign }) => device.mapMemory(foreign, 0, 16),
      /allocated from another device/,
    ],
    ['double free', ({ device, freed }) => device.freeMemory(freed), /freed/],
    [
      'allocation of size 0',
      ({ device }) => device.allocateMemory({ allocationSize: 0, memoryTypeIndex: COHERENT }),
      /at least one byte/,
    ],
    [
      'memory type out of range',
      ({ device }) => device.allocateMemory({ allocationSize: 16, memoryTypeIndex: 9 }),
      /not a memory type of this device, which has 4/,
    ],
    ['missing allocate info', ({ device }) => device.allocateMemory(undefined as never), /pAllocateInfo/],
  ];

  it.each(cases)('%s', (_, misuse, message) => {
    const ctx = setup();
    const error = capture(() => misuse(ctx));
    expect(error).toBeInstanceOf(VkmapError);
    expect(error).not.toBeInstanceOf(VkError);
    expect((error as Error).message).toMatch(message);
    expect(ctx.device.deviceRead(ctx.victim, 0, 4096)).toEqual(pattern(4096));
    expect(ctx.victimMapping.data).toEqual(pattern(4096));
  });

  it('misuse errors are argument or state errors', () => {
    const ctx = setup();
    expect(() => ctx.device.mapMemory(ctx.spare, -1, 1)).toThrow(VkmapArgumentError);
    expect(() => ctx.device.unmapMemory(ctx.spare)).toThrow(VkmapStateError);
  });
});

describe('device creation', () => {
  it('refuses extensions the profile lacks with VK_ERROR_EXTENSION_NOT_PRESENT', () => {
    const pd = createEmulatedInstance({
      profiles: [{ ...testProfile, extensions: [], mapMemoryPlaced: undefined }],
    }).enumeratePhysicalDevices()[0]!;
    const error = capture(() => pd.createDevice({ enabledExtensionNames: ['VK_EXT_map_memory_placed'] }));
    expect((error as VkError).result).toBe('VK_ERROR_EXTENSION_NOT_PRESENT');
  });

  it('refuses features the device lacks with VK_ERROR_FEATURE_NOT_PRESENT', () => {
    const profile = {
      ...testProfile,
      mapMemoryPlaced: { ...testProfile.mapMemoryPlaced!, memoryMapRangePlaced: false },
    };
    const pd = createEmulatedInstance({ profiles: [profile] }).enumeratePhysicalDevices()[0]!;
    const error = capture(() =>
      pd.createDevice({
        enabledExtensionNames: ['VK_EXT_map_memory_placed'],
        enabledFeatures: { mapMemoryPlaced: { memoryMapRangePlaced: true } },
      }),
    );
    expect((error as VkError).result).toBe('VK_ERROR_FEATURE_NOT_PRESENT');
  });

  it('refuses placed features without the extension', () => {
    const pd = createEmulatedInstance({ profiles: [testProfile] }).enumeratePhysicalDevices()[0]!;
    expect(() => pd.createDevice({ enabledFeatures: { mapMemoryPlaced: { memoryMapPlaced: true } } })).toThrow(
      /needs VK_EXT_map_memory_placed/,
    );
  });

  it('refuses an invalid user profile with every problem named', () => {
    expect(() =>
      createEmulatedInstance({
        profiles: [{ ...testProfile, limits: { ...testProfile.limits, nonCoherentAtomSize: 3 } }],
      }),
    ).toThrow(/nonCoherentAtomSize/);
  });
});

interface Ctx {
  device: ReturnType<typeof makeDevice>;
  victim: ReturnType<ReturnType<typeof makeDevice>['allocateMemory']>;
  victimMapping: ReturnType<ReturnType<typeof makeDevice>['mapMemory']>;
  spare: Ctx['victim'];
  local: Ctx['victim'];
  freed: Ctx['victim'];
  foreign: Ctx['victim'];
}

function setup(): Ctx {
  const device = makeDevice();
  const victim = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: NON_COHERENT });
  const victimMapping = device.mapMemory(victim, 0, VK_WHOLE_SIZE);
  victimMapping.data.set(pattern(4096));
  device.flushMappedMemoryRanges([{ memory: victim, offset: 0, size: VK_WHOLE_SIZE }]);
  const spare = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: COHERENT });
  const local = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: DEVICE_LOCAL });
  const freed = device.allocateMemory({ allocationSize: 64, memoryTypeIndex: COHERENT });
  device.freeMemory(freed);
  const foreign = makeDevice().allocateMemory({ allocationSize: 64, memoryTypeIndex: COHERENT });
  return { device, victim, victimMapping, spare, local, freed, foreign };
}
