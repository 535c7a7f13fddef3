/**
 * Fences: vkCreateFence, vkDestroyFence, vkResetFences, vkGetFenceStatus, vkWaitForFences, and the same
 * wait as a Promise. Every signal comes from a submission the front made, so the front knows each fence's
 * state: signaled, unsignaled, or pending (a submission will signal it). Seeing a pending fence signaled
 * completes its submission (submissions.ts).
 *
 * Waits hand the backend only pending fences. A wait that nothing pending can satisfy (an unsignaled fence
 * no submission will signal) would block the thread forever without a time limit, so the synchronous wait
 * refuses it; with a limit it times out after it. The asynchronous wait never blocks the event loop: it
 * waits for the backend's promise on pending fences, and for the next submission while some fence is not
 * yet submitted (another part of the program may submit it meanwhile).
 */
import { VkFenceCreateFlagBits } from '../constants.js';
import type { Fence, FenceCreateInfo } from '../contract/index.js';
import type { DeviceSizeInput } from '../device-size.js';
import { VkmapStateError } from '../errors.js';
import { snapshotArgument, snapshotHandle, SHAPES } from '../snapshot.js';
import { arrayArg, booleanArg, deviceSizeArg, flagsArg, optionalStructureArg } from './arguments.js';
import { FrontHandle } from './handles.js';
import { pendingFenceProblem, throwFirst } from './compute-rules.js';
import { describeHandle } from './misuse.js';
import { liveObject, optionalObject, type ComputeContext } from './objects.js';
import type { FenceRecord } from './records.js';

const { VK_FENCE_CREATE_SIGNALED_BIT } = VkFenceCreateFlagBits;
const FENCE_FLAG_NAMES = { VK_FENCE_CREATE_SIGNALED_BIT };

/** A timeout of UINT64_MAX nanoseconds: no time limit. */
export const NO_TIMEOUT = 0xffff_ffff_ffff_ffffn;

/** The longest single setTimeout (2^31 - 1 ms); longer waits take several. */
const MAX_TIMER_MS = 0x7fff_ffff;

type WaitResult = 'VK_SUCCESS' | 'VK_TIMEOUT';

/** Blocks the thread for `ms` milliseconds (what a wait that cannot succeed does until its timeout). */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function nowMs(): number {
  return performance.now();
}

/** Where the wait stands, from what the front knows. */
function waitState(fences: readonly FenceRecord[], waitAll: boolean) {
  const signaled = (f: FenceRecord) => f.status === 'signaled';
  const done = waitAll ? fences.every(signaled) : fences.some(signaled);
  const pending = [...new Set(fences.filter((f) => f.status === 'pending'))];
  // Whether the pending work alone can end the wait.
  const reachable = waitAll ? fences.every((f) => f.status !== 'unsignaled') : pending.length > 0;
  return { done, pending, reachable };
}

export class Fences {
  readonly #ctx: ComputeContext;

  constructor(ctx: ComputeContext) {
    this.#ctx = ctx;
  }

