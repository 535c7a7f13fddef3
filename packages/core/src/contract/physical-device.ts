/**
 * What a physical device reports (Vulkan "Devices and Queues" and "Limits"): properties with the whole
 * VkPhysicalDeviceLimits, queue families, extensions, features; and what a device is created with.
 */
import type { EnabledFeatures } from '../structures/features.js';
import type { PhysicalDeviceLimits } from '../structures/limits.js';
import type { ValidationLayerOptions } from '../validation-options.js';

export type {
  EnabledFeatures,
  PhysicalDeviceFeatures,
  PhysicalDeviceMapMemoryPlacedFeaturesEXT,
} from '../structures/features.js';
export type { PhysicalDeviceLimits, PhysicalDeviceMappingLimits } from '../structures/limits.js';

export interface PhysicalDeviceProperties {
  readonly apiVersion: number;
  readonly driverVersion: number;
  readonly vendorID: number;
  readonly deviceID: number;
  readonly deviceType: number;
  readonly deviceName: string;
  readonly limits: PhysicalDeviceLimits;
}

export interface ExtensionProperties {
  readonly extensionName: string;
  readonly specVersion: number;
}

export interface Extent3D {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
}

/** VkQueueFamilyProperties. */
export interface QueueFamilyProperties {
  /** VkQueueFlags: GRAPHICS 0x1, COMPUTE 0x2, TRANSFER 0x4, SPARSE_BINDING 0x8. */
  readonly queueFlags: number;
  readonly queueCount: number;
  readonly timestampValidBits: number;
  readonly minImageTransferGranularity: Extent3D;
}

/** VkDeviceQueueCreateInfo. */
export interface DeviceQueueCreateInfo {
  readonly queueFamilyIndex: number;
  /** One priority in [0, 1] per queue; their count is the number of queues. */
  readonly queuePriorities: readonly number[];
}

export interface DeviceCreateInfo {
  /**
   * Queues to create, at most one entry per family. Omitted: one queue of the first family with
   * VK_QUEUE_COMPUTE_BIT (never assumed to be family 0), or none where no family has it.
   */
  readonly queueCreateInfos?: readonly DeviceQueueCreateInfo[];
  /** Extensions to enable; each must be offered, with the extensions it depends on enabled too. */
  readonly enabledExtensionNames?: readonly string[];
  /** Feature members to enable, per feature structure; each needs its structure's extension enabled. */
  readonly enabledFeatures?: EnabledFeatures;
  /** Wraps the device in the validation layer (`true` for the defaults), on every backend. */
  readonly validation?: boolean | ValidationLayerOptions;
  /**
   * What happens to a view once its mapping ends (see `ViewLifetime`). Omitted: the `VKMAP_VIEWS`
   * environment variable (`stable` or `detach`) where it is set, else `'stable'`.
   */
  readonly views?: ViewLifetime;
}

/**
 * The lifetime of the `Uint8Array` views handed out for mappings.
 *
 * - `'stable'` (the default): vkmap never detaches an ArrayBuffer, so V8 keeps its typed-array fast path
 *   for the whole process. A view stays addressable for as long as JavaScript (or Node's thread pool)
 *   holds it; once its mapping ends it is harmless: it never reaches another object's memory, freed memory
 *   or unmapped pages, and never crashes. What a stale view still reads and writes is stated per backend in
 *   its README. `mapping.data` throws once the mapping ends in both modes.
 * - `'detach'`: for debugging. Unmap, free and destroy detach every view of the mapping (length 0, methods
 *   throw), so stale use fails loudly; the first detach turns off V8's typed-array fast path for the
 *   process. Work the thread pool started on a view before it was detached still lands in harmless memory.
 */
export type ViewLifetime = 'stable' | 'detach';
