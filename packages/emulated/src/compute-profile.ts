/**
 * What a profile says about compute: its queue families and the compute limits of VkPhysicalDeviceLimits,
 * turned into the physical device's description, and checked against the specification.
 */
import { PHYSICAL_DEVICE_LIMITS, type PhysicalDeviceLimits, type QueueFamilyProperties } from '@vkmap/core';
import type { ProfileComputeLimits, ProfileQueueFamily } from './profile.js';
import {
  Q_COMPUTE,
  Q_GRAPHICS,
  Q_OPTICAL_FLOW_NV,
  Q_PROTECTED,
  Q_SPARSE,
  Q_TRANSFER,
  Q_VIDEO_DECODE,
  Q_VIDEO_ENCODE,
  UINT32_MAX,
} from './profiles/flags.js';

/** A profile that names no queue families has this one: GRAPHICS | COMPUTE | TRANSFER, one queue. */
export const DEFAULT_QUEUE_FAMILIES: readonly ProfileQueueFamily[] = [
  { queueFlags: Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER, queueCount: 1 },
];

const KNOWN_QUEUE_BITS =
  Q_GRAPHICS | Q_COMPUTE | Q_TRANSFER | Q_SPARSE | Q_PROTECTED | Q_VIDEO_DECODE | Q_VIDEO_ENCODE | Q_OPTICAL_FLOW_NV;
const DEFAULT_TIMESTAMP_VALID_BITS = 64;

/** Compute limits that are one number, each at least its required value. */
const SCALAR_LIMITS = [
  'maxComputeWorkGroupInvocations',
  'maxComputeSharedMemorySize',
  'maxPushConstantsSize',
  'maxBoundDescriptorSets',
  'maxStorageBufferRange',
  'maxUniformBufferRange',
] as const satisfies readonly (keyof ProfileComputeLimits)[];
/** Compute limits that are three numbers (x, y, z), each at least its required value. */
const TRIPLE_LIMITS = ['maxComputeWorkGroupCount', 'maxComputeWorkGroupSize'] as const;
/** Alignments: powers of two, at most the required value (the largest alignment a device may ask for). */
const ALIGNMENT_LIMITS = ['minStorageBufferOffsetAlignment', 'minUniformBufferOffsetAlignment'] as const;

/** The queue families a profile describes, as VkQueueFamilyProperties. */
export function describeQueueFamilies(
  families: readonly ProfileQueueFamily[] = DEFAULT_QUEUE_FAMILIES,
): QueueFamilyProperties[] {
  return families.map((family) => ({
    queueFlags: family.queueFlags,
    queueCount: family.queueCount,
    timestampValidBits: family.timestampValidBits ?? DEFAULT_TIMESTAMP_VALID_BITS,
    minImageTransferGranularity: { width: 1, height: 1, depth: 1 },
  }));
}

/** The compute limits a profile gives, as members of PhysicalDeviceLimits (those it leaves out are absent). */
export function describeComputeLimits(limits: ProfileComputeLimits): Partial<PhysicalDeviceLimits> {
  const described: Record<string, unknown> = {};
  for (const name of [...SCALAR_LIMITS, ...TRIPLE_LIMITS]) {
    if (limits[name] !== undefined) described[name] = limits[name];
  }
  for (const name of ALIGNMENT_LIMITS) {
    if (limits[name] !== undefined) described[name] = BigInt(limits[name]);
  }
  return described as Partial<PhysicalDeviceLimits>;
}

/** The checks validate-profile.ts offers; each reports its own problem and returns undefined on one. */
export interface ProfileChecks {
  add(message: string): void;
  integer(field: string, value: unknown, min: number, max: number): number | undefined;
  size(field: string, value: unknown, min: bigint, max?: bigint): bigint | undefined;
  object(field: string, value: unknown): Record<string, unknown> | undefined;
  powerOfTwo(field: string, value: bigint | undefined, extra?: string): void;
}

/** Checks `queueFamilies` (absent is allowed: the default family). */
export function checkQueueFamilies(p: ProfileChecks, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0) {
    p.add(
      `queueFamilies is ${Array.isArray(value) ? 'an empty array' : typeof value}; it must be an array of at least one queue family.`,
    );
    return;
  }
  const flags = value.map((family: unknown, i) => {
    const field = `queueFamilies[${i}]`;
    const object = p.object(field, family);
    if (object === undefined) return undefined;
    p.integer(`${field}.queueCount`, object.queueCount, 1, UINT32_MAX);
    if (object.timestampValidBits !== undefined)
      p.integer(`${field}.timestampValidBits`, object.timestampValidBits, 0, 64);
    const queueFlags = p.integer(`${field}.queueFlags`, object.queueFlags, 1, UINT32_MAX);
    if (queueFlags !== undefined && (queueFlags & ~KNOWN_QUEUE_BITS) !== 0) {
      p.add(
        `${field}.queueFlags is 0x${queueFlags.toString(16)}; only VkQueueFlagBits bits ` +
          `(mask 0x${KNOWN_QUEUE_BITS.toString(16)}) may be set.`,
      );
    }
    return queueFlags;
  });
  const graphicsAndCompute = Q_GRAPHICS | Q_COMPUTE;
  if (
    flags.some((f) => f !== undefined && (f & Q_GRAPHICS) !== 0) &&
    !flags.some((f) => f !== undefined && (f & graphicsAndCompute) === graphicsAndCompute)
  ) {
    p.add(
      'queueFamilies has a GRAPHICS family but none with both GRAPHICS and COMPUTE; the specification requires one ' +
        'when any family supports graphics.',
    );
  }
}

/** Checks the compute members of `limits` that a profile gives against the specification's required values. */
export function checkComputeLimits(p: ProfileChecks, limits: Record<string, unknown>): void {
  for (const name of SCALAR_LIMITS) {
    if (limits[name] !== undefined)
      p.integer(`limits.${name}`, limits[name], PHYSICAL_DEVICE_LIMITS[name].required, UINT32_MAX);
  }
  for (const name of TRIPLE_LIMITS) {
    const value = limits[name];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.length !== 3) {
      p.add(
        `limits.${name} is ${Array.isArray(value) ? `an array of ${value.length}` : typeof value}; it must be an array of three numbers (x, y, z).`,
      );
      continue;
    }
    const required = PHYSICAL_DEVICE_LIMITS[name].required;
    value.forEach((member: unknown, i) => p.integer(`limits.${name}[${i}]`, member, required[i]!, UINT32_MAX));
  }
  for (const name of ALIGNMENT_LIMITS) {
    if (limits[name] === undefined) continue;
    const required = PHYSICAL_DEVICE_LIMITS[name].required;
    const alignment = p.size(`limits.${name}`, limits[name], 1n, required);
    p.powerOfTwo(`limits.${name}`, alignment, ` no larger than ${required} (the required limit)`);
  }
}
