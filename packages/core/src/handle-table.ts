/**
 * The one table of handles: per device, every live memory object with its size, type, heap, mapping and
 * the backend's record, and every live object of the compute chapters (buffers, shader modules, layouts,
 * pipelines, descriptor pools and sets, command pools and buffers, queues, fences) with its parent, its
 * children and what depends on it; which objects pending GPU work uses; across devices, which device owns a
 * live handle and which handles were freed, so that a handle of another device is told apart from a freed
 * one and from something that is no handle. The checked front keeps one per device; the validation layer
 * keeps its own, as a Vulkan layer tracks state itself, with the same class.
 */
import { VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME } from './constants.js';
import type { Device, DeviceMemory, MappedMemory, MemoryHeap, MemoryType } from './contract/index.js';
import { adoptIssuedHandle, isIssuedHandleRetired, issuedHandleOwner, retireIssuedHandle } from './issued-handle.js';
import type { PhysicalDeviceFeatures } from './structures/features.js';

/** What the table knows of one live allocation. `B` is the backend's record (undefined in the layer). */
export interface MemoryRecord<B = unknown> {
  readonly memory: DeviceMemory;
  readonly allocationSize: bigint;
  /** allocationSize as a number where it is a safe integer, else Infinity: what the map fast path compares. */
  readonly allocationBytes: number;
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

/** The object types of the compute chapters, as their handles name them. */
export type ObjectType =
  | 'VkBuffer'
  | 'VkShaderModule'
  | 'VkDescriptorSetLayout'
  | 'VkPipelineLayout'
  | 'VkPipeline'
  | 'VkDescriptorPool'
  | 'VkDescriptorSet'
  | 'VkCommandPool'
  | 'VkCommandBuffer'
  | 'VkQueue'
  | 'VkFence';

/** A handle of the compute chapters as the application holds it. */
export interface ObjectHandle {
  readonly objectType: ObjectType;
  readonly handle: bigint;
}

/**
 * What the table knows of one live object of the compute chapters. `B` is the backend's record. The front
 * extends it with what each kind of object needs (a buffer's size and binding, a command buffer's state).
 */
export interface ObjectRecord<B = unknown> {
  readonly object: ObjectHandle;
  readonly backend: B;
  /** The pool it was allocated from; undefined for a child of the device itself. */
  readonly parent: ObjectRecord | undefined;
  /** What was allocated from it (a pool's descriptor sets or command buffers). */
  readonly children: Set<ObjectRecord>;
  /**
   * What stops being usable when this object ends or changes: the command buffers that recorded it, the
   * descriptor sets that hold it (a buffer), the buffers bound to it (memory, kept by the table).
   */
  readonly dependents: Set<ObjectRecord>;
}

/** Work submitted to a queue and not yet known to be complete. */
export interface PendingWork {
  /** What it is, for messages: "submission #3 to VkQueue 0x2 (fence VkFence 0x7)". */
  readonly description: string;
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

/**
 * The checked front's registry (one per process): the handles it issues are IssuedHandles, which keep their
 * owner in themselves, so allocating and freeing touch no weak collection.
 */
export class IssuedHandleRegistry extends HandleRegistry {
  constructor() {
    super(true);
  }

  override ownerOf(memory: object): HandleTable<unknown> | undefined {
    return issuedHandleOwner(memory) as HandleTable<unknown> | undefined;
  }

  override isFreed(memory: object): boolean {
    return isIssuedHandleRetired(memory);
  }

  override adopt(memory: object, table: HandleTable<unknown>): void {
    adoptIssuedHandle(memory, table);
  }

  override retire(memory: object): void {
    retireIssuedHandle(memory);
  }
}

const MAX_SAFE_BYTES = BigInt(Number.MAX_SAFE_INTEGER);

/** One device's handles: allocations, their mappings, and whether the device still exists. */
export class HandleTable<B = unknown> {
  readonly facts: DeviceFacts;
  readonly #registry: HandleRegistry;
  readonly #records = new Map<DeviceMemory, MemoryRecord<B>>();
  /** Live objects of the compute chapters, by type, in creation order. */
  readonly #objects = new Map<ObjectType, Map<ObjectHandle, ObjectRecord>>();
  /** The buffers bound to each memory object (only memory that ever had one). */
  readonly #memoryDependents = new Map<DeviceMemory, Set<ObjectRecord>>();
  /** The pending work that uses each object or memory object. */
  readonly #pending = new Map<object, Set<PendingWork>>();
  isDestroyed = false;

  constructor(facts: DeviceFacts, registry: HandleRegistry) {
    this.facts = facts;
    this.#registry = registry;
  }

  get liveAllocationCount(): number {
    return this.#records.size;
  }

