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
  type BackendDescriptorBinding,
  type DeviceMemory,
  type BackendDescriptorWrite,
  type BackendMemoryRequirements,
  type BackendPushConstantRange,
  type BackendSpecialization,
  type DeviceBackend,
  type FrontDeviceInit,
  type MapRequest,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
  type ResolvedRange,
  type ViewLifetime,
} from '@vkmap/core';
import { NativeAddressRanges, type NativeAddressRange } from './address-range.js';
import type { BindingRange, NativeBinding, UnmapCommandName } from './binding.js';
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

/**
 * How the views of a memory object reach its bytes (src/addon/state.h): 'driver' (the driver's pointer; the
 * view is detached when the mapping ends), 'alias' (a second mapping of the driver's pages that the addon
 * owns), 'placed' (a window the addon reserved, the driver's map placed into it).
 */
export type NativeViewStrategy = 'driver' | 'alias' | 'placed';
const STRATEGIES: readonly NativeViewStrategy[] = ['driver', 'alias', 'placed'];

/** The map commands by the code the addon takes in `control` (src/addon/mapping.h). */
const COMMAND_CODES = { vkMapMemory: 0, vkMapMemory2: 1, vkMapMemory2KHR: 2 } as const;
const UNMAP_CODES = { vkUnmapMemory: 0, vkUnmapMemory2: 1, vkUnmapMemory2KHR: 2 } as const;
const CONTROL_DETACH = 0x4;
const CONTROL_FLAG = 0x8;

/** The record, with the view of its current window cached: a map of the same range hands it out again. */
class NativeMemoryRecord implements NativeMemory {
  readonly handle: bigint;
  /** The handle as the addon reads it fastest: a number where that is exact. */
  readonly key: number | bigint;
  serial = 0;
  view: Uint8Array | undefined = undefined;
  address = 0n;
  strategy: NativeViewStrategy = 'driver';

