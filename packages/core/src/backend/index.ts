/**
 * The narrow backend interface: what a backend (native, emulated) implements, and all it implements. The
 * checked front (../front) serves the public contract over it: it reads and converts every argument once,
 * refuses misuse with one wording, keeps the one table of handles (owner, parent, freed, mapped), and calls
 * a backend only with resolved values and the backend's own live records.
 *
 * Each method states its preconditions (what the front guarantees before calling) and what it must do. A
 * backend does not check its preconditions again; where breaking one could corrupt memory (a pointer, a view
 * over unmapped bytes), the backend's lowest layer keeps that one check next to the pointer.
 *
 * Failures: a method fails only with `VkError` carrying one of its command's error results
 * (COMMAND_ERROR_RESULTS), and a failed call changes nothing, unless its description says otherwise.
 */
import type {
  ExtensionProperties,
  PhysicalDeviceMapMemoryPlacedPropertiesEXT,
  PhysicalDeviceMemoryBudgetPropertiesEXT,
  PhysicalDeviceMemoryProperties,
  PhysicalDeviceProperties,
  QueueFamilyProperties,
  ViewLifetime,
} from '../contract/index.js';
import type { PhysicalDeviceFeatures } from '../structures/features.js';
import type { ComputeDeviceBackend } from './compute.js';

export type * from './compute.js';

/** What a backend reports about a physical device, once, as plain data; the front answers every query from it. */
export interface PhysicalDeviceDescription {
  /** Properties with the whole VkPhysicalDeviceLimits. */
  readonly properties: PhysicalDeviceProperties;
  readonly memoryProperties: PhysicalDeviceMemoryProperties;
  readonly queueFamilies: readonly QueueFamilyProperties[];
  readonly extensions: readonly ExtensionProperties[];
  /** Every feature structure, with what the device supports (false where it lacks the extension). */
  readonly features: PhysicalDeviceFeatures;
  /** Present when the device offers VK_EXT_map_memory_placed. */
  readonly mapMemoryPlacedProperties?: PhysicalDeviceMapMemoryPlacedPropertiesEXT;
}

export interface InstanceBackend {
  /** For printing only. */
  readonly backendName: string;
  /** The instance's Vulkan version. */
  readonly apiVersion: number;
  /** The physical devices, in the order the backend enumerates them. Called once, when the front is made. */
  physicalDevices(): readonly PhysicalDeviceBackend[];
  /**
   * vkDestroyInstance. Preconditions: called once; every device created from this instance has been
   * destroyed (the front destroys the children first). Never fails.
   */
  destroy(): void;
}

/** A device as the front asks for it: every value checked and resolved. */
export interface DeviceRequest {
  /** min(instance apiVersion, physical device apiVersion). */
  readonly apiVersion: number;
  /** Offered by the physical device, each with the extensions it depends on (below their core version). */
  readonly extensions: ReadonlySet<string>;
  /**
   * Every feature structure; a member is true only where the physical device supports it and the
   * structure's extension is in `extensions`.
   */
  readonly features: PhysicalDeviceFeatures;
  /** Queues to create: distinct families of the physical device, 1 <= count <= the family's queueCount. */
  readonly queues: readonly { readonly queueFamilyIndex: number; readonly priorities: readonly number[] }[];
  /** The view lifetime the application chose (resolved: never undefined). */
  readonly views: ViewLifetime;
}

export interface PhysicalDeviceBackend {
  readonly description: PhysicalDeviceDescription;
  /**
   * vkCreateDevice. Preconditions: the instance is live; `request` as described there. May fail with
   * vkCreateDevice's results (a driver may still refuse an extension or feature).
   */
  createDevice(request: DeviceRequest): DeviceBackend;
}

/** An address range a backend reserved: its own record, which the front hands back to it. */
export interface BackendAddressRange {
  readonly address: bigint;
  readonly size: bigint;
}

/** A map as the front asks for it. */
export interface MapRequest {
  /** 'vkMapMemory', 'vkMapMemory2' or 'vkMapMemory2KHR': the entry point, available on the device. */
  readonly command: 'vkMapMemory' | 'vkMapMemory2' | 'vkMapMemory2KHR';
  /** 0 <= offset < allocationSize. */
  readonly offset: bigint;
  /** The size as the application passed it (VK_WHOLE_SIZE or an explicit size), for a driver. */
  readonly requestedSize: bigint;
  /** The size resolved: 0 < size <= allocationSize - offset, and at most Number.MAX_SAFE_INTEGER. */
  readonly size: bigint;
  /**
   * For a placed map (VK_MEMORY_MAP_PLACED_BIT_EXT, only through vkMapMemory2): the address, a multiple of
   * minPlacedMemoryMapAlignment, with memoryMapPlaced enabled and the offset and size rules of the
   * extension met; [placedAddress, placedAddress + size rounded up to the page) lies inside one live
   * address range this device reserved. Whether those pages are still free is the backend's to check
   * (VK_ERROR_MEMORY_MAP_FAILED when they are not). Undefined for a normal map.
   */
  readonly placedAddress: bigint | undefined;
}

