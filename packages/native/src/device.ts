/**
 * The native logical device: the checked front of @vkmap/core over the native backend, which marshals each
 * call to the addon. Every value here has been checked by the front; what the addon checks again is only
 * what keeps pointers and views sound (src/addon/mapping.cc, and for the compute chapters the lookup of
 * every handle in its records and the check before each submission, src/addon/commands.h).
 */
import {
  FrontDevice,
  isDeviceCommandAvailable,
  VK_API_VERSION_1_0,
  VkMemoryMapFlagBits,
  VkMemoryUnmapFlagBits,
  type BackendDescriptorBinding,
  type BackendDescriptorWrite,
  type BackendMemoryRequirements,
  type BackendPushConstantRange,
  type BackendSpecialization,
  type DeviceBackend,
  type FrontDeviceInit,
  type MapRequest,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
  type ResolvedRange,
} from '@vkmap/core';
import { NativeAddressRanges, type NativeAddressRange } from './address-range.js';
import type { NativeBinding, UnmapCommandName } from './binding.js';
import { encodeCommands, type NativeRecordedCommand } from './compute/encode.js';
import {
  handles,
  record,
  type NativeBuffer,
  type NativeCommandBuffer,
  type NativeCommandPool,
  type NativeDescriptorPool,
  type NativeDescriptorSet,
  type NativeDescriptorSetLayout,
  type NativeFence,
  type NativePipeline,
  type NativePipelineLayout,
  type NativeQueue,
  type NativeShaderModule,
} from './compute/records.js';
import { callAddon, translateError } from './errors.js';
import { guardedView } from './views.js';

/** The native backend's record of a memory object: the VkDeviceMemory value the addon knows it by. */
export interface NativeMemory {
  readonly handle: bigint;
}

/** The commands of the family every driver provides (Vulkan 1.0, no extension), from the command table. */
const NO_EXTENSIONS: ReadonlySet<string> = new Set();

export interface NativeDeviceSpec {
  readonly binding: NativeBinding;
  readonly id: number;
  readonly driverCommands: Readonly<Record<string, boolean>>;
  readonly queryMemoryBudget: () => PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;
}

export class NativeDeviceBackend implements DeviceBackend<NativeMemory, NativeAddressRange> {
  readonly pageSize: bigint;
  readonly driverCommands: Readonly<Record<string, boolean>>;
  private readonly binding: NativeBinding;
  private readonly id: number;
  private readonly ranges = new NativeAddressRanges();
  /** The queue records by "family:index", so that the same queue is the same record. */
  private readonly queues = new Map<string, NativeQueue>();
  private readonly queryMemoryBudget: () => PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;

  constructor(spec: NativeDeviceSpec) {
    this.binding = spec.binding;
    this.id = spec.id;
    this.driverCommands = spec.driverCommands;
    this.queryMemoryBudget = spec.queryMemoryBudget;
    this.pageSize = BigInt(spec.binding.pageSize());
  }

  allocateMemory(request: {
    readonly size: bigint;
    readonly memoryTypeIndex: number;
    readonly deviceMask: number | undefined;
  }) {
    const handle = callAddon(() =>
      this.binding.allocateMemory(this.id, request.size, request.memoryTypeIndex, request.deviceMask),
    );
    return { handle, memory: { handle } };
  }

  freeMemory(memory: NativeMemory): void {
    callAddon(() => this.binding.freeMemory(this.id, memory.handle));
  }

  mapMemory(memory: NativeMemory, { command, offset, requestedSize, placedAddress }: MapRequest) {
    const flags = placedAddress === undefined ? 0 : VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT;
    const result = callAddon(() =>
      this.binding.mapMemory(this.id, memory.handle, offset, requestedSize, command, flags, placedAddress),
    );
    return { address: result.address, view: guardedView(result.buffer, this.binding.viewsKeyed) };
  }

  unmapMemory(
    memory: NativeMemory,
    { command, reserve }: { readonly command: UnmapCommandName; readonly reserve: boolean },
  ) {
    const flags = reserve ? VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT : 0;
    const range = callAddon(() => this.binding.unmapMemory(this.id, memory.handle, command, flags));
    return range ? this.ranges.recordOf(range) : undefined;
  }

  flushMappedMemoryRanges(ranges: readonly ResolvedRange<NativeMemory>[]): void {
    callAddon(() => this.binding.mappedMemoryRanges(this.id, triples(ranges), false));
  }

