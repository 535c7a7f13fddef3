/**
 * Fences. A fence is signaled when the submission it was handed to has run, which the emulated queue does
 * when the host waits for it (queues.ts): polling or waiting runs the queued work up to the fence's
 * submission, so a wait never sleeps. A fence no queued submission will signal stays unsignaled: a wait on it
 * with a time limit reports a timeout at once, and one without a limit would block forever, so it throws.
 */
import { VkmapStateError } from '@vkmap/core';
import type { SubmittedWork } from './queues.js';
import type { EmulatedFence } from './records.js';

/** vkWaitForFences' timeout for "no limit": UINT64_MAX nanoseconds. */
const NO_TIMEOUT = 0xffff_ffff_ffff_ffffn;

export function createFence(signaled: boolean): EmulatedFence {
  return { signaled };
}

export function resetFences(fences: readonly EmulatedFence[]): void {
  for (const fence of fences) fence.signaled = false;
}

/** vkGetFenceStatus: runs the work that signals the fence, if any is queued. */
export function getFenceStatus(work: SubmittedWork, fence: EmulatedFence): boolean {
  if (!fence.signaled) work.runUntil([fence], 'vkGetFenceStatus');
  return fence.signaled;
}

/**
 * vkWaitForFences: runs the queued work the wait needs (up to every fence's submission with `waitAll`, else
 * up to the first fence signaled), then answers: true when the fences are signaled, else false at once for a
 * finite timeout, since nothing queued can signal them. With no time limit (UINT64_MAX) a driver would wait
 * forever; the emulator throws VkmapStateError saying so instead of hanging the process.
 */
export function waitForFences(
  work: SubmittedWork,
  fences: readonly EmulatedFence[],
  waitAll: boolean,
  timeout: bigint,
): boolean {
  const signaled = (fence: EmulatedFence) => fence.signaled;
  if (waitAll) {
    for (const fence of fences) if (!fence.signaled) work.runUntil([fence], 'vkWaitForFences');
  } else if (!fences.some(signaled)) {
    work.runUntil(fences, 'vkWaitForFences');
  }
  const done = waitAll ? fences.every(signaled) : fences.some(signaled);
  if (done || timeout !== NO_TIMEOUT) return done;
  const unsignaled = fences.filter((fence) => !fence.signaled).length;
  throw new VkmapStateError(
    `vkWaitForFences would wait forever: ${unsignaled} of the ${fences.length} fences ${unsignaled === 1 ? 'is' : 'are'} ` +
      'unsignaled and no submission will signal them; pass a finite timeout, or submit work with the fence first',
  );
}

/**
 * The same wait as a Promise. The queued work runs in a later turn of the event loop, not inside the call: a
 * program that reads results before awaiting the promise sees the bytes from before the work, as it would
 * on a GPU still running it.
 */
export function waitForFencesAsync(
  work: SubmittedWork,
  fences: readonly EmulatedFence[],
  waitAll: boolean,
  timeout: bigint,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(waitForFences(work, fences, waitAll, timeout));
      } catch (error) {
        reject(error);
      }
    });
  });
}
