import type { PhysicalDeviceMemoryProperties, PhysicalDeviceProperties } from '@vkmap/core';
import type { Allocation } from './allocation.js';
import type { BlockAlgorithm } from './block-algorithm.js';
import type { HeapBudget } from './budget.js';
import type { TotalStatistics } from './statistics.js';

/** A snapshot of the allocator that the JSON and SVG writers read. */
export interface StatsSource {
  readonly properties: PhysicalDeviceProperties;
  readonly memoryProperties: PhysicalDeviceMemoryProperties;
  readonly budgets: readonly HeapBudget[];
  readonly statistics: TotalStatistics;
  /** One per memory type, in type order. */
  readonly defaultPools: readonly PoolSnapshot[];
  readonly customPools: readonly (PoolSnapshot & { readonly label: string })[];
}

export interface PoolSnapshot {
  readonly memoryTypeIndex: number;
  readonly preferredBlockSize: number;
  readonly blocks: readonly BlockSnapshot[];
  readonly dedicated: readonly Allocation[];
}

export interface BlockSnapshot {
  readonly id: number;
  readonly mapReferenceCount: number;
  readonly algorithm: BlockAlgorithm;
  allocationAt(handle: number): Allocation | undefined;
  /** Whether the handle is a freed allocation in quarantine. */
  isQuarantined(handle: number): boolean;
}
