/**
 * Rules of vkMapMemory, vkMapMemory2 (VkMemoryMapInfo, VkMemoryMapPlacedInfoEXT), vkUnmapMemory and
 * vkUnmapMemory2 (VkMemoryUnmapInfo).
 */
import {
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_WHOLE_SIZE,
  VkMemoryMapFlagBits,
  VkMemoryPropertyFlagBits,
  VkMemoryUnmapFlagBits,
  VkStructureType,
} from '../constants.js';
import { describeValue, MAX_DEVICE_SIZE } from '../device-size.js';
import {
  checkChain,
  checkMemoryHandle,
  checkSType,
  describeMemory,
  flagHex,
  isObject,
  readDeviceSize,
  readFlags,
  type CallContext,
  type ChainMember,
  type ChainRules,
} from './common-rules.js';
import { bytes, hex } from './report.js';
import type { DeviceFacts, MemoryRecord } from '../handle-table.js';
import { MAX_CHAIN_LENGTH } from '../structures/chain.js';
import type { VuidId } from './vuids.js';

const { VK_MEMORY_MAP_PLACED_BIT_EXT } = VkMemoryMapFlagBits;
const { VK_MEMORY_UNMAP_RESERVE_BIT_EXT } = VkMemoryUnmapFlagBits;
const { VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT } = VkMemoryPropertyFlagBits;
const {
  VK_STRUCTURE_TYPE_MEMORY_MAP_INFO,
  VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO,
  VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
} = VkStructureType;

function hasPlacedExtension(facts: DeviceFacts): boolean {
  return facts.placedExtensionEnabled;
}

const PLACED_INFO: ChainMember = {
  name: 'VkMemoryMapPlacedInfoEXT',
  sType: VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
  signature: 'pPlacedAddress',
  sTypeVuid: 'VUID-VkMemoryMapPlacedInfoEXT-sType-sType',
  providedBy: VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  isAvailable: hasPlacedExtension,
};

const MAP_INFO_CHAIN: ChainRules = {
  structName: 'VkMemoryMapInfo',
  where: 'pMemoryMapInfo',
  pNextVuid: 'VUID-VkMemoryMapInfo-pNext-pNext',
  uniqueVuid: 'VUID-VkMemoryMapInfo-sType-unique',
  members: [PLACED_INFO],
};

const UNMAP_INFO_CHAIN: ChainRules = {
  structName: 'VkMemoryUnmapInfo',
  where: 'pMemoryUnmapInfo',
  pNextVuid: 'VUID-VkMemoryUnmapInfo-pNext-pNext',
  members: [],
};

/** The same five rules under their vkMapMemory and VkMemoryMapInfo names. */
interface MapRangeVuids {
  readonly alreadyMapped: VuidId;
  readonly offsetInside: VuidId;
  readonly sizeNotZero: VuidId;
  readonly sizeFits: VuidId;
  readonly hostVisible: VuidId;
}

const MAP_MEMORY_VUIDS: MapRangeVuids = {
  alreadyMapped: 'VUID-vkMapMemory-memory-00678',
  offsetInside: 'VUID-vkMapMemory-offset-00679',
  sizeNotZero: 'VUID-vkMapMemory-size-00680',
  sizeFits: 'VUID-vkMapMemory-size-00681',
  hostVisible: 'VUID-vkMapMemory-memory-00682',
};

const MAP_INFO_VUIDS: MapRangeVuids = {
  alreadyMapped: 'VUID-VkMemoryMapInfo-memory-07958',
  offsetInside: 'VUID-VkMemoryMapInfo-offset-07959',
  sizeNotZero: 'VUID-VkMemoryMapInfo-size-07960',
  sizeFits: 'VUID-VkMemoryMapInfo-size-07961',
  hostVisible: 'VUID-VkMemoryMapInfo-memory-07962',
};

