/**
 * The host-access hazards of mapped memory, which no Vulkan layer reports: the Khronos layer's synchronization
 * validation sees the device's accesses, not the host's through a mapping. The layer cannot see loads and
 * stores through a Uint8Array either; it sees the calls around them, and judges each from the byte ranges that
 * submitted work reads and writes (copy and fill regions, the descriptor ranges bound at each dispatch:
 * storage buffers as read and written, uniform buffers as read), translated to offsets in each memory object,
 * never from whole allocations, so that different slots of one ring buffer never collide:
 *
 * - at vkQueueSubmit: bytes the submission reads in mapped non-coherent memory that the host changed since it
 *   last flushed or invalidated them (the layer keeps a copy of the mapped bytes, taken when the program first
 *   takes a mapping's `data`, to tell) -> VKMAP-HOST-unflushed-write;
 * - at vkFlushMappedMemoryRanges (the host wrote those bytes): bytes a pending submission reads or writes ->
 *   VKMAP-HOST-write-while-pending;
 * - at vkInvalidateMappedMemoryRanges (the host is about to read those bytes): bytes a pending submission
 *   writes -> VKMAP-HOST-read-before-wait; bytes a completed submission wrote with no barrier to the host ->
 *   VKMAP-HOST-read-without-host-barrier;
 * - taking a mapping's `data` (the host is about to read or write through it): since the layer cannot tell
 *   which bytes, it reports only when every byte of the mapping is unsafe: written or read by pending work,
 *   written with no host barrier, or (non-coherent) written and not invalidated since;
 * - at vkUnmapMemory / vkUnmapMemory2 / vkFreeMemory: bytes of the mapping that pending work reads or writes ->
 *   VKMAP-HOST-unmap-while-pending.
 *
 * A submission is complete when the layer sees its fence signaled (or its queue or the device idle). What the
 * layer cannot see, the emulated backend shows as stale data: its queue runs submitted work only when the host
 * waits for it.
 */
import { VkAccessFlagBits, VkMemoryPropertyFlagBits, VkPipelineStageFlagBits } from '../constants.js';
import type { PendingSubmission } from '../front/records.js';
import type { MemoryRecord } from '../handle-table.js';
import { describeMemory } from './common-rules.js';
import { RangeSet } from './ranges.js';
import type { VuidId } from './vuids.js';

const STAGE = VkPipelineStageFlagBits;
const ACCESS = VkAccessFlagBits;
const { VK_MEMORY_PROPERTY_HOST_COHERENT_BIT } = VkMemoryPropertyFlagBits;

/** The stages and accesses by which each kind of command writes, for the barriers that make them available. */
const WRITERS = {
  transfer: {
    stages: STAGE.VK_PIPELINE_STAGE_TRANSFER_BIT | STAGE.VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
    access: ACCESS.VK_ACCESS_TRANSFER_WRITE_BIT | ACCESS.VK_ACCESS_MEMORY_WRITE_BIT,
  },
  compute: {
    stages: STAGE.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | STAGE.VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
    access: ACCESS.VK_ACCESS_SHADER_WRITE_BIT | ACCESS.VK_ACCESS_MEMORY_WRITE_BIT,
  },
} as const;

/** A byte range of a memory object. */
export interface MemoryRange {
  readonly memory: MemoryRecord;
  readonly start: bigint;
  readonly end: bigint;
}

/** One access to memory by a recorded command, in memory offsets, in recording order. */
export type DeviceAccess =
  | (MemoryRange & { readonly kind: 'read' | 'write'; readonly stage: keyof typeof WRITERS })
  | {
      readonly kind: 'host-barrier';
      readonly srcStageMask: number;
      readonly srcAccessMask: number;
      /** The buffer ranges it covers; undefined for a global memory barrier. */
      readonly ranges: readonly MemoryRange[] | undefined;
    };

/**
 * The host barriers of a vkCmdPipelineBarrier: those whose second scope is the host's reads
 * (VK_PIPELINE_STAGE_HOST_BIT with VK_ACCESS_HOST_READ_BIT or VK_ACCESS_MEMORY_READ_BIT).
 */
