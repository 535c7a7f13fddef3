/**
 * Rules of vkAllocateMemory (VkMemoryAllocateInfo, VkMemoryAllocateFlagsInfo) and vkFreeMemory.
 */
import {
  apiVersionMajorMinor,
  VK_API_VERSION_1_1,
  VK_KHR_DEVICE_GROUP_EXTENSION_NAME,
  VkMemoryAllocateFlagBits,
  VkStructureType,
} from '../constants.js';
import { describeValue, toDeviceSize, toUint32 } from '../device-size.js';
import {
  checkChain,
  checkMemoryHandle,
  checkSType,
  flagHex,
  isObject,
  readFlags,
  type CallContext,
  type ChainMember,
  type ChainRules,
} from './common-rules.js';
import { bytes } from './report.js';
import type { MemoryRecord } from '../handle-table.js';
import { MAX_CHAIN_LENGTH } from '../structures/chain.js';

const { VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT } = VkMemoryAllocateFlagBits;
const { VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO } = VkStructureType;

/**
 * The bits vkmap devices accept in VkMemoryAllocateFlagsInfo::flags. The device-address and
 * zero-initialize bits need features (bufferDeviceAddress, zeroInitializeDeviceMemory) that a vkmap
 * device cannot enable, so they are refused with the flags rule.
 */
const SUPPORTED_ALLOCATE_FLAGS = VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT;

/** A vkmap logical device has exactly one physical device: device index 0. */
const VALID_DEVICE_MASK = 0b1;

const ALLOCATE_FLAGS_INFO: ChainMember = {
  name: 'VkMemoryAllocateFlagsInfo',
  sType: VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
  signature: 'deviceMask',
  sTypeVuid: 'VUID-VkMemoryAllocateFlagsInfo-sType-sType',
  providedBy: `Vulkan 1.1 or ${VK_KHR_DEVICE_GROUP_EXTENSION_NAME}`,
  isAvailable: (facts) =>
    apiVersionMajorMinor(facts.apiVersion) >= VK_API_VERSION_1_1 ||
    facts.enabledExtensions.has(VK_KHR_DEVICE_GROUP_EXTENSION_NAME),
};

const ALLOCATE_INFO_CHAIN: ChainRules = {
  structName: 'VkMemoryAllocateInfo',
  where: 'pAllocateInfo',
  pNextVuid: 'VUID-VkMemoryAllocateInfo-pNext-pNext',
  uniqueVuid: 'VUID-VkMemoryAllocateInfo-sType-unique',
  members: [ALLOCATE_FLAGS_INFO],
};

export interface CheckedAllocation {
  readonly allocationSize: bigint;
  readonly memoryTypeIndex: number;
}

/** vkAllocateMemory(pAllocateInfo). Returns the parsed size and type, for recording the allocation. */
export function checkAllocateMemory(ctx: CallContext, info: unknown): CheckedAllocation | undefined {
  if (!isObject(info)) {
    ctx.failures.add(
      'VUID-vkAllocateMemory-pAllocateInfo-parameter',
      `pAllocateInfo is ${describeValue(info)}, not a VkMemoryAllocateInfo object`,
    );
    return undefined;
  }
  const allocationSize = toDeviceSize(info.allocationSize, 'pAllocateInfo.allocationSize');
  const memoryTypeIndex = toUint32(info.memoryTypeIndex, 'pAllocateInfo.memoryTypeIndex');
  checkSType(
    ctx,
    info,
    VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
    'VkMemoryAllocateInfo',
    'pAllocateInfo',
    'VUID-VkMemoryAllocateInfo-sType-sType',
  );
  checkChain(ctx, info.pNext, ALLOCATE_INFO_CHAIN);
  checkAllocateFlagsInfo(ctx, info.pNext);

  const { memoryTypes, memoryHeaps, maxMemoryAllocationCount } = ctx.state.facts;
  const type = memoryTypes[memoryTypeIndex];
  if (!type) {
    ctx.failures.add(
      'VUID-vkAllocateMemory-pAllocateInfo-01714',
      `pAllocateInfo.memoryTypeIndex ${memoryTypeIndex} is not a memory type of this device, which has ${memoryTypes.length} (0 to ${memoryTypes.length - 1})`,
    );
  } else {
    const heap = memoryHeaps[type.heapIndex];
    if (heap && allocationSize > heap.size) {
      ctx.failures.add(
        'VUID-vkAllocateMemory-pAllocateInfo-01713',
        `pAllocateInfo.allocationSize ${bytes(allocationSize)} is larger than heap ${type.heapIndex} of memory type ${memoryTypeIndex} (${bytes(heap.size)})`,
      );
    }
  }
  // 07897 exempts import and export operations; vkmap has neither (their structures are refused by
  // pNext-pNext above), so a zero size always breaks it.
  if (allocationSize === 0n) {
    ctx.failures.add(
      'VUID-VkMemoryAllocateInfo-allocationSize-07897',
      'pAllocateInfo.allocationSize is 0; an allocation that imports or exports nothing has at least one byte',
    );
  }
  const live = ctx.state.liveAllocationCount;
  if (live >= maxMemoryAllocationCount) {
    ctx.failures.add(
      'VUID-vkAllocateMemory-maxMemoryAllocationCount-04101',
      `${live} allocations are live on this device, and maxMemoryAllocationCount is ${maxMemoryAllocationCount}; free one first (or sub-allocate)`,
    );
  }
  return { allocationSize, memoryTypeIndex };
}