function describeMapping(record: MemoryRecord): string {
  const m = record.mapping!;
  return `offset ${bytes(m.offset)}, size ${bytes(m.size)}, at ${hex(m.address)}${m.isPlaced ? ' (placed)' : ''}`;
}

/** The range rules both map commands share. Sizes compare as exact integers, never wrapping. */
function checkMapRange(
  ctx: CallContext,
  record: MemoryRecord,
  offset: bigint,
  size: bigint,
  where: string,
  vuids: MapRangeVuids,
): void {
  if (record.mapping) {
    ctx.failures.add(
      vuids.alreadyMapped,
      `${describeMemory(record.memory)} is already mapped (${describeMapping(record)}); unmap it before mapping it again`,
    );
  }
  const allocationSize = record.allocationSize;
  if (offset >= allocationSize) {
    ctx.failures.add(
      vuids.offsetInside,
      `${where}offset ${bytes(offset)} is not inside ${describeMemory(record.memory)}, whose size is ${bytes(allocationSize)}`,
    );
  }
  if (size !== VK_WHOLE_SIZE) {
    if (size === 0n)
      ctx.failures.add(vuids.sizeNotZero, `${where}size is 0; map at least one byte, or pass VK_WHOLE_SIZE`);
    if (offset + size > allocationSize) {
      ctx.failures.add(
        vuids.sizeFits,
        `${where}offset ${bytes(offset)} + size ${bytes(size)} ends at ${bytes(offset + size)}, past the end of ${describeMemory(record.memory)} (${bytes(allocationSize)})`,
      );
    }
  }
  if ((record.propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) === 0) {
    ctx.failures.add(
      vuids.hostVisible,
      `${describeMemory(record.memory)} has memory type ${record.memoryTypeIndex} (property flags ${flagHex(record.propertyFlags)}), which is not HOST_VISIBLE and cannot be mapped`,
    );
  }
}

/** Reports flag bits that are not defined, or defined by VK_EXT_map_memory_placed without it enabled. */
function checkKnownBits(
  ctx: CallContext,
  flags: number,
  extensionBit: number,
  extensionBitName: string,
  where: string,
  vuid: VuidId,
): void {
  const known = hasPlacedExtension(ctx.state.facts) ? extensionBit : 0;
  const unknown = (flags & ~known) >>> 0;
  if (unknown === 0) return;
  if (unknown === extensionBit) {
    ctx.failures.add(
      vuid,
      `${where} sets ${extensionBitName}, which needs ${VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME}, not enabled on this device`,
    );
  } else {
    ctx.failures.add(vuid, `${where} (${flagHex(flags)}) sets undefined bits ${flagHex(unknown)}`);
  }
}

/**
 * The fast path of the vkMapMemory rules for `record`, a live memory object of the device, with flags 0:
 * the number of bytes the call maps when `offset` and `size` are plain in-range values (a safe integer offset;
 * a safe integer size or VK_WHOLE_SIZE) and no rule of checkMapMemory would fail; otherwise undefined, and
 * the caller runs the rules themselves, which report what is wrong.
 */
export function mappableSize(record: MemoryRecord, offset: number, size: unknown): number | undefined {
  if (record.mapping !== undefined || (record.propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) === 0) {
    return undefined;
  }
  const total = record.allocationBytes; // Infinity beyond 2^53 - 1 bytes: no fast path
  if (total === Number.POSITIVE_INFINITY || !Number.isSafeInteger(offset) || offset < 0 || offset >= total) {
    return undefined;
  }
  if (typeof size === 'number') {
    return Number.isSafeInteger(size) && size > 0 && size <= total - offset ? size : undefined;
  }
  return size === VK_WHOLE_SIZE ? total - offset : undefined;
}

