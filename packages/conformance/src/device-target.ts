/** What the suite learns about one physical device before it registers that device's scenarios. */
import {
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VkMemoryPropertyFlagBits,
  type DeviceCreateInfo,
  type MemoryHeap,
  type PhysicalDevice,
  type PhysicalDeviceMapMemoryPlacedFeaturesEXT,
} from '@vkmap/core';
import type { ConformanceBackend } from './backend.js';

const { VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, VK_MEMORY_PROPERTY_HOST_COHERENT_BIT } = VkMemoryPropertyFlagBits;

/** The extensions of the family that the suite enables wherever the device offers them. */
const FAMILY_EXTENSIONS = [
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
];

export interface HostVisibleType {
  readonly index: number;
  readonly propertyFlags: number;
  readonly heapIndex: number;
  readonly heapSize: bigint;
  readonly coherent: boolean;
  /** "type 2 (DEVICE_LOCAL|HOST_VISIBLE|HOST_COHERENT)". */
  readonly label: string;
}

/** Hooks and device features, probed once on a throw-away device. */
export interface Capabilities {
  readonly deviceAccess: boolean;
  readonly faults: boolean;
  readonly heapBudgetCap: boolean;
  readonly addressSpace: boolean;
  readonly memoryBudget: boolean;
  readonly mapMemory2: 'vkMapMemory2' | 'vkMapMemory2KHR' | undefined;
  readonly placed: PhysicalDeviceMapMemoryPlacedFeaturesEXT;
}

export interface DeviceTarget {
  readonly physicalDevice: PhysicalDevice;
  /** Its position among the backend's devices (the same in every instance of the backend). */
  readonly index: number;
  readonly label: string;
  readonly deviceName: string;
  readonly atomSize: bigint;
  readonly minMemoryMapAlignment: bigint;
  readonly maxMemoryAllocationSize: bigint;
  readonly heaps: readonly MemoryHeap[];
  readonly hostVisibleTypes: readonly HostVisibleType[];
  readonly createInfo: DeviceCreateInfo;
  readonly capabilities: Capabilities;
}

export function describeTarget(
  backend: ConformanceBackend,
  physicalDevice: PhysicalDevice,
  index: number,
): DeviceTarget {
  const properties = physicalDevice.getProperties();
  const memory = physicalDevice.getMemoryProperties();
  const offered = new Set(physicalDevice.enumerateDeviceExtensionProperties().map((e) => e.extensionName));
  const excluded = new Set(backend.excludeExtensions ?? []);
  const enabledExtensionNames = FAMILY_EXTENSIONS.filter((name) => offered.has(name) && !excluded.has(name));
  const supportedPlaced = physicalDevice.getFeatures().mapMemoryPlaced;
  const enabledFeatures = enabledExtensionNames.includes(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME)
    ? { mapMemoryPlaced: { ...supportedPlaced } }
    : {};
  const createInfo: DeviceCreateInfo = { enabledExtensionNames, enabledFeatures };

  const hostVisibleTypes = memory.memoryTypes.flatMap((type, typeIndex) =>
    type.propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT
      ? [
          {
            index: typeIndex,
            propertyFlags: type.propertyFlags,
            heapIndex: type.heapIndex,
            heapSize: memory.memoryHeaps[type.heapIndex]!.size,
            coherent: (type.propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0,
            label: `type ${typeIndex} (${propertyFlagNames(type.propertyFlags)})`,
          },
        ]
      : [],
  );

  const probe = physicalDevice.createDevice(createInfo);
  let capabilities: Capabilities;
  try {
    const faults = backend.faults?.(probe);
    capabilities = {
      deviceAccess: backend.deviceAccess?.(probe) !== undefined,
      faults: faults !== undefined,
      heapBudgetCap: typeof faults?.setHeapBudget === 'function',
      addressSpace: backend.addressSpace?.(probe) !== undefined,
      memoryBudget: probe.getMemoryBudget() !== undefined,
      mapMemory2: probe.hasCommand('vkMapMemory2')
        ? 'vkMapMemory2'
        : probe.hasCommand('vkMapMemory2KHR')
          ? 'vkMapMemory2KHR'
          : undefined,
      placed: probe.enabledFeatures.mapMemoryPlaced,
    };
  } finally {
    probe.destroy();
  }

  return {
    physicalDevice,
    index,
    label: backend.deviceLabel?.(physicalDevice, index) ?? `${index}: ${properties.deviceName}`,
    deviceName: properties.deviceName,
    atomSize: BigInt(properties.limits.nonCoherentAtomSize),
    minMemoryMapAlignment: BigInt(properties.limits.minMemoryMapAlignment),
    maxMemoryAllocationSize: properties.limits.maxMemoryAllocationSize,
    heaps: memory.memoryHeaps,
    hostVisibleTypes,
    createInfo,
    capabilities,
  };
}

const FLAG_NAMES: readonly [number, string][] = [
  [0x1, 'DEVICE_LOCAL'],
  [0x2, 'HOST_VISIBLE'],
  [0x4, 'HOST_COHERENT'],
  [0x8, 'HOST_CACHED'],
  [0x10, 'LAZILY_ALLOCATED'],
  [0x20, 'PROTECTED'],
  [0x40, 'DEVICE_COHERENT_AMD'],
  [0x80, 'DEVICE_UNCACHED_AMD'],
  [0x100, 'RDMA_CAPABLE_NV'],
];

export function propertyFlagNames(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
  return names.length > 0 ? names.join('|') : '0';
}