function findAllocateFlagsInfo(pNext: unknown): Record<string, unknown> | undefined {
  let node = pNext;
  for (let i = 0; i < MAX_CHAIN_LENGTH && isObject(node); i++, node = node.pNext) {
    if (node.sType === VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO) return node;
  }
  return undefined;
}

function checkAllocateFlagsInfo(ctx: CallContext, pNext: unknown): void {
  const flagsInfo = findAllocateFlagsInfo(pNext);
  if (!flagsInfo) return;
  const flags = readFlags(
    ctx,
    flagsInfo.flags,
    'VkMemoryAllocateFlagsInfo.flags',
    'VUID-VkMemoryAllocateFlagsInfo-flags-parameter',
  );
  if (flags === undefined) return;
  const unsupported = (flags & ~SUPPORTED_ALLOCATE_FLAGS) >>> 0;
  if (unsupported !== 0) {
    ctx.failures.add(
      'VUID-VkMemoryAllocateFlagsInfo-flags-parameter',
      `VkMemoryAllocateFlagsInfo.flags (${flagHex(flags)}) sets bits ${flagHex(unsupported)}; vkmap devices support only VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT`,
    );
  }
  if ((flags & VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT) === 0) return;
  const deviceMask = flagsInfo.deviceMask;
  if (typeof deviceMask !== 'number' || !Number.isInteger(deviceMask) || deviceMask < 0 || deviceMask > 0xffff_ffff) {
    ctx.failures.add(
      'VUID-VkMemoryAllocateFlagsInfo-deviceMask-00675',
      `VkMemoryAllocateFlagsInfo.deviceMask is ${describeValue(deviceMask)}, not a device mask`,
    );
    return;
  }
  if (deviceMask === 0) {
    ctx.failures.add(
      'VUID-VkMemoryAllocateFlagsInfo-deviceMask-00676',
      'VkMemoryAllocateFlagsInfo.deviceMask is 0 with VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT set; name at least device 0',
    );
  } else if ((deviceMask & ~VALID_DEVICE_MASK) !== 0) {
    ctx.failures.add(
      'VUID-VkMemoryAllocateFlagsInfo-deviceMask-00675',
      `VkMemoryAllocateFlagsInfo.deviceMask ${flagHex(deviceMask)} names devices this logical device does not have; it has one physical device (mask 0x1)`,
    );
  }
}

/** vkFreeMemory(memory). Returns the record to forget, or undefined for null or an invalid handle. */
export function checkFreeMemory(ctx: CallContext, memory: unknown): MemoryRecord | undefined {
  if (memory === null) return undefined;
  // VUID-vkFreeMemory-memory-00677 (pending GPU work) is answered from the compute state: the front's
  // Buffers.refuseFreeingUsedMemory, the layer's ComputeLayer.checkFreeMemory (the same pendingProblem).
  return checkMemoryHandle(
    ctx,
    memory,
    'memory',
    'VUID-vkFreeMemory-memory-parameter',
    'VUID-vkFreeMemory-memory-parent',
  );
}
