export {
  Allocator,
  createAllocator,
  type AllocatorCreateInfo,
  type AllocationCreateInfo,
  type AllocatorDestroyOptions,
  type BufferAllocation,
  type MemoryRequirements,
} from './allocator.js';
export { Allocation } from './allocation.js';
export { Pool, type PoolCreateInfo } from './pool.js';
export { AllocationCreateFlagBits, MemoryUsage, type MemoryUsageValue } from './create-flags.js';
export { AllocationLeakError, type LeakedAllocation } from './errors.js';
export type { HeapBudget } from './budget.js';
export type { Statistics, DetailedStatistics, TotalStatistics } from './statistics.js';
export type { SvgOptions } from './stats-svg.js';
export type { AlgorithmName } from './create-algorithm.js';
export {
  memoryPreferences,
  memoryTypeCost,
  findMemoryTypeIndex,
  propertyFlagNames,
  type MemoryPreferences,
  type PreferenceInput,
} from './type-selection.js';
export {
  createVirtualBlock,
  VirtualBlock,
  VirtualAllocation,
  type VirtualBlockCreateInfo,
  type VirtualAllocationCreateInfo,
  type VirtualAllocationInfo,
} from './virtual-block.js';
export { TlsfAlgorithm } from './tlsf.js';
export { LinearAlgorithm } from './linear.js';
export { NO_SPACE, type BlockAlgorithm, type RegionVisitor } from './block-algorithm.js';
export { MappingHysteresis } from './mapping-hysteresis.js';
