/**
 * Why a scenario cannot run on a target, worded for test names and the matrix: each reason names the missing
 * capability (a hook, a queue, a device feature), never just "skipped".
 */
import type { DeviceTarget, HostVisibleType } from './device-target.js';

/** Reasons shared by several scenarios, worded for test names. */
export const SKIP = {
  noDeviceAccess:
    'device has no queue family with GRAPHICS, COMPUTE or TRANSFER, and the backend has no direct device-side access',
  noTransferQueue: 'device has no queue family with GRAPHICS, COMPUTE or TRANSFER',
  notForTransfers: "the memory type is not in a transfer buffer's memoryTypeBits",
  noComputeQueue: 'device has no queue family with COMPUTE',
  noDispatch: 'backend does not declare canDispatch (it runs no compute shaders yet)',
  notForStorage: "the memory type is not in a storage buffer's memoryTypeBits",
  noFaults: 'backend has no fault injection',
  noHeapBudgetCap: 'backend cannot cap a heap budget',
  noBudget: 'device has no VK_EXT_memory_budget',
  inexactUsage: 'backend reports heap usage as an estimate (exactHeapUsage unset)',
  noMapMemory2: 'device has neither Vulkan 1.4 nor VK_KHR_map_memory2',
  noHostVisibleType: 'device has no HOST_VISIBLE memory type',
  noPlaced: 'device has no VK_EXT_map_memory_placed memoryMapPlaced',
  noRangePlaced: 'device has no memoryMapRangePlaced',
  noUnmapReserve: 'device has no memoryUnmapReserve',
} as const;

/**
 * Why the device side of memory of `type` cannot be read and written, or undefined when it can: through a
 * transfer buffer in it, or the backend's direct access.
 */
export function deviceAccessSkip(target: DeviceTarget, type: HostVisibleType): string | undefined {
  const { transfer, directAccess } = target.capabilities;
  if (transfer && (transfer.memoryTypeBits >>> type.index) & 1) return undefined;
  if (directAccess) return undefined;
  return transfer ? SKIP.notForTransfers : SKIP.noDeviceAccess;
}
