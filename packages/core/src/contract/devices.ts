/**
 * The objects of Vulkan's "Devices and Queues" chapter: the instance's physical devices, and the logical
 * device with the commands of every chapter it serves. A chapter that adds commands adds its interface to
 * `Device`'s `extends` list.
 *
 * Lifetimes, the same on every backend: a parent destroys its children (instance -> devices -> memory
 * objects, mappings, address ranges, buffers, shader modules, layouts, pipelines, descriptor pools -> their
 * sets, command pools -> their command buffers, queues, fences). `destroy()` of a destroyed object does
 * nothing; any other call on a destroyed object, or on a child of one, throws `VkmapStateError`, and so
 * does a command given a handle that has ended (`freeMemory` of freed memory, `destroyBuffer` of a
 * destroyed buffer), as in Vulkan; `null` does nothing. What pending GPU work uses cannot be destroyed,
 * freed, reset or rewritten until the front has seen that work complete (`VkmapStateError` naming the
 * submission).
 */
import type { PhysicalDeviceFeatures } from '../structures/features.js';
import type { InstanceBase } from './instance.js';
import type { DeviceCommandBufferCommands, DeviceQueueCommands } from './commands.js';
import type { DevicePipelineCommands } from './pipelines.js';
import type { DeviceBufferCommands } from './resources.js';
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
 * A logical device: the commands of each chapter come from that chapter's interface. Objects it creates
 * are its children: destroying the device waits for its queues to go idle, then destroys them all.
 */
export interface Device
  extends DeviceMemoryCommands,
    DeviceBufferCommands,
    DevicePipelineCommands,
    DeviceCommandBufferCommands,
    DeviceQueueCommands {
  readonly physicalDevice: PhysicalDevice;
  /** min(instance apiVersion, physical device apiVersion). */
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  /** Every feature structure, with what was enabled at creation. */
  readonly enabledFeatures: PhysicalDeviceFeatures;
  /** Whether a device-level command such as 'vkMapMemory2KHR' is available (vkGetDeviceProcAddr != NULL). */
  hasCommand(name: string): boolean;
  /**
   * Waits for the device to go idle (vkDeviceWaitIdle) when work is pending, destroys every object of the
   * compute chapters left (command pools, descriptor pools, pipelines, layouts, shader modules, buffers,
   * fences, in that order), frees every memory object left (unmapping it: views are detached), releases
   * every address range it reserved, and destroys the device. Destroying a destroyed device does nothing.
   * Nothing is registered for process exit: a backend that must tear down at exit does so itself.
   */
  destroy(): void;
  readonly isDestroyed: boolean;
}
