import type { Device, PhysicalDeviceMemoryProperties } from '@vkmap/core';
import type { BudgetTracker } from './budget.js';

/** What blocks, block vectors and pools share with the allocator that owns them. */
export interface AllocatorContext {
  readonly device: Device;
  readonly memoryProperties: PhysicalDeviceMemoryProperties;
  readonly budget: BudgetTracker;
  /** Whether blocks keep a mapping open while mapping churns (VMA's mapping hysteresis). */
  readonly mappingHysteresis: boolean;
  nextBlockId(): number;
}
