/** A physical device: its properties (queried once, at instance creation) and device creation. */
import {
  apiVersionMajorMinor,
  describeValue,
  EXTENSION_DEPENDENCIES,
  formatApiVersion,
  VkError,
  VkmapArgumentError,
  VkmapStateError,
  type DeviceCreateInfo,
  type ExtensionProperties,
  type PhysicalDevice,
  type PhysicalDeviceMapMemoryPlacedFeaturesEXT,
  type PhysicalDeviceMapMemoryPlacedPropertiesEXT,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
  type PhysicalDeviceMemoryProperties,
  type PhysicalDeviceProperties,
} from '@vkmap/core';
import type { BindingPhysicalDevice, NativeBinding } from './binding.js';
import { NativeDevice } from './device.js';
import { callAddon } from './errors.js';
import type { NativeInstance } from './instance.js';

const FEATURE_NAMES = ['memoryMapPlaced', 'memoryMapRangePlaced', 'memoryUnmapReserve'] as const;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export interface PhysicalDeviceOwner {
  readonly instance: NativeInstance;
  readonly binding: NativeBinding;
  readonly instanceId: number;
  readonly isDestroyed: () => boolean;
  readonly adopt: (device: NativeDevice) => void;
  readonly release: (device: NativeDevice) => void;
}

export class NativePhysicalDevice implements PhysicalDevice {
  readonly instance: NativeInstance;
  readonly #owner: PhysicalDeviceOwner;
  readonly #index: number;
  readonly #properties: PhysicalDeviceProperties;
  readonly #memory: PhysicalDeviceMemoryProperties;
  readonly #extensions: readonly ExtensionProperties[];
  readonly #extensionNames: ReadonlySet<string>;
  readonly #placedFeatures: PhysicalDeviceMapMemoryPlacedFeaturesEXT;
  readonly #placedProperties: PhysicalDeviceMapMemoryPlacedPropertiesEXT | undefined;
  readonly #hasBudget: boolean;

  constructor(owner: PhysicalDeviceOwner, index: number, description: BindingPhysicalDevice) {
    this.instance = owner.instance;
    this.#owner = owner;
    this.#index = index;
    this.#properties = deepFreeze(description.properties);
    this.#memory = deepFreeze(description.memoryProperties);
    this.#extensions = deepFreeze(description.extensions);
    this.#extensionNames = new Set(description.extensions.map((e) => e.extensionName));
    this.#placedFeatures = deepFreeze(description.placedFeatures);
    this.#placedProperties =
      description.minPlacedMemoryMapAlignment === undefined
        ? undefined
        : deepFreeze({ minPlacedMemoryMapAlignment: description.minPlacedMemoryMapAlignment });
    this.#hasBudget = description.hasMemoryBudget;
  }

  getProperties(): PhysicalDeviceProperties {
    return this.#properties;
  }

  getMemoryProperties(): PhysicalDeviceMemoryProperties {
    return this.#memory;
  }

  enumerateDeviceExtensionProperties(): readonly ExtensionProperties[] {
    return this.#extensions;
  }

  getMapMemoryPlacedFeatures(): PhysicalDeviceMapMemoryPlacedFeaturesEXT {
    return this.#placedFeatures;
  }

  getMapMemoryPlacedProperties(): PhysicalDeviceMapMemoryPlacedPropertiesEXT | undefined {
    return this.#placedProperties;
  }

  hasExtension(name: string): boolean {
    return this.#extensionNames.has(name);
  }

