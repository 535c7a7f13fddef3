import { VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME } from '../constants.js';
import type { Device, DeviceMemory, MappedMemory } from '../contract.js';
import type { MemoryHeap, MemoryType, PhysicalDeviceMapMemoryPlacedFeaturesEXT } from '../structures.js';

/** What the layer knows of one live allocation. */
export interface MemoryRecord {
  readonly memory: DeviceMemory;
  readonly allocationSize: bigint;
  readonly memoryTypeIndex: number;
  readonly propertyFlags: number;
  readonly heapIndex: number;
  /** The live mapping, as the backend returned it; undefined while unmapped. */
  mapping: MappedMemory | undefined;
}

/** The device's fixed facts that rules read, captured once when the layer wraps it. */
export interface DeviceFacts {
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  /** VK_EXT_map_memory_placed is enabled (read on every map, so kept as a flag). */
  readonly placedExtensionEnabled: boolean;
  readonly features: Readonly<PhysicalDeviceMapMemoryPlacedFeaturesEXT>;
  readonly memoryTypes: readonly MemoryType[];
  readonly memoryHeaps: readonly MemoryHeap[];
  readonly nonCoherentAtomSize: bigint;
  readonly maxMemoryAllocationCount: number;
  /** VkPhysicalDeviceMapMemoryPlacedPropertiesEXT::minPlacedMemoryMapAlignment, 0 without the extension. */
  readonly minPlacedMemoryMapAlignment: bigint;
}

export function captureFacts(device: Device): DeviceFacts {
  const physicalDevice = device.physicalDevice;
  const memoryProperties = physicalDevice.getMemoryProperties();
  const limits = physicalDevice.getProperties().limits;
  return {
    apiVersion: device.apiVersion,
    enabledExtensions: new Set(device.enabledExtensions),
    placedExtensionEnabled: device.enabledExtensions.has(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME),
    features: { ...device.enabledFeatures },
    memoryTypes: memoryProperties.memoryTypes.map((t) => ({ ...t })),
    memoryHeaps: memoryProperties.memoryHeaps.map((h) => ({ ...h })),
    nonCoherentAtomSize: BigInt(limits.nonCoherentAtomSize),
    maxMemoryAllocationCount: limits.maxMemoryAllocationCount,
    minPlacedMemoryMapAlignment: BigInt(physicalDevice.getMapMemoryPlacedProperties()?.minPlacedMemoryMapAlignment ?? 0n),
  };
}

/**
 * Every memory object that any validated device has allocated and not yet freed, with its owner, so a
 * handle from another device is told apart from one that was never valid.
 */
const liveOwners = new WeakMap<object, DeviceState>();
/** Memory objects freed (explicitly or by device destruction) through a validated device. */
const freedMemory = new WeakSet<object>();

/**
 * Why a memory argument is not a live allocation of this device: not a VkDeviceMemory at all, freed,
 * live on another validated device, or never seen by any validated device.
 */
export type MemoryProblem = 'not-a-handle' | 'freed' | 'other-device' | 'unknown';

/** The layer's state of one device: allocations, mappings and whether the device still exists. */
export class DeviceState {
  readonly facts: DeviceFacts;
  private readonly records = new Map<DeviceMemory, MemoryRecord>();
  isDestroyed = false;

  constructor(facts: DeviceFacts) {
    this.facts = facts;
  }

  get liveAllocationCount(): number {
    return this.records.size;
  }

  lookup(memory: unknown): MemoryRecord | MemoryProblem {
    const record = this.records.get(memory as DeviceMemory);
    if (record) return record;
    if (typeof memory !== 'object' || memory === null) return 'not-a-handle';
    if ((memory as { objectType?: unknown }).objectType !== 'VkDeviceMemory') return 'not-a-handle';
    if (freedMemory.has(memory)) return 'freed';
    if (liveOwners.has(memory)) return 'other-device';
    return 'unknown';
  }

  /** Live mappings of this device, placed or not. Walks every allocation: only placed maps ask. */
  *liveMappings(): Iterable<MemoryRecord> {
    for (const record of this.records.values()) if (record.mapping) yield record;
  }

  recordAllocation(memory: DeviceMemory, memoryTypeIndex: number, allocationSize: bigint): void {
    const type = this.facts.memoryTypes[memoryTypeIndex]!;
    this.records.set(memory, {
      memory,
      allocationSize,
      memoryTypeIndex,
      propertyFlags: type.propertyFlags,
      heapIndex: type.heapIndex,
      mapping: undefined,
    });
    liveOwners.set(memory, this);
  }

  /** A free ends the mapping too (vkFreeMemory unmaps implicitly). */
  recordFree(record: MemoryRecord): void {
    record.mapping = undefined;
    this.records.delete(record.memory);
    liveOwners.delete(record.memory);
    freedMemory.add(record.memory);
  }

  recordMap(record: MemoryRecord, mapping: MappedMemory): void {
    record.mapping = mapping;
  }

  recordUnmap(record: MemoryRecord): void {
    record.mapping = undefined;
  }

  /** vkDestroyDevice frees what is left. */
  recordDestroy(): void {
    for (const record of [...this.records.values()]) this.recordFree(record);
    this.isDestroyed = true;
  }
}
