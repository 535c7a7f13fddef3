/**
 * The structures of the memory-mapping family, shaped as in the Vulkan specification: `sType` and `pNext`
 * where Vulkan has them (optional on the top-level structure, which vkmap fills in), sizes as
 * `VkDeviceSize` (input: `number | bigint`; output: `bigint`).
 */
import type { VkStructureType } from './constants.js';
import type { DeviceSizeInput } from './device-size.js';
import type { DeviceMemory } from './contract.js';

/** Any structure of a `pNext` chain: Vulkan's VkBaseInStructure. */
export interface BaseInStructure {
  readonly sType: number;
  readonly pNext?: BaseInStructure | null;
}

export interface MemoryType {
  readonly propertyFlags: number;
  readonly heapIndex: number;
}

export interface MemoryHeap {
  readonly size: bigint;
  readonly flags: number;
}

/** VkPhysicalDeviceMemoryProperties: the counts are the array lengths. */
export interface PhysicalDeviceMemoryProperties {
  readonly memoryTypes: readonly MemoryType[];
  readonly memoryHeaps: readonly MemoryHeap[];
}

/** The VkPhysicalDeviceLimits (and maintenance3) members that matter for mapping. */
export interface PhysicalDeviceMappingLimits {
  /** size_t: every pointer returned by a map, minus its offset, is aligned to this. */
  readonly minMemoryMapAlignment: number;
  /** Flush and invalidate ranges are in multiples of this (a power of two, at most 256). */
  readonly nonCoherentAtomSize: bigint;
  readonly maxMemoryAllocationCount: number;
  /** VkPhysicalDeviceMaintenance3Properties::maxMemoryAllocationSize (Vulkan 1.1). */
  readonly maxMemoryAllocationSize: bigint;
  readonly bufferImageGranularity: bigint;
}

export interface PhysicalDeviceProperties {
  readonly apiVersion: number;
  readonly driverVersion: number;
  readonly vendorID: number;
  readonly deviceID: number;
  readonly deviceType: number;
  readonly deviceName: string;
  readonly limits: PhysicalDeviceMappingLimits;
}

export interface ExtensionProperties {
  readonly extensionName: string;
  readonly specVersion: number;
}

export interface PhysicalDeviceMapMemoryPlacedFeaturesEXT {
  readonly memoryMapPlaced: boolean;
  readonly memoryMapRangePlaced: boolean;
  readonly memoryUnmapReserve: boolean;
}

export interface PhysicalDeviceMapMemoryPlacedPropertiesEXT {
  readonly minPlacedMemoryMapAlignment: bigint;
}

/** VkPhysicalDeviceMemoryBudgetPropertiesEXT: one entry per heap. */
export interface PhysicalDeviceMemoryBudgetPropertiesEXT {
  readonly heapBudget: readonly bigint[];
  readonly heapUsage: readonly bigint[];
}

export interface MemoryAllocateFlagsInfo extends BaseInStructure {
  readonly sType: typeof VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO;
  readonly flags: number;
  readonly deviceMask: number;
}

export interface MemoryAllocateInfo {
  readonly sType?: typeof VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  readonly pNext?: BaseInStructure | null;
  readonly allocationSize: DeviceSizeInput;
  readonly memoryTypeIndex: number;
}

export interface MemoryMapPlacedInfoEXT extends BaseInStructure {
  readonly sType: typeof VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT;
  /** The host address to map at, usually inside a range from `Device.reserveAddressRange`. */
  readonly pPlacedAddress: bigint;
}

export interface MemoryMapInfo {
  readonly sType?: typeof VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_INFO;
  readonly pNext?: BaseInStructure | null;
  /** VkMemoryMapFlags: 0 or VK_MEMORY_MAP_PLACED_BIT_EXT. */
  readonly flags?: number;
  readonly memory: DeviceMemory;
  readonly offset: DeviceSizeInput;
  readonly size: DeviceSizeInput;
}

export interface MemoryUnmapInfo {
  readonly sType?: typeof VkStructureType.VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO;
  readonly pNext?: BaseInStructure | null;
  /** VkMemoryUnmapFlags: 0 or VK_MEMORY_UNMAP_RESERVE_BIT_EXT. */
  readonly flags?: number;
  readonly memory: DeviceMemory;
}

export interface MappedMemoryRange {
  readonly sType?: typeof VkStructureType.VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE;
  readonly pNext?: BaseInStructure | null;
  readonly memory: DeviceMemory;
  readonly offset: DeviceSizeInput;
  readonly size: DeviceSizeInput;
}

/** Finds the structure with `sType` in a `pNext` chain. */
export function findInChain<T extends BaseInStructure>(
  chain: BaseInStructure | null | undefined,
  sType: number,
): T | undefined {
  for (let s = chain; s; s = s.pNext) {
    if (s.sType === sType) return s as T;
  }
  return undefined;
}
