/**
 * Mapping cases in the manner of the Khronos CTS (dEQP-VK.memory.mapping.*): for every HOST_VISIBLE
 * memory type and both map entry points, allocation sizes x whole and sub-range maps x simple write,
 * remap, flush (whole, middle half, two halves), invalidate after flush, free while mapped, and repeated
 * large allocations that must not leak. Combinations run inside a few tests per memory type.
 */
import { expect } from 'vitest';
import {
  alignDown,
  alignUp,
  VK_WHOLE_SIZE,
  type Device,
  type DeviceMemory,
  type MappedMemory,
  type MappedMemoryRange,
} from '@vkmap/core';
import { assertSameBytes, pattern } from '../bytes.js';
import { withContext } from '../context.js';
import type { HostVisibleType } from '../device-target.js';
import { mapMemory1, mapMemory2Of, type MapEntryPoint } from '../entry-points.js';
import { deviceAccessSkip, SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';

const MiB = 1024 * 1024;
export const CTS_ALLOCATION_SIZES = [33, 257, 4087, 8095, MiB + 1] as const;
export const CTS_MAP_OFFSETS = [0, 17, 129, 255, 1025, 32769] as const;
export const CTS_MAP_SIZES = [31, 255, 1025, 4085, MiB - 1] as const;

export interface MapCase {
  /** Rounded up to the atom. */
  readonly allocationSize: bigint;
  /** Rounded down to the atom. */
  readonly offset: bigint;
  /** Rounded up to the atom; the resolved size of a whole map. */
  readonly size: bigint;
  /** Mapped with VK_WHOLE_SIZE. */
  readonly whole: boolean;
}

export function describeCase(c: MapCase): string {
  return `allocation ${c.allocationSize}, map ${c.whole ? 'VK_WHOLE_SIZE' : `[${c.offset}, +${c.size})`}`;
}

/** The CTS combinations, rounded to the atom, without duplicates and without those that do not fit. */
export function mappingCases(atom: bigint, maxAllocationSize: bigint): MapCase[] {
  const cases: MapCase[] = [];
  const seen = new Set<string>();
  for (const requested of CTS_ALLOCATION_SIZES) {
    const allocationSize = alignUp(BigInt(requested), atom);
    if (allocationSize > maxAllocationSize) continue;
    cases.push({ allocationSize, offset: 0n, size: allocationSize, whole: true });
    for (const requestedOffset of CTS_MAP_OFFSETS) {
      for (const requestedSize of CTS_MAP_SIZES) {
        const offset = alignDown(BigInt(requestedOffset), atom);
        const size = alignUp(BigInt(requestedSize), atom);
        const key = `${allocationSize}:${offset}:${size}`;
        if (offset + size > allocationSize || seen.has(key)) continue;
        seen.add(key);
        cases.push({ allocationSize, offset, size, whole: false });
      }
    }
  }
  return cases;
}

export interface RangeSet {
  readonly name: string;
  /** Offsets and sizes in the allocation; size may be VK_WHOLE_SIZE. */
  readonly ranges: readonly (readonly [bigint, bigint])[];
}

/** Whole, middle half and two halves of a mapping, atom-aligned and inside it (CTS flush/subflush/separate). */
export function rangeSets(mapOffset: bigint, mapSize: bigint, atom: bigint): RangeSet[] {
  const quarter = alignDown(mapSize / 4n, atom);
  let threeQuarters = alignUp((mapSize * 3n) / 4n, atom);
  if (threeQuarters > mapSize) threeQuarters = mapSize;
  const half = alignDown(mapSize / 2n, atom);
  return [
    { name: 'whole', ranges: [[mapOffset, VK_WHOLE_SIZE]] },
    { name: 'middle half', ranges: [[mapOffset + quarter, threeQuarters - quarter]] },
    {
      name: 'two halves',
      ranges:
        half > 0n
          ? [
              [mapOffset, half],
              [mapOffset + half, mapSize - half],
            ]
          : [[mapOffset, mapSize]],
    },
  ];
}

function toMappedRanges(memory: DeviceMemory, set: RangeSet): MappedMemoryRange[] {
  return set.ranges.map(([offset, size]) => ({ memory, offset, size }));
}

/** [start, end) in the allocation of a range, VK_WHOLE_SIZE resolved against the mapping's end. */
function resolveRange([offset, size]: readonly [bigint, bigint], mapEnd: bigint): [number, number] {
  return [Number(offset), Number(size === VK_WHOLE_SIZE ? mapEnd : offset + size)];
}

/** Allocates, maps the case's range, runs `body`, and frees (unmapping implicitly). */
function withMappedCase(
  device: Device,
  type: HostVisibleType,
  mapCase: MapCase,
  entry: MapEntryPoint,
  body: (memory: DeviceMemory, mapping: MappedMemory) => void,
): void {
  const memory = device.allocateMemory({ allocationSize: mapCase.allocationSize, memoryTypeIndex: type.index });
  try {
    body(memory, entry.map(device, memory, mapCase.offset, mapCase.whole ? VK_WHOLE_SIZE : mapCase.size));
  } finally {
    device.freeMemory(memory);
  }
}

function forEachCase(session: ScenarioSession, entry: MapEntryPoint, body: (c: MapCase) => void): void {
  const cases = mappingCases(session.target.atomSize, session.target.maxMemoryAllocationSize);
  expect(cases.length).toBeGreaterThan(0);
  for (const mapCase of cases) withContext(`${entry.name}, ${describeCase(mapCase)}`, () => body(mapCase));
}

function checkMappingShape(
  session: ScenarioSession,
  mapping: MappedMemory,
  memory: DeviceMemory,
  type: HostVisibleType,
  c: MapCase,
): void {
  expect(mapping.memory).toBe(memory);
  expect(mapping.isMapped).toBe(true);
  expect(mapping.isPlaced).toBe(false);
  expect(mapping.isCoherent).toBe(type.coherent);
  expect(mapping.offset).toBe(c.offset);
  expect(mapping.size).toBe(c.size);
  expect(mapping.data.byteLength).toBe(Number(c.size));
  expect((mapping.address - c.offset) % session.target.minMemoryMapAlignment).toBe(0n);
}

/** Write, read back, unmap, remap without flush, read back; then a whole map sees the bytes at their offset. */
function writeReadRemap(session: ScenarioSession, type: HostVisibleType, entry: MapEntryPoint): void {
  const { device } = session;
  forEachCase(session, entry, (c) => {
    withMappedCase(device, type, c, entry, (memory, mapping) => {
      checkMappingShape(session, mapping, memory, type, c);
      const written = pattern(1, Number(c.size));
      mapping.data.set(written);
      assertSameBytes(mapping.data, written, 'read back after write', Number(c.offset));
      entry.unmap(device, memory);
      const remapped = entry.map(device, memory, c.offset, c.whole ? VK_WHOLE_SIZE : c.size);
      assertSameBytes(remapped.data, written, 'read back after remap without flush', Number(c.offset));
      entry.unmap(device, memory);
      if (!c.whole) {
        const whole = entry.map(device, memory, 0n, VK_WHOLE_SIZE);
        assertSameBytes(
          whole.data.subarray(Number(c.offset), Number(c.offset + c.size)),
          written,
          'sub-range bytes seen through a whole map',
          Number(c.offset),
        );
      }
    });
  });
}

/** Write, flush a range set, optionally remap, invalidate the same set: every byte keeps what the host wrote. */
function flushThenInvalidate(session: ScenarioSession, type: HostVisibleType, entry: MapEntryPoint): void {
  const { device, target } = session;
  forEachCase(session, entry, (c) => {
    withMappedCase(device, type, c, entry, (memory, first) => {
      let mapping = first;
      rangeSets(c.offset, c.size, target.atomSize).forEach((set, index) => {
        for (const remap of set.name === 'whole' ? [false, true] : [false]) {
          withContext(`${set.name}${remap ? ', remapped between' : ''}`, () => {
            const written = pattern(10 + index + (remap ? 5 : 0), Number(c.size));
            mapping.data.set(written);
            device.flushMappedMemoryRanges(toMappedRanges(memory, set));
            if (remap) {
              entry.unmap(device, memory);
              mapping = entry.map(device, memory, c.offset, c.whole ? VK_WHOLE_SIZE : c.size);
            }
            device.invalidateMappedMemoryRanges(toMappedRanges(memory, set));
            assertSameBytes(mapping.data, written, 'host bytes after flush and invalidate', Number(c.offset));
          });
        }
      });
    });
  });
}

/**
 * Device side: a flush publishes the host bytes of its ranges, and after the device writes those ranges an
 * invalidate shows the device's bytes there while the host keeps its own bytes elsewhere.
 */
function flushAndInvalidateReachDevice(session: ScenarioSession, type: HostVisibleType, entry: MapEntryPoint): void {
  const { device, target } = session;
  const access = session.requireAccess(type);
  forEachCase(session, entry, (c) => {
    withMappedCase(device, type, c, entry, (memory, mapping) => {
      const mapStart = Number(c.offset);
      const mapEnd = mapStart + Number(c.size);
      rangeSets(c.offset, c.size, target.atomSize).forEach((set, index) =>
        withContext(set.name, () => {
          access.write(memory, 0, pattern(40 + index, Number(c.allocationSize)));
          device.invalidateMappedMemoryRanges([{ memory, offset: c.offset, size: VK_WHOLE_SIZE }]);
          const hostBytes = pattern(50 + index, Number(c.size));
          mapping.data.set(hostBytes);
          device.flushMappedMemoryRanges(toMappedRanges(memory, set));
          const expected = hostBytes.slice();
          for (const range of set.ranges) {
            const [start, end] = resolveRange(range, BigInt(mapEnd));
            assertSameBytes(
              access.read(memory, start, end - start),
              hostBytes.subarray(start - mapStart, end - mapStart),
              'device bytes after flush',
              start,
            );
            const deviceBytes = pattern(60 + index, end - start, start);
            access.write(memory, start, deviceBytes);
            expected.set(deviceBytes, start - mapStart);
          }
          device.invalidateMappedMemoryRanges(toMappedRanges(memory, set));
          assertSameBytes(mapping.data, expected, 'host bytes after device writes and invalidate', mapStart);
        }),
      );
    });
  });
}

/** Free of mapped memory unmaps it: the view detaches and heap usage returns. */
function freeWhileMapped(session: ScenarioSession, type: HostVisibleType, entry: MapEntryPoint): void {
  const { device, target } = session;
  for (const requested of CTS_ALLOCATION_SIZES) {
    const allocationSize = alignUp(BigInt(requested), target.atomSize);
    withContext(`${entry.name}, allocation ${allocationSize}`, () => {
      const usageBefore = session.trackedUsage();
      const memory = device.allocateMemory({ allocationSize, memoryTypeIndex: type.index });
      const mapping = entry.map(device, memory, 0n, VK_WHOLE_SIZE);
      const view = mapping.data;
      view.set(pattern(3, view.length));
      device.freeMemory(memory);
      expect(mapping.isMapped).toBe(false);
      expect(view.byteLength).toBe(0);
      expect(() => mapping.data).toThrow();
      expect(session.trackedUsage(), 'heap usage after the free').toEqual(usageBefore);
    });
  }
}

/** Large allocations mapped and freed while mapped, again and again: usage comes back to where it started. */
function repeatedLargeFreeWhileMapped(session: ScenarioSession, type: HostVisibleType): void {
  const { device, target } = session;
  const options = session.options;
  let size = BigInt(options.leakAllocationBytes);
  if (size > type.heapSize / 4n) size = type.heapSize / 4n;
  if (size > target.maxMemoryAllocationSize) size = target.maxMemoryAllocationSize;
  size = alignDown(size, target.atomSize);
  const usageBefore = session.trackedUsage()![type.heapIndex]!;
  for (let i = 0; i < options.leakIterations; i++) {
    withContext(`iteration ${i + 1} of ${options.leakIterations}, ${size} bytes`, () => {
      const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
      const mapping = (i % 2 === 0 ? mapMemory1 : (mapMemory2Of(target.capabilities) ?? mapMemory1)).map(
        device,
        memory,
        0n,
        VK_WHOLE_SIZE,
      );
      mapping.data[0] = i;
      mapping.data[mapping.data.length - 1] = i;
      expect(session.trackedUsage()![type.heapIndex]).toBe(usageBefore + size);
      device.freeMemory(memory);
    });
  }
  expect(session.trackedUsage()![type.heapIndex]).toBe(usageBefore);
}

const MAPPING_PATH = 'mapping cases (CTS dEQP-VK.memory.mapping)';

export function mappingCaseScenarios(ctx: TargetContext): ScenarioSpec[] {
  const { target, options } = ctx;
  if (target.hostVisibleTypes.length === 0) {
    return [
      {
        group: 'mapping',
        path: [MAPPING_PATH],
        title: 'every mapping case',
        skipReason: SKIP.noHostVisibleType,
        body: () => {},
      },
    ];
  }
  const cases = mappingCases(target.atomSize, target.maxMemoryAllocationSize).length;
  const map2 = mapMemory2Of(target.capabilities);
  return target.hostVisibleTypes.flatMap((type) => {
    const path = [MAPPING_PATH, type.label];
    const perEntryPoint = [mapMemory1, map2].flatMap((entry): ScenarioSpec[] => {
      const name = entry?.name ?? 'vkMapMemory2';
      const noMap2 = entry ? undefined : SKIP.noMapMemory2;
      const run =
        (body: (session: ScenarioSession, type: HostVisibleType, entry: MapEntryPoint) => void) =>
        (session: ScenarioSession) =>
          body(session, type, entry!);
      return [
        {
          group: 'mapping',
          path,
          title: `${name}: write, read back, remap without flush (${cases} cases)`,
          skipReason: noMap2,
          body: run(writeReadRemap),
        },
        {
          group: 'mapping',
          path,
          title: `${name}: flush then invalidate of whole, middle half and two halves keeps the host bytes (${cases} cases)`,
          skipReason: noMap2,
          body: run(flushThenInvalidate),
        },
        {
          group: 'mapping',
          path,
          title: `${name}: flushed bytes reach the device, invalidate brings device writes to the host (${cases} cases)`,
          skipReason: noMap2 ?? deviceAccessSkip(target, type),
          body: run(flushAndInvalidateReachDevice),
        },
        {
          group: 'mapping',
          path,
          title: `${name}: free while mapped unmaps implicitly and detaches the view`,
          skipReason: noMap2,
          body: run(freeWhileMapped),
        },
      ];
    });
    const leak: ScenarioSpec = {
      group: 'mapping',
      path,
      title: 'repeated large allocate, map, free while mapped: heap usage returns to the start',
      skipReason: !target.capabilities.memoryBudget
        ? SKIP.noBudget
        : options.exactHeapUsage
          ? undefined
          : SKIP.inexactUsage,
      body: (session) => repeatedLargeFreeWhileMapped(session, type),
    };
    return [...perEntryPoint, leak];
  });
}
