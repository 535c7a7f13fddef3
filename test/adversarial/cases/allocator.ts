/**
 * The allocator's stale views: an allocation is mapped, written, unmapped and freed while its view is kept;
 * the next allocations of the same size are mapped and filled; then the stale view is written. No byte of a
 * later allocation may change (the freed range must not be handed out while a view of it lives).
 */
import { createAllocator } from '@vkmap/allocator';
import { VkMemoryPropertyFlagBits } from '@vkmap/core';
import { open, type OpenParams } from './common.js';

export async function allocatorStale(p: OpenParams & { rounds?: number }) {
  const { instance, physicalDevice, device } = open(p);
  const types = physicalDevice.getMemoryProperties().memoryTypes;
  let memoryTypeBits = 0;
  types.forEach((t, i) => {
    if (t.propertyFlags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) memoryTypeBits |= 1 << i;
  });
  const allocator = createAllocator(device);
  const stale: Uint8Array[] = [];
  let reached = 0;
  let staleWriteErrors = 0;
  let checked = 0;
  const rounds = p.rounds ?? 48;
  for (let round = 0; round < rounds; round++) {
    const size = 256 << (round % 5);
    const requirements = { size, alignment: 256, memoryTypeBits };
    const first = allocator.allocateMemory(requirements);
    const view = allocator.mapMemory(first);
    view.fill(0x11);
    allocator.unmapMemory(first);
    allocator.freeMemory(first);
    stale.push(view);
    const next = allocator.allocateMemory(requirements);
    const nextView = allocator.mapMemory(next);
    nextView.fill(0x22);
    for (const old of stale) {
      try {
        old.fill(0x33);
      } catch {
        staleWriteErrors++;
      }
    }
    for (let i = 0; i < nextView.length; i++) if (nextView[i] !== 0x22) reached++;
    checked += nextView.length;
    allocator.unmapMemory(next);
    // Kept allocated every other round, so that later rounds allocate around live neighbours too.
    if (round % 2 === 0) allocator.freeMemory(next);
  }
  allocator.destroy({ freeLeakedAllocations: true });
  instance.destroy();
  return { rounds, reached, checked, staleWriteErrors };
}
