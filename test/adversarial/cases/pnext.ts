/**
 * Cyclic and endless pNext chains on every command that takes pNext: each call must end, quickly, either
 * accepted (a getter that read null once) or refused with one of the allowed classes, and a refused call
 * changes nothing (state probe before and after).
 */
import { VK_WHOLE_SIZE, VkStructureType, type Device, type DeviceMemory } from '@vkmap/core';
import { attempt, open, probe, type OpenParams } from './common.js';
import { PNEXT_COMMANDS } from './names.js';

export type ChainKind = 'self' | 'pair' | 'nullThenCycle' | 'endless' | 'long';
export const CHAIN_KINDS: ChainKind[] = ['self', 'pair', 'nullThenCycle', 'endless', 'long'];

const S = VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO;

/** An object whose `pNext` member is the hostile chain of `kind`. */
function withChain<T extends object>(base: T, kind: ChainKind): T {
  switch (kind) {
    case 'self': {
      const node: Record<string, unknown> = { sType: S, flags: 0, deviceMask: 1, pNext: null };
      node.pNext = node;
      return { ...base, pNext: node };
    }
    case 'pair': {
      const a: Record<string, unknown> = { sType: S, flags: 0, deviceMask: 1, pNext: null };
      const b: Record<string, unknown> = { sType: 0x7ffffff0, pNext: a };
      a.pNext = b;
      return { ...base, pNext: a };
    }
    case 'nullThenCycle': {
      const cycle: Record<string, unknown> = { sType: 0x7ffffff0, pNext: null };
      cycle.pNext = cycle;
      let reads = 0;
      return Object.defineProperty({ ...base }, 'pNext', {
        get: () => (reads++ === 0 ? null : cycle),
        enumerable: true,
      });
    }
    case 'endless': {
      // Every read of pNext makes a new node: a chain with no end and no repeated node.
      const node = (): object => Object.defineProperty({ sType: 0x7ffffff0 }, 'pNext', { get: node, enumerable: true });
      return Object.defineProperty({ ...base }, 'pNext', { get: node, enumerable: true });
    }
    case 'long': {
      let chain: Record<string, unknown> | null = null;
      for (let i = 0; i < 200_000; i++) chain = { sType: 0x7ffffff0, pNext: chain };
      return { ...base, pNext: chain };
    }
  }
}

export async function cyclicPNext(p: OpenParams & { kind: ChainKind }) {
  const { device, hostVisibleType: type } = open(p);
  const results: Record<string, { outcome: string; ms: number; stateKept: boolean | null }> = {};
  for (const command of PNEXT_COMMANDS) {
    const memory = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex: type });
    const mapping =
      command.startsWith('unmap') || command.endsWith('Ranges')
        ? device.mapMemory(memory, 0, VK_WHOLE_SIZE)
        : undefined;
    const tracked = [{ memory, mapping }];
    const before = probe(device, tracked);
    const started = performance.now();
    const outcome = attempt(() => call(device, command, memory, type, p.kind));
    const ms = Math.round(performance.now() - started);
    const after = probe(device, tracked);
    results[command] = { outcome, ms, stateKept: outcome === 'ok' ? null : before === after };
    for (const cleanup of [() => device.unmapMemory(memory), () => device.freeMemory(memory)]) attempt(cleanup);
  }
  device.destroy();
  return { results, hasMapMemory2: device.hasCommand('vkMapMemory2') };
}

function call(
  device: Device,
  command: (typeof PNEXT_COMMANDS)[number],
  memory: DeviceMemory,
  type: number,
  kind: ChainKind,
) {
  switch (command) {
    case 'allocateMemory': {
      const allocated = device.allocateMemory(withChain({ allocationSize: 4096, memoryTypeIndex: type }, kind));
      device.freeMemory(allocated);
      return;
    }
    case 'mapMemory2':
    case 'mapMemory2KHR':
      device[command](withChain({ memory, offset: 0, size: VK_WHOLE_SIZE }, kind));
      return;
    case 'unmapMemory2':
    case 'unmapMemory2KHR':
      device[command](withChain({ memory }, kind));
      return;
    case 'flushMappedMemoryRanges':
    case 'invalidateMappedMemoryRanges':
      device[command]([withChain({ memory, offset: 0, size: VK_WHOLE_SIZE }, kind)]);
      return;
  }
}
