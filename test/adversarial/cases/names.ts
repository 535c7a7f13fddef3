/**
 * The names each case module runs through, shared with the spec that checks its report: kept free of imports
 * so that the test runner reads them without loading a backend.
 */

/** Where a re-entrant getter runs (cases/reentrancy.ts). */
export const SITES = [
  'mapMemory2.offset',
  'mapMemory2.size',
  'mapMemory2.flags',
  'mapMemory2.memory',
  'mapMemory2.pNext',
  'mapMemory.offsetObject',
  'flush.ranges',
  'flush.range.size',
  'invalidate.range.offset',
  'allocate.allocationSize',
  'allocate.memoryTypeIndex',
  'allocate.pNext',
  'unmap2.memory',
  'unmap2.flags',
] as const;

/** Every command that takes a pNext chain (cases/pnext.ts). */
export const PNEXT_COMMANDS = [
  'allocateMemory',
  'mapMemory2',
  'mapMemory2KHR',
  'unmapMemory2',
  'unmapMemory2KHR',
  'flushMappedMemoryRanges',
  'invalidateMappedMemoryRanges',
] as const;

/** Every way a view could be moved into a second ArrayBuffer (cases/transfers.ts). */
export const TRANSFER_METHODS = [
  'structuredClone',
  'messageChannel',
  'prototypeTransfer',
  'prototypeTransfer16',
  'transferToFixedLength',
  'markAsUntransferable+unmap',
  'markAsUntransferable+free',
] as const;
