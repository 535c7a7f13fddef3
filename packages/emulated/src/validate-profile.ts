import {
  VK_API_VERSION_1_4,
  VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_KHR_DEVICE_GROUP_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VK_MAX_MEMORY_HEAPS,
  VK_MAX_MEMORY_TYPES,
  VkMemoryHeapFlagBits,
  VkMemoryPropertyFlagBits,
  VkPhysicalDeviceType,
  VkmapArgumentError,
  apiVersionMajor,
  apiVersionMajorMinor,
  formatApiVersion,
  isPowerOfTwo,
} from '@vkmap/core';
import { checkComputeLimits, checkQueueFamilies } from './compute-profile.js';
import type { DeviceProfile } from './profile.js';

/*
 * Checks a device profile against what the Vulkan specification requires of a real implementation:
 * the memory chapter ("Device Memory Properties": allowed property-flag combinations, the HOST_VISIBLE |
 * HOST_COHERENT and DEVICE_LOCAL requirements, the ordering of memory types, the DEVICE_LOCAL heap rule),
 * the required-limits table of the limits chapter, the queue families, and the VK_EXT_map_memory_placed
 * dependencies.
 */

const DL = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
const HV = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
const HC = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
const HCACHED = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
const LAZY = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT;
const PROTECTED = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_PROTECTED_BIT;
const AMD_DC = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_COHERENT_BIT_AMD;
const AMD_DU = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_UNCACHED_BIT_AMD;
const NV_RDMA = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_RDMA_CAPABLE_BIT_NV;
const HEAP_DEVICE_LOCAL = VkMemoryHeapFlagBits.VK_MEMORY_HEAP_DEVICE_LOCAL_BIT;

const KNOWN_PROPERTY_BITS = Object.values(VkMemoryPropertyFlagBits).reduce((all, bit) => all | bit, 0);
const KNOWN_HEAP_BITS = Object.values(VkMemoryHeapFlagBits).reduce((all, bit) => all | bit, 0);

/** The propertyFlags values the memory chapter's list (anchor memory-device-bitmask-list) permits, in its order. */
export const ALLOWED_MEMORY_PROPERTY_FLAGS: readonly number[] = [
  0,
  HV | HC,
  HV | HCACHED,
  HV | HCACHED | HC,
  DL,
  DL | HV | HC,
  DL | HV | HCACHED,
  DL | HV | HCACHED | HC,
  DL | LAZY,
  PROTECTED,
  PROTECTED | DL,
  HV | HC | AMD_DC,
  HV | HCACHED | HC | AMD_DC,
  DL | AMD_DC,
  DL | HV | HC | AMD_DC,
  DL | HV | HCACHED | HC | AMD_DC,
  HV | HC | AMD_DC | AMD_DU,
  HV | HCACHED | HC | AMD_DC | AMD_DU,
  DL | AMD_DC | AMD_DU,
  DL | HV | HC | AMD_DC | AMD_DU,
  DL | HV | HCACHED | HC | AMD_DC | AMD_DU,
  DL | NV_RDMA,
];
const ALLOWED_FLAG_SET = new Set(ALLOWED_MEMORY_PROPERTY_FLAGS);

const FAMILY_EXTENSIONS: readonly string[] = [
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME,
  VK_KHR_DEVICE_GROUP_EXTENSION_NAME,
];

const UINT32_MAX = 0xffff_ffff;
const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
const ONE_GIB = 1n << 30n;

const PROPERTY_BIT_NAMES: readonly (readonly [number, string])[] = [
  [DL, 'DEVICE_LOCAL'],
  [HV, 'HOST_VISIBLE'],
  [HC, 'HOST_COHERENT'],
  [HCACHED, 'HOST_CACHED'],
  [LAZY, 'LAZILY_ALLOCATED'],
  [PROTECTED, 'PROTECTED'],
  [AMD_DC, 'DEVICE_COHERENT_AMD'],
  [AMD_DU, 'DEVICE_UNCACHED_AMD'],
  [NV_RDMA, 'RDMA_CAPABLE_NV'],
];

/** `0xb (DEVICE_LOCAL | HOST_VISIBLE | HOST_CACHED)`, for messages. */
export function describePropertyFlags(flags: number): string {
  const names = PROPERTY_BIT_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  const unknown = flags & ~KNOWN_PROPERTY_BITS;
  if (unknown !== 0) names.push(`unknown bits 0x${unknown.toString(16)}`);
  return `0x${flags.toString(16)} (${names.length === 0 ? 'none' : names.join(' | ')})`;
}

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Collects problems; each check reports in one sentence naming the field, the value and what is allowed. */
class ProblemList {
  readonly problems: string[] = [];

