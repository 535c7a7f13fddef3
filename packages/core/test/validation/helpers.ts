/**
 * Test fixtures for the validation layer: validated emulated devices of known profiles, and `negative`,
 * which names a test after the exact set of rules it asserts (the coverage command reads those titles).
 */
import { expect, it } from 'vitest';
import {
  VK_API_VERSION_1_4,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  ValidationError,
  withValidation,
  type Device,
  type DeviceMemory,
  type EnabledFeatures,
  type PhysicalDevice,
  type ValidationLayerOptions,
} from '@vkmap/core';
import { createEmulatedInstance, getBuiltInProfile, type DeviceProfile } from '@vkmap/emulated';

export const KIB = 1024n;

export interface DeviceSetup {
  readonly profile: string | DeviceProfile;
  readonly apiVersion?: number;
  readonly extensions?: readonly string[];
  readonly features?: EnabledFeatures;
  readonly options?: ValidationLayerOptions;
}

/** The emulated physical device of a profile. */
export function physicalDeviceOf(profile: string | DeviceProfile, apiVersion?: number): PhysicalDevice {
  return createEmulatedInstance({ profiles: [profile], apiVersion }).enumeratePhysicalDevices()[0]!;
}

/** A bare emulated device (no layer). */
export function bareDevice(setup: DeviceSetup): Device {
  return physicalDeviceOf(setup.profile, setup.apiVersion).createDevice({
    enabledExtensionNames: setup.extensions ?? [],
    enabledFeatures: setup.features ?? {},
  });
}

export function validatedDevice(setup: DeviceSetup): Device {
  return withValidation(bareDevice(setup), setup.options);
}

/**
 * 'stress' at Vulkan 1.4: nonCoherentAtomSize 256, minPlacedMemoryMapAlignment 4096, placed maps with
 * range placement. Memory types: 0 DEVICE_LOCAL, 1 HOST_VISIBLE|COHERENT, 2 HOST_VISIBLE|CACHED
 * (non-coherent), 3 DEVICE_LOCAL|HOST_VISIBLE|COHERENT, 4 HOST_VISIBLE|COHERENT|CACHED.
 * Heaps: 0 is 32 MiB, 1 is 48 MiB.
 */
export const stress14: DeviceProfile = {
  ...getBuiltInProfile('stress'),
  id: 'stress-1.4',
  apiVersion: VK_API_VERSION_1_4,
};
export const TYPE_DEVICE_LOCAL = 0;
export const TYPE_COHERENT = 1;
export const TYPE_NON_COHERENT = 2;
export const ATOM = 256n;
export const PLACED_ALIGNMENT = 4096n;

export const ALL_PLACED_FEATURES: EnabledFeatures = {
  mapMemoryPlaced: { memoryMapPlaced: true, memoryMapRangePlaced: true, memoryUnmapReserve: true },
};

/** stress at 1.4 with VK_EXT_map_memory_placed and every placed feature. */
export function placedDevice(
  options?: ValidationLayerOptions,
  features: EnabledFeatures = ALL_PLACED_FEATURES,
): Device {
  return validatedDevice({
    profile: stress14,
    extensions: [VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME],
    features,
    options,
  });
}

/** stress as shipped: Vulkan 1.3 with VK_KHR_map_memory2 (and the placed extension on top). */
export function khrDevice(options?: ValidationLayerOptions): Device {
  return validatedDevice({
    profile: 'stress',
    extensions: [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME, VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME],
    features: ALL_PLACED_FEATURES,
    options,
  });
}

/** nvidia-h100 (1.4): memoryMapPlaced and memoryUnmapReserve, no range placement. */
export function h100Device(): Device {
  return validatedDevice({
    profile: 'nvidia-h100',
    extensions: [VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME],
    features: { mapMemoryPlaced: { memoryMapPlaced: true, memoryUnmapReserve: true } },
  });
}

/** stress at 1.4 without any extension: the placed bits and structures are not available. */
export function plainDevice(options?: ValidationLayerOptions): Device {
  return validatedDevice({ profile: stress14, options });
}

export function allocate(device: Device, size: bigint | number, memoryTypeIndex = TYPE_COHERENT): DeviceMemory {
  return device.allocateMemory({ allocationSize: size, memoryTypeIndex });
}

/** Runs `act`, which must throw a ValidationError carrying exactly `vuids`; returns the error. */
export function expectVuids(act: () => unknown, vuids: readonly string[]): ValidationError {
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

/**
 * A negative test: its title starts with the rules it asserts, and `act` must end in a call that
 * throws a ValidationError carrying exactly those rules.
 */
export function negative(vuids: readonly string[], description: string, act: () => unknown): void {
  it(`${[...vuids].sort().join(' + ')}: ${description}`, () => {
    expectVuids(act, vuids);
  });
}

/** Runs `act` and asserts that the layer reported nothing (it throws on any report in 'throw' mode). */
export function expectValid<T>(act: () => T): T {
  return act();
}
