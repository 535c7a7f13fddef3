import {
  EXTENSION_DEPENDENCIES,
  VkError,
  VkmapArgumentError,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  apiVersionMajorMinor,
  type DeviceCreateInfo,
  type ExtensionProperties,
  type PhysicalDevice,
  type PhysicalDeviceMapMemoryPlacedFeaturesEXT,
  type PhysicalDeviceMapMemoryPlacedPropertiesEXT,
  type PhysicalDeviceMappingLimits,
  type PhysicalDeviceMemoryProperties,
  type PhysicalDeviceProperties,
  type Device,
  withValidation,
} from '@vkmap/core';
import { EmulatedDevice } from './device.js';
import type { EmulatedInstance } from './instance.js';
import type { DeviceProfile } from './profile.js';

const NO_PLACED_FEATURES: PhysicalDeviceMapMemoryPlacedFeaturesEXT = Object.freeze({
  memoryMapPlaced: false,
  memoryMapRangePlaced: false,
  memoryUnmapReserve: false,
});

const FEATURE_NAMES = ['memoryMapPlaced', 'memoryMapRangePlaced', 'memoryUnmapReserve'] as const;

export interface EmulatedDeviceCreateInfo extends DeviceCreateInfo {
  /** Seed of this device's fault injection; defaults to one derived from the instance seed. */
  readonly faultSeed?: number;
}

/** One emulated GPU, described by a validated device profile. */
export class EmulatedPhysicalDevice implements PhysicalDevice {
  readonly instance: EmulatedInstance;
  readonly profile: DeviceProfile;
  readonly memoryProperties: PhysicalDeviceMemoryProperties;
  readonly limits: PhysicalDeviceMappingLimits;
  readonly placedProperties: PhysicalDeviceMapMemoryPlacedPropertiesEXT | undefined;
  private readonly placedFeatures: PhysicalDeviceMapMemoryPlacedFeaturesEXT;
  private readonly extensions: ReadonlySet<string>;
  private readonly index: number;
  private devicesCreated = 0;

  constructor(instance: EmulatedInstance, profile: DeviceProfile, index: number) {
    this.instance = instance;
    this.profile = profile;
    this.index = index;
    this.memoryProperties = deepFreeze({
      memoryTypes: profile.memoryTypes.map((t) => ({ propertyFlags: t.propertyFlags, heapIndex: t.heapIndex })),
      memoryHeaps: profile.memoryHeaps.map((h) => ({ size: BigInt(h.size), flags: h.flags })),
    });
    this.limits = Object.freeze({
      minMemoryMapAlignment: profile.limits.minMemoryMapAlignment,
      nonCoherentAtomSize: BigInt(profile.limits.nonCoherentAtomSize),
      maxMemoryAllocationCount: profile.limits.maxMemoryAllocationCount,
      maxMemoryAllocationSize: BigInt(profile.limits.maxMemoryAllocationSize),
      bufferImageGranularity: BigInt(profile.limits.bufferImageGranularity),
    });
    this.extensions = new Set(profile.extensions);
    const placed = profile.mapMemoryPlaced;
    this.placedFeatures = placed
      ? Object.freeze({
          memoryMapPlaced: placed.memoryMapPlaced,
          memoryMapRangePlaced: placed.memoryMapRangePlaced,
          memoryUnmapReserve: placed.memoryUnmapReserve,
        })
      : NO_PLACED_FEATURES;
    this.placedProperties = placed
      ? Object.freeze({ minPlacedMemoryMapAlignment: BigInt(placed.minPlacedMemoryMapAlignment) })
      : undefined;
  }

  getProperties(): PhysicalDeviceProperties {
    const p = this.profile;
    return {
      apiVersion: p.apiVersion,
      driverVersion: p.driverVersion,
      vendorID: p.vendorID,
      deviceID: p.deviceID,
      deviceType: p.deviceType,
      deviceName: p.deviceName,
      limits: this.limits,
    };
  }

  getMemoryProperties(): PhysicalDeviceMemoryProperties {
    return this.memoryProperties;
  }

  enumerateDeviceExtensionProperties(): readonly ExtensionProperties[] {
    return this.profile.extensions.map((extensionName) => ({ extensionName, specVersion: 1 }));
  }

