/**
 * A device profile: everything the emulator needs to behave like one real GPU's memory system.
 * Users may define their own as a plain object; `validateProfile` checks it against the specification.
 */
export interface ProfileMemoryHeap {
  /** Bytes. */
  readonly size: bigint | number;
  /** VkMemoryHeapFlags. */
  readonly flags: number;
}

export interface ProfileMemoryType {
  /** VkMemoryPropertyFlags. */
  readonly propertyFlags: number;
  readonly heapIndex: number;
}

/**
 * The limits of VkPhysicalDeviceLimits that compute work reads. Each is optional: one a profile leaves out is
 * the value the specification requires of every device (`requiredLimits` of @vkmap/core).
 */
export interface ProfileComputeLimits {
  readonly maxComputeWorkGroupCount?: readonly [number, number, number];
  readonly maxComputeWorkGroupSize?: readonly [number, number, number];
  readonly maxComputeWorkGroupInvocations?: number;
  /** Bytes. */
  readonly maxComputeSharedMemorySize?: number;
  /** Bytes. */
  readonly maxPushConstantsSize?: number;
  readonly maxBoundDescriptorSets?: number;
  /** Bytes. */
  readonly maxStorageBufferRange?: number;
  /** Bytes. */
  readonly maxUniformBufferRange?: number;
  /** Bytes, a power of two. */
  readonly minStorageBufferOffsetAlignment?: bigint | number;
  /** Bytes, a power of two. */
  readonly minUniformBufferOffsetAlignment?: bigint | number;
}

export interface ProfileLimits extends ProfileComputeLimits {
  readonly minMemoryMapAlignment: number;
  readonly nonCoherentAtomSize: number;
  readonly maxMemoryAllocationCount: number;
  /** Bytes; VkPhysicalDeviceMaintenance3Properties::maxMemoryAllocationSize. */
  readonly maxMemoryAllocationSize: bigint | number;
  readonly bufferImageGranularity: number;
}

/** One VkQueueFamilyProperties. */
export interface ProfileQueueFamily {
  /**
   * VkQueueFlags: GRAPHICS 0x1, COMPUTE 0x2, TRANSFER 0x4, SPARSE_BINDING 0x8, PROTECTED 0x10, VIDEO_DECODE 0x20,
   * VIDEO_ENCODE 0x40, OPTICAL_FLOW_NV 0x100.
   */
  readonly queueFlags: number;
  readonly queueCount: number;
  /** Default 64. */
  readonly timestampValidBits?: number;
}

export interface ProfileMapMemoryPlaced {
  readonly memoryMapPlaced: boolean;
  readonly memoryMapRangePlaced: boolean;
  readonly memoryUnmapReserve: boolean;
  readonly minPlacedMemoryMapAlignment: number;
}

export interface DeviceProfile {
  /** Stable identifier, e.g. 'nvidia-h100-rebar'. */
  readonly id: string;
  readonly deviceName: string;
  /** VkPhysicalDeviceType value. */
  readonly deviceType: number;
  readonly vendorID: number;
  readonly deviceID: number;
  readonly driverVersion: number;
  /** Highest Vulkan version the device supports (VK_MAKE_API_VERSION). */
  readonly apiVersion: number;
  readonly memoryHeaps: readonly ProfileMemoryHeap[];
  readonly memoryTypes: readonly ProfileMemoryType[];
  readonly limits: ProfileLimits;
  /**
   * The queue families, in the order the driver enumerates them. Default: one family of one queue with
   * GRAPHICS | COMPUTE | TRANSFER.
   */
  readonly queueFamilies?: readonly ProfileQueueFamily[];
  /** Device extensions of the family the device exposes (VK_KHR_map_memory2, VK_EXT_memory_budget, ...). */
  readonly extensions: readonly string[];
  /** Present exactly when `extensions` has VK_EXT_map_memory_placed. */
  readonly mapMemoryPlaced?: ProfileMapMemoryPlaced;
  /** Size of the simulated host virtual address space that maps come from, in bytes. */
  readonly hostAddressSpaceSize: bigint | number;
  /** Host page size in bytes (4096 on most hosts, 16384 on Apple silicon). */
  readonly hostPageSize: number;
  /** Where the numbers come from. */
  readonly source: string;
}
