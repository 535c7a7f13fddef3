/**
 * Re-entrancy: a getter on a member of a command's argument (offset, size, flags, memory, pNext, the ranges
 * array, allocationSize, memoryTypeIndex) runs code that frees the memory, destroys the device or the
 * instance, or calls the device again (a nested call that fails, or one that succeeds). Whatever the
 * command then does, it must never leave a live mapping of freed memory, never return memory of a destroyed
 * device, and a nested call must never clear the outer call's own failure (the outer call has a real
 * misuse in the 'misuse' variants and must still be refused).
 */
import { VK_WHOLE_SIZE, type Device, type DeviceMemory, type MappedMemory } from '@vkmap/core';
import { attempt, classify, createInstance, openDevice, type OpenParams } from './common.js';
import type { SITES } from './names.js';

export type Site = (typeof SITES)[number];
export const ACTIONS = ['free', 'destroyDevice', 'destroyInstance', 'nestedFailure', 'nestedSuccess'] as const;
export type Action = (typeof ACTIONS)[number];

export interface ReentrancyParams extends OpenParams {
  site: Site;
  action: Action;
  /** The outer call breaks a rule of its own (an offset past the allocation). */
  misuse: boolean;
}

export async function reentrancy(p: ReentrancyParams) {
  const instance = createInstance(p.backend);
  const { device, hostVisibleType: type } = openDevice(instance, p);
  const memory = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: type });
  const other = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
  let fired = 0;
  const act = () => {
    fired++;
    switch (p.action) {
      case 'free':
        attempt(() => device.freeMemory(memory));
        break;
      case 'destroyDevice':
        device.destroy();
        break;
      case 'destroyInstance':
        instance.destroy();
        break;
      case 'nestedFailure':
        attempt(() => device.mapMemory(other, 1n << 40n, 16)); // refused: past the allocation
        break;
      case 'nestedSuccess':
        device.unmapMemory(device.mapMemory(other, 0, 16).memory);
        break;
    }
  };
  /** `value`, read through a getter that acts first. */
  const hook = <T extends object>(object: T, key: string, value: unknown): T =>
    Object.defineProperty(object, key, {
      get: () => {
        act();
        return value;
      },
      enumerable: true,
    });
  const offset = p.misuse ? 1n << 40n : 0n;
  // unmap2 and the range commands need a live mapping to start from.
  if (p.site.startsWith('unmap2') || p.site.startsWith('flush') || p.site.startsWith('invalidate')) {
    device.mapMemory(memory, 0, VK_WHOLE_SIZE);
  }
  let result: unknown;
  let outcome = 'ok';
  try {
    result = run(device, p.site, memory, type, offset, hook);
  } catch (error) {
    outcome = classify(error);
  }
  // What the call left: a mapping must be of live memory on a live device.
  const violations: string[] = [];
  const mapping = result && typeof result === 'object' && 'isMapped' in result ? (result as MappedMemory) : undefined;
  if (mapping?.isMapped && (device.isDestroyed || isFreed(device, memory))) {
    violations.push('live mapping of freed memory or of a destroyed device');
  }
  const allocated =
    result && typeof result === 'object' && 'objectType' in result ? (result as DeviceMemory) : undefined;
  if (allocated && device.isDestroyed) violations.push('memory returned by a device destroyed during the call');
  if (p.misuse && outcome === 'ok' && p.site.startsWith('mapMemory'))
    violations.push('the outer misuse was not refused');
  if (mapping?.isMapped) {
    // The view must be usable (and only over its own memory).
    mapping.data[0] = 7;
    if (mapping.data[0] !== 7) violations.push('the live mapping does not keep its bytes');
  }
  if (!instance.isDestroyed) instance.destroy();
  return { outcome, fired, violations, returned: mapping ? 'mapping' : allocated ? 'memory' : typeof result };
}

/** Whether the front considers the memory freed: a second free is refused then (on a live device). */
/** Several runs of one site in one process (each with its own instance and device). */
export async function reentrancyBatch(p: OpenParams & { site: Site; runs: { action: Action; misuse: boolean }[] }) {
  const results = [];
  for (const run of p.runs) results.push({ ...run, ...(await reentrancy({ ...p, ...run })) });
  return { results };
}

function isFreed(device: Device, memory: DeviceMemory): boolean {
  // flush of a freed handle is refused whatever the mapping; of a live unmapped one too, but with
  // another message: tell them apart by the message.
  try {
    device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
    return false;
  } catch (error) {
    return /has been freed|not a live/i.test((error as Error).message);
  }
}

function run(
  device: Device,
  site: Site,
  memory: DeviceMemory,
  type: number,
  offset: bigint,
  hook: <T extends object>(object: T, key: string, value: unknown) => T,
): unknown {
  switch (site) {
    case 'mapMemory2.offset':
      return device.mapMemory2(hook({ memory, size: VK_WHOLE_SIZE } as never, 'offset', offset));
    case 'mapMemory2.size':
      return device.mapMemory2(hook({ memory, offset } as never, 'size', VK_WHOLE_SIZE));
    case 'mapMemory2.flags':
      return device.mapMemory2(hook({ memory, offset, size: VK_WHOLE_SIZE } as never, 'flags', 0));
    case 'mapMemory2.memory':
      return device.mapMemory2(hook({ offset, size: VK_WHOLE_SIZE } as never, 'memory', memory));
    case 'mapMemory2.pNext':
      return device.mapMemory2(hook({ memory, offset, size: VK_WHOLE_SIZE } as never, 'pNext', null));
    case 'mapMemory.offsetObject':
      // A number-like object: valueOf runs the action (if the front converts objects at all).
      return device.mapMemory(memory, hook({}, 'valueOf', () => Number(offset)) as never, VK_WHOLE_SIZE);
    case 'flush.ranges': {
      const ranges = [{ memory, offset: 0, size: VK_WHOLE_SIZE }];
      return device.flushMappedMemoryRanges(hook(ranges, '0', ranges[0]) as never);
    }
    case 'flush.range.size':
      return device.flushMappedMemoryRanges([hook({ memory, offset: 0 } as never, 'size', VK_WHOLE_SIZE)]);
    case 'invalidate.range.offset':
      return device.invalidateMappedMemoryRanges([hook({ memory, size: VK_WHOLE_SIZE } as never, 'offset', 0)]);
    case 'allocate.allocationSize':
      return device.allocateMemory(hook({ memoryTypeIndex: type } as never, 'allocationSize', 4096));
    case 'allocate.memoryTypeIndex':
      return device.allocateMemory(hook({ allocationSize: 4096 } as never, 'memoryTypeIndex', type));
    case 'allocate.pNext':
      return device.allocateMemory(hook({ allocationSize: 4096, memoryTypeIndex: type } as never, 'pNext', null));
    case 'unmap2.memory':
      return device.unmapMemory2(hook({} as never, 'memory', memory));
    case 'unmap2.flags':
      return device.unmapMemory2(hook({ memory } as never, 'flags', 0));
  }
}
