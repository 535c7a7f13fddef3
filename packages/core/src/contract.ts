/**
 * The backend contract: what every backend (native, emulated) implements and everything above it uses.
 * Vulkan-shaped: Instance -> PhysicalDevice -> Device, each method named after the Vulkan command it
 * stands for, without the `vk` prefix. Interfaces only.
 *
 * Failures throw `VkError` with a result the specification lists for the command; misuse that no
 * backend can act on (a freed handle, a stale view) throws `VkmapStateError`; malformed arguments throw
 * `VkmapArgumentError`. After any throw the state is as it was before the call.
 */
import type { DeviceSizeInput } from './device-size.js';
import type { ValidationLayerOptions } from './validation-options.js';
import type {
  ExtensionProperties,
  MappedMemoryRange,
  MemoryAllocateInfo,
  MemoryMapInfo,
  MemoryUnmapInfo,
  PhysicalDeviceMapMemoryPlacedFeaturesEXT,
  PhysicalDeviceMapMemoryPlacedPropertiesEXT,
  PhysicalDeviceMemoryBudgetPropertiesEXT,
  PhysicalDeviceMemoryProperties,
  PhysicalDeviceProperties,
} from './structures.js';

export interface InstanceCreateInfo {
  /** The highest Vulkan version the application uses; defaults to the highest the backend offers. */
  readonly apiVersion?: number;
}

export interface Instance {
  /** Which backend this is, for printing only ("emulated", "native"). */
  readonly backendName: string;
  readonly apiVersion: number;
  enumeratePhysicalDevices(): readonly PhysicalDevice[];
  destroy(): void;
}

/** Features of the family a device may enable (VkPhysicalDeviceMapMemoryPlacedFeaturesEXT). */
export type EnabledFeatures = Partial<PhysicalDeviceMapMemoryPlacedFeaturesEXT>;

export interface DeviceCreateInfo {
  readonly enabledExtensionNames?: readonly string[];
  readonly enabledFeatures?: EnabledFeatures;
  /** Wraps the device in the validation layer (`true` for the defaults). */
  readonly validation?: boolean | ValidationLayerOptions;
}

export interface PhysicalDevice {
  readonly instance: Instance;
  getProperties(): PhysicalDeviceProperties;
  getMemoryProperties(): PhysicalDeviceMemoryProperties;
  enumerateDeviceExtensionProperties(): readonly ExtensionProperties[];
  /** The supported VK_EXT_map_memory_placed features (all false without the extension). */
  getMapMemoryPlacedFeatures(): PhysicalDeviceMapMemoryPlacedFeaturesEXT;
  /** VK_EXT_map_memory_placed properties, or undefined without the extension. */
  getMapMemoryPlacedProperties(): PhysicalDeviceMapMemoryPlacedPropertiesEXT | undefined;
  /** Throws `VkError` (EXTENSION_NOT_PRESENT, FEATURE_NOT_PRESENT, ...) as vkCreateDevice would. */
  createDevice(info?: DeviceCreateInfo): Device;
}

/** A VkDeviceMemory handle. Opaque: only the device that allocated it acts on it. */
export interface DeviceMemory {
  readonly objectType: 'VkDeviceMemory';
  /** The non-dispatchable handle's value, for printing and debugging. */
  readonly handle: bigint;
  readonly allocationSize: bigint;
  readonly memoryTypeIndex: number;
}

/**
 * A live host mapping: a zero-copy view over exactly the mapped range and its host address.
 * Unmapping (or freeing the memory, or destroying the device) ends it: `data` then throws, and the
 * `Uint8Array` handed out earlier is detached (length 0, its methods throw), so it never reaches memory
 * that is no longer mapped.
 */
export interface MappedMemory {
  readonly memory: DeviceMemory;
  /** Offset of the mapping in the allocation. */
  readonly offset: bigint;
  /** Size of the mapping, with VK_WHOLE_SIZE resolved. */
  readonly size: bigint;
  /** Host address of byte `offset`; `address - offset` is a multiple of minMemoryMapAlignment. */
  readonly address: bigint;
  /** Whether the memory type is HOST_COHERENT (no flush or invalidate needed). */
  readonly isCoherent: boolean;
  /** Whether the map was placed (VK_MEMORY_MAP_PLACED_BIT_EXT). */
  readonly isPlaced: boolean;
  /** False once the mapping has ended. */
  readonly isMapped: boolean;
  /** The mapped bytes. Throws `VkmapStateError` once the mapping has ended. */
  readonly data: Uint8Array;
}

/**
 * A range of host address space reserved with no access (mmap PROT_NONE), for placed maps. A placed map
 * inside it replaces those pages; unmapping with VK_MEMORY_UNMAP_RESERVE_BIT_EXT hands them back to it.
 */
export interface HostAddressRange {
  readonly address: bigint;
  readonly size: bigint;
  /** False once released. */
  readonly isReserved: boolean;
  /** Gives the range back to the host. Throws `VkmapStateError` while a mapping lives inside it. */
  release(): void;
}

/** The memory commands of a device: vkAllocateMemory through vkInvalidateMappedMemoryRanges. */
export interface DeviceMemoryCommands {
  allocateMemory(info: MemoryAllocateInfo): DeviceMemory;
  /** Frees memory; a mapped object is unmapped first. `null` is accepted and does nothing. */
  freeMemory(memory: DeviceMemory | null): void;
  mapMemory(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput, flags?: number): MappedMemory;
  /** Vulkan 1.4. Throws `VkmapStateError` on a device where the command is not available. */
  mapMemory2(info: MemoryMapInfo): MappedMemory;
  /** VK_KHR_map_memory2 alias; available only when that extension is enabled. */
  mapMemory2KHR(info: MemoryMapInfo): MappedMemory;
  unmapMemory(memory: DeviceMemory): void;
  /**
   * Vulkan 1.4. With VK_MEMORY_UNMAP_RESERVE_BIT_EXT the address range stays reserved and is returned;
   * otherwise returns undefined.
   */
  unmapMemory2(info: MemoryUnmapInfo): HostAddressRange | undefined;
  /** VK_KHR_map_memory2 alias; available only when that extension is enabled. */
  unmapMemory2KHR(info: MemoryUnmapInfo): HostAddressRange | undefined;
  flushMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void;
  invalidateMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void;
}

/**
 * A logical device. Memory commands come from `DeviceMemoryCommands`; buffers, pipelines and dispatch
 * will join as further command interfaces of the same shape.
 */
export interface Device extends DeviceMemoryCommands {
  readonly physicalDevice: PhysicalDevice;
  /** min(instance apiVersion, physical device apiVersion). */
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  readonly enabledFeatures: Readonly<PhysicalDeviceMapMemoryPlacedFeaturesEXT>;
  /** Whether a device-level command such as 'vkMapMemory2KHR' is available (vkGetDeviceProcAddr != NULL). */
  hasCommand(name: string): boolean;
  /** VK_EXT_memory_budget values, or undefined where the physical device lacks the extension. */
  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;
  /** Reserves host address space for placed maps (size rounded up to the page). */
  reserveAddressRange(size: DeviceSizeInput, alignment?: DeviceSizeInput): HostAddressRange;
  /** Frees what is left (implicitly unmapping), detaches every view, and invalidates the device. */
  destroy(): void;
  readonly isDestroyed: boolean;
}