  add(message: string): void {
    this.problems.push(message);
  }

  /** A whole number in [min, max], given as a number; returns it, or undefined after reporting. */
  integer(field: string, value: unknown, min: number, max: number): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(`${field} is ${show(value)}; it must be a whole number from ${min} to ${max}.`);
      return undefined;
    }
    return value;
  }

  /** A byte count (VkDeviceSize) given as a bigint or a safe integer number; returns it as a bigint. */
  size(field: string, value: unknown, min: bigint, max: bigint = UINT64_MAX): bigint | undefined {
    let asBigint: bigint | undefined;
    if (typeof value === 'bigint') asBigint = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) asBigint = BigInt(value);
    if (asBigint === undefined || asBigint < min || asBigint > max) {
      this.add(`${field} is ${show(value)}; it must be a bigint or a safe integer number from ${min} to ${max}.`);
      return undefined;
    }
    return asBigint;
  }

  boolean(field: string, value: unknown): boolean | undefined {
    if (typeof value !== 'boolean') {
      this.add(`${field} is ${show(value)}; it must be true or false.`);
      return undefined;
    }
    return value;
  }

  object(field: string, value: unknown): PlainObject | undefined {
    if (!isPlainObject(value)) {
      this.add(`${field} is ${show(value)}; it must be an object.`);
      return undefined;
    }
    return value;
  }

  powerOfTwo(field: string, value: bigint | undefined, extra = ''): void {
    if (value !== undefined && !isPowerOfTwo(value)) {
      this.add(`${field} is ${value}; it must be a power of two${extra}.`);
    }
  }
}

interface CheckedType {
  readonly flags: number;
  readonly heapIndex: number | undefined;
}

function checkIdentity(p: ProblemList, profile: PlainObject): number | undefined {
  if (typeof profile.id !== 'string' || profile.id.trim() === '') {
    p.add(`id is ${show(profile.id)}; it must be a non-empty string.`);
  }
  if (typeof profile.deviceName !== 'string' || profile.deviceName === '') {
    p.add(`deviceName is ${show(profile.deviceName)}; it must be a non-empty string.`);
  }
  if (typeof profile.source !== 'string') {
    p.add(`source is ${show(profile.source)}; it must be a string saying where the numbers come from.`);
  }
  const deviceTypes = Object.values(VkPhysicalDeviceType) as number[];
  if (typeof profile.deviceType !== 'number' || !deviceTypes.includes(profile.deviceType)) {
    p.add(
      `deviceType is ${show(profile.deviceType)}; it must be a VkPhysicalDeviceType value ` +
        `(${Object.entries(VkPhysicalDeviceType)
          .map(([name, value]) => `${value} ${name}`)
          .join(', ')}).`,
    );
  }
  p.integer('vendorID', profile.vendorID, 0, UINT32_MAX);
  p.integer('deviceID', profile.deviceID, 0, UINT32_MAX);
  p.integer('driverVersion', profile.driverVersion, 0, UINT32_MAX);
  const apiVersion = p.integer('apiVersion', profile.apiVersion, 0, UINT32_MAX);
  if (apiVersion !== undefined && (apiVersion >>> 29 !== 0 || apiVersionMajor(apiVersion) < 1)) {
    p.add(
      `apiVersion is ${apiVersion} (${formatApiVersion(apiVersion)}, variant ${apiVersion >>> 29}); ` +
        'it must be a Vulkan version of variant 0 and major version 1 or more, as VK_MAKE_API_VERSION builds it.',
    );
    return undefined;
  }
  return apiVersion;
}

