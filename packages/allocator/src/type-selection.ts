import { VkMemoryPropertyFlagBits, VkmapArgumentError, type PhysicalDeviceMemoryProperties } from '@vkmap/core';
import { AllocationCreateFlagBits, MemoryUsage, type MemoryUsageValue } from './create-flags.js';

const {
  VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT: DEVICE_LOCAL,
  VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT: HOST_VISIBLE,
  VK_MEMORY_PROPERTY_HOST_CACHED_BIT: HOST_CACHED,
  VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT: LAZILY_ALLOCATED,
  VK_MEMORY_PROPERTY_DEVICE_COHERENT_BIT_AMD: DEVICE_COHERENT_AMD,
  VK_MEMORY_PROPERTY_DEVICE_UNCACHED_BIT_AMD: DEVICE_UNCACHED_AMD,
} = VkMemoryPropertyFlagBits;

/** What a request asks of a memory type. */
export interface MemoryPreferences {
  readonly required: number;
  readonly preferred: number;
  readonly notPreferred: number;
}

export interface PreferenceInput {
  readonly usage: MemoryUsageValue;
  readonly flags: number;
  readonly requiredFlags: number;
  readonly preferredFlags: number;
  /** Whether the GPU itself reads or writes the memory (false: only transfers and the host do). */
  readonly deviceAccess: boolean;
  readonly isIntegratedGpu: boolean;
}

/**
 * Turns usage and flags into required / preferred / not-preferred property flags, following VMA's
 * rules for the AUTO usages. Throws `VkmapArgumentError` for combinations that cannot be meant.
 */
export function memoryPreferences(input: PreferenceInput): MemoryPreferences {
  const { usage, flags, isIntegratedGpu, deviceAccess } = input;
  let required = input.requiredFlags;
  let preferred = input.preferredFlags;
  let notPreferred = 0;
  const sequentialWrite = (flags & AllocationCreateFlagBits.HOST_ACCESS_SEQUENTIAL_WRITE) !== 0;
  const randomAccess = (flags & AllocationCreateFlagBits.HOST_ACCESS_RANDOM) !== 0;
  const transferInstead = (flags & AllocationCreateFlagBits.HOST_ACCESS_ALLOW_TRANSFER_INSTEAD) !== 0;
  if (sequentialWrite && randomAccess) {
    throw new VkmapArgumentError(
      'flags',
      'HOST_ACCESS_SEQUENTIAL_WRITE and HOST_ACCESS_RANDOM exclude each other; pick the one that describes the host access',
    );
  }

  switch (usage) {
    case MemoryUsage.UNKNOWN:
      break;
    case MemoryUsage.GPU_LAZILY_ALLOCATED:
      required |= LAZILY_ALLOCATED;
      break;
    case MemoryUsage.AUTO:
    case MemoryUsage.AUTO_PREFER_DEVICE:
    case MemoryUsage.AUTO_PREFER_HOST: {
      const preferDevice = usage === MemoryUsage.AUTO_PREFER_DEVICE;
      const preferHost = usage === MemoryUsage.AUTO_PREFER_HOST;
      if ((flags & AllocationCreateFlagBits.MAPPED) !== 0 && !sequentialWrite && !randomAccess) {
        throw new VkmapArgumentError(
          'flags',
          'MAPPED with an AUTO usage needs HOST_ACCESS_SEQUENTIAL_WRITE or HOST_ACCESS_RANDOM, so that a host-visible type is chosen',
        );
      }
      // A discrete GPU's own memory is worth a staging copy; on an integrated GPU all memory is alike.
      const deviceMemoryWorthTransfer = !isIntegratedGpu && deviceAccess && transferInstead && !preferHost;
      if (randomAccess) {
        if (deviceMemoryWorthTransfer) preferred |= DEVICE_LOCAL | HOST_CACHED;
        else required |= HOST_VISIBLE | HOST_CACHED;
      } else if (sequentialWrite) {
        notPreferred |= HOST_CACHED;
        if (deviceMemoryWorthTransfer) {
          preferred |= DEVICE_LOCAL | HOST_VISIBLE;
        } else {
          required |= HOST_VISIBLE;
          // Used by the GPU (a uniform buffer written each frame): BAR/unified memory unless told otherwise.
          // Not used by the GPU (a staging buffer): system memory unless told otherwise.
          const wantDeviceLocal = deviceAccess ? !preferHost : preferDevice;
          if (wantDeviceLocal) preferred |= DEVICE_LOCAL;
          else notPreferred |= DEVICE_LOCAL;
        }
      } else if (preferHost) {
        notPreferred |= DEVICE_LOCAL;
      } else {
        preferred |= DEVICE_LOCAL;
      }
      break;
    }
    default:
      throw new VkmapArgumentError('usage', `must be a MemoryUsage value (0, 6, 7, 8 or 9; got ${String(usage)})`);
  }
  // AMD's device-coherent memory is slow; only when asked for.
  if (((input.requiredFlags | input.preferredFlags) & (DEVICE_COHERENT_AMD | DEVICE_UNCACHED_AMD)) === 0) {
    notPreferred |= DEVICE_UNCACHED_AMD;
  }
  return { required, preferred, notPreferred };
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0xf0f0f0f) * 0x1010101) >>> 24;
}

/** Cost of a type: preferred bits it lacks plus unwanted bits it has; undefined when it lacks a required bit. */
export function memoryTypeCost(propertyFlags: number, preferences: MemoryPreferences): number | undefined {
  if ((preferences.required & ~propertyFlags) !== 0) return undefined;
  return bitCount(preferences.preferred & ~propertyFlags) + bitCount(propertyFlags & preferences.notPreferred);
}

/**
 * The cheapest memory type among `memoryTypeBits` (lowest index on a tie, as the specification orders
 * types from best), or -1 when none has every required flag.
 */
export function findMemoryTypeIndex(
  memoryProperties: PhysicalDeviceMemoryProperties,
  memoryTypeBits: number,
  preferences: MemoryPreferences,
): number {
  let best = -1;
  let bestCost = Infinity;
  const types = memoryProperties.memoryTypes;
  for (let index = 0; index < types.length; index++) {
    if (((memoryTypeBits >>> index) & 1) === 0) continue;
    const cost = memoryTypeCost(types[index]!.propertyFlags, preferences);
    if (cost === undefined || cost >= bestCost) continue;
    best = index;
    bestCost = cost;
    if (cost === 0) break;
  }
  return best;
}

/** Names of the set property flags, for messages and statistics ("DEVICE_LOCAL", "HOST_VISIBLE", ...). */
export function propertyFlagNames(flags: number): string[] {
  const names: string[] = [];
  let rest = flags;
  for (const [name, bit] of Object.entries(VkMemoryPropertyFlagBits)) {
    if (flags & bit) {
      names.push(name.replace(/^VK_MEMORY_PROPERTY_/, '').replace(/_BIT(_AMD|_NV)?$/, '$1'));
      rest &= ~bit;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names;
}
