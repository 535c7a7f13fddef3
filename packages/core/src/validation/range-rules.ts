/**
 * Rules of vkFlushMappedMemoryRanges and vkInvalidateMappedMemoryRanges (VkMappedMemoryRange).
 */
import { VK_WHOLE_SIZE, VkStructureType } from '../constants.js';
import { describeValue } from '../device-size.js';
import {
  checkChain,
  checkMemoryHandle,
  checkSType,
  describeMemory,
  isObject,
  readDeviceSize,
  type CallContext,
  type ChainRules,
} from './common-rules.js';
import { bytes } from './report.js';
import type { MemoryRecord } from '../handle-table.js';
import type { VuidId } from './vuids.js';

interface RangeCommandVuids {
  readonly rangesParameter: VuidId;
  readonly rangeCount: VuidId;
}

export const FLUSH_VUIDS: RangeCommandVuids = {
  rangesParameter: 'VUID-vkFlushMappedMemoryRanges-pMemoryRanges-parameter',
  rangeCount: 'VUID-vkFlushMappedMemoryRanges-memoryRangeCount-arraylength',
};

export const INVALIDATE_VUIDS: RangeCommandVuids = {
  rangesParameter: 'VUID-vkInvalidateMappedMemoryRanges-pMemoryRanges-parameter',
  rangeCount: 'VUID-vkInvalidateMappedMemoryRanges-memoryRangeCount-arraylength',
};

/** vkFlushMappedMemoryRanges / vkInvalidateMappedMemoryRanges(pMemoryRanges). */
export function checkMappedMemoryRanges(ctx: CallContext, ranges: unknown, vuids: RangeCommandVuids): void {
  if (!Array.isArray(ranges)) {
    ctx.failures.add(
      vuids.rangesParameter,
      `pMemoryRanges is ${describeValue(ranges)}, not an array of VkMappedMemoryRange`,
    );
    return;
  }
  if (ranges.length === 0) {
    ctx.failures.add(vuids.rangeCount, 'pMemoryRanges is empty; memoryRangeCount (its length) must be at least 1');
    return;
  }
  // Every offset and size is converted before any rule is recorded: one that is no VkDeviceSize at all throws,
  // and a throw must not leave the failures of earlier ranges behind.
  const sizes = ranges.map((range: unknown, i) =>
    isObject(range)
      ? {
          offset: readDeviceSize(range.offset, `pMemoryRanges[${i}].offset`),
          size: readDeviceSize(range.size, `pMemoryRanges[${i}].size`),
        }
      : undefined,
  );
  for (let i = 0; i < ranges.length; i++) {
    const range: unknown = ranges[i];
    const where = `pMemoryRanges[${i}]`;
    ctx.failures.element = i;
    if (!isObject(range)) {
      ctx.failures.add(vuids.rangesParameter, `${where} is ${describeValue(range)}, not a VkMappedMemoryRange`);
      continue;
    }
    const { offset, size } = sizes[i]!;
    checkMappedMemoryRange(ctx, range, offset, size, where);
  }
}

const RANGE_CHAIN = (where: string): ChainRules => ({
  structName: 'VkMappedMemoryRange',
  where,
  pNextVuid: 'VUID-VkMappedMemoryRange-pNext-pNext',
  members: [],
});

function checkMappedMemoryRange(
  ctx: CallContext,
  range: Record<string, unknown>,
  offset: bigint,
  size: bigint,
  where: string,
): void {
  checkSType(
    ctx,
    range,
    VkStructureType.VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE,
    'VkMappedMemoryRange',
    where,
    'VUID-VkMappedMemoryRange-sType-sType',
  );
  if (range.pNext !== undefined && range.pNext !== null) checkChain(ctx, range.pNext, RANGE_CHAIN(where));

  // offset-00687 holds for every memory type, coherent included.
  const atom = ctx.state.facts.nonCoherentAtomSize;
  if (offset % atom !== 0n) {
    ctx.failures.add(
      'VUID-VkMappedMemoryRange-offset-00687',
      `${where}.offset ${bytes(offset)} is not a multiple of nonCoherentAtomSize (${bytes(atom)})`,
    );
  }

  const record = checkMemoryHandle(
    ctx,
    range.memory,
    `${where}.memory`,
    'VUID-VkMappedMemoryRange-memory-parameter',
    'UNASSIGNED-VkMappedMemoryRange-memory-device',
  );
  if (!record) return;
  const allocationSize = record.allocationSize;
  if (size !== VK_WHOLE_SIZE && size % atom !== 0n && offset + size !== allocationSize) {
    ctx.failures.add(
      'VUID-VkMappedMemoryRange-size-01390',
      `${where}.size ${bytes(size)} is not a multiple of nonCoherentAtomSize (${bytes(atom)}), and offset + size (${bytes(offset + size)}) is not the end of ${describeMemory(record.memory)} (${bytes(allocationSize)})`,
    );
  }
  if (!record.mapping) {
    ctx.failures.add(
      'VUID-VkMappedMemoryRange-memory-00684',
      `${where}.memory (${describeMemory(record.memory)}) is not mapped`,
    );
    return;
  }
  checkInsideMapping(ctx, record, offset, size, atom, where);
}

/** The rules that compare the range with the current mapping. Exact integers: no sum wraps around 2^64. */
function checkInsideMapping(
  ctx: CallContext,
  record: MemoryRecord,
  offset: bigint,
  size: bigint,
  atom: bigint,
  where: string,
): void {
  const mapping = record.mapping!;
  const mappedStart = mapping.offset;
  const mappedEnd = mapping.offset + mapping.size;
  const mappedText = `the mapping of ${describeMemory(record.memory)} (${bytes(mappedStart)} to ${bytes(mappedEnd)})`;
  if (size === VK_WHOLE_SIZE) {
    if (offset < mappedStart || offset >= mappedEnd) {
      ctx.failures.add(
        'VUID-VkMappedMemoryRange-size-00686',
        `${where}.offset ${bytes(offset)} is outside ${mappedText}; a VK_WHOLE_SIZE range starts inside the mapping`,
      );
    }
    if (mappedEnd % atom !== 0n && mappedEnd !== record.allocationSize) {
      ctx.failures.add(
        'VUID-VkMappedMemoryRange-size-01389',
        `${where}.size is VK_WHOLE_SIZE, but ${mappedText} ends at ${bytes(mappedEnd)}, neither a multiple of nonCoherentAtomSize (${bytes(atom)}) nor the end of the allocation (${bytes(record.allocationSize)}); pass an explicit size`,
      );
    }
  } else if (offset < mappedStart || offset + size > mappedEnd) {
    ctx.failures.add(
      'VUID-VkMappedMemoryRange-size-00685',
      `${where} covers ${bytes(offset)} to ${bytes(offset + size)}, which is not inside ${mappedText}`,
    );
  }
}
