/**
 * The objects of Vulkan's "Devices and Queues" chapter: the instance's physical devices, and the logical
 * device with the commands of every chapter it serves. A chapter that adds commands adds its interface to
 * `Device`'s `extends` list.
 *
 * Lifetimes, the same on every backend: a parent destroys its children (instance -> devices -> memory
 * objects, mappings, address ranges). `destroy()` of a destroyed object does nothing; any other call on a
 * destroyed object, or on a child of one, throws `VkmapStateError`.
 */
import type { PhysicalDeviceFeatures } from '../structures/features.js';
import type { InstanceBase } from './instance.js';
import type {
  DeviceMemoryCommands,
  PhysicalDeviceMapMemoryPlacedPropertiesEXT,
  PhysicalDeviceMemoryProperties,
} from './memory.js';
import type {
  DeviceCreateInfo,
  ExtensionProperties,
  PhysicalDeviceProperties,
  QueueFamilyProperties,
} from './physical-device.js';

export interface Instance extends InstanceBase {
  enumeratePhysicalDevices(): readonly PhysicalDevice[];
}

export interface PhysicalDevice {
  readonly instance: Instance;
  getProperties(): PhysicalDeviceProperties;
  getMemoryProperties(): PhysicalDeviceMemoryProperties;
  getQueueFamilyProperties(): readonly QueueFamilyProperties[];
  enumerateDeviceExtensionProperties(): readonly ExtensionProperties[];
  /** Every feature structure, with what this device supports (all false without the structure's extension). */
  getFeatures(): PhysicalDeviceFeatures;
  /** VK_EXT_map_memory_placed properties, or undefined without the extension. */
  getMapMemoryPlacedProperties(): PhysicalDeviceMapMemoryPlacedPropertiesEXT | undefined;
  /**
   * Creates a device. Throws `VkError` (EXTENSION_NOT_PRESENT, FEATURE_NOT_PRESENT, ...) as vkCreateDevice
   * would, `VkmapArgumentError` for a malformed create info or an extension whose dependencies are not
   * enabled. With `validation`, the validation layer wraps the device.
   */
  createDevice(info?: DeviceCreateInfo): Device;
}

/**
 * A logical device. Memory commands come from `DeviceMemoryCommands`; buffers, pipelines and dispatch
 * join as further command interfaces of the same shape.
 */
export interface Device extends DeviceMemoryCommands {
  readonly physicalDevice: PhysicalDevice;
  /** min(instance apiVersion, physical device apiVersion). */
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  /** Every feature structure, with what was enabled at creation. */
  readonly enabledFeatures: PhysicalDeviceFeatures;
  /** Whether a device-level command such as 'vkMapMemory2KHR' is available (vkGetDeviceProcAddr != NULL). */
  hasCommand(name: string): boolean;
  /**
   * Frees every memory object left (unmapping it: views are detached), releases every address range it
   * reserved, and destroys the device. Destroying a destroyed device does nothing.
   */
  destroy(): void;
  readonly isDestroyed: boolean;
}