/** vkMapMemory(memory, offset, size, flags). */
export function checkMapMemory(
  ctx: CallContext,
  memory: unknown,
  offsetArg: unknown,
  sizeArg: unknown,
  flagsArg: unknown,
): void {
  const offset = readDeviceSize(offsetArg, 'offset');
  const size = readDeviceSize(sizeArg, 'size');
  const flags = readFlags(ctx, flagsArg, 'flags', 'VUID-vkMapMemory-flags-parameter');
  if (flags !== undefined) {
    checkKnownBits(
      ctx,
      flags,
      VK_MEMORY_MAP_PLACED_BIT_EXT,
      'VK_MEMORY_MAP_PLACED_BIT_EXT',
      'flags',
      'VUID-vkMapMemory-flags-parameter',
    );
    if (hasPlacedExtension(ctx.state.facts) && (flags & VK_MEMORY_MAP_PLACED_BIT_EXT) !== 0) {
      ctx.failures.add(
        'VUID-vkMapMemory-flags-09568',
        'flags sets VK_MEMORY_MAP_PLACED_BIT_EXT, but vkMapMemory has no way to pass the address; place maps with vkMapMemory2 and a VkMemoryMapPlacedInfoEXT',
      );
    }
  }
  const record = checkMemoryHandle(
    ctx,
    memory,
    'memory',
    'VUID-vkMapMemory-memory-parameter',
    'VUID-vkMapMemory-memory-parent',
  );
  if (record) checkMapRange(ctx, record, offset, size, '', MAP_MEMORY_VUIDS);
}

/** The first VkMemoryMapPlacedInfoEXT of a chain, walked defensively (the chain may be malformed). */
function findPlacedInfo(pNext: unknown): Record<string, unknown> | undefined {
  let node = pNext;
  for (let i = 0; i < MAX_CHAIN_LENGTH && isObject(node); i++, node = node.pNext) {
    if (node.sType === VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT) return node;
  }
  return undefined;
}

/** vkMapMemory2 / vkMapMemory2KHR(pMemoryMapInfo). */
export function checkMapMemory2(ctx: CallContext, info: unknown): void {
  if (!isObject(info)) {
    ctx.failures.add(
      'VUID-vkMapMemory2-pMemoryMapInfo-parameter',
      `pMemoryMapInfo is ${describeValue(info)}, not a VkMemoryMapInfo object`,
    );
    return;
  }
  const offset = readDeviceSize(info.offset, 'pMemoryMapInfo.offset');
  const size = readDeviceSize(info.size, 'pMemoryMapInfo.size');
  checkSType(
    ctx,
    info,
    VK_STRUCTURE_TYPE_MEMORY_MAP_INFO,
    'VkMemoryMapInfo',
    'pMemoryMapInfo',
    'VUID-VkMemoryMapInfo-sType-sType',
  );
  checkChain(ctx, info.pNext, MAP_INFO_CHAIN);
  const flags = readFlags(ctx, info.flags, 'pMemoryMapInfo.flags', 'VUID-VkMemoryMapInfo-flags-parameter');
  if (flags !== undefined) {
    checkKnownBits(
      ctx,
      flags,
      VK_MEMORY_MAP_PLACED_BIT_EXT,
      'VK_MEMORY_MAP_PLACED_BIT_EXT',
      'pMemoryMapInfo.flags',
      'VUID-VkMemoryMapInfo-flags-parameter',
    );
  }
  const record = checkMemoryHandle(
    ctx,
    info.memory,
    'pMemoryMapInfo.memory',
    'VUID-VkMemoryMapInfo-memory-parameter',
    'UNASSIGNED-VkMemoryMapInfo-memory-parent',
  );
  if (record) checkMapRange(ctx, record, offset, size, 'pMemoryMapInfo.', MAP_INFO_VUIDS);
  if (flags !== undefined && (flags & VK_MEMORY_MAP_PLACED_BIT_EXT) !== 0 && hasPlacedExtension(ctx.state.facts)) {
    checkPlacedMap(ctx, info, record, offset, size);
  }
}

