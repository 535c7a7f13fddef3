/**
 * What the front's modules of the compute chapters share: the device's context (handle table, backend,
 * limits, queues, submissions), resolving handle arguments to live records, refusing what pending work
 * uses, and invalidating what depended on an object that ended or changed.
 */
import type { ComputeDeviceBackend, DeviceRequest } from '../backend/index.js';
import type { CommandName } from '../commands.js';
import type { QueueFamilyProperties } from '../contract/index.js';
import type { HandleTable, ObjectRecord, ObjectType } from '../handle-table.js';
import type { PhysicalDeviceLimits } from '../structures/limits.js';
import { describeHandle, handleError, pendingError } from './misuse.js';
import type { CommandBufferRecord } from './records.js';
import type { SubmissionTracker } from './submissions.js';

/** One device's state as its compute modules see it. */
export interface ComputeContext {
  readonly table: HandleTable<unknown>;
  readonly backend: ComputeDeviceBackend;
  readonly limits: PhysicalDeviceLimits;
  readonly queueFamilies: readonly QueueFamilyProperties[];
  /** The queues the device was created with. */
  readonly queues: DeviceRequest['queues'];
  readonly submissions: SubmissionTracker;
  /** Starts a command: throws `VkmapStateError` when the device has been destroyed. */
  enter(command: CommandName): void;
  /** A handle value unique among this device's objects. */
  newHandle(): bigint;
}

/** The live record of a handle argument of `type`, or the error that says why it is none. */
export function liveObject<R extends ObjectRecord>(
  ctx: ComputeContext,
  value: unknown,
  type: ObjectType,
  argument: string,
): R {
  const found = ctx.table.lookupObject<R>(value, type);
  if (typeof found !== 'string') return found;
  throw handleError(argument, found, type, value);
}

/** Like `liveObject`, but `null` and `undefined` (VK_NULL_HANDLE) give undefined. */
export function optionalObject<R extends ObjectRecord>(
  ctx: ComputeContext,
  value: unknown,
  type: ObjectType,
  argument: string,
): R | undefined {
  return value === null || value === undefined ? undefined : liveObject<R>(ctx, value, type, argument);
}

/** Refuses a call that would end or change `object` (a handle or memory object) while pending work uses it. */
export function refusePending(ctx: ComputeContext, object: object, argument: string, what?: string): void {
  const work = ctx.table.pendingWorkOf(object);
  if (work)
    throw pendingError(argument, what ?? describeHandle(object as { objectType?: unknown; handle?: unknown }), work);
}

/**
 * `changed` ended or changed: every command buffer that recorded it, directly or through what depends on
 * it (a buffer bound to freed memory, a descriptor set holding a destroyed buffer), becomes invalid, as in
 * Vulkan. Pending ones cannot be reached here: the front refuses to end what pending work uses.
 */
export function invalidateDependents(dependents: Iterable<ObjectRecord>, reason: string): void {
  const seen = new Set<ObjectRecord>();
  const walk = (records: Iterable<ObjectRecord>) => {
    for (const record of records) {
      if (seen.has(record)) continue;
      seen.add(record);
      if (record.object.objectType === 'VkCommandBuffer') {
        const commandBuffer = record as CommandBufferRecord;
        if (commandBuffer.state === 'recording' || commandBuffer.state === 'executable') {
          commandBuffer.state = 'invalid';
          commandBuffer.invalidReason = reason;
        }
      } else {
        walk(record.dependents);
      }
    }
  };
  walk(dependents);
}

/** `dependent` stops depending on everything in `on` (a command buffer reset, a descriptor rewritten). */
export function dropDependent(dependent: ObjectRecord, on: Iterable<ObjectRecord>): void {
  for (const record of on) record.dependents.delete(dependent);
}
