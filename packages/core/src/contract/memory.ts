/**
 * The memory chapter (Vulkan "Memory Allocation"): memory objects, host mappings, and the structures and
 * commands of allocation, mapping, flush and invalidate. Sizes are `VkDeviceSize`: `number | bigint` in,
 * `bigint` out.
 */
import type { VkStructureType } from '../constants.js';
import type { DeviceSizeInput } from '../device-size.js';
import type { BaseInStructure } from '../structures/chain.js';

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
 * It is a child of the device that reserved it: destroying the device releases it.
 */
export interface HostAddressRange {
  readonly address: bigint;
  readonly size: bigint;
  /** False once released (by `release()` or by destroying its device). */
  readonly isReserved: boolean;
  /**
   * Gives the range back to the host. Throws `VkmapStateError` while a placed mapping lives inside it;
   * releasing a released range does nothing.
   */
  release(): void;
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

/** VkPhysicalDeviceMemoryBudgetPropertiesEXT: one entry per heap. */
export interface PhysicalDeviceMemoryBudgetPropertiesEXT {
  readonly heapBudget: readonly bigint[];
  readonly heapUsage: readonly bigint[];
}

export interface PhysicalDeviceMapMemoryPlacedPropertiesEXT {
  readonly minPlacedMemoryMapAlignment: bigint;
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
  /** The host address to map at, inside a range from `Device.reserveAddressRange`. */
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
  /** VK_EXT_memory_budget values, or undefined where the physical device lacks the extension. */
  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;
  /** Reserves host address space for placed maps (size rounded up to the page). */
  reserveAddressRange(size: DeviceSizeInput, alignment?: DeviceSizeInput): HostAddressRange;
}