  /** VK_EXT_memory_budget values now, or undefined without the extension. */
  queryMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    if (!this.#hasBudget) return undefined;
    this.#assertInstance('getMemoryBudget');
    const budget = callAddon(() => this.#owner.binding.getMemoryBudget(this.#owner.instanceId, this.#index));
    return budget ? deepFreeze(budget) : undefined;
  }

  formatVersion(version: number): string {
    return formatApiVersion(version);
  }

  createDevice(info: DeviceCreateInfo = {}): NativeDevice {
    this.#assertInstance('vkCreateDevice');
    if (typeof info !== 'object' || info === null) {
      throw new VkmapArgumentError('info', `must be a DeviceCreateInfo object (got ${describeValue(info)})`);
    }
    const apiVersion = Math.min(this.instance.apiVersion, this.#properties.apiVersion);
    const extensions = this.#extensionList(info.enabledExtensionNames, apiVersion);
    const features = this.#featureList(info.enabledFeatures, extensions);
    const anyFeature = FEATURE_NAMES.some((name) => features[name]);
    const created = callAddon(() =>
      this.#owner.binding.createDevice(
        this.#owner.instanceId,
        this.#index,
        apiVersion,
        [...extensions],
        anyFeature ? { ...features } : undefined,
      ),
    );
    const device = new NativeDevice({
      binding: this.#owner.binding,
      id: created.id,
      physicalDevice: this,
      apiVersion,
      enabledExtensions: extensions,
      enabledFeatures: features,
      driverCommands: Object.freeze({ ...created.driverCommands }),
      onDestroy: (d) => this.#owner.release(d),
    });
    this.#owner.adopt(device);
    return device;
  }

  toString(): string {
    return `NativePhysicalDevice(${this.#properties.deviceName})`;
  }

  #assertInstance(command: string): void {
    if (this.#owner.isDestroyed()) throw new VkmapStateError(`${command}: the instance has been destroyed`);
  }

  /** The extensions to enable: the requested ones, each supported, plus what they depend on. */
  #extensionList(names: unknown, apiVersion: number): ReadonlySet<string> {
    if (names === undefined) return new Set();
    if (!Array.isArray(names)) {
      throw new VkmapArgumentError('info.enabledExtensionNames', `must be an array of strings (got ${describeValue(names)})`);
    }
    const result = new Set<string>();
    names.forEach((name: unknown, i) => {
      if (typeof name !== 'string') {
        throw new VkmapArgumentError(`info.enabledExtensionNames[${i}]`, `must be a string (got ${describeValue(name)})`);
      }
      this.#requireExtension(name);
      result.add(name);
    });
    for (const name of [...result]) {
      const dependency = EXTENSION_DEPENDENCIES[name];
      if (!dependency) continue;
      if (dependency.orVersion !== undefined && apiVersionMajorMinor(apiVersion) >= dependency.orVersion) continue;
      for (const needed of dependency.extensions) {
        this.#requireExtension(needed, name);
        result.add(needed);
      }
    }
    return result;
  }

  #requireExtension(name: string, neededBy?: string): void {
    if (this.#extensionNames.has(name)) return;
    throw new VkError(
      'vkCreateDevice',
      'VK_ERROR_EXTENSION_NOT_PRESENT',
      `${name}${neededBy ? ` (needed by ${neededBy})` : ''} is not supported by ${this.#properties.deviceName}`,
    );
  }

  #featureList(requested: unknown, extensions: ReadonlySet<string>): PhysicalDeviceMapMemoryPlacedFeaturesEXT {
    const result = { memoryMapPlaced: false, memoryMapRangePlaced: false, memoryUnmapReserve: false };
    if (requested === undefined) return result;
    if (typeof requested !== 'object' || requested === null) {
      throw new VkmapArgumentError('info.enabledFeatures', `must be an object (got ${describeValue(requested)})`);
    }
    for (const [key, value] of Object.entries(requested)) {
      if (!(FEATURE_NAMES as readonly string[]).includes(key)) {
        throw new VkmapArgumentError(
          `info.enabledFeatures.${key}`,
          `is not a feature of this family (known: ${FEATURE_NAMES.join(', ')})`,
        );
      }
      if (value !== undefined && typeof value !== 'boolean') {
        throw new VkmapArgumentError(`info.enabledFeatures.${key}`, `must be a boolean (got ${describeValue(value)})`);
      }
    }
    for (const name of FEATURE_NAMES) {
      if ((requested as Partial<PhysicalDeviceMapMemoryPlacedFeaturesEXT>)[name] !== true) continue;
      if (!this.#placedFeatures[name]) {
        throw new VkError(
          'vkCreateDevice',
          'VK_ERROR_FEATURE_NOT_PRESENT',
          `${name} (VK_EXT_map_memory_placed) is not supported by ${this.#properties.deviceName}`,
        );
      }
      if (!extensions.has('VK_EXT_map_memory_placed')) {
        throw new VkmapArgumentError(
          `info.enabledFeatures.${name}`,
          'needs VK_EXT_map_memory_placed in enabledExtensionNames',
        );
      }
      result[name] = true;
    }
    return result;
  }
}
