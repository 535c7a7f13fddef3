import { describe, expect, it } from 'vitest';
import {
  VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VkMemoryHeapFlagBits,
  VkMemoryPropertyFlagBits,
  VkmapArgumentError,
  apiVersionMajor,
  apiVersionMinor,
  apiVersionPatch,
  makeApiVersion,
} from '@vkmap/core';
import type { DeviceProfile, ProfileMemoryType } from '../src/profile.js';
import { builtInProfiles, getBuiltInProfile, nvidiaH100, stress } from '../src/profiles/index.js';
import { ALLOWED_MEMORY_PROPERTY_FLAGS, profileProblems, validateProfile } from '../src/validate-profile.js';

const DL = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
const HV = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
const HC = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
const HCACHED = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
const LAZY = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT;
const PROTECTED = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_PROTECTED_BIT;
const AMD_DC = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_COHERENT_BIT_AMD;
const AMD_DU = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_UNCACHED_BIT_AMD;
const HEAP_DL = VkMemoryHeapFlagBits.VK_MEMORY_HEAP_DEVICE_LOCAL_BIT;
const MIB = 2n ** 20n;

const has = (flags: number, bits: number) => (flags & bits) === bits;
const heapOf = (profile: DeviceProfile, type: ProfileMemoryType) => profile.memoryHeaps[type.heapIndex]!;
const isNonCoherentHostVisible = (flags: number) => has(flags, HV) && !has(flags, HC);

/** A small valid profile written the way a user would, as a plain object. */
function userProfile(): DeviceProfile {
  return {
    id: 'my-device',
    deviceName: 'My Device',
    deviceType: 2,
    vendorID: 0x1234,
    deviceID: 0x5678,
    driverVersion: 1,
    apiVersion: makeApiVersion(0, 1, 3, 0),
    memoryHeaps: [
      { size: 1024 * 1024 * 1024, flags: HEAP_DL },
      { size: 2n ** 32n, flags: 0 },
    ],
    memoryTypes: [
      { propertyFlags: DL, heapIndex: 0 },
      { propertyFlags: HV | HC, heapIndex: 1 },
      { propertyFlags: HV | HC | HCACHED, heapIndex: 1 },
    ],
    limits: {
      minMemoryMapAlignment: 64,
      nonCoherentAtomSize: 64,
      maxMemoryAllocationCount: 4096,
      maxMemoryAllocationSize: 2 ** 30,
      bufferImageGranularity: 1024,
    },
    extensions: [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME],
    hostAddressSpaceSize: 2n ** 47n,
    hostPageSize: 4096,
    source: 'made up for a test',
  };
}

