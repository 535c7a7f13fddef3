/**
 * The checked front of a logical device, written once for every backend. The memory chapter is here; the
 * compute chapters are served by one module each (buffers.ts, pipelines.ts, descriptors.ts,
 * command-buffers.ts, recording.ts, queues.ts, fences.ts, over submissions.ts), to which the device
 * delegates. Each command:
 *   1. refuses a call on a destroyed device or through an entry point the device does not provide;
 *   2. reads its arguments once into a snapshot;
 *   3. checks the snapshot with the rules the validation layer uses, and throws the first misuse they find
 *      (the command table says which rules it leaves to the layer, and which it answers with a result);
 *   4. calls the backend with resolved values and the backend's own records;
 *   5. records the outcome in the handle table.
 * A refused call changes nothing.
 */
import type {
  BackendAddressRange,
  DeviceBackend,
  DeviceRequest,
  PhysicalDeviceDescription,
  ResolvedRange,
} from '../backend/index.js';
import { commandFacts, isDeviceCommandAvailable, unavailableCommandError, type CommandName } from '../commands.js';
import {
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_WHOLE_SIZE,
  VkMemoryAllocateFlagBits,
  VkMemoryMapFlagBits,
  VkMemoryPropertyFlagBits,
  VkMemoryUnmapFlagBits,
  VkStructureType,
} from '../constants.js';
import type {
  Buffer,
  BufferCopy,
  BufferCreateInfo,
  CommandBuffer,
  CommandBufferAllocateInfo,
  CommandBufferBeginInfo,
  CommandPool,
  CommandPoolCreateInfo,
  ComputePipelineCreateInfo,
  DescriptorPool,
  DescriptorPoolCreateInfo,
  DescriptorSet,
  DescriptorSetAllocateInfo,
  DescriptorSetLayout,
  DescriptorSetLayoutCreateInfo,
  Fence,
  FenceCreateInfo,
  MemoryRequirements,
  Pipeline,
  PipelineBarrierInfo,
  PipelineLayout,
  PipelineLayoutCreateInfo,
  Queue,
  ShaderModule,
  ShaderModuleCreateInfo,
  SubmitInfo,
  WriteDescriptorSet,
  Device,
  DeviceMemory,
  HostAddressRange,
  MappedMemory,
  MappedMemoryRange,
  MemoryAllocateFlagsInfo,
  MemoryAllocateInfo,
  MemoryMapInfo,
  MemoryMapPlacedInfoEXT,
  MemoryUnmapInfo,
  PhysicalDevice,
  PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '../contract/index.js';
import {
  alignUp,
  isPowerOfTwo,
  MAX_DEVICE_SIZE,
  toDeviceSize,
  toOptionalDeviceSize,
  type DeviceSizeInput,
} from '../device-size.js';
import { VkError, VkmapArgumentError } from '../errors.js';
import { DeviceMemoryHandle, endHostMapping, HostMapping } from '../mapping-objects.js';
import { findInChain } from '../structures/chain.js';
import type { PhysicalDeviceFeatures } from '../structures/features.js';
import { checkAllocateMemory, checkFreeMemory } from '../validation/alloc-rules.js';
import { isObject, memoryProblemMessage, readDeviceSize, type CallContext } from '../validation/common-rules.js';
import {
  checkMapMemory,
  checkMapMemory2,
  checkUnmapMemory,
  checkUnmapMemory2,
  mappableSize,
} from '../validation/map-rules.js';
import { checkMappedMemoryRanges, FLUSH_VUIDS, INVALIDATE_VUIDS } from '../validation/range-rules.js';
import { bytes, FailureList, hex } from '../validation/report.js';
import type { VuidId } from '../validation/vuids.js';
import { HandleTable, IssuedHandleRegistry, type DeviceFacts, type MemoryRecord } from '../handle-table.js';
import { Buffers } from './buffers.js';
import { CommandBuffers } from './command-buffers.js';
import { Descriptors } from './descriptors.js';
import { Fences } from './fences.js';
import { FrontHostAddressRange } from './host-address-range.js';
import { destroyedDeviceError, destroyedError, memoryArgumentError, misuseOf } from './misuse.js';
import type { ComputeContext } from './objects.js';
import { Pipelines } from './pipelines.js';
import { Queues } from './queues.js';
import { Recording } from './recording.js';
import { SubmissionTracker } from './submissions.js';
import {
  snapshotAllocateInfo,
  snapshotHandle,
  snapshotMapInfo,
  snapshotRanges,
  snapshotUnmapInfo,
} from '../snapshot.js';

/** Every handle the front issues, on every device of every backend. */
const FRONT_HANDLES = new IssuedHandleRegistry();

const { VK_MEMORY_PROPERTY_HOST_COHERENT_BIT } = VkMemoryPropertyFlagBits;
const { VK_MEMORY_MAP_PLACED_BIT_EXT } = VkMemoryMapFlagBits;
const { VK_MEMORY_UNMAP_RESERVE_BIT_EXT } = VkMemoryUnmapFlagBits;
const MAX_VIEW_BYTES = BigInt(Number.MAX_SAFE_INTEGER);

type MapCommand = 'vkMapMemory' | 'vkMapMemory2' | 'vkMapMemory2KHR';
type UnmapCommand = 'vkUnmapMemory' | 'vkUnmapMemory2' | 'vkUnmapMemory2KHR';

/** The backend's unmap requests, made once: [without, with] the reserve bit, per command. */
type UnmapRequest = { readonly command: UnmapCommand; readonly reserve: boolean };
function unmapRequests(command: UnmapCommand): readonly [UnmapRequest, UnmapRequest] {
  return [Object.freeze({ command, reserve: false }), Object.freeze({ command, reserve: true })];
}
const UNMAP_REQUESTS: Readonly<Record<UnmapCommand, readonly [UnmapRequest, UnmapRequest]>> = {
  vkUnmapMemory: unmapRequests('vkUnmapMemory'),
  vkUnmapMemory2: unmapRequests('vkUnmapMemory2'),
  vkUnmapMemory2KHR: unmapRequests('vkUnmapMemory2KHR'),
};

export interface FrontDeviceInit<M, R extends BackendAddressRange> {
  readonly physicalDevice: PhysicalDevice;
  readonly description: PhysicalDeviceDescription;
  readonly request: DeviceRequest;
  readonly backend: DeviceBackend<M, R>;
  /** Called once the device is destroyed, so that its parent forgets it. */
  readonly onDestroy: (device: FrontDevice<M, R>) => void;
}

function factsOf(description: PhysicalDeviceDescription, request: DeviceRequest): DeviceFacts {
  const limits = description.properties.limits;
  return {
    apiVersion: request.apiVersion,
    enabledExtensions: request.extensions,
    placedExtensionEnabled: request.extensions.has(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME),
    features: request.features,
    memoryTypes: description.memoryProperties.memoryTypes,
    memoryHeaps: description.memoryProperties.memoryHeaps,
    nonCoherentAtomSize: limits.nonCoherentAtomSize,
    maxMemoryAllocationCount: limits.maxMemoryAllocationCount,
    minPlacedMemoryMapAlignment: description.mapMemoryPlacedProperties?.minPlacedMemoryMapAlignment ?? 0n,
  };
}

export class FrontDevice<M = unknown, R extends BackendAddressRange = BackendAddressRange> implements Device {
  readonly physicalDevice: PhysicalDevice;
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  readonly enabledFeatures: PhysicalDeviceFeatures;
  /** The backend this front serves; subclasses reach it for their backend's own extras. */
  protected readonly backend: DeviceBackend<M, R>;
  private readonly table: HandleTable<M>;
  private readonly failures = new FailureList();
  private readonly ctx: CallContext;
  /** The live address ranges of this device, by the backend's record. */
  private readonly ranges = new Map<R, FrontHostAddressRange>();
  private readonly onDestroy: (device: FrontDevice<M, R>) => void;
  private readonly deviceName: string;
  // The compute chapters, one module each.
  private readonly buffers: Buffers;
  private readonly pipelines: Pipelines;
  private readonly descriptors: Descriptors;
  private readonly commandBuffers: CommandBuffers;
  private readonly recording: Recording;
  private readonly queues: Queues;
  private readonly fences: Fences;
  private nextHandle = 1n;
  private readonly commandAvailability = new Map<string, boolean>();

  constructor(init: FrontDeviceInit<M, R>) {
    this.physicalDevice = init.physicalDevice;
    this.apiVersion = init.request.apiVersion;
    this.enabledExtensions = init.request.extensions;
    this.enabledFeatures = init.request.features;
    this.backend = init.backend;
    this.onDestroy = init.onDestroy;
    this.deviceName = init.description.properties.deviceName;
    this.table = new HandleTable<M>(factsOf(init.description, init.request), FRONT_HANDLES);
    this.ctx = { state: this.table as HandleTable, failures: this.failures };
    const compute: ComputeContext = {
      table: this.table as HandleTable,
      backend: init.backend,
      limits: init.description.properties.limits,
      queueFamilies: init.description.queueFamilies,
      queues: init.request.queues,
      submissions: new SubmissionTracker(this.table as HandleTable),
      enter: (command) => {
        if (this.table.isDestroyed) throw destroyedDeviceError(command);
      },
      newHandle: () => this.nextHandle++,
    };
    this.buffers = new Buffers(compute);
    this.pipelines = new Pipelines(compute);
    this.descriptors = new Descriptors(compute);
    this.commandBuffers = new CommandBuffers(compute);
    this.recording = new Recording(compute);
    this.queues = new Queues(compute);
    this.fences = new Fences(compute);
  }

  get isDestroyed(): boolean {
    return this.table.isDestroyed;
  }

  hasCommand(name: string): boolean {
    if (typeof name !== 'string') return false;
    // The answer never changes for a device; every command asks it first, so it is kept.
    let available = this.commandAvailability.get(name);
    if (available === undefined) {
      available = isDeviceCommandAvailable(name, this.apiVersion, this.enabledExtensions);
      if (this.commandAvailability.size < 1024) this.commandAvailability.set(name, available);
    }
    return available;
  }

  // ---- allocation -----------------------------------------------------------------------------------

  allocateMemory(info: MemoryAllocateInfo): DeviceMemory {
    this.enterCore('vkAllocateMemory');
    let read: unknown = info;
    if (isObject(info)) {
      // The members are read once, in the snapshot's order; a plain VkMemoryAllocateInfo that breaks no rule
      // is allocated at once, anything else is snapshotted from what was read and checked by the rules.
      const { sType, allocationSize, memoryTypeIndex } = info as unknown as Record<string, unknown>;
      const pNext = (info as { pNext?: unknown }).pNext;
      const size = this.plainAllocationSize(sType, allocationSize, memoryTypeIndex, pNext);
      // (A getter may have destroyed the device: the slow path refuses the call.)
      if (size !== undefined && !this.table.isDestroyed) {
        const bytes = typeof allocationSize === 'number' ? allocationSize : undefined;
        return this.allocate(size, memoryTypeIndex as number, undefined, bytes);
      }
      read = { sType, allocationSize, memoryTypeIndex, pNext };
    }
    const args = snapshotAllocateInfo(read) as MemoryAllocateInfo;
    const checked = checkAllocateMemory(this.ctx, args);
    this.refuseMisuse('vkAllocateMemory');
    const { allocationSize, memoryTypeIndex } = checked!;
    const flagsInfo = findInChain<MemoryAllocateFlagsInfo>(
      args.pNext,
      VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
    );
    const deviceMask =
      flagsInfo && flagsInfo.flags & VkMemoryAllocateFlagBits.VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT
        ? flagsInfo.deviceMask
        : undefined;
    return this.allocate(allocationSize, memoryTypeIndex, deviceMask);
  }

  /**
   * The size of a VkMemoryAllocateInfo without pNext whose members break none of checkAllocateMemory's rules
   * (its fast path), or undefined: then the rules run and say what is wrong.
   */
  private plainAllocationSize(
    sType: unknown,
    allocationSize: unknown,
    memoryTypeIndex: unknown,
    pNext: unknown,
  ): bigint | undefined {
    if ((sType !== undefined && sType !== VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO) || pNext != null) {
      return undefined;
    }
    let size: bigint;
    if (typeof allocationSize === 'number' && Number.isSafeInteger(allocationSize) && allocationSize > 0) {
      size = BigInt(allocationSize);
    } else if (typeof allocationSize === 'bigint' && allocationSize > 0n && allocationSize <= MAX_DEVICE_SIZE) {
      size = allocationSize;
    } else {
      return undefined;
    }
    const facts = this.table.facts;
    if (typeof memoryTypeIndex !== 'number' || !Number.isInteger(memoryTypeIndex) || memoryTypeIndex < 0)
      return undefined;
    const type = facts.memoryTypes[memoryTypeIndex];
    if (type === undefined) return undefined;
    const heap = facts.memoryHeaps[type.heapIndex];
    if ((heap && size > heap.size) || this.table.liveAllocationCount >= facts.maxMemoryAllocationCount)
      return undefined;
    return size;
  }

  /** `bytes`: allocationSize as the number the application passed, where it passed one. */
  private allocate(
    allocationSize: bigint,
    memoryTypeIndex: number,
    deviceMask: number | undefined,
    bytes?: number,
  ): DeviceMemory {
    const heapIndex = this.table.facts.memoryTypes[memoryTypeIndex]!.heapIndex;
    const { handle, memory } = this.backend.allocateMemory({
      size: allocationSize,
      memoryTypeIndex,
      heapIndex,
      deviceMask,
    });
    const object = new DeviceMemoryHandle(handle, allocationSize, memoryTypeIndex);
    this.table.recordAllocation(object, memoryTypeIndex, allocationSize, memory, bytes);
    return object;
  }

  freeMemory(memory: DeviceMemory | null): void {
    this.enterCore('vkFreeMemory');
    // A live handle of this device breaks none of checkFreeMemory's rules; anything else is checked by them.
    let record = this.table.find(memory);
    if (record === undefined) {
      record = checkFreeMemory(this.ctx, snapshotHandle(memory)) as MemoryRecord<M> | undefined;
      this.refuseMisuse('vkFreeMemory');
      if (!record) return;
    }
    this.buffers.refuseFreeingUsedMemory(record);
    const mapping = record.mapping;
    this.backend.freeMemory(record.backend);
    if (mapping) endHostMapping(mapping as HostMapping, 'the memory was freed');
    this.buffers.memoryFreed(record);
    this.table.recordFree(record);
  }

  // ---- mapping --------------------------------------------------------------------------------------

  mapMemory(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput, flags?: number): MappedMemory {
    this.enterCore('vkMapMemory');
    // The common call, a live handle and plain numbers, is checked without the rules' conversions: the
    // fast check accepts only calls in which the rules would find nothing, and runs no code of the caller.
    const fast = this.mapPlainCall('vkMapMemory', this.table.find(memory), flags, offset, size);
    if (fast !== undefined) return fast;
    const handle = snapshotHandle(memory);
    checkMapMemory(this.ctx, handle, offset, size, flags);
    this.refuseMisuse('vkMapMemory');
    const record = this.table.lookup(handle) as MemoryRecord<M>;
    return this.mapResolved(
      'vkMapMemory',
      record,
      readDeviceSize(offset, 'offset'),
      readDeviceSize(size, 'size'),
      undefined,
    );
  }

  mapMemory2(info: MemoryMapInfo): MappedMemory {
    return this.map2('vkMapMemory2', info);
  }

  mapMemory2KHR(info: MemoryMapInfo): MappedMemory {
    return this.map2('vkMapMemory2KHR', info);
  }

  unmapMemory(memory: DeviceMemory): void {
    this.enterCore('vkUnmapMemory');
    // A live, mapped handle breaks none of the rules (the fast path of checkUnmapMemory).
    const found = this.table.find(memory);
    if (found !== undefined && found.mapping !== undefined) {
      this.unmap('vkUnmapMemory', found as MemoryRecord<M>, false);
      return;
    }
    const handle = snapshotHandle(memory);
    checkUnmapMemory(this.ctx, handle);
    this.refuseMisuse('vkUnmapMemory');
    this.unmap('vkUnmapMemory', this.table.lookup(handle) as MemoryRecord<M>, false);
  }

  unmapMemory2(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.unmap2('vkUnmapMemory2', info);
  }

  unmapMemory2KHR(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.unmap2('vkUnmapMemory2KHR', info);
  }

  flushMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    const resolved = this.resolveRanges('vkFlushMappedMemoryRanges', ranges);
    if (resolved.length > 0) this.backend.flushMappedMemoryRanges(resolved);
  }

  invalidateMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    const resolved = this.resolveRanges('vkInvalidateMappedMemoryRanges', ranges);
    if (resolved.length > 0) this.backend.invalidateMappedMemoryRanges(resolved);
  }

  // ---- buffers (resources.ts) -------------------------------------------------------------------------

  createBuffer(info: BufferCreateInfo): Buffer {
    return this.buffers.createBuffer(info);
  }

  destroyBuffer(buffer: Buffer | null): void {
    this.buffers.destroyBuffer(buffer);
  }

  getBufferMemoryRequirements(buffer: Buffer): MemoryRequirements {
    return this.buffers.getBufferMemoryRequirements(buffer);
  }

  bindBufferMemory(buffer: Buffer, memory: DeviceMemory, memoryOffset: DeviceSizeInput): void {
    this.buffers.bindBufferMemory(buffer, memory, memoryOffset);
  }

  // ---- shaders, layouts, pipelines and descriptors (pipelines.ts) --------------------------------------

  createShaderModule(info: ShaderModuleCreateInfo): ShaderModule {
    return this.pipelines.createShaderModule(info);
  }

  destroyShaderModule(module: ShaderModule | null): void {
    this.pipelines.destroyShaderModule(module);
  }

  createDescriptorSetLayout(info: DescriptorSetLayoutCreateInfo): DescriptorSetLayout {
    return this.pipelines.createDescriptorSetLayout(info);
  }

  destroyDescriptorSetLayout(layout: DescriptorSetLayout | null): void {
    this.pipelines.destroyDescriptorSetLayout(layout);
  }

  createPipelineLayout(info: PipelineLayoutCreateInfo): PipelineLayout {
    return this.pipelines.createPipelineLayout(info);
  }

  destroyPipelineLayout(layout: PipelineLayout | null): void {
    this.pipelines.destroyPipelineLayout(layout);
  }

  createComputePipelines(infos: readonly ComputePipelineCreateInfo[]): Pipeline[] {
    return this.pipelines.createComputePipelines(infos);
  }

  destroyPipeline(pipeline: Pipeline | null): void {
    this.pipelines.destroyPipeline(pipeline);
  }

  createDescriptorPool(info: DescriptorPoolCreateInfo): DescriptorPool {
    return this.descriptors.createDescriptorPool(info);
  }

  destroyDescriptorPool(pool: DescriptorPool | null): void {
    this.descriptors.destroyDescriptorPool(pool);
  }

  allocateDescriptorSets(info: DescriptorSetAllocateInfo): DescriptorSet[] {
    return this.descriptors.allocateDescriptorSets(info);
  }

  freeDescriptorSets(pool: DescriptorPool, sets: readonly DescriptorSet[]): void {
    this.descriptors.freeDescriptorSets(pool, sets);
  }

  updateDescriptorSets(writes: readonly WriteDescriptorSet[]): void {
    this.descriptors.updateDescriptorSets(writes);
  }

  // ---- command buffers and queues (commands.ts) ---------------------------------------------------------

  getDeviceQueue(queueFamilyIndex: number, queueIndex: number): Queue {
    return this.queues.getDeviceQueue(queueFamilyIndex, queueIndex);
  }

  createCommandPool(info: CommandPoolCreateInfo): CommandPool {
    return this.commandBuffers.createCommandPool(info);
  }

  destroyCommandPool(pool: CommandPool | null): void {
    this.commandBuffers.destroyCommandPool(pool);
  }

  resetCommandPool(pool: CommandPool): void {
    this.commandBuffers.resetCommandPool(pool);
  }

  allocateCommandBuffers(info: CommandBufferAllocateInfo): CommandBuffer[] {
    return this.commandBuffers.allocateCommandBuffers(info);
  }

  freeCommandBuffers(pool: CommandPool, commandBuffers: readonly CommandBuffer[]): void {
    this.commandBuffers.freeCommandBuffers(pool, commandBuffers);
  }

  beginCommandBuffer(commandBuffer: CommandBuffer, info?: CommandBufferBeginInfo): void {
    this.commandBuffers.beginCommandBuffer(commandBuffer, info);
  }

  endCommandBuffer(commandBuffer: CommandBuffer): void {
    this.commandBuffers.endCommandBuffer(commandBuffer);
  }

  resetCommandBuffer(commandBuffer: CommandBuffer): void {
    this.commandBuffers.resetCommandBuffer(commandBuffer);
  }

  cmdBindPipeline(commandBuffer: CommandBuffer, bindPoint: number, pipeline: Pipeline): void {
    this.recording.cmdBindPipeline(commandBuffer, bindPoint, pipeline);
  }

  cmdBindDescriptorSets(
    commandBuffer: CommandBuffer,
    bindPoint: number,
    layout: PipelineLayout,
    firstSet: number,
    sets: readonly DescriptorSet[],
    dynamicOffsets?: readonly number[],
  ): void {
    this.recording.cmdBindDescriptorSets(commandBuffer, bindPoint, layout, firstSet, sets, dynamicOffsets);
  }

  cmdPushConstants(
    commandBuffer: CommandBuffer,
    layout: PipelineLayout,
    stageFlags: number,
    offset: number,
    values: Uint8Array,
  ): void {
    this.recording.cmdPushConstants(commandBuffer, layout, stageFlags, offset, values);
  }

  cmdDispatch(commandBuffer: CommandBuffer, groupCountX: number, groupCountY: number, groupCountZ: number): void {
    this.recording.cmdDispatch(commandBuffer, groupCountX, groupCountY, groupCountZ);
  }

  cmdPipelineBarrier(commandBuffer: CommandBuffer, info: PipelineBarrierInfo): void {
    this.recording.cmdPipelineBarrier(commandBuffer, info);
  }

  cmdCopyBuffer(commandBuffer: CommandBuffer, src: Buffer, dst: Buffer, regions: readonly BufferCopy[]): void {
    this.recording.cmdCopyBuffer(commandBuffer, src, dst, regions);
  }

  cmdFillBuffer(
    commandBuffer: CommandBuffer,
    dst: Buffer,
    dstOffset: DeviceSizeInput,
    size: DeviceSizeInput,
    data: number,
  ): void {
    this.recording.cmdFillBuffer(commandBuffer, dst, dstOffset, size, data);
  }

  queueSubmit(queue: Queue, submits: readonly SubmitInfo[], fence?: Fence | null): void {
    this.queues.queueSubmit(queue, submits, fence);
  }

  queueWaitIdle(queue: Queue): void {
    this.queues.queueWaitIdle(queue);
  }

  deviceWaitIdle(): void {
    this.queues.deviceWaitIdle();
  }

  // ---- fences (commands.ts) -----------------------------------------------------------------------------

  createFence(info?: FenceCreateInfo): Fence {
    return this.fences.createFence(info);
  }

  destroyFence(fence: Fence | null): void {
    this.fences.destroyFence(fence);
  }

  resetFences(fences: readonly Fence[]): void {
    this.fences.resetFences(fences);
  }

  getFenceStatus(fence: Fence): 'VK_SUCCESS' | 'VK_NOT_READY' {
    return this.fences.getFenceStatus(fence);
  }

  waitForFences(fences: readonly Fence[], waitAll: boolean, timeout: DeviceSizeInput): 'VK_SUCCESS' | 'VK_TIMEOUT' {
    return this.fences.waitForFences(fences, waitAll, timeout);
  }

  waitForFencesAsync(
    fences: readonly Fence[],
    waitAll: boolean,
    timeout: DeviceSizeInput,
  ): Promise<'VK_SUCCESS' | 'VK_TIMEOUT'> {
    return this.fences.waitForFencesAsync(fences, waitAll, timeout);
  }

  // ---- queries and host address space --------------------------------------------------------------

  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    this.requireLive('getMemoryBudget');
    return this.backend.getMemoryBudget();
  }

  reserveAddressRange(size: DeviceSizeInput, alignment?: DeviceSizeInput): HostAddressRange {
    this.requireLive('reserveAddressRange');
    const bytesWanted = toDeviceSize(size, 'size');
    if (bytesWanted === 0n) throw new VkmapArgumentError('size', 'must be greater than 0');
    const page = this.backend.pageSize;
    const align = toOptionalDeviceSize(alignment, 'alignment', page);
    if (!isPowerOfTwo(align)) throw new VkmapArgumentError('alignment', `must be a power of two (got ${align})`);
    return this.adoptRange(this.backend.reserveAddressRange(alignUp(bytesWanted, page), align > page ? align : page));
  }

  /**
   * vkDestroyDevice: waits for pending work (vkDeviceWaitIdle), destroys the objects of the compute
   * chapters in dependency order (command pools with their command buffers, descriptor pools with their
   * sets, pipelines, layouts, shader modules, buffers, fences), then the backend frees the memory objects
   * and releases the address ranges. Registers nothing for process exit: a backend that must tear down at
   * exit (native) does so itself.
   */
  destroy(): void {
    if (this.table.isDestroyed) return;
    this.queues.destroyAll();
    this.commandBuffers.destroyAll();
    this.descriptors.destroyAll();
    this.pipelines.destroyAll();
    this.buffers.destroyAll();
    this.fences.destroyAll();
    const mappings = [...this.table.liveMappings()].map((record) => record.mapping as HostMapping);
    this.backend.destroy();
    this.table.recordDestroy();
    for (const mapping of mappings) endHostMapping(mapping, 'the device was destroyed');
    for (const range of this.ranges.values()) range.forget();
    this.ranges.clear();
    this.onDestroy(this);
  }

  toString(): string {
    return `Device(${this.deviceName}${this.isDestroyed ? ', destroyed' : ''})`;
  }

  // ---- for subclasses -------------------------------------------------------------------------------

  /** A live memory object of this device, for a backend's own extras; throws the front's misuse errors. */
  protected liveMemory(what: string, memory: unknown, argument = 'memory'): MemoryRecord<M> {
    this.requireLive(what);
    const handle = snapshotHandle(memory);
    const found = this.table.lookup(handle);
    if (typeof found !== 'string') return found;
    throw memoryArgumentError(argument, found, memoryProblemMessage(found, handle, argument));
  }

  /** Live allocations of this device. */
  protected get liveAllocationCount(): number {
    return this.table.liveAllocationCount;
  }

  // ---- internals ------------------------------------------------------------------------------------

  /** Starts a command: the entry point must exist on this device, and the device must be live. */
  private enter(command: CommandName): void {
    if (!this.hasCommand(command)) throw unavailableCommandError(command, this.apiVersion, this.enabledExtensions);
    this.enterCore(command);
  }

  /** enter() for a command of Vulkan 1.0 itself, which every device has: no availability to look up. */
  private enterCore(command: CommandName): void {
    this.failures.begin(false, false);
    if (this.table.isDestroyed) this.refuseMisuse(command);
  }

  private requireLive(what: string): void {
    if (this.table.isDestroyed) throw destroyedError(what, 'device');
  }

  /**
   * Throws the first failure of the call that the front does not leave to the validation layer. A getter of
   * an argument may have destroyed the device while the snapshot was taken (after `enter`): the call is then
   * refused as one on a destroyed device, whatever else its rules found.
   */
  private refuseMisuse(command: CommandName): void {
    if (this.table.isDestroyed) {
      this.failures.begin(false, false);
      const core = (commandFacts(command) as { aliasOf?: string }).aliasOf ?? command;
      this.failures.add(
        `VUID-${core}-device-parameter` as VuidId,
        'the device has been destroyed; no command may be called on it',
      );
    }
    if (this.failures.isEmpty) return;
    const error = misuseOf(command, this.failures.takeRuleFailures());
    if (error) throw error;
  }

  private map2(command: 'vkMapMemory2' | 'vkMapMemory2KHR', info: MemoryMapInfo): MappedMemory {
    this.enter(command);
    let structure: unknown = info;
    if (typeof info === 'object' && info !== null && !Array.isArray(info)) {
      // Each member read once, in the snapshot's order; the common call (sType omitted or right, no chain, no flags, a live handle,
      // plain numbers) is then mapped without the rules' conversions, as mapMemory's is. A getter may have
      // freed the memory or destroyed the device meanwhile: the table answers for both after the reads.
      const { sType, flags, offset, size } = info as unknown as Record<string, unknown>;
      const pNext: unknown = info.pNext;
      const memory: unknown = info.memory;
      const plainSType = sType === undefined || sType === VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_INFO;
      if (plainSType && (pNext === undefined || pNext === null)) {
        const found = this.table.isDestroyed ? undefined : this.table.find(memory);
        const fast = this.mapPlainCall(command, found, flags, offset, size);
        if (fast !== undefined) return fast;
      }
      structure = { sType, flags, offset, size, pNext, memory };
    }
    const args = snapshotMapInfo(structure) as MemoryMapInfo;
    checkMapMemory2(this.ctx, args);
    this.refuseMisuse(command);
    const record = this.table.lookup(args.memory) as MemoryRecord<M>;
    const placed = ((args.flags ?? 0) & VK_MEMORY_MAP_PLACED_BIT_EXT) !== 0;
    const placedAddress = placed
      ? findInChain<MemoryMapPlacedInfoEXT>(args.pNext, VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT)!
          .pPlacedAddress
      : undefined;
    return this.mapResolved(
      command,
      record,
      readDeviceSize(args.offset, 'pMemoryMapInfo.offset'),
      readDeviceSize(args.size, 'pMemoryMapInfo.size'),
      placedAddress,
    );
  }

  /**
   * The common map, a live handle of this device, no flags and plain numbers, in which the rules would find
   * nothing: mapped without their conversions. Undefined for any other call, which the rules then check.
   */
  private mapPlainCall(
    command: MapCommand,
    found: MemoryRecord<M> | undefined,
    flags: unknown,
    offset: unknown,
    size: unknown,
  ): MappedMemory | undefined {
    if (found === undefined || (flags !== undefined && flags !== 0) || typeof offset !== 'number') return undefined;
    const mapSize = mappableSize(found, offset, size);
    if (mapSize === undefined) return undefined;
    const requested = typeof size === 'bigint' ? size : BigInt(size as number);
    return this.map(command, found, offset, requested, mapSize, undefined);
  }

  /** A checked map with the sizes as the rules read them. */
  private mapResolved(
    command: MapCommand,
    record: MemoryRecord<M>,
    offset: bigint,
    requestedSize: bigint,
    placedAddress: bigint | undefined,
  ): MappedMemory {
    const size = requestedSize === VK_WHOLE_SIZE ? record.allocationSize - offset : requestedSize;
    if (size > MAX_VIEW_BYTES) {
      throw new VkError(
        command,
        'VK_ERROR_MEMORY_MAP_FAILED',
        `${bytes(size)} cannot be viewed from JavaScript (at most 2^53 - 1 bytes)`,
      );
    }
    if (placedAddress !== undefined) this.requireReservedRange(command, placedAddress, size);
    return this.map(command, record, offset, requestedSize, size, placedAddress);
  }

  /**
   * The map itself, every rule checked: `size` resolved (at most 2^53 - 1 bytes), a placed address inside a
   * range of this device. Sizes come as numbers from the fast path, where they are safe integers.
   */
  private map(
    command: MapCommand,
    record: MemoryRecord<M>,
    offset: number | bigint,
    requestedSize: bigint,
    size: number | bigint,
    placedAddress: bigint | undefined,
  ): MappedMemory {
    const offsetValue = typeof offset === 'bigint' ? offset : offset === 0 ? 0n : BigInt(offset);
    const sizeValue =
      typeof size === 'bigint'
        ? size
        : requestedSize !== VK_WHOLE_SIZE
          ? requestedSize
          : offset === 0
            ? record.allocationSize
            : BigInt(size);
    const { address, view } = this.backend.mapMemory(record.backend, {
      command,
      offset: offsetValue,
      requestedSize,
      size: sizeValue,
      placedAddress,
    });
    const mapping = new HostMapping({
      memory: record.memory,
      offset: offsetValue,
      size: sizeValue,
      address,
      isCoherent: (record.propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0,
      isPlaced: placedAddress !== undefined,
      view,
    });
    this.table.recordMap(record, mapping);
    return mapping;
  }

  /** Placed maps go only into address space this device reserved; anything else could only fail. */
  private requireReservedRange(command: MapCommand, address: bigint, size: bigint): void {
    const length = alignUp(size, this.backend.pageSize);
    for (const range of this.ranges.values()) if (range.isReserved && range.contains(address, length)) return;
    throw new VkError(
      command,
      'VK_ERROR_MEMORY_MAP_FAILED',
      `the placed range ${hex(address)} (+${length} bytes) is not inside one address range this device reserved with reserveAddressRange()`,
    );
  }

  private unmap2(command: 'vkUnmapMemory2' | 'vkUnmapMemory2KHR', info: MemoryUnmapInfo): HostAddressRange | undefined {
    this.enter(command);
    let structure: unknown = info;
    if (typeof info === 'object' && info !== null && !Array.isArray(info)) {
      // As in map2: read once, then the common call (no chain, no flags, a live mapped handle) goes straight on.
      const { sType, flags } = info as unknown as Record<string, unknown>;
      const pNext: unknown = info.pNext;
      const memory: unknown = info.memory;
      const found = this.table.isDestroyed ? undefined : this.table.find(memory);
      if (
        found?.mapping !== undefined &&
        (sType === undefined || sType === VkStructureType.VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO) &&
        (pNext === undefined || pNext === null) &&
        (flags === undefined || flags === 0)
      ) {
        return this.unmap(command, found as MemoryRecord<M>, false);
      }
      structure = { sType, flags, pNext, memory };
    }
    const args = snapshotUnmapInfo(structure) as MemoryUnmapInfo;
    checkUnmapMemory2(this.ctx, args);
    this.refuseMisuse(command);
    const reserve = ((args.flags ?? 0) & VK_MEMORY_UNMAP_RESERVE_BIT_EXT) !== 0;
    return this.unmap(command, this.table.lookup(args.memory) as MemoryRecord<M>, reserve);
  }

  private unmap(command: UnmapCommand, record: MemoryRecord<M>, reserve: boolean): HostAddressRange | undefined {
    const mapping = record.mapping as HostMapping;
    const kept = this.backend.unmapMemory(record.backend, UNMAP_REQUESTS[command][reserve ? 1 : 0]);
    endHostMapping(mapping, 'the memory was unmapped');
    this.table.recordUnmap(record);
    return kept === undefined ? undefined : this.adoptRange(kept);
  }

  private resolveRanges(
    command: 'vkFlushMappedMemoryRanges' | 'vkInvalidateMappedMemoryRanges',
    ranges: readonly MappedMemoryRange[],
  ): ResolvedRange<M>[] {
    this.enter(command);
    const args = snapshotRanges(ranges) as readonly MappedMemoryRange[];
    checkMappedMemoryRanges(this.ctx, args, command === 'vkFlushMappedMemoryRanges' ? FLUSH_VUIDS : INVALIDATE_VUIDS);
    this.refuseMisuse(command);
    const resolved: ResolvedRange<M>[] = [];
    for (const [index, range] of args.entries()) {
      const record = this.table.lookup(range.memory) as MemoryRecord<M>;
      const offset = readDeviceSize(range.offset, `pMemoryRanges[${index}].offset`);
      const size = readDeviceSize(range.size, `pMemoryRanges[${index}].size`);
      // An empty range is valid and asks for nothing.
      if (size === 0n) continue;
      const mapping = record.mapping!;
      const end = size === VK_WHOLE_SIZE ? mapping.offset + mapping.size : offset + size;
      resolved.push({ memory: record.backend, offset, size, end });
    }
    return resolved;
  }

  private adoptRange(backendRange: R): FrontHostAddressRange {
    let range = this.ranges.get(backendRange);
    if (!range) {
      range = new FrontHostAddressRange(
        {
          placedMappingInside: (address, size) => this.placedMappingInside(address, size),
          release: () => {
            this.backend.releaseAddressRange(backendRange);
            this.ranges.delete(backendRange);
          },
        },
        backendRange.address,
        backendRange.size,
      );
      this.ranges.set(backendRange, range);
    }
    return range;
  }

  private placedMappingInside(address: bigint, size: bigint): string | undefined {
    for (const record of this.table.liveMappings()) {
      const m = record.mapping!;
      if (m.isPlaced && m.address < address + size && address < m.address + m.size)
        return `${String(record.memory)} at ${hex(m.address)}`;
    }
    return undefined;
  }
}