  invalidateMappedMemoryRanges(ranges: readonly ResolvedRange<NativeMemory>[]): void {
    callAddon(() => this.binding.mappedMemoryRanges(this.id, triples(ranges), true));
  }

  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    return this.queryMemoryBudget();
  }

  reserveAddressRange(size: bigint, alignment: bigint): NativeAddressRange {
    return this.ranges.recordOf(callAddon(() => this.binding.reserveAddressRange(size, alignment)));
  }

  releaseAddressRange(range: NativeAddressRange): void {
    callAddon(() => this.binding.releaseAddressRange(range.id));
    this.ranges.forget(range);
  }

  destroy(): void {
    callAddon(() => this.binding.destroyDevice(this.id));
    for (const range of this.ranges.takeAll()) callAddon(() => this.binding.releaseAddressRange(range.id));
  }

  // ---- Queues ----------------------------------------------------------------------------------------

  getQueue(queueFamilyIndex: number, queueIndex: number): NativeQueue {
    const key = `${queueFamilyIndex}:${queueIndex}`;
    let queue = this.queues.get(key);
    if (!queue) {
      const handle = callAddon(() => this.binding.getDeviceQueue(this.id, queueFamilyIndex, queueIndex));
      queue = Object.freeze({ handle, queueFamilyIndex, queueIndex });
      this.queues.set(key, queue);
    }
    return queue;
  }

  queueSubmit(
    queue: NativeQueue,
    submits: readonly (readonly NativeCommandBuffer[])[],
    fence: NativeFence | undefined,
  ) {
    callAddon(() => this.binding.queueSubmit(this.id, queue.handle, submits.map(handles), fence?.handle));
  }

  queueWaitIdle(queue: NativeQueue): void {
    callAddon(() => this.binding.queueWaitIdle(this.id, queue.handle));
  }

  deviceWaitIdle(): void {
    callAddon(() => this.binding.deviceWaitIdle(this.id));
  }

  // ---- Buffers ---------------------------------------------------------------------------------------

  createBuffer(request: { readonly size: bigint; readonly usage: number }): NativeBuffer {
    return record(callAddon(() => this.binding.createBuffer(this.id, request.size, request.usage)));
  }

  destroyBuffer(buffer: NativeBuffer): void {
    callAddon(() => this.binding.destroyBuffer(this.id, buffer.handle));
  }

  getBufferMemoryRequirements(buffer: NativeBuffer): BackendMemoryRequirements {
    return callAddon(() => this.binding.getBufferMemoryRequirements(this.id, buffer.handle));
  }

  bindBufferMemory(buffer: NativeBuffer, memory: NativeMemory, offset: bigint): void {
    callAddon(() => this.binding.bindBufferMemory(this.id, buffer.handle, memory.handle, offset));
  }

  // ---- Shaders, layouts, pipelines -------------------------------------------------------------------

  createShaderModule(code: Uint32Array): NativeShaderModule {
    return record(callAddon(() => this.binding.createShaderModule(this.id, code)));
  }

  destroyShaderModule(module: NativeShaderModule): void {
    callAddon(() => this.binding.destroyShaderModule(this.id, module.handle));
  }

  createDescriptorSetLayout(bindings: readonly BackendDescriptorBinding[]): NativeDescriptorSetLayout {
    const packed = pack(bindings, (b) => [b.binding, b.descriptorType, b.descriptorCount, b.stageFlags]);
    return record(callAddon(() => this.binding.createDescriptorSetLayout(this.id, packed)));
  }

  destroyDescriptorSetLayout(layout: NativeDescriptorSetLayout): void {
    callAddon(() => this.binding.destroyDescriptorSetLayout(this.id, layout.handle));
  }

  createPipelineLayout(request: {
    readonly setLayouts: readonly NativeDescriptorSetLayout[];
    readonly pushConstantRanges: readonly BackendPushConstantRange[];
  }): NativePipelineLayout {
    const ranges = pack(request.pushConstantRanges, (r) => [r.stageFlags, r.offset, r.size]);
    return record(callAddon(() => this.binding.createPipelineLayout(this.id, handles(request.setLayouts), ranges)));
  }

  destroyPipelineLayout(layout: NativePipelineLayout): void {
    callAddon(() => this.binding.destroyPipelineLayout(this.id, layout.handle));
  }

  createComputePipeline(request: {
    readonly module: NativeShaderModule;
    readonly entryPoint: string;
    readonly specialization: BackendSpecialization | undefined;
    readonly layout: NativePipelineLayout;
  }): NativePipeline {
    const { module, entryPoint, specialization, layout } = request;
    const entries = specialization && pack(specialization.mapEntries, (e) => [e.constantID, e.offset, e.size]);
    return record(
      callAddon(() =>
        this.binding.createComputePipeline(
          this.id,
          module.handle,
          entryPoint,
          layout.handle,
          entries,
          specialization?.data,
        ),
      ),
    );
  }

  destroyPipeline(pipeline: NativePipeline): void {
    callAddon(() => this.binding.destroyPipeline(this.id, pipeline.handle));
  }

  // ---- Descriptors -----------------------------------------------------------------------------------

  createDescriptorPool(request: {
    readonly flags: number;
    readonly maxSets: number;
    readonly poolSizes: readonly { readonly type: number; readonly descriptorCount: number }[];
  }): NativeDescriptorPool {
    const sizes = pack(request.poolSizes, (p) => [p.type, p.descriptorCount]);
    return record(callAddon(() => this.binding.createDescriptorPool(this.id, request.flags, request.maxSets, sizes)));
  }

  destroyDescriptorPool(pool: NativeDescriptorPool): void {
    callAddon(() => this.binding.destroyDescriptorPool(this.id, pool.handle));
  }

  allocateDescriptorSets(pool: NativeDescriptorPool, layouts: readonly NativeDescriptorSetLayout[]) {
    const sets = callAddon(() => this.binding.allocateDescriptorSets(this.id, pool.handle, handles(layouts)));
    return Array.from(sets, record);
  }

  freeDescriptorSets(pool: NativeDescriptorPool, sets: readonly NativeDescriptorSet[]): void {
    callAddon(() => this.binding.freeDescriptorSets(this.id, pool.handle, handles(sets)));
  }

  updateDescriptorSets(writes: readonly BackendDescriptorWrite<NativeDescriptorSet, NativeBuffer>[]): void {
    const words: bigint[] = [];
    for (const write of writes) {
      words.push(
        write.set.handle,
        BigInt(write.binding),
        BigInt(write.arrayElement),
        BigInt(write.descriptorType),
        BigInt(write.buffers.length),
      );
      for (const { buffer, offset, range } of write.buffers) words.push(buffer.handle, offset, range);
    }
    callAddon(() => this.binding.updateDescriptorSets(this.id, BigUint64Array.from(words)));
  }

  // ---- Command pools and buffers ---------------------------------------------------------------------

  createCommandPool(request: { readonly flags: number; readonly queueFamilyIndex: number }): NativeCommandPool {
    return record(callAddon(() => this.binding.createCommandPool(this.id, request.flags, request.queueFamilyIndex)));
  }

  destroyCommandPool(pool: NativeCommandPool): void {
    callAddon(() => this.binding.destroyCommandPool(this.id, pool.handle));
  }

  resetCommandPool(pool: NativeCommandPool): void {
    callAddon(() => this.binding.resetCommandPool(this.id, pool.handle));
  }

  allocateCommandBuffers(pool: NativeCommandPool, count: number): NativeCommandBuffer[] {
    return Array.from(
      callAddon(() => this.binding.allocateCommandBuffers(this.id, pool.handle, count)),
      record,
    );
  }

  freeCommandBuffers(pool: NativeCommandPool, commandBuffers: readonly NativeCommandBuffer[]): void {
    callAddon(() => this.binding.freeCommandBuffers(this.id, pool.handle, handles(commandBuffers)));
  }

  recordCommandBuffer(
    commandBuffer: NativeCommandBuffer,
    flags: number,
    commands: readonly NativeRecordedCommand[],
  ): void {
    const { words, bytes } = encodeCommands(commands);
    callAddon(() => this.binding.recordCommandBuffer(this.id, commandBuffer.handle, flags, words, bytes));
  }

  resetCommandBuffer(commandBuffer: NativeCommandBuffer): void {
    callAddon(() => this.binding.resetCommandBuffer(this.id, commandBuffer.handle));
  }

  // ---- Fences ----------------------------------------------------------------------------------------

  createFence(signaled: boolean): NativeFence {
    return record(callAddon(() => this.binding.createFence(this.id, signaled)));
  }

  destroyFence(fence: NativeFence): void {
    callAddon(() => this.binding.destroyFence(this.id, fence.handle));
  }

  resetFences(fences: readonly NativeFence[]): void {
    callAddon(() => this.binding.resetFences(this.id, handles(fences)));
  }

  getFenceStatus(fence: NativeFence): boolean {
    return callAddon(() => this.binding.getFenceStatus(this.id, fence.handle));
  }

  waitForFences(fences: readonly NativeFence[], waitAll: boolean, timeout: bigint): boolean {
    return callAddon(() => this.binding.waitForFences(this.id, handles(fences), waitAll, timeout));
  }

  async waitForFencesAsync(fences: readonly NativeFence[], waitAll: boolean, timeout: bigint): Promise<boolean> {
    try {
      return await callAddon(() => this.binding.waitForFencesAsync(this.id, handles(fences), waitAll, timeout));
    } catch (error) {
      throw translateError(error);
    }
  }
}

/** The members of each item, flattened into the Uint32Array the addon reads in groups. */
function pack<T>(items: readonly T[], members: (item: T) => readonly number[]): Uint32Array {
  return Uint32Array.from(items.flatMap(members));
}

/** [handle, offset, size] per range, the size as the application gave it (VK_WHOLE_SIZE passes through). */
function triples(ranges: readonly ResolvedRange<NativeMemory>[]): [bigint, bigint, bigint][] {
  return ranges.map(({ memory, offset, size }) => [memory.handle, offset, size]);
}

export class NativeDevice extends FrontDevice<NativeMemory, NativeAddressRange> {
  private readonly native: NativeDeviceBackend;

  constructor(init: FrontDeviceInit<NativeMemory, NativeAddressRange>, backend: NativeDeviceBackend) {
    super(init);
    this.native = backend;
  }

  /**
   * Whether the driver itself returns the command from vkGetDeviceProcAddr (for diagnostics; where it does
   * not, an available *2 command is served over vkMapMemory / vkUnmapMemory).
   */
  driverHasCommand(name: string): boolean {
    return this.native.driverCommands[name] ?? isDeviceCommandAvailable(name, VK_API_VERSION_1_0, NO_EXTENSIONS);
  }
}
