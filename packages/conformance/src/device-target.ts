/** What the suite learns about one physical device before it registers that device's scenarios. */
import {
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  VkBufferUsageFlagBits,
  VkMemoryPropertyFlagBits,
  VkQueueFlagBits,
  type Device,
  type DeviceCreateInfo,
  type MemoryHeap,
  type MemoryRequirements,
  type PhysicalDevice,
  type PhysicalDeviceMapMemoryPlacedFeaturesEXT,
  type QueueFamilyProperties,
} from '@vkmap/core';
import type { ConformanceBackend } from './backend.js';

const { VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, VK_MEMORY_PROPERTY_HOST_COHERENT_BIT } = VkMemoryPropertyFlagBits;
const { VK_QUEUE_GRAPHICS_BIT, VK_QUEUE_COMPUTE_BIT, VK_QUEUE_TRANSFER_BIT } = VkQueueFlagBits;
const { VK_BUFFER_USAGE_TRANSFER_SRC_BIT, VK_BUFFER_USAGE_TRANSFER_DST_BIT, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT } =
  VkBufferUsageFlagBits;

/** The usage of the buffers that device-side access and the transfer scenarios put over memory. */
export const TRANSFER_USAGE = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
/** The usage of the compute scenarios' storage buffers (also copied, to check them). */
export const STORAGE_USAGE = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | TRANSFER_USAGE;

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

/**
 * What device copies need: a queue family that runs transfer commands, and what every buffer of
 * `TRANSFER_USAGE` requires. The specification makes alignment and memoryTypeBits the same for all buffers of
 * one usage and flags, so one probe buffer tells them.
 */
export interface TransferPlan {
  /** The first family with COMPUTE, else the first with GRAPHICS or TRANSFER (both imply transfers). */
  readonly queueFamilyIndex: number;
  readonly alignment: bigint;
  readonly memoryTypeBits: number;
  /**
   * The memory type of staging buffers: HOST_VISIBLE and HOST_COHERENT where one allows the buffer (the
   * specification guarantees one for every buffer), else any HOST_VISIBLE type, flushed and invalidated.
   */
  readonly stagingTypeIndex: number;
  readonly stagingCoherent: boolean;
}

/** What dispatches need: a COMPUTE family, and what a buffer of `STORAGE_USAGE` requires. */
export interface ComputePlan {
  readonly queueFamilyIndex: number;
  readonly alignment: bigint;
  readonly memoryTypeBits: number;
}

/** Hooks and device features, probed once on a throw-away device. */
export interface Capabilities {
  /** The backend's own device-side access hook. */
  readonly directAccess: boolean;
  /** Device copies through the contract, where the device has a queue that runs them. */
  readonly transfer: TransferPlan | undefined;
  /** Where the device has a COMPUTE queue family (dispatch also needs the backend's `canDispatch`). */
  readonly compute: ComputePlan | undefined;
  /** The backend declares that it runs compute shaders. */
  readonly canDispatch: boolean;
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
  const families = physicalDevice.getQueueFamilyProperties();
  const computeFamily = firstFamily(families, VK_QUEUE_COMPUTE_BIT);
  const transferFamily = computeFamily ?? firstFamily(families, VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_TRANSFER_BIT);
  // One queue of the family that device copies and dispatches use (the default picks only COMPUTE families).
  // Views are detached when their mapping ends, which the scenarios check; 'stable' views have their own
  // scenarios (stable-views.ts), on devices of their own.
  const createInfo: DeviceCreateInfo = {
    enabledExtensionNames,
    enabledFeatures,
    views: 'detach',
    ...(transferFamily === undefined
      ? {}
      : { queueCreateInfos: [{ queueFamilyIndex: transferFamily, queuePriorities: [1] }] }),
  };

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
    const transferRequirements = transferFamily === undefined ? undefined : requirementsOf(probe, TRANSFER_USAGE);
    const storageRequirements = computeFamily === undefined ? undefined : requirementsOf(probe, STORAGE_USAGE);
    capabilities = {
      directAccess: backend.deviceAccess?.(probe) !== undefined,
      transfer:
        transferFamily === undefined
          ? undefined
          : transferPlan(transferFamily, transferRequirements!, hostVisibleTypes),
      compute:
        computeFamily === undefined
          ? undefined
          : {
              queueFamilyIndex: computeFamily,
              alignment: storageRequirements!.alignment,
              memoryTypeBits: storageRequirements!.memoryTypeBits,
            },
      canDispatch: backend.canDispatch === true,
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

function firstFamily(families: readonly QueueFamilyProperties[], anyOf: number): number | undefined {
  const index = families.findIndex((family) => family.queueCount > 0 && (family.queueFlags & anyOf) !== 0);
  return index < 0 ? undefined : index;
}

/** The requirements of a buffer of `usage`, from a buffer created and destroyed for the purpose. */
function requirementsOf(device: Device, usage: number): MemoryRequirements {
  const buffer = device.createBuffer({ size: 4096, usage });
  try {
    return device.getBufferMemoryRequirements(buffer);
  } finally {
    device.destroyBuffer(buffer);
  }
}

function transferPlan(
  queueFamilyIndex: number,
  requirements: MemoryRequirements,
  hostVisibleTypes: readonly HostVisibleType[],
): TransferPlan | undefined {
  const allowed = hostVisibleTypes.filter((type) => (requirements.memoryTypeBits >>> type.index) & 1);
  const staging = allowed.find((type) => type.coherent) ?? allowed[0];
  if (!staging) return undefined;
  return {
    queueFamilyIndex,
    alignment: requirements.alignment,
    memoryTypeBits: requirements.memoryTypeBits,
    stagingTypeIndex: staging.index,
    stagingCoherent: staging.coherent,
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
