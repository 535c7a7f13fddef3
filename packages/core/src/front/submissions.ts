/**
 * Pending work. Each vkQueueSubmit becomes a submission that records its queue, its fence, its command
 * buffers and every object and memory object they use; the handle table marks those in use until the
 * submission completes, and the front refuses to destroy, free, reset or rewrite them meanwhile.
 *
 * A submission completes when the front sees that it has: its fence observed signaled (getFenceStatus,
 * waitForFences, waitForFencesAsync), which also completes every earlier submission to the same queue (the
 * fence's first synchronization scope holds all work submitted before it), or queueWaitIdle /
 * deviceWaitIdle. Only then does the front let its objects go; the backend is never asked to destroy what
 * the GPU may still read.
 */
import { VkCommandBufferUsageFlagBits } from '../constants.js';
import type { DeviceMemory } from '../contract/index.js';
import type { HandleTable } from '../handle-table.js';
import type { FrontHandle } from './handles.js';
import { describeHandle } from './misuse.js';
import type { CommandBufferRecord, FenceRecord, PendingSubmission, QueueRecord } from './records.js';

const { VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT } = VkCommandBufferUsageFlagBits;

export class SubmissionTracker {
  readonly #table: HandleTable<unknown>;
  /** Pending submissions, in submission order. */
  readonly #pending: PendingSubmission[] = [];
  #serial = 0;
  #wake: (() => void) | undefined;
  #changed: Promise<void> | undefined;
  readonly #onComplete: ((submission: PendingSubmission) => void) | undefined;

  /** `onComplete` hears of each submission as it completes (the validation layer's host-access tracking). */
  constructor(table: HandleTable<unknown>, onComplete?: (submission: PendingSubmission) => void) {
    this.#table = table;
    this.#onComplete = onComplete;
  }

  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /** Records a submission the backend accepted: its command buffers and fence become pending. */
  submit(
    queue: QueueRecord,
    fence: FenceRecord | undefined,
    commandBuffers: readonly CommandBufferRecord[],
    uses: ReadonlySet<FrontHandle | DeviceMemory>,
  ): PendingSubmission {
    const serial = ++this.#serial;
    const submission: PendingSubmission = {
      serial,
      description: `submission #${serial} to ${describeHandle(queue.object)}${fence ? ` (fence ${describeHandle(fence.object)})` : ' (no fence)'}`,
      queue,
      fence,
      commandBuffers,
      uses,
      complete: false,
    };
    for (const commandBuffer of commandBuffers) {
      commandBuffer.state = 'pending';
      commandBuffer.submission = submission;
      commandBuffer.submitCount += 1;
    }
    if (fence) {
      fence.status = 'pending';
      fence.submission = submission;
    }
    this.#table.markPending(uses, submission);
    this.#pending.push(submission);
    this.notify();
    return submission;
  }

  /**
   * The fence was observed signaled: its submission is complete, and with it every earlier submission to
   * the same queue. Their own fences stay pending until observed (their signal may still be on its way).
   */
  fenceSignaled(fence: FenceRecord): void {
    const submission = fence.submission;
    fence.status = 'signaled';
    fence.submission = undefined;
    if (!submission || submission.complete) return;
    for (const earlier of [...this.#pending])
      if (earlier.queue === submission.queue && earlier.serial <= submission.serial) this.complete(earlier, false);
    this.notify();
  }

  /** vkQueueWaitIdle returned: everything submitted to the queue is complete and its fences signaled. */
  queueIdle(queue: QueueRecord): void {
    for (const submission of [...this.#pending]) if (submission.queue === queue) this.complete(submission, true);
    this.notify();
  }

  /** vkDeviceWaitIdle returned: everything is complete and every fence signaled. */
  deviceIdle(): void {
    for (const submission of [...this.#pending]) this.complete(submission, true);
    this.notify();
  }

  /** A promise that settles at the next submission, completion or device destroy. */
  changed(): Promise<void> {
    if (!this.#changed) this.#changed = new Promise<void>((resolve) => (this.#wake = resolve));
    return this.#changed;
  }

  /** Wakes whoever waits on `changed()`. */
  notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    this.#changed = undefined;
    wake?.();
  }

  private complete(submission: PendingSubmission, signalFence: boolean): void {
    submission.complete = true;
    this.#pending.splice(this.#pending.indexOf(submission), 1);
    for (const commandBuffer of submission.commandBuffers) {
      commandBuffer.submission = undefined;
      if (commandBuffer.usageFlags & VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT) {
        commandBuffer.state = 'invalid';
        commandBuffer.invalidReason = `it was recorded with ONE_TIME_SUBMIT and ${submission.description} has completed`;
      } else {
        commandBuffer.state = 'executable';
      }
    }
    const fence = submission.fence;
    if (signalFence && fence?.submission === submission) {
      fence.status = 'signaled';
      fence.submission = undefined;
    }
    this.#table.releasePending(submission.uses, submission);
    this.#onComplete?.(submission);
  }
}