function checkHeaps(p: ProblemList, value: unknown): (number | undefined)[] | undefined {
  if (!Array.isArray(value) || value.length < 1 || value.length > VK_MAX_MEMORY_HEAPS) {
    p.add(
      `memoryHeaps is ${Array.isArray(value) ? `an array of ${value.length}` : show(value)}; ` +
        `it must be an array of 1 to VK_MAX_MEMORY_HEAPS (${VK_MAX_MEMORY_HEAPS}) heaps.`,
    );
    return undefined;
  }
  const heapFlags: (number | undefined)[] = value.map((heap: unknown, i) => {
    const field = `memoryHeaps[${i}]`;
    const object = p.object(field, heap);
    if (object === undefined) return undefined;
    p.size(`${field}.size`, object.size, 1n);
    const flags = p.integer(`${field}.flags`, object.flags, 0, UINT32_MAX);
    if (flags !== undefined && (flags & ~KNOWN_HEAP_BITS) !== 0) {
      p.add(
        `${field}.flags is 0x${flags.toString(16)}; only VK_MEMORY_HEAP_DEVICE_LOCAL_BIT (0x1) and ` +
          'VK_MEMORY_HEAP_MULTI_INSTANCE_BIT (0x2) may be set.',
      );
      return undefined;
    }
    return flags;
  });
  if (
    heapFlags.every((flags) => flags !== undefined) &&
    !heapFlags.some((flags) => (flags! & HEAP_DEVICE_LOCAL) !== 0)
  ) {
    p.add('memoryHeaps has no heap with VK_MEMORY_HEAP_DEVICE_LOCAL_BIT; the specification requires at least one.');
  }
  return heapFlags;
}

function checkTypes(p: ProblemList, value: unknown, heapFlags: readonly (number | undefined)[] | undefined): void {
  if (!Array.isArray(value) || value.length < 1 || value.length > VK_MAX_MEMORY_TYPES) {
    p.add(
      `memoryTypes is ${Array.isArray(value) ? `an array of ${value.length}` : show(value)}; ` +
        `it must be an array of 1 to VK_MAX_MEMORY_TYPES (${VK_MAX_MEMORY_TYPES}) memory types.`,
    );
    return;
  }
  const types: (CheckedType | undefined)[] = value.map((type: unknown, i) => checkType(p, type, i, heapFlags));
  if (types.some((type) => type === undefined)) return;
  const checked = types as CheckedType[];

  if (!checked.some(({ flags }) => (flags & (HV | HC)) === (HV | HC))) {
    p.add('memoryTypes has no type with both HOST_VISIBLE and HOST_COHERENT; the specification requires at least one.');
  }
  if (!checked.some(({ flags }) => (flags & DL) !== 0)) {
    p.add('memoryTypes has no type with DEVICE_LOCAL; the specification requires at least one.');
  }
  checkTypeOrder(p, checked);
}

function checkType(
  p: ProblemList,
  type: unknown,
  i: number,
  heapFlags: readonly (number | undefined)[] | undefined,
): CheckedType | undefined {
  const field = `memoryTypes[${i}]`;
  const object = p.object(field, type);
  if (object === undefined) return undefined;
  const flags = p.integer(`${field}.propertyFlags`, object.propertyFlags, 0, UINT32_MAX);
  const heapCount = heapFlags?.length ?? VK_MAX_MEMORY_HEAPS;
  const heapIndex = p.integer(`${field}.heapIndex`, object.heapIndex, 0, heapCount - 1);
  if (flags === undefined) return undefined;

  if ((flags & ~KNOWN_PROPERTY_BITS) !== 0) {
    p.add(
      `${field}.propertyFlags is ${describePropertyFlags(flags)}; only VkMemoryPropertyFlagBits bits ` +
        `(mask 0x${KNOWN_PROPERTY_BITS.toString(16)}) may be set.`,
    );
  } else if (!ALLOWED_FLAG_SET.has(flags)) {
    p.add(
      `${field}.propertyFlags is ${describePropertyFlags(flags)}, which is not one of the combinations ` +
        'the specification allows for a memory type (0x0, 0x6, 0xa, 0xe, 0x1, 0x7, 0xb, 0xf, 0x11, 0x20, 0x21, ' +
        'the AMD device-coherent/uncached variants and 0x101).',
    );
  }

  const heapFlagsOfType = heapIndex === undefined ? undefined : heapFlags?.[heapIndex];
  if (heapFlagsOfType !== undefined) {
    const typeIsDeviceLocal = (flags & DL) !== 0;
    const heapIsDeviceLocal = (heapFlagsOfType & HEAP_DEVICE_LOCAL) !== 0;
    if (typeIsDeviceLocal && !heapIsDeviceLocal) {
      p.add(
        `${field}.propertyFlags has DEVICE_LOCAL but its heap memoryHeaps[${heapIndex}] lacks ` +
          'VK_MEMORY_HEAP_DEVICE_LOCAL_BIT; a DEVICE_LOCAL type must live on a device-local heap.',
      );
    } else if (!typeIsDeviceLocal && heapIsDeviceLocal) {
      p.add(
        `${field}.propertyFlags is ${describePropertyFlags(flags)} without DEVICE_LOCAL, but its heap ` +
          `memoryHeaps[${heapIndex}] has VK_MEMORY_HEAP_DEVICE_LOCAL_BIT; the specification sets DEVICE_LOCAL ` +
          'on a type exactly when its heap is device-local.',
      );
    }
  }
  return { flags, heapIndex };
}

