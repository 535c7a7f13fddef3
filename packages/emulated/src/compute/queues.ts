/**
 * The device's queues and submission. The emulated queue keeps each submission until something on the host
 * waits for it: its fence waited or polled (vkWaitForFences, vkGetFenceStatus), or the queue or device waited
 * idle. Then the submissions up to it run, in submission order, and their fences are signaled. Until then the
 * device has not read or written anything, so a host that reads results before waiting sees the old bytes,
 * and one that writes inputs after submitting changes what the device reads: the stale data a real GPU shows
 * only sometimes, every time.
 */
import { VkCommandBufferUsageFlagBits, VkError, type DeviceRequest } from '@vkmap/core';
import { type CommandRunner, findUnrunnableCommand } from './execution.js';
import type { EmulatedCommandBuffer, EmulatedFence, EmulatedQueue } from './records.js';

const ONE_TIME_SUBMIT = VkCommandBufferUsageFlagBits.VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;

/** The queues made at vkCreateDevice, by family and index. */
export class DeviceQueues {
  private readonly queues = new Map<string, EmulatedQueue>();

  constructor(requests: DeviceRequest['queues']) {
    for (const { queueFamilyIndex, priorities } of requests) {
      priorities.forEach((priority, queueIndex) => {
        this.queues.set(`${queueFamilyIndex}.${queueIndex}`, { queueFamilyIndex, queueIndex, priority });
      });
    }
  }

  /** Preconditions: the device created this queue. */
  get(queueFamilyIndex: number, queueIndex: number): EmulatedQueue {
    const queue = this.queues.get(`${queueFamilyIndex}.${queueIndex}`);
    if (!queue) throw new Error(`internal: no queue ${queueIndex} of family ${queueFamilyIndex} was created`);
    return queue;
  }
}

/** One vkQueueSubmit the device has not run yet. */
interface QueuedSubmission {
  readonly queue: EmulatedQueue;
  readonly commandBuffers: readonly EmulatedCommandBuffer[];
  readonly fence: EmulatedFence | undefined;
}

/**
 * The device's submitted work, in submission order across its queues (running another queue's earlier work
 * first is one of the orders a device may choose). A shader fault while running loses the device: the work
 * not run is dropped, its fences are never signaled, and every later submit or wait fails with
 * VK_ERROR_DEVICE_LOST.
 */
export class SubmittedWork {
  private readonly runner: CommandRunner;
  private readonly queued: QueuedSubmission[] = [];
  private lost: string | undefined;

  constructor(runner: CommandRunner) {
    this.runner = runner;
  }

  /**
   * vkQueueSubmit: checks that every command of every command buffer can run, and queues them with the fence.
   * A refused submission queues nothing and leaves the fence unsignaled.
   */
  submit(
    queue: EmulatedQueue,
    submits: readonly (readonly EmulatedCommandBuffer[])[],
    fence: EmulatedFence | undefined,
  ): void {
    this.requireDevice('vkQueueSubmit');
    const commandBuffers = submits.flat();
    const refusal = findUnrunnableCommand(commandBuffers);
    if (refusal) throw refusal;
    this.queued.push({ queue, commandBuffers, fence });
  }

  /**
   * Runs the queued work up to the first submission that signals one of `fences` (nothing when none does):
   * with one fence, up to its submission.
   */
  runUntil(fences: readonly EmulatedFence[], command: string): void {
    this.requireDevice(command);
    const first = this.queued.findIndex((work) => work.fence !== undefined && fences.includes(work.fence));
    if (first >= 0) this.runFirst(first + 1, command);
  }

  /** vkQueueWaitIdle: runs the queued work up to the last submission to `queue`. */
  runQueue(queue: EmulatedQueue, command: string): void {
    let last = -1;
    this.queued.forEach((work, i) => {
      if (work.queue === queue) last = i;
    });
    this.requireDevice(command);
    if (last >= 0) this.runFirst(last + 1, command);
  }

  /** vkDeviceWaitIdle: runs everything queued. */
  runAll(command: string): void {
    this.requireDevice(command);
    this.runFirst(this.queued.length, command);
  }

  /** Throws VK_ERROR_DEVICE_LOST, as `command`'s result, once a fault has lost the device. */
  requireDevice(command: string): void {
    if (this.lost !== undefined) throw new VkError(command, 'VK_ERROR_DEVICE_LOST', this.lost);
  }

  private runFirst(count: number, command: string): void {
    this.requireDevice(command);
    for (const work of this.queued.splice(0, count)) {
      try {
        for (const commandBuffer of work.commandBuffers) {
          this.runner.run(commandBuffer);
          // A one-time command buffer goes from pending to invalid when its execution completes.
          if (commandBuffer.usageFlags & ONE_TIME_SUBMIT) commandBuffer.state = 'invalid';
        }
      } catch (error) {
        if (!(error instanceof VkError) || error.result !== 'VK_ERROR_DEVICE_LOST') throw error;
        // The executor names vkQueueSubmit; the fault is reported by the call that ran the work.
        this.lost = error.message.replace(/^\w+ failed with \w+ \(-?\d+\): /, '');
        this.queued.length = 0;
        throw new VkError(command, 'VK_ERROR_DEVICE_LOST', this.lost);
      }
      if (work.fence) work.fence.signaled = true;
    }
  }
}