/** userProfile() with some fields replaced; `undefined` values delete the field. */
function withChanges(changes: Record<string, unknown>): Record<string, unknown> {
  const profile: Record<string, unknown> = { ...userProfile(), ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete profile[key];
  return profile;
}

function expectProblemAbout(profile: unknown, ...fragments: string[]): void {
  const problems = profileProblems(profile);
  expect(
    problems.some((problem) => fragments.every((fragment) => problem.includes(fragment))),
    `expected a problem mentioning ${fragments.join(' + ')}; got:\n${problems.join('\n')}`,
  ).toBe(true);
}

describe('built-in profiles', () => {
  it.each(builtInProfiles.map((profile) => [profile.id, profile] as const))('%s is valid', (_id, profile) => {
    expect(profileProblems(profile)).toEqual([]);
    expect(validateProfile(profile)).toBe(profile);
  });

  it('have unique ids and say where their numbers come from', () => {
    const ids = builtInProfiles.map((profile) => profile.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const profile of builtInProfiles) expect(profile.source.length).toBeGreaterThan(40);
  });

  it('are found by id, and an unknown id lists the known ones', () => {
    expect(getBuiltInProfile('nvidia-h100')).toBe(nvidiaH100);
    expect(() => getBuiltInProfile('nope')).toThrow(VkmapArgumentError);
    expect(() => getBuiltInProfile('nope')).toThrow(/nvidia-h100.*stress/s);
  });

  it('include an NVIDIA card without resizable BAR: a DEVICE_LOCAL heap of at most 256 MiB with a host-visible type', () => {
    const found = builtInProfiles.filter(
      (profile) =>
        profile.vendorID === 0x10de &&
        profile.memoryTypes.some((type) => {
          const heap = heapOf(profile, type);
          return has(type.propertyFlags, DL | HV) && has(heap.flags, HEAP_DL) && BigInt(heap.size) <= 256n * MIB;
        }),
    );
    expect(found.length).toBeGreaterThan(0);
  });

  it('include an NVIDIA card with resizable BAR: a host-visible DEVICE_LOCAL type on a heap larger than 1 GiB', () => {
    const found = builtInProfiles.filter(
      (profile) =>
        profile.vendorID === 0x10de &&
        profile.memoryTypes.some(
          (type) => has(type.propertyFlags, DL | HV) && BigInt(heapOf(profile, type).size) > 1024n * MIB,
        ),
    );
    expect(found.map((profile) => profile.id)).toContain('nvidia-rtx3060-rebar');
  });

  it('include the H100 exactly as measured', () => {
    const h100 = getBuiltInProfile('nvidia-h100');
    expect(h100.memoryHeaps).toEqual([
      { size: 85_520_809_984n, flags: HEAP_DL },
      { size: 101_360_599_040n, flags: 0 },
    ]);
    expect(h100.memoryTypes.map((type) => [type.propertyFlags, type.heapIndex])).toEqual([
      [0, 1],
      [DL, 0],
      [HV | HC, 1],
      [HV | HC | HCACHED, 1],
      [DL | HV | HC, 0],
    ]);
    expect(new Set(h100.extensions)).toEqual(
      new Set([
        VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
        VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
        VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
        VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
      ]),
    );
    expect(h100.mapMemoryPlaced).toEqual({
      memoryMapPlaced: true,
      memoryMapRangePlaced: false,
      memoryUnmapReserve: true,
      minPlacedMemoryMapAlignment: 4096,
    });
    expect([
      apiVersionMajor(h100.apiVersion),
      apiVersionMinor(h100.apiVersion),
      apiVersionPatch(h100.apiVersion),
    ]).toEqual([1, 4, 312]);
  });

  it('include an AMD card with the 256 MiB visible-VRAM heap and 4096-byte map alignment', () => {
    const amd = builtInProfiles.find(
      (profile) =>
        profile.vendorID === 0x1002 &&
        profile.limits.minMemoryMapAlignment === 4096 &&
        profile.memoryTypes.some(
          (type) => has(type.propertyFlags, DL | HV | HC) && BigInt(heapOf(profile, type).size) === 256n * MIB,
        ),
    );
    expect(amd).toBeDefined();
  });

  it('include an Intel integrated GPU with a single device-local heap', () => {
    const intel = builtInProfiles.find((profile) => profile.vendorID === 0x8086 && profile.deviceType === 1);
    expect(intel?.memoryHeaps).toHaveLength(1);
    expect(intel?.memoryHeaps[0]?.flags).toBe(HEAP_DL);
  });

  it('include the Apple M1 with 16 KiB pages and a 16-byte atom', () => {
    const m1 = getBuiltInProfile('apple-m1-moltenvk');
    expect(m1.hostPageSize).toBe(16384);
    expect(m1.limits.nonCoherentAtomSize).toBe(16);
  });

  it('include a mobile profile with a HOST_CACHED type that is not HOST_COHERENT (flags 0xb on a device-local heap)', () => {
    for (const id of ['qualcomm-adreno-turnip', 'arm-mali-g78']) {
      const profile = getBuiltInProfile(id);
      const cached = profile.memoryTypes.find((type) => type.propertyFlags === (DL | HV | HCACHED));
      expect(cached, id).toBeDefined();
      expect(heapOf(profile, cached!).flags & HEAP_DL, id).toBe(HEAP_DL);
    }
  });

  it('include lavapipe as measured', () => {
    const lvp = getBuiltInProfile('lavapipe');
    expect(lvp.memoryHeaps).toHaveLength(1);
    expect(lvp.memoryTypes).toEqual([{ propertyFlags: 0xf, heapIndex: 0 }]);
    expect(lvp.apiVersion).toBe(makeApiVersion(0, 1, 4, 305));
    expect(lvp.extensions).not.toContain(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME);
    expect(lvp.mapMemoryPlaced).toBeUndefined();
  });

  it('include a stress profile that tests can exhaust and fragment', () => {
    expect(stress.limits.nonCoherentAtomSize).toBe(256);
    expect(stress.limits.minMemoryMapAlignment).toBe(4096);
    expect(BigInt(stress.hostAddressSpaceSize)).toBeLessThanOrEqual(64n * MIB);
    expect(stress.memoryTypes.some((type) => isNonCoherentHostVisible(type.propertyFlags))).toBe(true);
    expect(stress.mapMemoryPlaced?.memoryMapRangePlaced).toBe(true);
  });

  it('include a desktop-style profile whose atom is 256 bytes', () => {
    expect(getBuiltInProfile('swiftshader').limits.nonCoherentAtomSize).toBe(256);
  });
});

describe('profileProblems', () => {
  it('accepts a plain-object profile written by a user, with number or bigint sizes', () => {
    expect(profileProblems(userProfile())).toEqual([]);
    const fromJson = JSON.parse(
      JSON.stringify(
        withChanges({
          memoryHeaps: [
            { size: 2 ** 30, flags: HEAP_DL },
            { size: 2 ** 32, flags: 0 },
          ],
          hostAddressSpaceSize: 2 ** 40,
        }),
      ),
    );
    expect(validateProfile(fromJson)).toBe(fromJson);
  });

  it.each(ALLOWED_MEMORY_PROPERTY_FLAGS.map((flags) => [`0x${flags.toString(16)}`, flags] as const))(
    'accepts the specification combination %s',
    (_hex, flags) => {
      const heapIndex = (flags & DL) !== 0 ? 0 : 1;
      const profile = withChanges({ memoryTypes: [...userProfile().memoryTypes, { propertyFlags: flags, heapIndex }] });
      expect(profileProblems(profile).filter((problem) => problem.includes('combinations'))).toEqual([]);
    },
  );

  // The list is in a valid order for each extension's entries; a device with both AMD and NV bits would
  // have to move the NV RDMA type ahead of the AMD ones.
  it.each([
    ['without the NV RDMA entry', AMD_DC | AMD_DU],
    ['without the AMD entries', VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_RDMA_CAPABLE_BIT_NV],
  ])('accepts the specification list %s as a memory-type order', (_name, keptVendorBits) => {
    const vendorBits = AMD_DC | AMD_DU | VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_RDMA_CAPABLE_BIT_NV;
    const types = ALLOWED_MEMORY_PROPERTY_FLAGS.filter((flags) => (flags & vendorBits & ~keptVendorBits) === 0).map(
      (flags) => ({ propertyFlags: flags, heapIndex: (flags & DL) !== 0 ? 0 : 1 }),
    );
    expect(profileProblems(withChanges({ memoryTypes: types }))).toEqual([]);
  });

  it('rejects what is not an object', () => {
    expect(profileProblems(null)).toHaveLength(1);
    expect(profileProblems([])[0]).toMatch(/plain object/);
    expect(() => validateProfile(42)).toThrow(VkmapArgumentError);
  });

  it('reports every problem at once, and validateProfile throws them all on the profile argument', () => {
    const bad = withChanges({
      id: '',
      limits: { ...userProfile().limits, nonCoherentAtomSize: 3 },
      hostPageSize: 3000,
    });
    expect(profileProblems(bad).length).toBeGreaterThanOrEqual(3);
    try {
      validateProfile(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(VkmapArgumentError);
      expect((error as VkmapArgumentError).argument).toBe('profile');
      expect((error as Error).message).toMatch(/id is ""[\s\S]*nonCoherentAtomSize[\s\S]*hostPageSize/);
    }
  });

  it.each([
    ['PROTECTED | HOST_VISIBLE', PROTECTED | HV | HC],
    ['LAZILY_ALLOCATED | HOST_VISIBLE', DL | LAZY | HV],
    ['HOST_COHERENT alone', HC],
    ['HOST_VISIBLE alone', HV],
    ['LAZILY_ALLOCATED without DEVICE_LOCAL', LAZY],
    ['AMD device-uncached without device-coherent', DL | AMD_DU],
  ])('rejects the forbidden combination %s', (_name, flags) => {
    const profile = withChanges({
      memoryTypes: [...userProfile().memoryTypes, { propertyFlags: flags, heapIndex: 0 }],
    });
    expectProblemAbout(profile, 'memoryTypes[3].propertyFlags', 'not one of the combinations');
  });

  it('rejects unknown property and heap flag bits', () => {
    expectProblemAbout(
      withChanges({ memoryTypes: [...userProfile().memoryTypes, { propertyFlags: 0x200, heapIndex: 1 }] }),
      'memoryTypes[3].propertyFlags',
      'unknown bits 0x200',
    );
    expectProblemAbout(
      withChanges({
        memoryHeaps: [
          { size: 1n << 30n, flags: 0x9 },
          { size: 1n << 32n, flags: 0 },
        ],
      }),
      'memoryHeaps[0].flags',
    );
  });

  it('rejects a DEVICE_LOCAL type on a heap that is not device-local, and the reverse', () => {
    expectProblemAbout(
      withChanges({ memoryTypes: [{ propertyFlags: DL, heapIndex: 1 }, ...userProfile().memoryTypes.slice(1)] }),
      'memoryTypes[0].propertyFlags',
      'memoryHeaps[1]',
      'device-local heap',
    );
    expectProblemAbout(
      withChanges({ memoryTypes: [...userProfile().memoryTypes, { propertyFlags: HV | HC, heapIndex: 0 }] }),
      'memoryTypes[3].propertyFlags',
      'without DEVICE_LOCAL',
    );
  });

  it('requires a HOST_VISIBLE | HOST_COHERENT type, a DEVICE_LOCAL type and a device-local heap', () => {
    expectProblemAbout(
      withChanges({
        memoryTypes: [
          { propertyFlags: DL, heapIndex: 0 },
          { propertyFlags: HV | HCACHED, heapIndex: 1 },
        ],
      }),
      'memoryTypes',
      'HOST_VISIBLE and HOST_COHERENT',
    );
    expectProblemAbout(
      withChanges({ memoryTypes: [{ propertyFlags: HV | HC, heapIndex: 1 }] }),
      'memoryTypes',
      'no type with DEVICE_LOCAL',
    );
    expectProblemAbout(
      withChanges({
        memoryHeaps: [{ size: 1n << 30n, flags: 0 }],
        memoryTypes: [{ propertyFlags: HV | HC, heapIndex: 0 }],
      }),
      'memoryHeaps',
      'VK_MEMORY_HEAP_DEVICE_LOCAL_BIT',
    );
  });

  it('rejects a type whose flags are a strict subset of an earlier type', () => {
    const reordered = withChanges({
      memoryTypes: [
        { propertyFlags: DL, heapIndex: 0 },
        { propertyFlags: HV | HC | HCACHED, heapIndex: 1 },
        { propertyFlags: HV | HC, heapIndex: 1 },
      ],
    });
    expectProblemAbout(reordered, 'memoryTypes[2].propertyFlags', 'strict subset', 'memoryTypes[1]');
    // turnip's order when it has both cached types
    const turnipBoth = withChanges({
      memoryHeaps: [{ size: 1n << 32n, flags: HEAP_DL }],
      memoryTypes: [
        { propertyFlags: DL | HV | HC, heapIndex: 0 },
        { propertyFlags: DL | HV | HC | HCACHED, heapIndex: 0 },
        { propertyFlags: DL | HV | HCACHED, heapIndex: 0 },
      ],
    });
    expectProblemAbout(turnipBoth, 'memoryTypes[2]', 'strict subset');
  });

  it('puts AMD device-coherent types after all others', () => {
    const profile = withChanges({
      memoryTypes: [
        { propertyFlags: DL, heapIndex: 0 },
        { propertyFlags: DL | AMD_DC, heapIndex: 0 },
        { propertyFlags: HV | HC, heapIndex: 1 },
      ],
    });
    expectProblemAbout(profile, 'memoryTypes[2]', 'AMD');
  });

  it('checks heap and type counts and heap indices', () => {
    expectProblemAbout(withChanges({ memoryHeaps: [] }), 'memoryHeaps', 'VK_MAX_MEMORY_HEAPS');
    const seventeen = Array.from({ length: 17 }, () => ({ size: 1n << 20n, flags: HEAP_DL }));
    expectProblemAbout(withChanges({ memoryHeaps: seventeen }), 'memoryHeaps', 'an array of 17');
    const thirtyThree = Array.from({ length: 33 }, () => ({ propertyFlags: DL, heapIndex: 0 }));
    expectProblemAbout(withChanges({ memoryTypes: thirtyThree }), 'memoryTypes', 'VK_MAX_MEMORY_TYPES');
    expectProblemAbout(
      withChanges({ memoryTypes: [...userProfile().memoryTypes, { propertyFlags: DL, heapIndex: 2 }] }),
      'memoryTypes[3].heapIndex',
      'from 0 to 1',
    );
  });

  it.each([
    ['nonCoherentAtomSize', 3, 'power of two'],
    ['nonCoherentAtomSize', 512, 'from 1 to 256'],
    ['minMemoryMapAlignment', 32, 'from 64'],
    ['minMemoryMapAlignment', 96, 'power of two'],
    ['maxMemoryAllocationCount', 4095, 'from 4096'],
    ['maxMemoryAllocationSize', 2n ** 30n - 1n, 'from 1073741824'],
    ['bufferImageGranularity', 48, 'power of two'],
    ['bufferImageGranularity', 262144, 'to 131072'],
  ])('rejects limits.%s = %s', (field, value, expected) => {
    const profile = withChanges({ limits: { ...userProfile().limits, [field]: value } });
    expectProblemAbout(profile, `limits.${field}`, expected);
  });

  it('holds a Vulkan 1.4 device to bufferImageGranularity <= 4096', () => {
    const profile = withChanges({
      apiVersion: makeApiVersion(0, 1, 4, 0),
      limits: { ...userProfile().limits, bufferImageGranularity: 65536 },
    });
    expectProblemAbout(profile, 'limits.bufferImageGranularity', '4096');
  });

  it('ties mapMemoryPlaced to VK_EXT_map_memory_placed and its dependency', () => {
    const placed = {
      memoryMapPlaced: true,
      memoryMapRangePlaced: true,
      memoryUnmapReserve: false,
      minPlacedMemoryMapAlignment: 4096,
    };
    expectProblemAbout(withChanges({ mapMemoryPlaced: placed }), 'mapMemoryPlaced', 'lacks VK_EXT_map_memory_placed');
    expectProblemAbout(
      withChanges({ extensions: [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME, VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME] }),
      'mapMemoryPlaced',
      'exactly when',
    );
    expectProblemAbout(
      withChanges({ extensions: [VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME], mapMemoryPlaced: placed }),
      'VK_KHR_map_memory2',
      '1.4',
    );
    expect(
      profileProblems(
        withChanges({
          apiVersion: makeApiVersion(0, 1, 4, 0),
          extensions: [VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME],
          mapMemoryPlaced: placed,
        }),
      ),
    ).toEqual([]);
  });

  it('checks the placed-map features and alignment', () => {
    const extensions = [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME, VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME];
    const placed = (changes: object) =>
      withChanges({
        extensions,
        mapMemoryPlaced: {
          memoryMapPlaced: true,
          memoryMapRangePlaced: false,
          memoryUnmapReserve: false,
          minPlacedMemoryMapAlignment: 4096,
          ...changes,
        },
      });
    expectProblemAbout(
      placed({ memoryMapPlaced: false, memoryMapRangePlaced: true }),
      'memoryMapRangePlaced',
      'needs memoryMapPlaced',
    );
    expectProblemAbout(
      placed({ memoryMapPlaced: false, memoryUnmapReserve: true }),
      'memoryUnmapReserve',
      'needs memoryMapPlaced',
    );
    expectProblemAbout(placed({ minPlacedMemoryMapAlignment: 6000 }), 'minPlacedMemoryMapAlignment', 'power of two');
    expectProblemAbout(placed({ memoryMapPlaced: 'yes' }), 'mapMemoryPlaced.memoryMapPlaced', 'true or false');
  });

  it('checks the host address space and page size', () => {
    expectProblemAbout(withChanges({ hostPageSize: 3000 }), 'hostPageSize', 'power of two');
    expectProblemAbout(
      withChanges({ hostAddressSpaceSize: 4096n * 10n + 1n }),
      'hostAddressSpaceSize',
      'multiple of hostPageSize',
    );
    expectProblemAbout(withChanges({ hostAddressSpaceSize: 0n }), 'hostAddressSpaceSize');
  });

  it('checks identity fields and shapes', () => {
    expectProblemAbout(withChanges({ id: '' }), 'id', 'non-empty string');
    expectProblemAbout(withChanges({ deviceType: 7 }), 'deviceType is 7', 'VkPhysicalDeviceType');
    expectProblemAbout(withChanges({ vendorID: -1 }), 'vendorID');
    expectProblemAbout(withChanges({ apiVersion: makeApiVersion(0, 0, 9, 0) }), 'apiVersion', 'major version 1');
    expectProblemAbout(withChanges({ limits: undefined }), 'limits is undefined');
    expectProblemAbout(withChanges({ extensions: ['VK_KHR_swapchain'] }), 'extensions[0]', 'VK_KHR_swapchain');
    expectProblemAbout(
      withChanges({ extensions: [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME, VK_KHR_MAP_MEMORY_2_EXTENSION_NAME] }),
      'extensions[1]',
      'twice',
    );
    expectProblemAbout(withChanges({ memoryHeaps: [{ size: 1.5, flags: 1 }] }), 'memoryHeaps[0].size');
    expectProblemAbout(
      withChanges({ memoryTypes: [{ propertyFlags: '1', heapIndex: 0 }] }),
      'memoryTypes[0].propertyFlags',
    );
  });
});