/**
 * The memory chapter's ordering rule for X before Y: X's flags a strict subset of Y's; and, with
 * VK_AMD_device_coherent_memory, Y having DEVICE_COHERENT_AMD or DEVICE_UNCACHED_AMD while X has neither.
 * (Equal flags ordered by heap performance is implementation-defined and cannot be checked.)
 */
function checkTypeOrder(p: ProblemList, types: readonly CheckedType[]): void {
  const amdBits = AMD_DC | AMD_DU;
  for (let later = 0; later < types.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      const x = types[later]!.flags;
      const y = types[earlier]!.flags;
      const xStrictSubsetOfY = (x & y) === x && x !== y;
      if (xStrictSubsetOfY) {
        p.add(
          `memoryTypes[${later}].propertyFlags ${describePropertyFlags(x)} is a strict subset of ` +
            `memoryTypes[${earlier}].propertyFlags ${describePropertyFlags(y)}, so it must come before it; ` +
            'the specification orders a type whose flags are a strict subset of another type first.',
        );
      } else if ((y & amdBits) !== 0 && (x & amdBits) === 0) {
        p.add(
          `memoryTypes[${later}].propertyFlags ${describePropertyFlags(x)} has neither AMD device-coherent nor ` +
            `device-uncached bit but comes after memoryTypes[${earlier}] ${describePropertyFlags(y)}, which has one; ` +
            'types with those AMD bits must come after every type without them.',
        );
      }
    }
  }
}

function checkLimits(p: ProblemList, value: unknown, apiVersion: number | undefined): void {
  const limits = p.object('limits', value);
  if (limits === undefined) return;
  const mapAlignment = p.size('limits.minMemoryMapAlignment', limits.minMemoryMapAlignment, 64n);
  p.powerOfTwo('limits.minMemoryMapAlignment', mapAlignment, ' of at least 64 (the required limit)');

  const atom = p.size('limits.nonCoherentAtomSize', limits.nonCoherentAtomSize, 1n, 256n);
  p.powerOfTwo('limits.nonCoherentAtomSize', atom, ' no larger than 256 (the required limit)');

  p.integer('limits.maxMemoryAllocationCount', limits.maxMemoryAllocationCount, 4096, UINT32_MAX);
  p.size('limits.maxMemoryAllocationSize', limits.maxMemoryAllocationSize, ONE_GIB);

  const isVulkan14 = apiVersion !== undefined && apiVersionMajorMinor(apiVersion) >= VK_API_VERSION_1_4;
  const maxGranularity = isVulkan14 ? 4096n : 131072n;
  const granularity = p.size('limits.bufferImageGranularity', limits.bufferImageGranularity, 1n, maxGranularity);
  p.powerOfTwo(
    'limits.bufferImageGranularity',
    granularity,
    ` no larger than ${maxGranularity}${isVulkan14 ? ' (the Vulkan 1.4 required limit)' : ' (the required limit)'}`,
  );
  checkComputeLimits(p, limits);
}

function checkExtensions(p: ProblemList, value: unknown): readonly string[] {
  if (!Array.isArray(value)) {
    p.add(`extensions is ${show(value)}; it must be an array of extension names.`);
    return [];
  }
  const names: string[] = [];
  value.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || !FAMILY_EXTENSIONS.includes(name)) {
      p.add(`extensions[${i}] is ${show(name)}; it must be one of ${FAMILY_EXTENSIONS.join(', ')}.`);
    } else if (names.includes(name)) {
      p.add(`extensions[${i}] is ${show(name)}, which is listed twice; each extension must appear once.`);
    } else {
      names.push(name);
    }
  });
  return names;
}

