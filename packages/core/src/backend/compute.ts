/**
 * The narrow backend interface of the compute chapters: buffers, shader modules, pipelines, descriptors,
 * command buffers, queues and fences. As for memory (./index.ts): the front checks and resolves every
 * argument, keeps the handle table (owner, parent, freed, in use by pending work) and hands a backend only
 * its own live records; each method's preconditions are what the front guarantees.
 *
 * Command buffers are recorded by the front as plain data (`RecordedCommand`) and handed to the backend
 * whole at vkEndCommandBuffer: the backend records them into its own command buffer in one step.
 *
 * Record types: B buffer, M memory (the memory interface's), S shader module, L descriptor set layout,
 * P pipeline layout, C compute pipeline, D descriptor pool, T descriptor set, K command pool,
 * X command buffer, Q queue, F fence.
 */

/** Resolved VkMemoryRequirements. */
export interface BackendMemoryRequirements {
  readonly size: bigint;
  /** A power of two. */
  readonly alignment: bigint;
  readonly memoryTypeBits: number;
}

export interface BackendDescriptorBinding {
  readonly binding: number;
  readonly descriptorType: number;
  readonly descriptorCount: number;
  readonly stageFlags: number;
}

export interface BackendPushConstantRange {
  readonly stageFlags: number;
  readonly offset: number;
  readonly size: number;
}

export interface BackendSpecialization {
  readonly mapEntries: readonly { readonly constantID: number; readonly offset: number; readonly size: number }[];
  /** A copy the backend may keep. */
  readonly data: Uint8Array;
}

/** One buffer descriptor of a write: offset and range resolved (range never VK_WHOLE_SIZE). */
export interface BackendBufferDescriptor<B> {
  readonly buffer: B;
  readonly offset: bigint;
  readonly range: bigint;
}

export interface BackendDescriptorWrite<T, B> {
  readonly set: T;
  readonly binding: number;
  readonly arrayElement: number;
  readonly descriptorType: number;
  readonly buffers: readonly BackendBufferDescriptor<B>[];
}

/** A command as recorded, every value resolved (sizes never VK_WHOLE_SIZE). */
export type RecordedCommand<B, C, P, T> =
  | { readonly kind: 'bindPipeline'; readonly pipeline: C }
  | {
      readonly kind: 'bindDescriptorSets';
      readonly layout: P;
      readonly firstSet: number;
      readonly sets: readonly T[];
      readonly dynamicOffsets: readonly number[];
    }
  | {
      readonly kind: 'pushConstants';
      readonly layout: P;
      readonly stageFlags: number;
      readonly offset: number;
      /** A copy taken at record time. */
      readonly values: Uint8Array;
    }
  | {
      readonly kind: 'dispatch';
      readonly groupCountX: number;
      readonly groupCountY: number;
      readonly groupCountZ: number;
    }
  | {
      readonly kind: 'pipelineBarrier';
      readonly srcStageMask: number;
      readonly dstStageMask: number;
      readonly dependencyFlags: number;
      readonly memoryBarriers: readonly { readonly srcAccessMask: number; readonly dstAccessMask: number }[];
      readonly bufferMemoryBarriers: readonly {
        readonly srcAccessMask: number;
        readonly dstAccessMask: number;
        readonly buffer: B;
        readonly offset: bigint;
        readonly size: bigint;
      }[];
    }
  | {
      readonly kind: 'copyBuffer';
      readonly src: B;
      readonly dst: B;
      readonly regions: readonly { readonly srcOffset: bigint; readonly dstOffset: bigint; readonly size: bigint }[];
    }
  | {
      readonly kind: 'fillBuffer';
      readonly dst: B;
      readonly offset: bigint;
      readonly size: bigint;
      readonly data: number;
    };

/**
 * The compute commands of a device backend. Every precondition includes: the device is live, and every
 * record passed is a live record of this device.
 */
export interface ComputeDeviceBackend<
  M = unknown,
  B = unknown,
  S = unknown,
  L = unknown,
  P = unknown,
  C = unknown,
  D = unknown,
  T = unknown,
  K = unknown,
  X = unknown,
  Q = unknown,
  F = unknown,