/** The rules of a map with VK_MEMORY_MAP_PLACED_BIT_EXT (VK_EXT_map_memory_placed enabled). */
function checkPlacedMap(
  ctx: CallContext,
  info: Record<string, unknown>,
  record: MemoryRecord | undefined,
  offset: bigint,
  size: bigint,
): void {
  const features = ctx.state.facts.features.mapMemoryPlaced;
  // The extension guarantees a power of two; 1 keeps a broken backend from dividing by zero here.
  const alignment = ctx.state.facts.minPlacedMemoryMapAlignment || 1n;
  if (!features.memoryMapPlaced) {
    ctx.failures.add(
      'VUID-VkMemoryMapInfo-flags-09569',
      'pMemoryMapInfo.flags sets VK_MEMORY_MAP_PLACED_BIT_EXT, but the memoryMapPlaced feature is not enabled on this device',
    );
  }

  if (!features.memoryMapRangePlaced) {
    if (offset !== 0n) {
      ctx.failures.add(
        'VUID-VkMemoryMapInfo-flags-09571',
        `a placed map starts at offset 0 unless memoryMapRangePlaced is enabled, and it is not (offset is ${bytes(offset)})`,
      );
    }
    if (record && size !== VK_WHOLE_SIZE && size !== record.allocationSize) {
      ctx.failures.add(
        'VUID-VkMemoryMapInfo-flags-09572',
        `a placed map covers the whole allocation unless memoryMapRangePlaced is enabled, and it is not: size is ${bytes(size)}, the allocation ${bytes(record.allocationSize)} (pass VK_WHOLE_SIZE or the allocation size)`,
      );
    }
  } else if (offset % alignment !== 0n) {
    ctx.failures.add(
      'VUID-VkMemoryMapInfo-flags-09573',
      `placed offset ${bytes(offset)} is not a multiple of minPlacedMemoryMapAlignment (${bytes(alignment)})`,
    );
  }
  if (size !== VK_WHOLE_SIZE) {
    if (size % alignment !== 0n) {
      ctx.failures.add(
        'VUID-VkMemoryMapInfo-flags-09574',
        `placed size ${bytes(size)} is not a multiple of minPlacedMemoryMapAlignment (${bytes(alignment)})`,
      );
    }
  } else if (record && record.allocationSize % alignment !== 0n) {
    ctx.failures.add(
      'VUID-VkMemoryMapInfo-flags-09651',
      `a placed map of VK_WHOLE_SIZE needs an allocation size that is a multiple of minPlacedMemoryMapAlignment (${bytes(alignment)}); ${describeMemory(record.memory)} has ${bytes(record.allocationSize)}`,
    );
  }

  const placedInfo = findPlacedInfo(info.pNext);
  const address = placedInfo?.pPlacedAddress;
  if (!placedInfo) {
    ctx.failures.add(
      'VUID-VkMemoryMapInfo-flags-09570',
      'pMemoryMapInfo.flags sets VK_MEMORY_MAP_PLACED_BIT_EXT, but pNext holds no VkMemoryMapPlacedInfoEXT to give the address',
    );
    return;
  }
  if (address === null || address === undefined || address === 0n) {
    ctx.failures.add(
      'VUID-VkMemoryMapInfo-flags-09570',
      `VkMemoryMapPlacedInfoEXT.pPlacedAddress is ${describeValue(address)} (NULL); a placed map needs an address`,
    );
    return;
  }
  if (typeof address !== 'bigint' || address < 0n || address > MAX_DEVICE_SIZE) {
    ctx.failures.add(
      'VUID-VkMemoryMapInfo-pNext-pNext',
      `VkMemoryMapPlacedInfoEXT.pPlacedAddress is ${describeValue(address)}; it must be a 64-bit address as a bigint`,
    );
    return;
  }
  if (address % alignment !== 0n) {
    ctx.failures.add(
      'VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09577',
      `pPlacedAddress ${hex(address)} is not a multiple of minPlacedMemoryMapAlignment (${hex(alignment)})`,
    );
  }
  if (record) checkPlacedOverlap(ctx, record, address, size === VK_WHOLE_SIZE ? record.allocationSize - offset : size);
}