function checkMapMemoryPlaced(
  p: ProblemList,
  value: unknown,
  extensions: readonly string[],
  apiVersion: number | undefined,
): void {
  const hasExtension = extensions.includes(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME);
  if (hasExtension && apiVersion !== undefined) {
    const hasMapMemory2 =
      extensions.includes(VK_KHR_MAP_MEMORY_2_EXTENSION_NAME) || apiVersionMajorMinor(apiVersion) >= VK_API_VERSION_1_4;
    if (!hasMapMemory2) {
      p.add(
        `extensions has ${VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME} but neither ${VK_KHR_MAP_MEMORY_2_EXTENSION_NAME} ` +
          `nor apiVersion 1.4 or later (apiVersion is ${formatApiVersion(apiVersion)}); the extension depends on one of them.`,
      );
    }
  }
  if (value === undefined || value === null) {
    if (hasExtension) {
      p.add(
        `mapMemoryPlaced is ${show(value)} but extensions has ${VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME}; ` +
          'it must be given exactly when the extension is.',
      );
    }
    return;
  }
  if (!hasExtension) {
    p.add(
      `mapMemoryPlaced is given but extensions lacks ${VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME}; ` +
        'it must be given exactly when the extension is.',
    );
  }
  const placed = p.object('mapMemoryPlaced', value);
  if (placed === undefined) return;
  const mapPlaced = p.boolean('mapMemoryPlaced.memoryMapPlaced', placed.memoryMapPlaced);
  const rangePlaced = p.boolean('mapMemoryPlaced.memoryMapRangePlaced', placed.memoryMapRangePlaced);
  const unmapReserve = p.boolean('mapMemoryPlaced.memoryUnmapReserve', placed.memoryUnmapReserve);
  if (mapPlaced === false) {
    if (rangePlaced === true) {
      p.add('mapMemoryPlaced.memoryMapRangePlaced is true but memoryMapPlaced is false; it needs memoryMapPlaced.');
    }
    if (unmapReserve === true) {
      p.add('mapMemoryPlaced.memoryUnmapReserve is true but memoryMapPlaced is false; it needs memoryMapPlaced.');
    }
  }
  const alignment = p.size(
    'mapMemoryPlaced.minPlacedMemoryMapAlignment',
    placed.minPlacedMemoryMapAlignment,
    1n,
    65536n,
  );
  p.powerOfTwo('mapMemoryPlaced.minPlacedMemoryMapAlignment', alignment, ' no larger than 65536 (the required limit)');
}

function checkHostAddressSpace(p: ProblemList, profile: PlainObject): void {
  const pageSize = p.size('hostPageSize', profile.hostPageSize, 1n);
  p.powerOfTwo('hostPageSize', pageSize);
  const spaceSize = p.size('hostAddressSpaceSize', profile.hostAddressSpaceSize, 1n);
  if (pageSize !== undefined && isPowerOfTwo(pageSize) && spaceSize !== undefined && spaceSize % pageSize !== 0n) {
    p.add(`hostAddressSpaceSize is ${spaceSize}; it must be a multiple of hostPageSize (${pageSize}).`);
  }
}

/** Every way `profile` falls short of a valid DeviceProfile; empty when it is valid. */
export function profileProblems(profile: unknown): string[] {
  const p = new ProblemList();
  if (!isPlainObject(profile)) {
    p.add(`the profile is ${show(profile)}; it must be a plain object.`);
    return p.problems;
  }
  const apiVersion = checkIdentity(p, profile);
  const heapFlags = checkHeaps(p, profile.memoryHeaps);
  checkTypes(p, profile.memoryTypes, heapFlags);
  checkLimits(p, profile.limits, apiVersion);
  const extensions = checkExtensions(p, profile.extensions);
  checkMapMemoryPlaced(p, profile.mapMemoryPlaced, extensions, apiVersion);
  checkHostAddressSpace(p, profile);
  checkQueueFamilies(p, profile.queueFamilies);
  return p.problems;
}

/** Returns `profile` typed as a DeviceProfile, or throws VkmapArgumentError('profile') listing every problem. */
export function validateProfile(profile: unknown): DeviceProfile {
  const problems = profileProblems(profile);
  if (problems.length > 0) {
    const id = isPlainObject(profile) && typeof profile.id === 'string' ? ` '${profile.id}'` : '';
    throw new VkmapArgumentError(
      'profile',
      `device profile${id} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
  }
  return profile as DeviceProfile;
}