  getMapMemoryPlacedFeatures(): PhysicalDeviceMapMemoryPlacedFeaturesEXT {
    return this.placedFeatures;
  }

  getMapMemoryPlacedProperties(): PhysicalDeviceMapMemoryPlacedPropertiesEXT | undefined {
    return this.placedProperties;
  }

  supportsExtension(name: string): boolean {
    return this.extensions.has(name);
  }

  /** Creates a logical device; with `validation` set, the validation layer wraps it. */
  createDevice(info: EmulatedDeviceCreateInfo = {}): Device {
    const device = this.createEmulatedDevice(info);
    if (!info.validation) return device;
    return withValidation(device, info.validation === true ? {} : info.validation);
  }

  /** Creates a logical device without any layer, with the emulator's own API (faults, device access). */
  createEmulatedDevice(info: EmulatedDeviceCreateInfo = {}): EmulatedDevice {
    if (typeof info !== 'object' || info === null) {
      throw new VkmapArgumentError('pCreateInfo', 'must be an object');
    }
    const apiVersion = Math.min(this.instance.apiVersion, this.profile.apiVersion);
    const extensions = this.checkExtensions(info.enabledExtensionNames ?? [], apiVersion);
    const features = this.checkFeatures(info.enabledFeatures ?? {}, extensions);
    const faultSeed = info.faultSeed ?? (this.instance.seed ^ Math.imul(this.index + 1, 0x9e3779b1) ^ this.devicesCreated) >>> 0;
    this.devicesCreated += 1;
    return new EmulatedDevice({
      physicalDevice: this,
      apiVersion,
      enabledExtensions: extensions,
      enabledFeatures: features,
      faultSeed,
    });
  }

  private checkExtensions(names: readonly string[], apiVersion: number): ReadonlySet<string> {
    if (!Array.isArray(names)) throw new VkmapArgumentError('enabledExtensionNames', 'must be an array of extension names');
    const enabled = new Set<string>();
    for (const name of names) {
      if (typeof name !== 'string') throw new VkmapArgumentError('enabledExtensionNames', `holds a non-string ${String(name)}`);
      if (!this.extensions.has(name)) {
        throw new VkError(
          'vkCreateDevice',
          'VK_ERROR_EXTENSION_NOT_PRESENT',
          `${this.profile.deviceName} does not offer ${name}; it offers ${[...this.extensions].join(', ') || 'no extension of this family'}`,
        );
      }
      enabled.add(name);
    }
    for (const name of enabled) {
      const dependency = EXTENSION_DEPENDENCIES[name];
      if (!dependency) continue;
      const byVersion = dependency.orVersion !== undefined && apiVersionMajorMinor(apiVersion) >= dependency.orVersion;
      const missing = dependency.extensions.filter((dep) => !enabled.has(dep));
      if (!byVersion && missing.length > 0) {
        throw new VkmapArgumentError('enabledExtensionNames', `${name} needs ${missing.join(' and ')} enabled too on a device below Vulkan 1.4`);
      }
    }
    return enabled;
  }

  private checkFeatures(requested: object, extensions: ReadonlySet<string>): PhysicalDeviceMapMemoryPlacedFeaturesEXT {
    const features = { ...NO_PLACED_FEATURES };
    for (const [name, value] of Object.entries(requested)) {
      if (!(FEATURE_NAMES as readonly string[]).includes(name)) {
        throw new VkmapArgumentError('enabledFeatures', `has unknown feature ${name}; known: ${FEATURE_NAMES.join(', ')}`);
      }
      if (value !== true) continue;
      const feature = name as (typeof FEATURE_NAMES)[number];
      if (!extensions.has(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME)) {
        throw new VkmapArgumentError('enabledFeatures', `${feature} needs ${VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME} in enabledExtensionNames`);
      }
      if (!this.placedFeatures[feature]) {
        throw new VkError('vkCreateDevice', 'VK_ERROR_FEATURE_NOT_PRESENT', `${this.profile.deviceName} does not support ${feature}`);
      }
      features[feature] = true;
    }
    return features;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
