import { describe, expect, it } from 'vitest';
import { requiredLimits, VkQueueFlagBits } from '@vkmap/core';
import { getBuiltInProfile, type DeviceProfile } from '@vkmap/emulated';
import { describeProfile } from '../src/physical-device.js';
import { builtInProfiles, lavapipe, nvidiaH100, stress } from '../src/profiles/index.js';
import { profileProblems } from '../src/validate-profile.js';

const GRAPHICS = VkQueueFlagBits.VK_QUEUE_GRAPHICS_BIT;
const COMPUTE = VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT;
const TRANSFER = VkQueueFlagBits.VK_QUEUE_TRANSFER_BIT;
const SPARSE = VkQueueFlagBits.VK_QUEUE_SPARSE_BINDING_BIT;

/** lavapipe without its compute data: what a user profile that names neither gets. */
function bareProfile(changes: Record<string, unknown> = {}): DeviceProfile {
  const { queueFamilies: _families, ...rest } = lavapipe;
  const limits = {
    minMemoryMapAlignment: 64,
    nonCoherentAtomSize: 64,
    maxMemoryAllocationCount: 4096,
    maxMemoryAllocationSize: 2n ** 31n,
    bufferImageGranularity: 64,
  };
  return { ...rest, id: 'bare', limits, ...changes } as DeviceProfile;
}

function expectProblem(profile: unknown, ...fragments: string[]): void {
  const problems = profileProblems(profile);
  expect(
    problems.some((problem) => fragments.every((fragment) => problem.includes(fragment))),
    `expected a problem mentioning ${fragments.join(' + ')}; got:\n${problems.join('\n')}`,
  ).toBe(true);
}

describe('queue families of the built-in profiles', () => {
  it.each(builtInProfiles.map((profile) => [profile.id, profile] as const))(
    '%s has a compute family',
    (_id, profile) => {
      expect(profileProblems(profile)).toEqual([]);
      expect(describeProfile(profile).queueFamilies.some((family) => (family.queueFlags & COMPUTE) !== 0)).toBe(true);
    },
  );

  it('the H100 has the families measured with its driver: universal, copy, async compute, video, optical flow', () => {
    expect(
      describeProfile(nvidiaH100).queueFamilies.map((f) => [f.queueFlags, f.queueCount, f.timestampValidBits]),
    ).toEqual([
      [0xf, 16, 64],
      [0xc, 2, 64],
      [0xe, 8, 64],
      [0x2c, 7, 32],
      [0x10c, 1, 64],
    ]);
  });

  it('AMD has a compute-only family; mobile and CPU devices one family', () => {
    const amd = describeProfile(getBuiltInProfile('amd-radv-rx580-smallbar')).queueFamilies;
    expect(amd.map((family) => family.queueFlags)).toEqual([GRAPHICS | COMPUTE | TRANSFER, COMPUTE | TRANSFER, SPARSE]);
    for (const id of ['qualcomm-adreno-turnip', 'arm-mali-g78', 'lavapipe', 'swiftshader']) {
      expect(describeProfile(getBuiltInProfile(id)).queueFamilies, id).toHaveLength(1);
    }
  });

  it('the stress profile has no compute on family 0, so nothing may assume it', () => {
    const families = describeProfile(stress).queueFamilies;
    expect(families[0]!.queueFlags & COMPUTE).toBe(0);
    expect(families.findIndex((family) => (family.queueFlags & COMPUTE) !== 0)).toBe(1);
  });

  it('a profile that names no families has one universal family of one queue', () => {
    expect(describeProfile(bareProfile()).queueFamilies).toEqual([
      {
        queueFlags: 0x7,
        queueCount: 1,
        timestampValidBits: 64,
        minImageTransferGranularity: { width: 1, height: 1, depth: 1 },
      },
    ]);
  });
});

describe('compute limits', () => {
  it('come from the profile where it gives them, the required values elsewhere', () => {
    const h100 = describeProfile(nvidiaH100).properties.limits;
    expect(h100).toMatchObject({
      maxComputeWorkGroupCount: [2_147_483_647, 65535, 65535],
      maxComputeWorkGroupSize: [1024, 1024, 64],
      maxComputeWorkGroupInvocations: 1024,
      maxComputeSharedMemorySize: 49152,
      maxPushConstantsSize: 256,
      maxBoundDescriptorSets: 32,
      maxStorageBufferRange: 0xffff_ffff,
      maxUniformBufferRange: 65536,
      minStorageBufferOffsetAlignment: 16n,
      minUniformBufferOffsetAlignment: 64n,
      nonCoherentAtomSize: 64n,
    });
    const bare = describeProfile(bareProfile()).properties.limits;
    const required = requiredLimits(2n ** 31n);
    for (const name of [
      'maxComputeWorkGroupCount',
      'maxPushConstantsSize',
      'minStorageBufferOffsetAlignment',
    ] as const) {
      expect(bare[name]).toEqual(required[name]);
    }
  });

  it('accepts a user profile with number alignments and families of its own', () => {
    const profile = bareProfile({
      limits: {
        ...bareProfile().limits,
        minStorageBufferOffsetAlignment: 64,
        maxComputeWorkGroupCount: [65535, 65535, 65535],
      },
      queueFamilies: [
        { queueFlags: TRANSFER, queueCount: 2 },
        { queueFlags: COMPUTE, queueCount: 1, timestampValidBits: 0 },
      ],
    });
    expect(profileProblems(profile)).toEqual([]);
    expect(describeProfile(profile).properties.limits.minStorageBufferOffsetAlignment).toBe(64n);
  });

  it.each([
    ['maxPushConstantsSize', 64, 'from 128'],
    ['maxBoundDescriptorSets', 3.5, 'whole number'],
    ['maxComputeWorkGroupInvocations', 127, 'from 128'],
    ['minStorageBufferOffsetAlignment', 48, 'power of two'],
    ['minUniformBufferOffsetAlignment', 512, 'to 256'],
    ['maxComputeWorkGroupSize', [128, 128], 'three numbers'],
    ['maxComputeWorkGroupCount', [65535, 65534, 65535], 'maxComputeWorkGroupCount[1]'],
  ])('rejects limits.%s = %s', (field, value, expected) => {
    expectProblem(bareProfile({ limits: { ...bareProfile().limits, [field]: value } }), `limits.${field}`, expected);
  });
});

describe('queue family checks', () => {
  it.each([
    [[], 'at least one'],
    [[{ queueFlags: 0, queueCount: 1 }], 'queueFamilies[0].queueFlags'],
    [[{ queueFlags: 0x200, queueCount: 1 }], 'VkQueueFlagBits'],
    [[{ queueFlags: COMPUTE, queueCount: 0 }], 'queueFamilies[0].queueCount'],
    [[{ queueFlags: COMPUTE, queueCount: 1, timestampValidBits: 65 }], 'timestampValidBits'],
    [
      [
        { queueFlags: GRAPHICS, queueCount: 1 },
        { queueFlags: COMPUTE, queueCount: 1 },
      ],
      'both GRAPHICS and COMPUTE',
    ],
    [['not a family'], 'queueFamilies[0]'],
  ])('rejects queueFamilies %j', (queueFamilies, expected) => {
    expectProblem(bareProfile({ queueFamilies }), expected);
  });
});
