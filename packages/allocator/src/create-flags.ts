/** VmaMemoryUsage: what the memory is for, from which the allocator derives property flags. Values as in VMA. */
export const MemoryUsage = {
  /** No intended use: only `requiredFlags` and `preferredFlags` count. */
  UNKNOWN: 0,
  /** Transient attachments: requires LAZILY_ALLOCATED (mostly on tilers). */
  GPU_LAZILY_ALLOCATED: 6,
  /** Chosen from the create flags and `deviceAccess`: the recommended value. */
  AUTO: 7,
  /** As AUTO, leaning to DEVICE_LOCAL when in doubt. */
  AUTO_PREFER_DEVICE: 8,
  /** As AUTO, leaning away from DEVICE_LOCAL when in doubt. */
  AUTO_PREFER_HOST: 9,
} as const;
export type MemoryUsageValue = (typeof MemoryUsage)[keyof typeof MemoryUsage];

/** VmaAllocationCreateFlagBits that this allocator implements, with VMA's values. */
export const AllocationCreateFlagBits = {
  /** Own VkDeviceMemory for this allocation. */
  DEDICATED_MEMORY: 0x1,
  /** Only existing blocks: never allocate device memory for this request. */
  NEVER_ALLOCATE: 0x2,
  /** Persistently mapped: `allocation.mappedData` is valid for its whole life (host-visible types). */
  MAPPED: 0x4,
  /** Linear pools with one block: allocate from the top (double stack). */
  UPPER_ADDRESS: 0x40,
  /** Fail with VK_ERROR_OUT_OF_DEVICE_MEMORY rather than go over the heap's budget. */
  WITHIN_BUDGET: 0x100,
  /** The host writes the memory sequentially (memcpy in): write-combined memory is fine. */
  HOST_ACCESS_SEQUENTIAL_WRITE: 0x400,
  /** The host reads or writes in any order: wants HOST_CACHED. */
  HOST_ACCESS_RANDOM: 0x800,
  /** With a HOST_ACCESS flag: a non-host-visible type is acceptable if it is faster; copy through a staging buffer then. */
  HOST_ACCESS_ALLOW_TRANSFER_INSTEAD: 0x1000,
} as const;

export const KNOWN_ALLOCATION_CREATE_FLAGS = Object.values(AllocationCreateFlagBits).reduce((all, bit) => all | bit, 0);
