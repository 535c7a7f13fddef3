/**
 * What the front keeps about each object of the compute chapters, in its handle table: the table's
 * `ObjectRecord` (handle, backend record, parent, children, dependents) plus the facts each command checks
 * against. Records hold the backend's records as `unknown`: the backend's type parameters stop at the
 * backend interface.
 */
import type { BackendDescriptorBinding, BackendPushConstantRange, RecordedCommand } from '../backend/index.js';
import type { DeviceMemory } from '../contract/index.js';
import type { MemoryRecord, ObjectRecord } from '../handle-table.js';
import type { FrontBuffer, FrontHandle, FrontQueue } from './handles.js';

export type Recorded = RecordedCommand<unknown, unknown, unknown, unknown>;

export interface BufferRecord extends ObjectRecord {
  readonly object: FrontBuffer;
  /** Asked of the backend once, at the first query or bind. */
  requirements: { readonly size: bigint; readonly alignment: bigint; readonly memoryTypeBits: number } | undefined;
  /** The memory it is bound to (for the buffer's life), and where. */
  memory: MemoryRecord | undefined;
  memoryOffset: bigint;
  /** The bound memory was freed: the buffer can no longer be used by a command. */
  memoryFreed: boolean;
}

/** A descriptor set layout as the front compares layouts: by their bindings, not their identity. */
export interface SetLayoutShape {
  readonly bindings: ReadonlyMap<number, BackendDescriptorBinding>;
  /** The bindings in a canonical spelling: equal keys mean identically defined layouts. */
  readonly key: string;
}

export interface SetLayoutRecord extends ObjectRecord {
  readonly shape: SetLayoutShape;
}

export interface PipelineLayoutShape {
  readonly setLayouts: readonly SetLayoutShape[];
  readonly pushConstantRanges: readonly BackendPushConstantRange[];
}

export interface PipelineLayoutRecord extends ObjectRecord {
  readonly shape: PipelineLayoutShape;
}

export interface PipelineRecord extends ObjectRecord {
  /** The layout it was created with (kept as data: the layout object may be destroyed after creation). */
  readonly layout: PipelineLayoutShape;
}

export interface DescriptorPoolRecord extends ObjectRecord {
  readonly flags: number;
}

/** One buffer descriptor written into a set. */
export interface BufferDescriptor {
  readonly buffer: BufferRecord;
  readonly offset: bigint;
  readonly range: bigint;
}

export interface DescriptorSetRecord extends ObjectRecord {
  readonly parent: DescriptorPoolRecord;
  readonly layout: SetLayoutShape;
  /** What is written, per binding: one entry per array element, undefined until written. */
  readonly contents: Map<number, (BufferDescriptor | undefined)[]>;
}

export interface CommandPoolRecord extends ObjectRecord {
  readonly flags: number;
  readonly queueFamilyIndex: number;
}

/** Vulkan's command buffer lifecycle ("Command Buffer Lifecycle" in the Command Buffers chapter). */
export type CommandBufferState = 'initial' | 'recording' | 'executable' | 'pending' | 'invalid';

/** What is bound while a command buffer records, for the checks of later commands. */
export interface BindState {
  pipeline: PipelineRecord | undefined;
  /** Per set number: the set bound there and the layout of the set number it was bound with. */
  readonly sets: ({ readonly set: DescriptorSetRecord; readonly layout: SetLayoutShape } | undefined)[];
}

export interface CommandBufferRecord extends ObjectRecord {
  readonly parent: CommandPoolRecord;
  state: CommandBufferState;
  /** Why it is invalid (state 'invalid'). */
  invalidReason: string;
  /** VkCommandBufferUsageFlags of the last beginCommandBuffer. */
  usageFlags: number;
  /** Submissions of what it recorded since its last begin or reset. */
  submitCount: number;
  /** The commands recorded since the last begin. */
  commands: Recorded[];
  /** Every object the recorded commands use; each has this command buffer among its dependents. */
  readonly references: Set<ObjectRecord>;
  bound: BindState;
  /** The submission it is pending in (state 'pending'). */
  submission: PendingSubmission | undefined;
}

export interface QueueRecord extends ObjectRecord {
  readonly object: FrontQueue;
}

/**
 * A fence as the front knows it: every signal comes from a submission the front made, so it knows whether
 * the fence is signaled, unsignaled, or waiting on pending work.
 */
export interface FenceRecord extends ObjectRecord {
  status: 'unsignaled' | 'pending' | 'signaled';
  /** The submission that will signal it (status 'pending'). */
  submission: PendingSubmission | undefined;
  /** waitForFencesAsync calls waiting on it now. */
  asyncWaits: number;
}

/** A submission as the records see it (the tracker in submissions.ts owns the rest). */
export interface PendingSubmission {
  readonly serial: number;
  readonly description: string;
  readonly queue: QueueRecord;
  readonly fence: FenceRecord | undefined;
  readonly commandBuffers: readonly CommandBufferRecord[];
  /** The handles of every object and memory object it uses. */
  readonly uses: ReadonlySet<FrontHandle | DeviceMemory>;
  complete: boolean;
}