/** One range of a flush or invalidate. */
export interface ResolvedRange<M> {
  readonly memory: M;
  /** Inside the current mapping: mapping offset <= offset < mapping end. */
  readonly offset: bigint;
  /** As the application passed it: VK_WHOLE_SIZE, or a size with offset + size <= mapping end; never 0. */
  readonly size: bigint;
  /** Where the range ends: the mapping's end for VK_WHOLE_SIZE, else offset + size. */
  readonly end: bigint;
}

/**
 * A logical device. `M` is the backend's record of one memory object, `R` of one address range: the front
 * keeps them in its handle table and passes them back; a backend never sees a handle it did not make.
 * Every method's preconditions include: the device is live (not destroyed).
 */
export interface DeviceBackend<M = unknown, R extends BackendAddressRange = BackendAddressRange>
  extends ComputeDeviceBackend<M> {
  /** Bytes of a host page: reservations are whole pages. */
  readonly pageSize: bigint;

  /**
   * vkAllocateMemory. Preconditions: 0 < size <= the heap's size; `memoryTypeIndex` names a memory type
   * of `heapIndex`; fewer than maxMemoryAllocationCount objects are live; `deviceMask` is 1 or undefined.
   * Returns the handle's value (unique among the device's live objects) and the backend's record.
   */
  allocateMemory(request: {
    readonly size: bigint;
    readonly memoryTypeIndex: number;
    readonly heapIndex: number;
    readonly deviceMask: number | undefined;
  }): {
    readonly handle: bigint;
    readonly memory: M;
  };

  /**
   * vkFreeMemory. Preconditions: `memory` is live. When it is mapped, the backend unmaps it first and
   * detaches the mapping's view; the front then ends the mapping object. Never fails.
   */
  freeMemory(memory: M): void;

  /**
   * vkMapMemory / vkMapMemory2(KHR). Preconditions: `memory` is live, of a HOST_VISIBLE type, and not
   * mapped; `request` as described there. Returns the host address of byte `offset` (`address - offset`
   * a multiple of minMemoryMapAlignment; the placed address for a placed map) and a `Uint8Array` over
   * exactly the mapped bytes, which the backend detaches when the mapping ends.
   */
  mapMemory(memory: M, request: MapRequest): { readonly address: bigint; readonly view: Uint8Array };

  /**
   * vkUnmapMemory / vkUnmapMemory2(KHR). Preconditions: `memory` is mapped; `command` is available;
   * `reserve` (VK_MEMORY_UNMAP_RESERVE_BIT_EXT) only with memoryUnmapReserve enabled. Detaches the view.
   * With `reserve`, returns the address range that now holds the pages: the reservation the placed
   * mapping lay in, or a new range of this device over a mapping the backend had placed itself. Only a
   * reserving unmap can fail, and the memory then stays mapped (its view may already be detached).
   */
  unmapMemory(
    memory: M,
    request: { readonly command: 'vkUnmapMemory' | 'vkUnmapMemory2' | 'vkUnmapMemory2KHR'; readonly reserve: boolean },
  ): R | undefined;

  /** vkFlushMappedMemoryRanges. Preconditions: at least one range, each mapped and inside its mapping. */
  flushMappedMemoryRanges(ranges: readonly ResolvedRange<M>[]): void;

  /** vkInvalidateMappedMemoryRanges. Preconditions as for flush. */
  invalidateMappedMemoryRanges(ranges: readonly ResolvedRange<M>[]): void;

  /** VK_EXT_memory_budget, or undefined where the physical device lacks it. */
  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;

  /**
   * Reserves host address space with no access. Preconditions: `size` is a positive multiple of the
   * page; `alignment` is a power of two, at least the page. Fails with VK_ERROR_OUT_OF_HOST_MEMORY.
   */
  reserveAddressRange(size: bigint, alignment: bigint): R;

  /**
   * Gives a range back to the host. Preconditions: `range` is one of this device's live ranges; no placed
   * mapping lives inside it (a mapping the backend placed itself in a hole may). Never fails.
   */
  releaseAddressRange(range: R): void;

  /**
   * vkDestroyDevice. Preconditions: called once, with no work pending (the front called deviceWaitIdle
   * first if any was); every child object of the compute chapters already destroyed by the front. Frees
   * every live memory object (unmapping it and detaching its view first) and releases every live address
   * range of the device. Never fails.
   */
  destroy(): void;
}
