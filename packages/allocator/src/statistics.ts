import { NO_SPACE, type BlockAlgorithm } from './block-algorithm.js';

/** VmaStatistics: what a set of blocks holds. Bytes as `bigint`, like every VkDeviceSize vkmap returns. */
export interface Statistics {
  readonly blockCount: number;
  readonly allocationCount: number;
  /** Bytes of device memory allocated for blocks and dedicated allocations. */
  readonly blockBytes: bigint;
  /** Bytes handed out to allocations (their requested sizes). */
  readonly allocationBytes: bigint;
}

/** VmaDetailedStatistics: `Statistics` plus free ranges and size extremes (min/max are 0 when there is none). */
export interface DetailedStatistics {
  readonly statistics: Statistics;
  readonly unusedRangeCount: number;
  readonly allocationSizeMin: bigint;
  readonly allocationSizeMax: bigint;
  readonly unusedRangeSizeMin: bigint;
  readonly unusedRangeSizeMax: bigint;
  /**
   * Freed allocations in quarantine (a view of theirs handed out may still be alive): neither allocations
   * nor free ranges, so blockBytes = allocationBytes + unused bytes + quarantineBytes. 0 in virtual blocks.
   */
  readonly quarantineCount: number;
  readonly quarantineBytes: bigint;
}

/** VmaTotalStatistics: per memory type, per heap, and in total. */
export interface TotalStatistics {
  readonly memoryType: readonly DetailedStatistics[];
  readonly memoryHeap: readonly DetailedStatistics[];
  readonly total: DetailedStatistics;
}

/** Adds up statistics with plain numbers; `toDetailed` converts at the end. */
export class StatisticsAccumulator {
  blockCount = 0;
  allocationCount = 0;
  blockBytes = 0;
  allocationBytes = 0;
  unusedRangeCount = 0;
  allocationSizeMin = Infinity;
  allocationSizeMax = 0;
  unusedRangeSizeMin = Infinity;
  unusedRangeSizeMax = 0;
  quarantineCount = 0;
  quarantineBytes = 0;

  addBlock(size: number): void {
    this.blockCount += 1;
    this.blockBytes += size;
  }

  addAllocation(size: number): void {
    this.allocationCount += 1;
    this.allocationBytes += size;
    if (size < this.allocationSizeMin) this.allocationSizeMin = size;
    if (size > this.allocationSizeMax) this.allocationSizeMax = size;
  }

  addUnusedRange(size: number): void {
    this.unusedRangeCount += 1;
    if (size < this.unusedRangeSizeMin) this.unusedRangeSizeMin = size;
    if (size > this.unusedRangeSizeMax) this.unusedRangeSizeMax = size;
  }

  /**
   * A block and everything in it; `sizeOf` gives an allocation's reported size from its handle. Handles in
   * `quarantine` count as quarantined bytes.
   */
  addBlockContents(
    algorithm: BlockAlgorithm,
    sizeOf: (handle: number, regionSize: number) => number,
    quarantine?: ReadonlyMap<number, unknown>,
  ): void {
    this.addBlock(algorithm.size);
    algorithm.forEachRegion((_offset, size, handle) => {
      if (handle === NO_SPACE) this.addUnusedRange(size);
      else if (quarantine !== undefined && quarantine.size !== 0 && quarantine.has(handle)) {
        this.quarantineCount += 1;
        this.quarantineBytes += size;
      } else this.addAllocation(sizeOf(handle, size));
    });
  }

  merge(other: StatisticsAccumulator): void {
    this.blockCount += other.blockCount;
    this.allocationCount += other.allocationCount;
    this.blockBytes += other.blockBytes;
    this.allocationBytes += other.allocationBytes;
    this.unusedRangeCount += other.unusedRangeCount;
    this.allocationSizeMin = Math.min(this.allocationSizeMin, other.allocationSizeMin);
    this.allocationSizeMax = Math.max(this.allocationSizeMax, other.allocationSizeMax);
    this.unusedRangeSizeMin = Math.min(this.unusedRangeSizeMin, other.unusedRangeSizeMin);
    this.unusedRangeSizeMax = Math.max(this.unusedRangeSizeMax, other.unusedRangeSizeMax);
    this.quarantineCount += other.quarantineCount;
    this.quarantineBytes += other.quarantineBytes;
  }

  toDetailed(): DetailedStatistics {
    return {
      statistics: {
        blockCount: this.blockCount,
        allocationCount: this.allocationCount,
        blockBytes: BigInt(this.blockBytes),
        allocationBytes: BigInt(this.allocationBytes),
      },
      unusedRangeCount: this.unusedRangeCount,
      allocationSizeMin: this.allocationCount > 0 ? BigInt(this.allocationSizeMin) : 0n,
      allocationSizeMax: BigInt(this.allocationSizeMax),
      unusedRangeSizeMin: this.unusedRangeCount > 0 ? BigInt(this.unusedRangeSizeMin) : 0n,
      unusedRangeSizeMax: BigInt(this.unusedRangeSizeMax),
      quarantineCount: this.quarantineCount,
      quarantineBytes: BigInt(this.quarantineBytes),
    };
  }
}
