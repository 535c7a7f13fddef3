import { VkMemoryHeapFlagBits, formatApiVersion } from '@vkmap/core';
import type { Allocation } from './allocation.js';
import { NO_SPACE, type BlockAlgorithm } from './block-algorithm.js';
import type { DetailedStatistics } from './statistics.js';
import type { BlockSnapshot, PoolSnapshot, StatsSource } from './stats-source.js';
export type { StatsSource } from './stats-source.js';
import { propertyFlagNames } from './type-selection.js';

type Json = Record<string, unknown>;

/** A byte count for JSON: a number while exact, else a decimal string. */
export function toJsonNumber(value: number | bigint): number | string {
  if (typeof value === 'number') return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** VmaDetailedStatistics as VMA prints it: extremes only where there are two or more. */
export function detailedStatisticsJson(stats: DetailedStatistics): Json {
  const json: Json = {
    BlockCount: stats.statistics.blockCount,
    BlockBytes: toJsonNumber(stats.statistics.blockBytes),
    AllocationCount: stats.statistics.allocationCount,
    AllocationBytes: toJsonNumber(stats.statistics.allocationBytes),
    UnusedRangeCount: stats.unusedRangeCount,
  };
  if (stats.statistics.allocationCount > 1) {
    json.AllocationSizeMin = toJsonNumber(stats.allocationSizeMin);
    json.AllocationSizeMax = toJsonNumber(stats.allocationSizeMax);
  }
  if (stats.unusedRangeCount > 1) {
    json.UnusedRangeSizeMin = toJsonNumber(stats.unusedRangeSizeMin);
    json.UnusedRangeSizeMax = toJsonNumber(stats.unusedRangeSizeMax);
  }
  // Not in VMA's layout: written only while something is in quarantine.
  if (stats.quarantineCount > 0) {
    json.QuarantineCount = stats.quarantineCount;
    json.QuarantineBytes = toJsonNumber(stats.quarantineBytes);
  }
  return json;
}

/** A block's detailed map: totals, then every allocation and free range in offset order. */
export function blockDetailedMap(
  algorithm: BlockAlgorithm,
  describe: (handle: number, size: number) => Json,
  isQuarantined: (handle: number) => boolean = () => false,
): Json {
  const suballocations: Json[] = [];
  let unusedBytes = 0;
  let unusedRanges = 0;
  let quarantined = 0;
  algorithm.forEachRegion((offset, size, handle) => {
    if (handle === NO_SPACE) {
      unusedBytes += size;
      unusedRanges += 1;
      suballocations.push({ Offset: offset, Type: 'FREE', Size: size });
    } else if (isQuarantined(handle)) {
      quarantined += 1;
      suballocations.push({ Offset: offset, Type: 'QUARANTINED', Size: size });
    } else {
      suballocations.push({ Offset: offset, ...describe(handle, size) });
    }
  });
  return {
    TotalBytes: algorithm.size,
    UnusedBytes: unusedBytes,
    Allocations: algorithm.allocationCount - quarantined,
    UnusedRanges: unusedRanges,
    Suballocations: suballocations,
  };
}

/** VmaAllocation::PrintParameters: the resource type is not known to a memory-level allocator. */
function allocationParameters(allocation: Allocation | undefined, size: number | bigint): Json {
  const json: Json = { Type: 'UNKNOWN', Size: toJsonNumber(allocation?.size ?? size), Usage: 0 };
  if (allocation?.userData !== undefined) json.CustomData = String(allocation.userData);
  if (allocation?.name !== undefined) json.Name = allocation.name;
  return json;
}

function blocksJson(blocks: readonly BlockSnapshot[]): Json {
  const json: Json = {};
  for (const block of blocks) {
    json[String(block.id)] = {
      MapRefCount: block.mapReferenceCount,
      ...blockDetailedMap(
        block.algorithm,
        (handle, size) => allocationParameters(block.allocationAt(handle), size),
        (handle) => block.isQuarantined(handle),
      ),
    };
  }
  return json;
}

function poolJson(pool: PoolSnapshot): Json {
  return {
    PreferredBlockSize: pool.preferredBlockSize,
    Blocks: blocksJson(pool.blocks),
    DedicatedAllocations: pool.dedicated.map((allocation) => allocationParameters(allocation, allocation.size)),
  };
}

function heapFlagNames(flags: number): (string | number)[] {
  const names: (string | number)[] = [];
  if (flags & VkMemoryHeapFlagBits.VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) names.push('DEVICE_LOCAL');
  if (flags & VkMemoryHeapFlagBits.VK_MEMORY_HEAP_MULTI_INSTANCE_BIT) names.push('MULTI_INSTANCE');
  const rest = flags & ~0x3;
  if (rest) names.push(rest);
  return names;
}

/** The allocator's statistics as JSON in the layout of VMA's vmaBuildStatsString. */
export function buildStatsJson(source: StatsSource, detailedMap: boolean): string {
  const { properties, memoryProperties, statistics, budgets } = source;
  const memoryInfo: Json = {};
  memoryProperties.memoryHeaps.forEach((heap, heapIndex) => {
    const memoryPools: Json = {};
    memoryProperties.memoryTypes.forEach((type, typeIndex) => {
      if (type.heapIndex !== heapIndex) return;
      memoryPools[`Type ${typeIndex}`] = {
        Flags: propertyFlagNames(type.propertyFlags),
        Stats: detailedStatisticsJson(statistics.memoryType[typeIndex]!),
      };
    });
    memoryInfo[`Heap ${heapIndex}`] = {
      Flags: heapFlagNames(heap.flags),
      Size: toJsonNumber(heap.size),
      Budget: {
        BudgetBytes: toJsonNumber(budgets[heapIndex]!.budget),
        UsageBytes: toJsonNumber(budgets[heapIndex]!.usage),
      },
      Stats: detailedStatisticsJson(statistics.memoryHeap[heapIndex]!),
      MemoryPools: memoryPools,
    };
  });
  const json: Json = {
    General: {
      API: 'Vulkan',
      apiVersion: formatApiVersion(properties.apiVersion),
      GPU: properties.deviceName,
      deviceType: properties.deviceType,
      maxMemoryAllocationCount: properties.limits.maxMemoryAllocationCount,
      bufferImageGranularity: toJsonNumber(properties.limits.bufferImageGranularity),
      nonCoherentAtomSize: toJsonNumber(properties.limits.nonCoherentAtomSize),
      memoryHeapCount: memoryProperties.memoryHeaps.length,
      memoryTypeCount: memoryProperties.memoryTypes.length,
    },
    Total: detailedStatisticsJson(statistics.total),
    MemoryInfo: memoryInfo,
  };
  if (detailedMap) {
    const defaultPools: Json = {};
    for (const pool of source.defaultPools) defaultPools[`Type ${pool.memoryTypeIndex}`] = poolJson(pool);
    const customPools: Record<string, Json[]> = {};
    for (const pool of source.customPools) {
      (customPools[`Type ${pool.memoryTypeIndex}`] ??= []).push({ Name: pool.label, ...poolJson(pool) });
    }
    json.DefaultPools = defaultPools;
    json.CustomPools = customPools;
  }
  return JSON.stringify(json, null, 2);
}