export function hostBarriers(
  srcStageMask: number,
  dstStageMask: number,
  memoryBarriers: readonly { readonly srcAccessMask: number; readonly dstAccessMask: number }[],
  bufferBarriers: readonly (MemoryRange & { readonly srcAccessMask: number; readonly dstAccessMask: number })[],
): DeviceAccess[] {
  if ((dstStageMask & STAGE.VK_PIPELINE_STAGE_HOST_BIT) === 0) return [];
  const toHost = (b: { readonly dstAccessMask: number }) =>
    (b.dstAccessMask & (ACCESS.VK_ACCESS_HOST_READ_BIT | ACCESS.VK_ACCESS_MEMORY_READ_BIT)) !== 0;
  return [
    ...memoryBarriers
      .filter(toHost)
      .map((b) => ({ kind: 'host-barrier' as const, srcStageMask, srcAccessMask: b.srcAccessMask, ranges: undefined })),
    ...bufferBarriers.filter(toHost).map((b) => ({
      kind: 'host-barrier' as const,
      srcStageMask,
      srcAccessMask: b.srcAccessMask,
      ranges: [{ memory: b.memory, start: b.start, end: b.end }],
    })),
  ];
}

/** What one submission does to one memory object. */
export interface MemoryUse {
  readonly reads: RangeSet;
  readonly writes: RangeSet;
  /** The written bytes that a later barrier of the submission made available to the host. */
  readonly hostAvailable: RangeSet;
}

/** Per memory object, what the command buffers of a submission (in submission order) read, write and make available. */
export function submissionUse(accessLists: Iterable<readonly DeviceAccess[]>): Map<MemoryRecord, MemoryUse> {
  const uses = new Map<MemoryRecord, MemoryUse>();
  const useOf = (memory: MemoryRecord) => {
    let use = uses.get(memory);
    if (!use)
      uses.set(memory, (use = { reads: new RangeSet(), writes: new RangeSet(), hostAvailable: new RangeSet() }));
    return use;
  };
  const written: (MemoryRange & { readonly stage: keyof typeof WRITERS })[] = [];
  for (const accesses of accessLists) {
    for (const access of accesses) {
      if (access.kind === 'read') useOf(access.memory).reads.add(access.start, access.end);
      else if (access.kind === 'write') {
        useOf(access.memory).writes.add(access.start, access.end);
        written.push(access);
      } else if (access.kind === 'host-barrier') {
        for (const write of written) {
          const writer = WRITERS[write.stage];
          if ((access.srcStageMask & writer.stages) === 0 || (access.srcAccessMask & writer.access) === 0) continue;
          const ranges = access.ranges ?? [{ memory: write.memory, start: write.start, end: write.end }];
          for (const range of ranges) {
            if (range.memory !== write.memory) continue;
            const start = range.start > write.start ? range.start : write.start;
            const end = range.end < write.end ? range.end : write.end;
            useOf(write.memory).hostAvailable.add(start, end);
          }
        }
      }
    }
  }
  return uses;
}

/** What the host must still do about one memory object's bytes. */
interface HostState {
  /** Uses of pending submissions. */
  readonly pending: Map<PendingSubmission, MemoryUse>;
  /** Bytes completed work wrote that no barrier made available to the host. */
  readonly unbarriered: RangeSet;
  /** Non-coherent bytes completed work wrote, made available, and not invalidated since. */
  readonly uninvalidated: RangeSet;
  /** Non-coherent memory: the host's bytes of the mapping as of the last flush or invalidate, by offset. */
  baseline: { readonly offset: bigint; readonly bytes: Uint8Array } | undefined;
}

/** A hazard found, for the layer to report. */
export interface Hazard {
  readonly vuid: VuidId;
  readonly message: string;
}

