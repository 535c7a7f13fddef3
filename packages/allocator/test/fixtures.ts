import { createEmulatedInstance, type EmulatedDevice } from '@vkmap/emulated';
import { NO_SPACE, type BlockAlgorithm } from '@vkmap/allocator';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** An emulated device of a built-in profile, with its fault injector. */
export function makeDevice(profile: string, seed = 1): EmulatedDevice {
  return createEmulatedInstance({ profiles: [profile], seed })
    .enumeratePhysicalDevices()[0]!
    .createEmulatedDevice();
}

export function pattern(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return bytes;
}

/** Checks that the regions of a block tile [0, size) exactly and that the totals match them. */
export function checkTiling(algorithm: BlockAlgorithm): { allocations: number; freeRanges: number } {
  let cursor = 0;
  let allocated = 0;
  let allocations = 0;
  let freeBytes = 0;
  let freeRanges = 0;
  let previousFree = false;
  algorithm.forEachRegion((offset, size, handle) => {
    if (offset !== cursor) throw new Error(`region at ${offset} does not start where the previous ended (${cursor})`);
    if (size <= 0) throw new Error(`empty region at ${offset}`);
    cursor = offset + size;
    if (handle === NO_SPACE) {
      if (previousFree && algorithm.name === 'tlsf')
        throw new Error(`two free ranges touch at ${offset}: they should have merged`);
      freeBytes += size;
      freeRanges += 1;
      previousFree = true;
    } else {
      allocated += size;
      allocations += 1;
      previousFree = false;
    }
  });
  if (cursor !== algorithm.size) throw new Error(`regions end at ${cursor}, the block at ${algorithm.size}`);
  if (allocated !== algorithm.allocatedBytes)
    throw new Error(`allocatedBytes ${algorithm.allocatedBytes} but regions hold ${allocated}`);
  if (freeBytes !== algorithm.freeBytes)
    throw new Error(`freeBytes ${algorithm.freeBytes} but free regions hold ${freeBytes}`);
  if (allocations !== algorithm.allocationCount)
    throw new Error(`allocationCount ${algorithm.allocationCount} but ${allocations} regions`);
  if (freeRanges !== algorithm.freeRangeCount)
    throw new Error(`freeRangeCount ${algorithm.freeRangeCount} but ${freeRanges} free regions`);
  return { allocations, freeRanges };
}
