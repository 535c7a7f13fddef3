/**
 * Random operation sequences checked against the reference memory model (CTS
 * dEQP-VK.memory.mapping.*.random): read, write and xor-modify random bytes, flush or invalidate 1 to 10
 * atom-aligned ranges, unmap, map a random atom-aligned range, allocate, free (mapped or not). Each seed
 * replays exactly; a failure names the seed, the step and the operations before it.
 */
import { expect } from 'vitest';
import {
  alignDown,
  alignUp,
  VK_WHOLE_SIZE,
  type DeviceMemory,
  type MappedMemory,
  type MappedMemoryRange,
} from '@vkmap/core';
import type { HostVisibleType } from '../device-target.js';
import { entryPointsOf, type MapEntryPoint } from '../entry-points.js';
import { SeededPrng } from '../prng.js';
import { ReferenceMemory } from '../reference-model.js';
import { SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';

const MAX_LIVE_ALLOCATIONS = 6;
const MAX_ACCESS_BYTES = 4096;
const LOG_LENGTH = 16;

const OPERATION_WEIGHTS = {
  read: 18,
  write: 18,
  xor: 10,
  flush: 12,
  invalidate: 12,
  unmap: 6,
  map: 9,
  allocate: 6,
  free: 5,
} as const;
type Operation = keyof typeof OPERATION_WEIGHTS;

interface LiveAllocation {
  readonly id: number;
  readonly memory: DeviceMemory;
  readonly type: HostVisibleType;
  readonly size: number;
  readonly model: ReferenceMemory;
  mapping: MappedMemory | undefined;
}

/** Mapped range of an allocation in allocation offsets: [start, end). */
function mappedRange(allocation: LiveAllocation): [number, number] {
  const mapping = allocation.mapping!;
  return [Number(mapping.offset), Number(mapping.offset + mapping.size)];
}

export class RandomOperationRun {
  private readonly session: ScenarioSession;
  private readonly prng: SeededPrng;
  private readonly atom: number;
  private readonly entryPoints: readonly MapEntryPoint[];
  private readonly live: LiveAllocation[] = [];
  private readonly log: string[] = [];
  private nextId = 1;
  /** What the current step is doing, for the failure message. */
  private current = '';

  constructor(session: ScenarioSession, seed: number) {
    this.session = session;
    this.prng = new SeededPrng(seed);
    this.atom = Number(session.target.atomSize);
    this.entryPoints = entryPointsOf(session.target.capabilities);
  }

  run(operations: number): void {
    const seed = this.prng.seed;
    const usageBefore = this.session.trackedUsage();
    for (let step = 1; step <= operations + 1; step++) {
      try {
        if (step <= operations) this.step();
        else this.finish();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const failure = new Error(
          `random operations failed at seed ${seed}, step ${step > operations ? 'final check' : step} of ${operations}: ${this.current}\n` +
            `  ${message}\n` +
            `last operations:\n${this.log.map((line) => `  ${line}`).join('\n')}\n` +
            `replay: VKMAP_CONFORMANCE_SEEDS=${seed} VKMAP_CONFORMANCE_OPS=${Math.min(step, operations)}`,
          { cause: error },
        );
        throw failure;
      }
      this.log.push(`#${step} ${this.current}`);
      if (this.log.length > LOG_LENGTH) this.log.shift();
    }
    expect(this.session.trackedUsage(), 'heap usage after freeing everything').toEqual(usageBefore);
  }

  private step(): void {
    const mapped = this.live.filter((a) => a.mapping);
    let operation: Operation = this.prng.weighted(OPERATION_WEIGHTS);
    const needsMapping =
      operation === 'read' ||
      operation === 'write' ||
      operation === 'xor' ||
      operation === 'flush' ||
      operation === 'invalidate' ||
      operation === 'unmap';
    if (needsMapping && mapped.length === 0) operation = this.live.some((a) => !a.mapping) ? 'map' : 'allocate';
    if (operation === 'map' && this.live.every((a) => a.mapping))
      operation = this.live.length < MAX_LIVE_ALLOCATIONS ? 'allocate' : 'free';
    if (operation === 'allocate' && this.live.length >= MAX_LIVE_ALLOCATIONS) operation = 'free';
    if (operation === 'free' && this.live.length === 0) operation = 'allocate';
    this[operation]();
  }

  private read(): void {
    const allocation = this.pickMapped();
    const [start, length] = this.pickAccess(allocation);
    this.current = `read a${allocation.id} [${start}, +${length})`;
    this.check(allocation, start, length);
  }

  private write(): void {
    const allocation = this.pickMapped();
    const [start, length] = this.pickAccess(allocation);
    this.current = `write a${allocation.id} [${start}, +${length})`;
    const bytes = this.prng.bytes(length);
    allocation.mapping!.data.set(bytes, start - Number(allocation.mapping!.offset));
    allocation.model.write(start, bytes);
  }

  private xor(): void {
    const allocation = this.pickMapped();
    const [start, length] = this.pickAccess(allocation);
    this.current = `xor-modify a${allocation.id} [${start}, +${length})`;
    this.check(allocation, start, length);
    const view = allocation.mapping!.data.subarray(
      start - Number(allocation.mapping!.offset),
      start - Number(allocation.mapping!.offset) + length,
    );
    const mask = this.prng.bytes(length);
    for (let i = 0; i < length; i++) view[i]! ^= mask[i]!;
    allocation.model.write(start, view.slice());
  }

  private flush(): void {
    const ranges = this.pickRanges();
    this.current = `flush ${this.describeRanges(ranges)}`;
    this.session.device.flushMappedMemoryRanges(ranges.map((r) => r.range));
    for (const { allocation, start, end } of ranges) allocation.model.flush(start, end - start);
  }

  private invalidate(): void {
    const ranges = this.pickRanges();
    this.current = `invalidate ${this.describeRanges(ranges)}`;
    this.session.device.invalidateMappedMemoryRanges(ranges.map((r) => r.range));
    for (const { allocation, start, end } of ranges) allocation.model.invalidate(start, end - start);
  }

  private unmap(): void {
    const allocation = this.pickMapped();
    const entry = this.prng.pick(this.entryPoints);
    this.current = `unmap a${allocation.id} (${entry.name.replace('Map', 'Unmap')})`;
    const mapping = allocation.mapping!;
    const view = mapping.data;
    entry.unmap(this.session.device, allocation.memory);
    allocation.mapping = undefined;
    expectDetached(mapping, view);
  }

  private map(): void {
    const allocation = this.prng.pick(this.live.filter((a) => !a.mapping));
    const entry = this.prng.pick(this.entryPoints);
    const offset = alignDown(this.prng.below(allocation.size), this.atom);
    const whole = this.prng.chance(0.3);
    const end = whole
      ? allocation.size
      : Math.min(allocation.size, alignUp(offset + this.prng.between(1, allocation.size - offset), this.atom));
    this.current = `map a${allocation.id} [${offset}, ${whole ? 'VK_WHOLE_SIZE' : `+${end - offset}`}) with ${entry.name}`;
    const mapping = entry.map(
      this.session.device,
      allocation.memory,
      BigInt(offset),
      whole ? VK_WHOLE_SIZE : BigInt(end - offset),
    );
    expect(mapping.offset).toBe(BigInt(offset));
    expect(mapping.size).toBe(BigInt(end - offset));
    expect(mapping.data.byteLength).toBe(end - offset);
    allocation.mapping = mapping;
    this.check(allocation, offset, end - offset);
  }

  private allocate(): void {
    const type = this.prng.pick(this.session.target.hostVisibleTypes);
    const roll = this.prng.nextFloat();
    const size =
      roll < 0.7
        ? this.prng.between(1, 16 * 1024)
        : roll < 0.95
          ? this.prng.between(16 * 1024, 256 * 1024)
          : this.prng.between(256 * 1024, 1024 * 1024 + 1);
    const id = this.nextId++;
    this.current = `allocate a${id}: ${size} bytes of ${type.label}`;
    const memory = this.session.device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
    expect(memory.allocationSize).toBe(BigInt(size));
    this.live.push({
      id,
      memory,
      type,
      size,
      model: new ReferenceMemory(size, this.atom, type.coherent),
      mapping: undefined,
    });
  }

  private free(): void {
    const allocation = this.prng.pick(this.live);
    this.current = `free a${allocation.id}${allocation.mapping ? ' (mapped)' : ''}`;
    const mapping = allocation.mapping;
    const view = mapping?.data;
    this.session.device.freeMemory(allocation.memory);
    this.live.splice(this.live.indexOf(allocation), 1);
    if (mapping) expectDetached(mapping, view!);
  }

  /** After the last step: every mapped byte checked once more, then everything freed. */
  private finish(): void {
    this.current = 'final check of every mapping, then free all';
    for (const allocation of this.live) {
      if (!allocation.mapping) continue;
      const [start, end] = mappedRange(allocation);
      this.check(allocation, start, end - start);
    }
    for (const allocation of this.live.splice(0)) this.session.device.freeMemory(allocation.memory);
  }

  private check(allocation: LiveAllocation, start: number, length: number): void {
    const mapping = allocation.mapping!;
    const view = mapping.data.subarray(start - Number(mapping.offset), start - Number(mapping.offset) + length);
    const mismatch = allocation.model.checkRead(start, view);
    if (mismatch) {
      throw new Error(
        `a${allocation.id} (${allocation.type.label}) byte ${mismatch.offset} reads 0x${mismatch.actual.toString(16)}, ` +
          `the model expects 0x${mismatch.expected.toString(16)} (its atom is ${mismatch.atomFlushed ? 'flushed' : 'not flushed'})`,
      );
    }
  }

  private pickMapped(): LiveAllocation {
    return this.prng.pick(this.live.filter((a) => a.mapping));
  }

  /** A random [start, length) inside the mapping, in allocation offsets. */
  private pickAccess(allocation: LiveAllocation): [number, number] {
    const [mapStart, mapEnd] = mappedRange(allocation);
    const length = this.prng.between(1, Math.min(mapEnd - mapStart, MAX_ACCESS_BYTES));
    return [mapStart + this.prng.between(0, mapEnd - mapStart - length), length];
  }

  /** 1 to 10 atom-aligned ranges inside live mappings (sometimes VK_WHOLE_SIZE). */
  private pickRanges(): { allocation: LiveAllocation; start: number; end: number; range: MappedMemoryRange }[] {
    const mapped = this.live.filter((a) => a.mapping);
    return Array.from({ length: this.prng.between(1, 10) }, () => {
      const allocation = this.prng.pick(mapped);
      const [mapStart, mapEnd] = mappedRange(allocation);
      const start = alignDown(mapStart + this.prng.below(mapEnd - mapStart), this.atom);
      if (this.prng.chance(0.15)) {
        return {
          allocation,
          start,
          end: mapEnd,
          range: { memory: allocation.memory, offset: start, size: VK_WHOLE_SIZE },
        };
      }
      const end = Math.min(mapEnd, alignUp(start + this.prng.between(1, mapEnd - start), this.atom));
      return { allocation, start, end, range: { memory: allocation.memory, offset: start, size: end - start } };
    });
  }

  private describeRanges(
    ranges: readonly { allocation: LiveAllocation; start: number; end: number; range: MappedMemoryRange }[],
  ): string {
    return ranges
      .map(
        ({ allocation, start, end, range }) =>
          `a${allocation.id} [${start}, ${range.size === VK_WHOLE_SIZE ? 'VK_WHOLE_SIZE' : `+${end - start}`})`,
      )
      .join(', ');
  }
}

function expectDetached(mapping: MappedMemory, view: Uint8Array): void {
  expect(mapping.isMapped).toBe(false);
  expect(view.byteLength).toBe(0);
  expect(() => mapping.data).toThrow();
}

export function randomOperationScenarios(ctx: TargetContext): ScenarioSpec[] {
  const { options, target } = ctx;
  return options.seeds.map((seed) => ({
    group: 'random-ops',
    path: ['random operations against the reference model'],
    title: `seed ${seed}: ${options.randomOps} operations`,
    skipReason: target.hostVisibleTypes.length === 0 ? SKIP.noHostVisibleType : undefined,
    body: (session) => new RandomOperationRun(session, seed).run(options.randomOps),
  }));
}
