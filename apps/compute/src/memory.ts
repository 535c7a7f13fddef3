/** The memory types of a physical device, as the app prints them and chooses among them. */
import { propertyFlagNames } from '@vkmap/allocator';
import { VkMemoryPropertyFlagBits, type PhysicalDevice } from '@vkmap/core';

const {
  VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT: DEVICE_LOCAL,
  VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT: HOST_VISIBLE,
  VK_MEMORY_PROPERTY_HOST_COHERENT_BIT: HOST_COHERENT,
  VK_MEMORY_PROPERTY_HOST_CACHED_BIT: HOST_CACHED,
} = VkMemoryPropertyFlagBits;

export interface MemoryTypeInfo {
  readonly index: number;
  readonly heapIndex: number;
  /** VkMemoryPropertyFlags. */
  readonly propertyFlags: number;
  /** `DEVICE_LOCAL|HOST_VISIBLE|...`, or `0`. */
  readonly properties: string;
  readonly deviceLocal: boolean;
  readonly hostVisible: boolean;
  readonly coherent: boolean;
  readonly cached: boolean;
}

export function describeProperties(flags: number): string {
  return propertyFlagNames(flags).join('|') || '0';
}

export function memoryTypes(physicalDevice: PhysicalDevice): MemoryTypeInfo[] {
  return physicalDevice.getMemoryProperties().memoryTypes.map((type, index) => ({
    index,
    heapIndex: type.heapIndex,
    propertyFlags: type.propertyFlags,
    properties: describeProperties(type.propertyFlags),
    deviceLocal: (type.propertyFlags & DEVICE_LOCAL) !== 0,
    hostVisible: (type.propertyFlags & HOST_VISIBLE) !== 0,
    coherent: (type.propertyFlags & HOST_COHERENT) !== 0,
    cached: (type.propertyFlags & HOST_CACHED) !== 0,
  }));
}

/** Bit i set for each type that passes `test`. */
export function typeMask(types: readonly MemoryTypeInfo[], test: (type: MemoryTypeInfo) => boolean): number {
  return types.reduce((mask, type) => (test(type) ? mask | (1 << type.index) : mask), 0) >>> 0;
}

/** HOST_VISIBLE types without HOST_COHERENT: where a missing flush or invalidate loses data. */
export function nonCoherentMask(types: readonly MemoryTypeInfo[]): number {
  return typeMask(types, (type) => type.hostVisible && !type.coherent);
}

/**
 * Whether the device has DEVICE_LOCAL memory that the host cannot map (a discrete GPU's VRAM outside its BAR):
 * the memory a staging copy exists for.
 */
export function hasDeviceOnlyMemory(types: readonly MemoryTypeInfo[]): boolean {
  return types.some((type) => type.deviceLocal && !type.hostVisible);
}

/** The memory type as reported in the output: its index, properties and heap. */
export interface MemoryTypeReport {
  readonly memoryTypeIndex: number;
  readonly properties: string;
  readonly heapIndex: number;
  readonly coherent: boolean;
}

export function reportType(type: MemoryTypeInfo): MemoryTypeReport {
  return {
    memoryTypeIndex: type.index,
    properties: type.properties,
    heapIndex: type.heapIndex,
    coherent: type.coherent,
  };
}