/** The placed range must not overlap any live mapping of this device, placed or not. */
function checkPlacedOverlap(ctx: CallContext, record: MemoryRecord, address: bigint, length: bigint): void {
  if (length <= 0n) return;
  const end = address + length;
  let overlapping: string[] | undefined;
  for (const other of ctx.state.liveMappings()) {
    if (other === record) continue;
    const m = other.mapping!;
    if (address < m.address + m.size && m.address < end) {
      (overlapping ??= []).push(
        `${describeMemory(other.memory)} mapped at ${hex(m.address)}..${hex(m.address + m.size)}`,
      );
    }
  }
  if (overlapping) {
    ctx.failures.add(
      'VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09578',
      `the placed range ${hex(address)}..${hex(end)} (${bytes(length)}) overlaps ${overlapping.join(' and ')}`,
    );
  }
}

/** vkUnmapMemory(memory). */
export function checkUnmapMemory(ctx: CallContext, memory: unknown): void {
  const record = checkMemoryHandle(
    ctx,
    memory,
    'memory',
    'VUID-vkUnmapMemory-memory-parameter',
    'VUID-vkUnmapMemory-memory-parent',
  );
  if (record && !record.mapping) {
    ctx.failures.add('VUID-vkUnmapMemory-memory-00689', `${describeMemory(record.memory)} is not mapped`);
  }
}

/** vkUnmapMemory2 / vkUnmapMemory2KHR(pMemoryUnmapInfo). */
export function checkUnmapMemory2(ctx: CallContext, info: unknown): void {
  if (!isObject(info)) {
    ctx.failures.add(
      'VUID-vkUnmapMemory2-pMemoryUnmapInfo-parameter',
      `pMemoryUnmapInfo is ${describeValue(info)}, not a VkMemoryUnmapInfo object`,
    );
    return;
  }
  checkSType(
    ctx,
    info,
    VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO,
    'VkMemoryUnmapInfo',
    'pMemoryUnmapInfo',
    'VUID-VkMemoryUnmapInfo-sType-sType',
  );
  checkChain(ctx, info.pNext, UNMAP_INFO_CHAIN);
  const flags = readFlags(ctx, info.flags, 'pMemoryUnmapInfo.flags', 'VUID-VkMemoryUnmapInfo-flags-parameter');
  if (flags !== undefined) {
    checkKnownBits(
      ctx,
      flags,
      VK_MEMORY_UNMAP_RESERVE_BIT_EXT,
      'VK_MEMORY_UNMAP_RESERVE_BIT_EXT',
      'pMemoryUnmapInfo.flags',
      'VUID-VkMemoryUnmapInfo-flags-parameter',
    );
    const reserve = (flags & VK_MEMORY_UNMAP_RESERVE_BIT_EXT) !== 0;
    if (
      reserve &&
      hasPlacedExtension(ctx.state.facts) &&
      !ctx.state.facts.features.mapMemoryPlaced.memoryUnmapReserve
    ) {
      ctx.failures.add(
        'VUID-VkMemoryUnmapInfo-flags-09579',
        'pMemoryUnmapInfo.flags sets VK_MEMORY_UNMAP_RESERVE_BIT_EXT, but the memoryUnmapReserve feature is not enabled on this device',
      );
    }
  }
  const record = checkMemoryHandle(
    ctx,
    info.memory,
    'pMemoryUnmapInfo.memory',
    'VUID-VkMemoryUnmapInfo-memory-parameter',
    'UNASSIGNED-VkMemoryUnmapInfo-memory-parent',
  );
  if (record && !record.mapping) {
    ctx.failures.add('VUID-VkMemoryUnmapInfo-memory-07964', `${describeMemory(record.memory)} is not mapped`);
  }
}
