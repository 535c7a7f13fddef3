import {
  VK_WHOLE_SIZE,
  VkMemoryHeapFlagBits,
  VkMemoryPropertyFlagBits,
  formatApiVersion,
  type Device,
  type PhysicalDevice,
} from '@vkmap/core';

const PROPERTY_NAMES: Array<[number, string]> = [
  [VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 'DEVICE_LOCAL'],
  [VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, 'HOST_VISIBLE'],
  [VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, 'HOST_COHERENT'],
  [VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_CACHED_BIT, 'HOST_CACHED'],
  [VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT, 'LAZILY_ALLOCATED'],
  [VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_PROTECTED_BIT, 'PROTECTED'],
];

export function describePropertyFlags(flags: number): string {
  const names = PROPERTY_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
  return names.length > 0 ? names.join('|') : '0';
}

function formatBytes(bytes: bigint): string {
  const MiB = 1024n * 1024n;
  return bytes >= MiB ? `${(Number(bytes) / Number(MiB)).toFixed(0)} MiB` : `${bytes} B`;
}

/** One line per heap and memory type of a physical device. */
export function describeMemory(physicalDevice: PhysicalDevice): string[] {
  const props = physicalDevice.getProperties();
  const memory = physicalDevice.getMemoryProperties();
  const lines = [
    `${props.deviceName} (Vulkan ${formatApiVersion(props.apiVersion)}), nonCoherentAtomSize ${props.limits.nonCoherentAtomSize}, minMemoryMapAlignment ${props.limits.minMemoryMapAlignment}`,
  ];
  memory.memoryHeaps.forEach((heap, index) => {
    const local = heap.flags & VkMemoryHeapFlagBits.VK_MEMORY_HEAP_DEVICE_LOCAL_BIT ? ' DEVICE_LOCAL' : '';
    lines.push(`  heap ${index}: ${formatBytes(heap.size)}${local}`);
  });
  memory.memoryTypes.forEach((type, index) => {
    lines.push(`  type ${index}: heap ${type.heapIndex} ${describePropertyFlags(type.propertyFlags)}`);
  });
  return lines;
}

export interface RoundTripResult {
  readonly memoryTypeIndex: number;
  readonly coherent: boolean;
  readonly address: bigint;
  readonly verified: boolean;
}

/**
 * The whole host-mapping round trip on one memory type: allocate, map, write, flush, unmap, map again,
 * invalidate, and verify every byte.
 */
export function roundTrip(device: Device, memoryTypeIndex: number, size = 64 * 1024): RoundTripResult {
  const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex });
  try {
    const first = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    for (let i = 0; i < size; i++) first.data[i] = (i * 7 + 3) & 0xff;
    device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
    device.unmapMemory(memory);

    const second = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
    let verified = true;
    for (let i = 0; i < size && verified; i++) verified = second.data[i] === ((i * 7 + 3) & 0xff);
    const result = { memoryTypeIndex, coherent: second.isCoherent, address: second.address, verified };
    device.unmapMemory(memory);
    return result;
  } finally {
    device.freeMemory(memory);
  }
}

/** Host-visible memory type indices of a physical device. */
export function hostVisibleTypes(physicalDevice: PhysicalDevice): number[] {
  return physicalDevice
    .getMemoryProperties()
    .memoryTypes.flatMap((type, index) =>
      type.propertyFlags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT ? [index] : [],
    );
}