function isCoherent(memory: MemoryRecord): boolean {
  return (memory.propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0;
}

function bytesOf(set: RangeSet, memory: MemoryRecord): string {
  return `bytes ${set.toString()} of ${describeMemory(memory.memory)}`;
}

export class HostAccessTracker {
  private readonly states = new Map<MemoryRecord, HostState>();
  private readonly submissions = new Map<PendingSubmission, Map<MemoryRecord, MemoryUse>>();

  private stateOf(memory: MemoryRecord): HostState {
    let state = this.states.get(memory);
    if (!state) {
      state = { pending: new Map(), unbarriered: new RangeSet(), uninvalidated: new RangeSet(), baseline: undefined };
      this.states.set(memory, state);
    }
    return state;
  }

  /** What pending work reads and writes of `memory`. */
  private pendingOf(memory: MemoryRecord): { readonly reads: RangeSet; readonly writes: RangeSet } {
    const reads = new RangeSet();
    const writes = new RangeSet();
    for (const use of this.states.get(memory)?.pending.values() ?? []) {
      reads.addAll(use.reads);
      writes.addAll(use.writes);
    }
    return { reads, writes };
  }

  // ---- checks: each returns the hazards of the call ---------------------------------------------------

  /**
   * vkQueueSubmit: the bytes the submission reads in mapped non-coherent memory that the host changed since its
   * last flush or invalidate. `current` gives the host's bytes of a memory object's mapping now.
   */
  checkSubmit(
    uses: ReadonlyMap<MemoryRecord, MemoryUse>,
    current: (memory: MemoryRecord) => Uint8Array | undefined,
  ): Hazard[] {
    const hazards: Hazard[] = [];
    for (const [memory, use] of uses) {
      const baseline = this.states.get(memory)?.baseline;
      if (!baseline || isCoherent(memory) || use.reads.isEmpty) continue;
      const bytes = current(memory);
      if (!bytes) continue;
      const end = baseline.offset + BigInt(bytes.length);
      const changed = new RangeSet();
      for (const [s, e] of use.reads.within(baseline.offset, end)) {
        let runStart = -1;
        const from = Number(s - baseline.offset);
        const to = Number(e - baseline.offset);
        for (let i = from; i <= to; i++) {
          const differs = i < to && bytes[i] !== baseline.bytes[i];
          if (differs && runStart < 0) runStart = i;
          if (!differs && runStart >= 0) {
            changed.add(baseline.offset + BigInt(runStart), baseline.offset + BigInt(i));
            runStart = -1;
          }
        }
      }
      if (!changed.isEmpty) {
        hazards.push({
          vuid: 'VKMAP-HOST-unflushed-write',
          message: `${bytesOf(changed, memory)} (non-coherent), which the host changed and did not flush, are read by this submission: the device reads the old bytes; flush them (flushMappedMemoryRanges) before submitting`,
        });
      }
    }
    return hazards;
  }

  /** vkFlushMappedMemoryRanges over [start, end) of `memory`: the host wrote bytes pending work reads or writes. */
  checkFlush(memory: MemoryRecord, start: bigint, end: bigint): Hazard[] {
    const { reads, writes } = this.pendingOf(memory);
    const touched = new RangeSet();
    touched.addAll(reads.within(start, end));
    touched.addAll(writes.within(start, end));
    if (touched.isEmpty) return [];
    return [
      {
        vuid: 'VKMAP-HOST-write-while-pending',
        message: `the host wrote ${bytesOf(touched, memory)} (it flushes them) while a pending submission reads or writes them; wait for its fence before reusing those bytes`,
      },
    ];
  }

  /** vkInvalidateMappedMemoryRanges over [start, end): the host is about to read these bytes. */
  checkInvalidate(memory: MemoryRecord, start: bigint, end: bigint): Hazard[] {
    const hazards: Hazard[] = [];
    const early = this.pendingOf(memory).writes.within(start, end);
    if (!early.isEmpty) {
      hazards.push({
        vuid: 'VKMAP-HOST-read-before-wait',
        message: `${bytesOf(early, memory)} are invalidated while a pending submission still writes them: the host reads what was there before; wait for its fence, then invalidate`,
      });
    }
    const unbarriered = this.states.get(memory)?.unbarriered.within(start, end);
    if (unbarriered && !unbarriered.isEmpty) {
      hazards.push({
        vuid: 'VKMAP-HOST-read-without-host-barrier',
        message: `${bytesOf(unbarriered, memory)} were written by a submission with no barrier to the host after the writes (dstStageMask VK_PIPELINE_STAGE_HOST_BIT, dstAccessMask VK_ACCESS_HOST_READ_BIT): a fence makes device writes available to the device only`,
      });
    }
    return hazards;
  }

  /**
   * The program takes the `data` of a mapping of `memory` over [start, end): reported only when every byte of it
   * is unsafe to touch, since the layer cannot tell which bytes the program then reads or writes.
   */
  checkDataTaken(memory: MemoryRecord, start: bigint, end: bigint): Hazard[] {
    const state = this.states.get(memory);
    if (!state) return [];
    const { reads, writes } = this.pendingOf(memory);
    const kinds: [VuidId, RangeSet, string][] = [
      ['VKMAP-HOST-read-before-wait', writes, 'are written by a pending submission (wait for its fence first)'],
      [
        'VKMAP-HOST-write-while-pending',
        reads,
        'are read by a pending submission (wait for its fence before writing them)',
      ],
      [
        'VKMAP-HOST-read-without-host-barrier',
        state.unbarriered,
        'were written by a submission with no barrier to VK_PIPELINE_STAGE_HOST_BIT / VK_ACCESS_HOST_READ_BIT after the writes',
      ],
    ];
    if (!isCoherent(memory)) {
      kinds.push([
        'VKMAP-HOST-read-without-invalidate',
        state.uninvalidated,
        'are non-coherent bytes a submission wrote that have not been invalidated since its fence was waited (invalidateMappedMemoryRanges before reading them)',
      ]);
    }
    const unsafe = new RangeSet();
    for (const [, set] of kinds) unsafe.addAll(set.within(start, end));
    if (!unsafe.covers(start, end)) return [];
    return kinds
      .filter(([, set]) => set.intersects(start, end))
      .map(([vuid, set, why]) => ({
        vuid,
        message: `the program takes the data of the mapping [${start}, ${end}) of ${describeMemory(memory.memory)}, every byte of which is unsafe to touch: ${set.within(start, end).toString()} ${why}`,
      }));
  }

  /** vkUnmapMemory (or a free that ends the mapping [start, end)): pending work reads or writes bytes of it. */
  checkUnmap(memory: MemoryRecord, start: bigint, end: bigint): Hazard[] {
    const { reads, writes } = this.pendingOf(memory);
    const touched = new RangeSet();
    touched.addAll(reads.within(start, end));
    touched.addAll(writes.within(start, end));
    if (touched.isEmpty) return [];
    return [
      {
        vuid: 'VKMAP-HOST-unmap-while-pending',
        message: `the mapping [${start}, ${end}) of ${describeMemory(memory.memory)} ends while a pending submission reads or writes ${touched.toString()} of it: the host can no longer see what the work does there; wait for its fence first`,
      },
    ];
  }

  // ---- what happened --------------------------------------------------------------------------------

  /** The program took the `data` of a mapping: non-coherent bytes are compared with these from now on. */
  dataTaken(memory: MemoryRecord, offset: bigint, bytes: Uint8Array): void {
    if (isCoherent(memory)) return;
    const state = this.stateOf(memory);
    if (!state.baseline || state.baseline.offset !== offset || state.baseline.bytes.length !== bytes.length)
      state.baseline = { offset, bytes: bytes.slice() };
  }

  /** vkFlushMappedMemoryRanges succeeded: the host wrote [start, end), which the device now has. */
  flushed(memory: MemoryRecord, start: bigint, end: bigint, bytes: Uint8Array | undefined): void {
    const state = this.states.get(memory);
    if (!state) return;
    state.unbarriered.subtract(start, end);
    state.uninvalidated.subtract(start, end);
    this.rebase(state, start, end, bytes);
  }

  /** vkInvalidateMappedMemoryRanges succeeded: the host now sees the device's [start, end). */
  invalidated(memory: MemoryRecord, start: bigint, end: bigint, bytes: Uint8Array | undefined): void {
    const state = this.states.get(memory);
    if (!state) return;
    state.unbarriered.subtract(start, end);
    state.uninvalidated.subtract(start, end);
    this.rebase(state, start, end, bytes);
  }

  /** The mapping ended (unmap): the host keeps no view, so there is nothing to compare. */
  unmapped(memory: MemoryRecord): void {
    const state = this.states.get(memory);
    if (state) state.baseline = undefined;
  }

  /** The memory was freed. */
  forget(memory: MemoryRecord): void {
    this.states.delete(memory);
  }

  /** A submission was made: what it reads and writes is pending until it completes. */
  submitted(submission: PendingSubmission, uses: Map<MemoryRecord, MemoryUse>): void {
    if (uses.size === 0) return;
    this.submissions.set(submission, uses);
    for (const [memory, use] of uses) this.stateOf(memory).pending.set(submission, use);
  }

  /** A submission completed: its writes are the host's to make visible (barrier, invalidate). */
  completed(submission: PendingSubmission): void {
    const uses = this.submissions.get(submission);
    if (!uses) return;
    this.submissions.delete(submission);
    for (const [memory, use] of uses) {
      const state = this.states.get(memory);
      if (!state) continue;
      state.pending.delete(submission);
      state.unbarriered.subtractAll(use.writes);
      state.uninvalidated.subtractAll(use.writes);
      for (const [s, e] of use.writes) {
        const hidden = RangeSet.of(s, e);
        hidden.subtractAll(use.hostAvailable);
        state.unbarriered.addAll(hidden);
      }
      if (!isCoherent(memory)) state.uninvalidated.addAll(use.hostAvailable);
    }
  }

  /** Host and device agree on [start, end) now: the baseline takes the host's bytes there. */
  private rebase(state: HostState, start: bigint, end: bigint, bytes: Uint8Array | undefined): void {
    const baseline = state.baseline;
    if (!baseline || !bytes) return;
    const from = start > baseline.offset ? start : baseline.offset;
    const stop = baseline.offset + BigInt(baseline.bytes.length);
    const to = end < stop ? end : stop;
    if (to <= from) return;
    const i = Number(from - baseline.offset);
    const j = Number(to - baseline.offset);
    baseline.bytes.set(bytes.subarray(i, j), i);
  }
}