  createFence(info?: FenceCreateInfo): Fence {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.fenceCreateInfo);
    ctx.enter('vkCreateFence');
    const args = optionalStructureArg(snapshot, 'pCreateInfo', 'FenceCreateInfo');
    const flags = flagsArg(args.flags, 'pCreateInfo.flags', 'VkFenceCreateFlags', FENCE_FLAG_NAMES);
    const signaled = (flags & VK_FENCE_CREATE_SIGNALED_BIT) !== 0;
    const backend = ctx.backend.createFence(signaled);
    const object = new FrontHandle('VkFence', ctx.newHandle());
    ctx.table.recordObject<FenceRecord>({
      object,
      backend,
      parent: undefined,
      children: new Set(),
      dependents: new Set(),
      status: signaled ? 'signaled' : 'unsignaled',
      submission: undefined,
      asyncWaits: 0,
    });
    return object as Fence;
  }

  destroyFence(fence: Fence | null): void {
    const ctx = this.#ctx;
    ctx.enter('vkDestroyFence');
    const record = optionalObject<FenceRecord>(ctx, snapshotHandle(fence), 'VkFence', 'fence');
    if (!record) return;
    const name = describeHandle(record.object);
    throwFirst([pendingFenceProblem(record, 'VUID-vkDestroyFence-fence-01120', 'fence')]);
    if (record.asyncWaits > 0) {
      throw new VkmapStateError(
        `${name} is being waited on by waitForFencesAsync; let its promise settle before destroying the fence`,
        'fence',
      );
    }
    ctx.backend.destroyFence(record.backend);
    ctx.table.recordEnd(record);
  }

  resetFences(fences: readonly Fence[]): void {
    const ctx = this.#ctx;
    ctx.enter('vkResetFences');
    const records = this.fencesArg(fences);
    throwFirst(
      records.map((record, i) => pendingFenceProblem(record, 'VUID-vkResetFences-pFences-01123', `pFences[${i}]`)),
    );
    ctx.backend.resetFences(records.map((r) => r.backend));
    for (const record of records) record.status = 'unsignaled';
  }

  getFenceStatus(fence: Fence): 'VK_SUCCESS' | 'VK_NOT_READY' {
    const ctx = this.#ctx;
    ctx.enter('vkGetFenceStatus');
    const record = liveObject<FenceRecord>(ctx, snapshotHandle(fence), 'VkFence', 'fence');
    if (record.status === 'pending' && ctx.backend.getFenceStatus(record.backend))
      ctx.submissions.fenceSignaled(record);
    return record.status === 'signaled' ? 'VK_SUCCESS' : 'VK_NOT_READY';
  }

  waitForFences(fences: readonly Fence[], waitAll: boolean, timeout: DeviceSizeInput): WaitResult {
    const ctx = this.#ctx;
    ctx.enter('vkWaitForFences');
    const { records, all, limit } = this.waitArgs(fences, waitAll, timeout);
    const { done, pending, reachable } = waitState(records, all);
    if (done) return 'VK_SUCCESS';
    if (!reachable && limit === NO_TIMEOUT) {
      const idle = records.find((f) => f.status === 'unsignaled')!;
      throw new VkmapStateError(
        `${describeHandle(idle.object)} is unsignaled and no pending submission will signal it, so this wait without a time limit would block forever`,
        'pFences',
      );
    }
    const deadline = nowMs() + Number(limit) / 1e6;
    if (pending.length > 0) {
      // Wait for what is pending; with a fence no submission will signal, the answer is a timeout, after
      // the whole time (as the driver would take it).
      const signaled = ctx.backend.waitForFences(
        pending.map((f) => f.backend),
        all || !reachable,
        limit,
      );
      if (signaled) this.observe(pending, all || !reachable);
      if (reachable) return signaled ? 'VK_SUCCESS' : 'VK_TIMEOUT';
    }
    sleepSync(deadline - nowMs());
    return 'VK_TIMEOUT';
  }

  waitForFencesAsync(fences: readonly Fence[], waitAll: boolean, timeout: DeviceSizeInput): Promise<WaitResult> {
    let args: { records: FenceRecord[]; all: boolean; limit: bigint };
    try {
      this.#ctx.enter('vkWaitForFences');
      args = this.waitArgs(fences, waitAll, timeout);
    } catch (error) {
      return Promise.reject(error);
    }
    const { records, all, limit } = args;
    const waited = [...new Set(records)];
    for (const record of waited) record.asyncWaits += 1;
    return this.waitAsync(records, all, limit).finally(() => {
      for (const record of waited) record.asyncWaits -= 1;
    });
  }

  /** Device destroy: every fence left (no work is pending, and asynchronous waits settle on their own). */
  destroyAll(): void {
    for (const record of [...this.#ctx.table.objectsOf<FenceRecord>('VkFence')]) {
      this.#ctx.backend.destroyFence(record.backend);
      this.#ctx.table.recordEnd(record);
    }
    this.#ctx.submissions.notify();
  }

  private async waitAsync(records: readonly FenceRecord[], all: boolean, limit: bigint): Promise<WaitResult> {
    const ctx = this.#ctx;
    const deadline = limit === NO_TIMEOUT ? Infinity : nowMs() + Number(limit) / 1e6;
    for (;;) {
      if (ctx.table.isDestroyed) return this.afterDestroy(records, all);
      const { done, pending, reachable } = waitState(records, all);
      if (done) return 'VK_SUCCESS';
      const left = deadline - nowMs();
      if (reachable) {
        const remaining = deadline === Infinity ? NO_TIMEOUT : BigInt(Math.max(0, Math.floor(left * 1e6)));
        // Meanwhile a fence may be seen signaled elsewhere, reset and submitted again: only the
        // submissions waited for are completed by this wait's answer.
        const waitedFor = pending.map((f) => f.submission);
        const signaled = await ctx.backend.waitForFencesAsync(
          pending.map((f) => f.backend),
          all,
          remaining,
        );
        if (ctx.table.isDestroyed) return this.afterDestroy(records, all);
        if (!signaled) return 'VK_TIMEOUT';
        this.observe(
          pending.filter((f, i) => f.submission === waitedFor[i]),
          all,
        );
        continue;
      }
      if (left <= 0) return 'VK_TIMEOUT';
      // Some fence waits for a submission not made yet: wait for the next submission, or the deadline.
      await this.nextChange(left);
    }
  }

  /** The wait when the device was destroyed during it: all work finished first, so the state is final. */
  private afterDestroy(records: readonly FenceRecord[], all: boolean): WaitResult {
    if (waitState(records, all).done) return 'VK_SUCCESS';
    throw new VkmapStateError(
      'the device was destroyed while waitForFencesAsync waited for fences that no submission had signaled',
      'device',
    );
  }

  private nextChange(leftMs: number): Promise<void> {
    const changed = this.#ctx.submissions.changed();
    if (leftMs === Infinity) return changed;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const elapsed = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, Math.min(Math.ceil(leftMs), MAX_TIMER_MS))),
    );
    return Promise.race([changed, elapsed]).finally(() => clearTimeout(timer));
  }

  /** A wait on `pending` returned true: waitAll saw them all signaled; otherwise ask which are. */
  private observe(pending: readonly FenceRecord[], all: boolean): void {
    const ctx = this.#ctx;
    for (const fence of pending) {
      if (fence.status !== 'pending') continue;
      if (all || ctx.backend.getFenceStatus(fence.backend)) ctx.submissions.fenceSignaled(fence);
    }
  }

  private fencesArg(fences: unknown): FenceRecord[] {
    const list = arrayArg(snapshotArgument(fences, SHAPES.handles), 'pFences', 'Fence handles', true);
    return list.map((value, i) => liveObject<FenceRecord>(this.#ctx, value, 'VkFence', `pFences[${i}]`));
  }

  private waitArgs(fences: unknown, waitAll: unknown, timeout: unknown) {
    const records = this.fencesArg(fences);
    const all = booleanArg(waitAll, 'waitAll');
    const limit = deviceSizeArg(timeout, 'timeout');
    return { records, all, limit };
  }
}