  /** The live record of one of this device's handles, reading nothing from `memory` (no getter runs). */
  find(memory: unknown): MemoryRecord<B> | undefined {
    return this.#records.get(memory as DeviceMemory);
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

  /** `bytes`: allocationSize as a number, where the caller has it (saves converting the bigint back). */
  recordAllocation(
    memory: DeviceMemory,
    memoryTypeIndex: number,
    allocationSize: bigint,
    backend: B,
    bytes?: number,
  ): MemoryRecord<B> {
    const type = this.facts.memoryTypes[memoryTypeIndex]!;
    const record: MemoryRecord<B> = {
      memory,
      allocationSize,
      allocationBytes: bytes ?? (allocationSize <= MAX_SAFE_BYTES ? Number(allocationSize) : Number.POSITIVE_INFINITY),
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
    if (this.#memoryDependents.size !== 0) this.#memoryDependents.delete(record.memory);
    this.#registry.retire(record.memory);
  }

  recordMap(record: MemoryRecord<B>, mapping: MappedMemory): void {
    record.mapping = mapping;
  }

  recordUnmap(record: MemoryRecord<B>): void {
    record.mapping = undefined;
  }

  /** vkDestroyDevice frees what is left; returns the memory records that were live. */
  recordDestroy(): MemoryRecord<B>[] {
    for (const objects of this.#objects.values()) for (const record of [...objects.values()]) this.recordEnd(record);
    const live = [...this.#records.values()];
    for (const record of live) this.recordFree(record);
    this.#pending.clear();
    this.isDestroyed = true;
    return live;
  }

  // ---- objects of the compute chapters --------------------------------------------------------------

  /** The live record of `value` as an object of `type`, or why it is none. */
  lookupObject<R extends ObjectRecord>(value: unknown, type: ObjectType): R | MemoryProblem {
    const record = this.#objects.get(type)?.get(value as ObjectHandle);
    if (record) return record as R;
    if (typeof value !== 'object' || value === null) return 'not-a-handle';
    if ((value as { objectType?: unknown }).objectType !== type) return 'not-a-handle';
    if (this.#registry.isFreed(value)) return 'freed';
    if (this.#registry.ownerOf(value)) return 'other-device';
    return this.#registry.issuesEveryHandle ? 'not-a-handle' : 'unknown';
  }

  /** Live objects of a type, in creation order. */
  objectsOf<R extends ObjectRecord>(type: ObjectType): Iterable<R> {
    return (this.#objects.get(type)?.values() ?? []) as Iterable<R>;
  }

  /** A new live object; a child of its parent, if it has one. */
  recordObject<R extends ObjectRecord>(record: R): R {
    let objects = this.#objects.get(record.object.objectType);
    if (!objects) this.#objects.set(record.object.objectType, (objects = new Map()));
    objects.set(record.object, record);
    record.parent?.children.add(record);
    this.#registry.adopt(record.object, this as HandleTable<unknown>);
    return record;
  }

  /** An object ended (destroyed, or freed with or without its pool): its handle is retired. */
  recordEnd(record: ObjectRecord): void {
    this.#objects.get(record.object.objectType)?.delete(record.object);
    record.parent?.children.delete(record);
    this.#pending.delete(record.object);
    this.#registry.retire(record.object);
  }

  /** The buffers bound to a live memory object (undefined when none ever was); dropped when it is freed. */
  memoryDependents(memory: DeviceMemory): Set<ObjectRecord> | undefined {
    return this.#memoryDependents.get(memory);
  }

  /** `record` (a buffer) is bound to `memory`. */
  addMemoryDependent(memory: DeviceMemory, record: ObjectRecord): void {
    let dependents = this.#memoryDependents.get(memory);
    if (!dependents) this.#memoryDependents.set(memory, (dependents = new Set()));
    dependents.add(record);
  }

  // ---- pending work ---------------------------------------------------------------------------------

  /** `work` uses each of `objects` (handles of objects or memory objects) until it completes. */
  markPending(objects: Iterable<object>, work: PendingWork): void {
    for (const object of objects) {
      let uses = this.#pending.get(object);
      if (!uses) this.#pending.set(object, (uses = new Set()));
      uses.add(work);
    }
  }

  /** `work` completed: it no longer uses `objects`. */
  releasePending(objects: Iterable<object>, work: PendingWork): void {
    for (const object of objects) {
      const uses = this.#pending.get(object);
      if (!uses) continue;
      uses.delete(work);
      if (uses.size === 0) this.#pending.delete(object);
    }
  }

  /** The first pending work that uses `object`, or undefined when none does. */
  pendingWorkOf(object: object): PendingWork | undefined {
    const uses = this.#pending.get(object);
    if (!uses) return undefined;
    for (const work of uses) return work;
    return undefined;
  }
}
