/**
 * flush / invalidate of ranges outside the mapping (before it, at its end, past it, straddling either edge)
 * and misaligned ones, with and without validation: refused on both backends alike, changing nothing.
 * And an address range released twice, and after its device was destroyed: the same answer on both.
 */
import { VK_WHOLE_SIZE } from '@vkmap/core';
import { attempt, open, probe, type OpenParams } from './common.js';

const PAGE = 16384n;

export function rangeCases(atom: bigint): Record<string, { offset: bigint; size: bigint }> {
  return {
    inside: { offset: PAGE, size: atom },
    insideWhole: { offset: PAGE, size: VK_WHOLE_SIZE },
    before: { offset: 0n, size: atom },
    straddleStart: { offset: PAGE - atom, size: 2n * atom },
    atEnd: { offset: 2n * PAGE, size: atom },
    straddleEnd: { offset: 2n * PAGE - atom, size: 2n * atom },
    past: { offset: 3n * PAGE, size: atom },
    pastAllocation: { offset: 5n * PAGE, size: atom },
    wholeFromBefore: { offset: 0n, size: VK_WHOLE_SIZE },
    misalignedOffset: { offset: PAGE + 1n, size: atom },
    misalignedSize: { offset: PAGE, size: atom + 1n },
    hugeSize: { offset: PAGE, size: 1n << 62n },
  };
}

export async function flushRanges(p: OpenParams & { command: 'flush' | 'invalidate' }) {
  const { device, hostVisibleType, atom, coherent } = open({ ...p, nonCoherent: true });
  const memory = device.allocateMemory({ allocationSize: 4n * PAGE, memoryTypeIndex: hostVisibleType });
  const mapping = device.mapMemory(memory, PAGE, PAGE);
  mapping.data.fill(5);
  const results: Record<string, { outcome: string; stateKept: boolean }> = {};
  for (const [name, range] of Object.entries(rangeCases(atom))) {
    const tracked = [{ memory, mapping }];
    const before = probe(device, tracked);
    const bytes = mapping.data[0];
    const outcome = attempt(() =>
      p.command === 'flush'
        ? device.flushMappedMemoryRanges([{ memory, ...range }])
        : device.invalidateMappedMemoryRanges([{ memory, ...range }]),
    );
    results[name] = {
      outcome,
      stateKept: before === probe(device, tracked) && (coherent ? mapping.data[0] === bytes : true),
    };
  }
  device.destroy();
  return { atom: Number(atom), coherent, results };
}

export async function releaseTwice(p: OpenParams) {
  const { device } = open(p);
  const range = device.reserveAddressRange(65536);
  const reservedBefore = range.isReserved;
  const first = attempt(() => range.release());
  const second = attempt(() => range.release());
  const other = device.reserveAddressRange(65536);
  const destroy = attempt(() => device.destroy());
  const afterDestroy = attempt(() => other.release());
  return {
    reservedBefore,
    first,
    second,
    reservedAfter: range.isReserved,
    destroy,
    afterDestroy,
    otherReserved: other.isReserved,
  };
}