> {
  /**
   * The queue the device created for (family, index); both within what the DeviceRequest asked for. The
   * front asks once per pair, the first time the application does (getDeviceQueue), and keeps the record.
   */
  getQueue(queueFamilyIndex: number, queueIndex: number): Q;

  /** vkCreateBuffer. Preconditions: size > 0; usage non-zero and known; flags 0. */
  createBuffer(request: { readonly size: bigint; readonly usage: number }): B;
  /** vkDestroyBuffer. Preconditions: no pending submission uses the buffer. Never fails. */
  destroyBuffer(buffer: B): void;
  /** vkGetBufferMemoryRequirements. Never fails. */
  getBufferMemoryRequirements(buffer: B): BackendMemoryRequirements;
  /**
   * vkBindBufferMemory. Preconditions: the buffer is not bound; the memory's type is in memoryTypeBits;
   * `offset` is a multiple of the alignment; offset + requirements.size <= allocationSize.
   */
  bindBufferMemory(buffer: B, memory: M, offset: bigint): void;

  /**
   * vkCreateShaderModule. Preconditions: `code` is non-empty SPIR-V words starting with the magic number
   * (the front keeps its own copy). A backend that cannot run some part of the module refuses it here
   * with a VkmapArgumentError naming what (the emulated backend's unsupported opcodes).
   */
  createShaderModule(code: Uint32Array): S;
  /** vkDestroyShaderModule. Pipelines made from the module may still be live. */
  destroyShaderModule(module: S): void;

  /** vkCreateDescriptorSetLayout. Preconditions: binding numbers unique; types storage or uniform buffer. */
  createDescriptorSetLayout(bindings: readonly BackendDescriptorBinding[]): L;
  /**
   * vkDestroyDescriptorSetLayout. The sets and pipeline layouts made from it may still be live (Vulkan
   * allows it): the backend keeps what they need of it.
   */
  destroyDescriptorSetLayout(layout: L): void;

  /** vkCreatePipelineLayout. Preconditions: ranges inside maxPushConstantsSize, offsets and sizes multiples of 4. */
  createPipelineLayout(request: {
    readonly setLayouts: readonly L[];
    readonly pushConstantRanges: readonly BackendPushConstantRange[];
  }): P;
  /**
   * vkDestroyPipelineLayout. Preconditions: no pending submission uses it (the front is stricter than
   * Vulkan here, so a backend that replays recorded commands at execution still has it). Pipelines made
   * with it may still be live.
   */
  destroyPipelineLayout(layout: P): void;

  /**
   * vkCreateComputePipelines for one pipeline. Preconditions: `module` live; `entryPoint` a non-empty
   * string. May fail with VkError (the driver's results) or VkmapArgumentError (an entry point or
   * specialization the module does not have, on a backend that reflects the module).
   */
  createComputePipeline(request: {
    readonly module: S;
    readonly entryPoint: string;
    readonly specialization: BackendSpecialization | undefined;
    readonly layout: P;
  }): C;
  /** vkDestroyPipeline. Preconditions: no pending submission uses it. */
  destroyPipeline(pipeline: C): void;

  /** vkCreateDescriptorPool. Preconditions: maxSets > 0; each pool size's count > 0. */
  createDescriptorPool(request: {
    readonly flags: number;
    readonly maxSets: number;
    readonly poolSizes: readonly { readonly type: number; readonly descriptorCount: number }[];
  }): D;
  /** vkDestroyDescriptorPool: frees its sets. Preconditions: no pending submission uses one of them. */
  destroyDescriptorPool(pool: D): void;
  /** vkAllocateDescriptorSets. May fail with VK_ERROR_OUT_OF_POOL_MEMORY / FRAGMENTED_POOL. */
  allocateDescriptorSets(pool: D, layouts: readonly L[]): T[];
  /** vkFreeDescriptorSets. Preconditions: the pool allows it; the sets are its own and not pending. */
  freeDescriptorSets(pool: D, sets: readonly T[]): void;
  /**
   * vkUpdateDescriptorSets. Preconditions: every write matches its layout binding (type; array elements
   * inside the binding's count, never continued into the next binding); no set is pending; each buffer is
   * bound to live memory, has the usage the type needs, and offset + range lies inside it with offset a
   * multiple of min{Storage,Uniform}BufferOffsetAlignment and range at most max{Storage,Uniform}BufferRange.
   */
  updateDescriptorSets(writes: readonly BackendDescriptorWrite<T, B>[]): void;

  /** vkCreateCommandPool. Preconditions: the family is one the device has queues of. */
  createCommandPool(request: { readonly flags: number; readonly queueFamilyIndex: number }): K;
  /** vkDestroyCommandPool: frees its command buffers. Preconditions: none of them pending. */
  destroyCommandPool(pool: K): void;
  /** vkResetCommandPool. Preconditions: none of its command buffers pending. */
  resetCommandPool(pool: K): void;
  allocateCommandBuffers(pool: K, count: number): X[];
  /** Preconditions: the buffers are the pool's own and not pending. */
  freeCommandBuffers(pool: K, commandBuffers: readonly X[]): void;
  /**
   * Records `commands` into `commandBuffer` (vkBeginCommandBuffer, the vkCmd* calls, vkEndCommandBuffer)
   * and leaves it executable. Preconditions: the command buffer is not pending; every command is valid
   * for its state: a compute pipeline bound before a dispatch, with every set of its layout bound (a set
   * whose layout is identically defined) and every descriptor of those sets written with a live buffer
   * bound to live memory; group counts within maxComputeWorkGroupCount; push constants inside the layout's
   * ranges for their stages; buffer regions inside their buffers, of the usage the command needs, bound to
   * live memory; copy sources and destinations not overlapping in memory; fill offsets and sizes multiples
   * of 4, sizes never 0; no dynamic offsets. Replaces what was recorded before. May fail with
   * vkEndCommandBuffer's results; the front then leaves the command buffer recording.
   */
  recordCommandBuffer(commandBuffer: X, flags: number, commands: readonly RecordedCommand<B, C, P, T>[]): void;
  /** Returns the command buffer to the initial state. Preconditions: not pending. */
  resetCommandBuffer(commandBuffer: X): void;

  /**
   * vkQueueSubmit. Preconditions: every command buffer executable and not pending (or recorded without
   * ONE_TIME_SUBMIT and not pending), each once in the call, from a pool of the queue's family; every
   * object they use still live; the fence unsignaled and not in use by another submission. `submits` may
   * be empty (the fence then signals once earlier work on the queue is done).
   */
  queueSubmit(queue: Q, submits: readonly (readonly X[])[], fence: F | undefined): void;
  /** vkQueueWaitIdle: returns when all work submitted to the queue has finished. */
  queueWaitIdle(queue: Q): void;
  /** vkDeviceWaitIdle. */
  deviceWaitIdle(): void;

  createFence(signaled: boolean): F;
  /**
   * Preconditions: no pending submission will signal it, and no waitForFencesAsync the front started on it
   * is still waiting. At device destroy only, a waitForFencesAsync of the backend may not have settled yet
   * when its fence is destroyed (the fence is signaled: deviceWaitIdle came first); the backend lets that
   * wait end safely (the native addon finishes its wait before the fence goes).
   */
  destroyFence(fence: F): void;
  /** Preconditions: no pending submission will signal one of them. */
  resetFences(fences: readonly F[]): void;
  /** True when signaled. */
  getFenceStatus(fence: F): boolean;
  /**
   * vkWaitForFences, blocking; false on timeout. `timeout` in nanoseconds, UINT64_MAX for none.
   * Preconditions: at least one fence, each one that a submission has been handed (it is pending, or its
   * work completed and the front has not yet seen the fence signaled): the front never asks a backend to
   * wait for a fence that nothing will signal.
   */
  waitForFences(fences: readonly F[], waitAll: boolean, timeout: bigint): boolean;
  /** The same wait off the JavaScript thread, with the same preconditions; false on timeout. */
  waitForFencesAsync(fences: readonly F[], waitAll: boolean, timeout: bigint): Promise<boolean>;
}
