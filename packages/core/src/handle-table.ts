/**
 * The one table of handles: per device, every live memory object with its size, type, heap, mapping and
 * the backend's record; across devices, which device owns a live handle and which handles were freed, so
 * that a handle of another device is told apart from a freed one and from something that is no handle.
 * The checked front keeps one per device; the validation layer keeps its own, as a Vulkan layer tracks
 * state itself, with the same class.
 */
import { VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME } from './constants.js';
import type { Device, DeviceMemory, MappedMemory, MemoryHeap, MemoryType } from './contract/index.js';
import type { PhysicalDeviceFeatures } from './structures/features.js';

/** What the table knows of one live allocation. `B` is the backend's record (undefined in the layer). */
export interface MemoryRecord<B = unknown> {
  readonly memory: DeviceMemory;
  readonly allocationSize: bigint;
  readonly memoryTypeIndex: number;
  readonly propertyFlags: number;
  readonly heapIndex: number;
  /** The live mapping; undefined while unmapped. */
  mapping: MappedMemory | undefined;
  readonly backend: B;
}

/** The device's fixed facts that rules read, captured once. */
export interface DeviceFacts {
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  /** VK_EXT_map_memory_placed is enabled (read on every map, so kept as a flag). */
  readonly placedExtensionEnabled: boolean;
  readonly features: PhysicalDeviceFeatures;
  readonly memoryTypes: readonly MemoryType[];
  readonly memoryHeaps: readonly MemoryHeap[];
  readonly nonCoherentAtomSize: bigint;
  readonly maxMemoryAllocationCount: number;
  /** VkPhysicalDeviceMapMemoryPlacedPropertiesEXT::minPlacedMemoryMapAlignment, 0 without the extension. */
  readonly minPlacedMemoryMapAlignment: bigint;
}

/** The facts of a device, read through the contract (the validation layer's view of the device it wraps). */
export function captureFacts(device: Device): DeviceFacts {
  const physicalDevice = device.physicalDevice;
  const memoryProperties = physicalDevice.getMemoryProperties();
  const limits = physicalDevice.getProperties().limits;
  return {
    apiVersion: device.apiVersion,
    enabledExtensions: new Set(device.enabledExtensions),
    placedExtensionEnabled: device.enabledExtensions.has(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME),
    features: device.enabledFeatures,
    memoryTypes: memoryProperties.memoryTypes.map((t) => ({ ...t })),
    memoryHeaps: memoryProperties.memoryHeaps.map((h) => ({ ...h })),
    nonCoherentAtomSize: BigInt(limits.nonCoherentAtomSize),
    maxMemoryAllocationCount: limits.maxMemoryAllocationCount,
    minPlacedMemoryMapAlignment: BigInt(
      physicalDevice.getMapMemoryPlacedProperties()?.minPlacedMemoryMapAlignment ?? 0n,
    ),
  };
}

/**
 * Why a memory argument is not a live allocation of this device: not a VkDeviceMemory at all, freed,
 * live on another device of the same registry, or never seen by it.
 */
export type MemoryProblem = 'not-a-handle' | 'freed' | 'other-device' | 'unknown';

/**
 * The handles a family of tables has seen: the checked front has one for every device of every backend
 * (it issues every handle, so a handle it never saw is no handle); the validation layer has one for the
 * devices it wraps (a handle it never saw may come from a device it does not wrap).
 */
export class HandleRegistry {
  readonly #owners = new WeakMap<object, HandleTable<unknown>>();
  readonly #freed = new WeakSet<object>();
  /** Whether every handle comes through these tables, so that an unknown one is no handle at all. */
  readonly issuesEveryHandle: boolean;

  constructor(issuesEveryHandle: boolean) {
    this.issuesEveryHandle = issuesEveryHandle;
  }

  ownerOf(memory: object): HandleTable<unknown> | undefined {
    return this.#owners.get(memory);
  }

  isFreed(memory: object): boolean {
    return this.#freed.has(memory);
  }

  adopt(memory: object, table: HandleTable<unknown>): void {
    this.#owners.set(memory, table);
  }

  retire(memory: object): void {
    this.#owners.delete(memory);
    this.#freed.add(memory);
  }
}

/** One device's handles: allocations, their mappings, and whether the device still exists. */
export class HandleTable<B = unknown> {
  readonly facts: DeviceFacts;
  readonly #registry: HandleRegistry;
  readonly #records = new Map<DeviceMemory, MemoryRecord<B>>();
  isDestroyed = false;

  constructor(facts: DeviceFacts, registry: HandleRegistry) {
    this.facts = facts;
    this.#registry = registry;
  }

  get liveAllocationCount(): number {
    return this.#records.size;
  }

  lookup(memory: unknown): MemoryRecord<B> | MemoryProblem {
    const record = this.#records.get(memory as DeviceMemory);
    if (record) return record;
    if (typeof memory !== 'object' || memory === null) return 'not-a-handle';
    if ((memory as { objectType?: unknown }).objectType !== 'VkDeviceMemory') return 'not-a-handle';
    if (this.#registry.isFreed(memory)) return 'freed';
    if (this.#registry.ownerOf(memory)) return 'other-device';
    return this.#registry.issuesEveryHandle ? 'not-a-handle' : 'unknown';
  }

  /** Live allocations, in allocation order. */
  records(): IterableIterator<MemoryRecord<B>> {
    return this.#records.values();
  }

  /** Live mappings of this device, placed or not. Walks every allocation: only placed maps ask. */
  *liveMappings(): Iterable<MemoryRecord<B>> {
    for (const record of this.#records.values()) if (record.mapping) yield record;
  }

  recordAllocation(memory: DeviceMemory, memoryTypeIndex: number, allocationSize: bigint, backend: B): MemoryRecord<B> {
    const type = this.facts.memoryTypes[memoryTypeIndex]!;
    const record: MemoryRecord<B> = {
      memory,
      allocationSize,
      memoryTypeIndex,
      propertyFlags: type.propertyFlags,
      heapIndex: type.heapIndex,
      mapping: undefined,
      backend,
    };
    this.#records.set(memory, record);
    this.#registry.adopt(memory, this as HandleTable<unknown>);
    return record;
  }

  /** A free ends the mapping too (vkFreeMemory unmaps implicitly). */
  recordFree(record: MemoryRecord<B>): void {
    record.mapping = undefined;
    this.#records.delete(record.memory);
    this.#registry.retire(record.memory);
  }

  recordMap(record: MemoryRecord<B>, mapping: MappedMemory): void {
    record.mapping = mapping;
  }

  recordUnmap(record: MemoryRecord<B>): void {
    record.mapping = undefined;
  }

  /** vkDestroyDevice frees what is left; returns the records that were live. */
  recordDestroy(): MemoryRecord<B>[] {
    const live = [...this.#records.values()];
    for (const record of live) this.recordFree(record);
    this.isDestroyed = true;
    return live;
  }
}