  /** `key`: the handle as the addon returned it, a number where that is exact. */
  constructor(key: number | bigint) {
    this.handle = typeof key === 'bigint' ? key : BigInt(key);
    this.key = key;
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The ArrayBuffers already guarded against transfers: each is guarded once, however often it is handed out. */
const guardedBuffers = new WeakMap<ArrayBuffer, Uint8Array>();

/** The commands of the family every driver provides (Vulkan 1.0, no extension), from the command table. */
const NO_EXTENSIONS: ReadonlySet<string> = new Set();

export interface NativeDeviceSpec {
  readonly binding: NativeBinding;
  readonly id: number;
  /** The view lifetime of the device (DeviceRequest.views); 'stable' when absent. */
  readonly views?: ViewLifetime;
  readonly driverCommands: Readonly<Record<string, boolean>>;
  readonly queryMemoryBudget: () => PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;
}

/** What reclaiming a device needs, without a reference to the device itself (a FinalizationRegistry's held value). */
interface NativeDeviceLifetime {
  readonly binding: NativeBinding;
  readonly id: number;
  readonly ranges: NativeAddressRanges;
}

/**
 * Devices the application dropped without destroying them: when the backend is garbage-collected, the addon
 * destroys the device by id (it waits for the device to go idle first and frees what it still holds) and
 * releases its address ranges. A device its instance already destroyed, or one that cannot be destroyed
 * now, is left to the instance or to the environment's teardown.
 */
const droppedDevices = new FinalizationRegistry<NativeDeviceLifetime>(({ binding, id, ranges }) => {
  try {
    binding.destroyDevice(id);
  } catch {
    // Destroyed with its instance, or refused (a view that cannot be detached): the instance or the
    // environment's teardown frees it.
  }
  for (const range of ranges.takeAll()) {
    try {
      binding.releaseAddressRange(range.id);
    } catch {
      // Already released.
    }
  }
});

export class NativeDeviceBackend implements DeviceBackend<NativeMemory, NativeAddressRange> {
  readonly pageSize: bigint;
  readonly driverCommands: Readonly<Record<string, boolean>>;
  private readonly binding: NativeBinding;
  private readonly id: number;
  private readonly ranges = new NativeAddressRanges();
  /** The queue records by "family:index", so that the same queue is the same record. */
  private readonly queues = new Map<string, NativeQueue>();
  private readonly queryMemoryBudget: () => PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;
  /** The registration in `droppedDevices`, ended by destroy(). */
  private readonly lifetime: NativeDeviceLifetime;
  /** CONTROL_DETACH in detach mode, else 0. */
  private readonly detachBit: number;

  constructor(spec: NativeDeviceSpec) {
    this.detachBit = spec.views === 'detach' ? CONTROL_DETACH : 0;
    this.binding = spec.binding;
    this.id = spec.id;
    this.driverCommands = spec.driverCommands;
    this.queryMemoryBudget = spec.queryMemoryBudget;
    this.pageSize = BigInt(spec.binding.pageSize());
    this.lifetime = { binding: spec.binding, id: spec.id, ranges: this.ranges };
    droppedDevices.register(this, this.lifetime, this.lifetime);
  }

  allocateMemory(request: {
    readonly size: bigint;
    readonly memoryTypeIndex: number;
    readonly deviceMask: number | undefined;
  }) {
    let key: number | bigint;
    try {
      key = this.binding.allocateMemory(this.id, request.size, request.memoryTypeIndex, request.deviceMask);
    } catch (error) {
      throw translateError(error);
    }
    const memory = new NativeMemoryRecord(key);
    return { handle: memory.handle, memory: memory as NativeMemory };
  }

  freeMemory(memory: NativeMemory): void {
    try {
      this.binding.freeMemory(this.id, (memory as NativeMemoryRecord).key);
    } catch (error) {
      throw translateError(error);
    }
  }

  mapMemory(memory: NativeMemory, { command, offset, requestedSize, placedAddress }: MapRequest) {
    const record = memory as NativeMemoryRecord;
    const control = COMMAND_CODES[command] | this.detachBit | (placedAddress === undefined ? 0 : CONTROL_FLAG);
    let result: ReturnType<NativeBinding['mapMemory']>;
    try {
      result =
        placedAddress === undefined
          ? this.binding.mapMemory(this.id, record.key, narrow(offset), narrow(requestedSize), control, record.serial)
          : this.binding.mapMemory(this.id, record.key, offset, requestedSize, control, record.serial, placedAddress);
    } catch (error) {
      throw translateError(error);
    }
    if (typeof result !== 'number') {
      // The addon hands out a stable view's buffer again only when the cached view was lost (an exception
      // between the addon and here): it is guarded once. A detached view's buffer is always new.
      let view = this.detachBit === 0 ? guardedBuffers.get(result.buffer) : undefined;
      if (!view) {
        view = guardedView(result.buffer, this.binding.viewsKeyed);
        if (this.detachBit === 0) guardedBuffers.set(result.buffer, view);
      }
      record.serial = result.serial;
      record.view = view;
      record.address = result.address;
      record.strategy = STRATEGIES[result.strategy] ?? 'driver';
    }
    return { address: record.address, view: record.view! };
  }

  unmapMemory(
    memory: NativeMemory,
    { command, reserve }: { readonly command: UnmapCommandName; readonly reserve: boolean },
  ) {
    const control = UNMAP_CODES[command] | (reserve ? CONTROL_FLAG : 0);
    let range: BindingRange | undefined;
    try {
      range = this.binding.unmapMemory(this.id, (memory as NativeMemoryRecord).key, control);
    } catch (error) {
      throw translateError(error);
    }
    return range ? this.ranges.recordOf(range) : undefined;
  }

  /** How the views of `memory`'s latest mapping reach its bytes (for tests and diagnostics). */
  viewStrategy(memory: NativeMemory): NativeViewStrategy {
    return (memory as NativeMemoryRecord).strategy;
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
    droppedDevices.unregister(this.lifetime);
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

/** A size as the addon reads it fastest: a number where that is exact (VK_WHOLE_SIZE stays a bigint). */
function narrow(value: bigint): number | bigint {
  // 0n, the common offset, without Number(), which is a call into V8's runtime for a bigint.
  return value === 0n ? 0 : value <= MAX_SAFE ? Number(value) : value;
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

  /**
   * How the views of `memory`'s latest mapping reach its bytes (for tests and diagnostics): 'alias' or
   * 'placed', a window the addon owns, which stays addressable after the mapping ends and holds scratch
   * pages once the memory is freed; 'driver', the driver's own pointer, whose view is detached when the
   * mapping ends (in either views mode).
   */
  viewStrategy(memory: DeviceMemory): NativeViewStrategy {
    return this.native.viewStrategy(this.liveMemory('viewStrategy', memory).backend);
  }
}
