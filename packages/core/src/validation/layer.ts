import { isDeviceCommandAvailable, unavailableCommandError } from '../commands.js';
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
  MemoryAllocateInfo,
  MemoryMapInfo,
  MemoryUnmapInfo,
  PhysicalDevice,
  PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '../contract/index.js';
import type { DeviceSizeInput } from '../device-size.js';
import { VK_WHOLE_SIZE } from '../constants.js';
import { captureFacts, HandleRegistry, HandleTable, type MemoryRecord } from '../handle-table.js';
import { ValidationError } from '../errors.js';
import {
  snapshotAllocateInfo,
  snapshotHandle,
  snapshotMapInfo,
  snapshotRanges,
  snapshotUnmapInfo,
} from '../snapshot.js';
import type { PhysicalDeviceFeatures } from '../structures/features.js';
import type { ValidationLayerOptions } from '../validation-options.js';
import { checkAllocateMemory, checkFreeMemory } from './alloc-rules.js';
import { readDeviceSize, type CallContext } from './common-rules.js';
import { ComputeLayer } from './compute-layer.js';
import { HostAccessTracker, type Hazard } from './host-access.js';
import { checkMapMemory, checkMapMemory2, checkUnmapMemory, checkUnmapMemory2 } from './map-rules.js';
import { checkMappedMemoryRanges, FLUSH_VUIDS, INVALIDATE_VUIDS } from './range-rules.js';
import { FailureList, Reporter } from './report.js';
import { vuidEntry, type VuidId } from './vuids.js';

type Map2Command = 'vkMapMemory2' | 'vkMapMemory2KHR' | 'vkUnmapMemory2' | 'vkUnmapMemory2KHR';

/** The handles every validated device has seen; a handle none of them saw may come from a bare device. */
const LAYER_HANDLES = new HandleRegistry(false);

/**
 * A mapping as the layer hands it out: the mapping of the device below, whose `data` the layer watches, since
 * taking it is the one call that marks host access through the view (host-access.ts).
 */
class ValidatedMapping implements MappedMemory {
  readonly #mapping: MappedMemory;
  readonly #onData: (mapping: MappedMemory, data: Uint8Array) => void;

  constructor(mapping: MappedMemory, onData: (mapping: MappedMemory, data: Uint8Array) => void) {
    this.#mapping = mapping;
    this.#onData = onData;
  }

  get memory(): DeviceMemory {
    return this.#mapping.memory;
  }
  get offset(): bigint {
    return this.#mapping.offset;
  }
  get size(): bigint {
    return this.#mapping.size;
  }
  get address(): bigint {
    return this.#mapping.address;
  }
  get isCoherent(): boolean {
    return this.#mapping.isCoherent;
  }
  get isPlaced(): boolean {
    return this.#mapping.isPlaced;
  }
  get isMapped(): boolean {
    return this.#mapping.isMapped;
  }
  get data(): Uint8Array {
    const data = this.#mapping.data;
    this.#onData(this.#mapping, data);
    return data;
  }
}

/**
 * The validation layer: a Device that checks each call against the valid-usage rules of the mapping family
 * and of the compute chapters, and for the host-access hazards of mapped memory, forwards the calls that break
 * none, and tracks the state the rules need. A call that breaks rules is reported once, with every rule it
 * broke, and is not forwarded, so nothing changes. In 'report' mode a refused call that returns nothing is
 * skipped; one that must return an object (allocateMemory, the map commands, createComputePipelines) throws its
 * ValidationError after the report, as its type promises an object or a throw. A call whose only findings are
 * host-access hazards is reported as a warning and forwarded in 'report' mode, refused in 'throw' mode.
 *
 * Arguments are read once into a snapshot, checked, and the snapshot is forwarded: the device below sees
 * the values that were checked, and an application's getters run once. The layer records what a call changed
 * only after the device below has done it, so a call the checked front below refuses leaves the layer as it
 * was. The compute chapters are checked by `ComputeLayer` (compute-layer.ts).
 */
export class ValidatedDevice implements Device {
  private readonly inner: Device;
  private readonly state: HandleTable<undefined>;
  private readonly failures = new FailureList();
  private readonly ctx: CallContext;
  private readonly reporter: Reporter;
  private readonly reportKhrAliases: boolean;
  private readonly availableCommands: Readonly<Record<Map2Command, boolean>>;
  private readonly hostAccess = new HostAccessTracker();
  private readonly compute: ComputeLayer;

  constructor(inner: Device, options: ValidationLayerOptions) {
    this.inner = inner;
    this.state = new HandleTable<undefined>(captureFacts(inner), LAYER_HANDLES);
    this.ctx = { state: this.state as HandleTable, failures: this.failures };
    this.reporter = new Reporter(options);
    this.compute = new ComputeLayer({
      inner,
      table: this.state as HandleTable,
      failures: this.failures,
      hostAccess: this.hostAccess,
      limits: inner.physicalDevice.getProperties().limits,
      reflectShader: options.reflectShader,
      begin: () => {
        this.failures.begin(false, false);
        if (!this.state.isDestroyed && this.inner.isDestroyed) this.state.recordDestroy();
        return !this.state.isDestroyed;
      },
      verdict: (command) => this.verdict(command),
      refuseIfBroken: (command) => {
        if (!this.failures.isEmpty) this.refuse(command);
      },
      mappedBytes: (memory) => (memory.mapping?.isMapped ? memory.mapping.data : undefined),
    });
    this.reportKhrAliases = options.reportKhrAliases ?? false;
    const { apiVersion, enabledExtensions } = this.state.facts;
    const available = (name: Map2Command) => isDeviceCommandAvailable(name, apiVersion, enabledExtensions);
    this.availableCommands = {
      vkMapMemory2: available('vkMapMemory2'),
      vkMapMemory2KHR: available('vkMapMemory2KHR'),
      vkUnmapMemory2: available('vkUnmapMemory2'),
      vkUnmapMemory2KHR: available('vkUnmapMemory2KHR'),
    };
  }

  get physicalDevice(): PhysicalDevice {
    return this.inner.physicalDevice;
  }
  get apiVersion(): number {
    return this.inner.apiVersion;
  }
  get enabledExtensions(): ReadonlySet<string> {
    return this.inner.enabledExtensions;
  }
  get enabledFeatures(): PhysicalDeviceFeatures {
    return this.inner.enabledFeatures;
  }
  get isDestroyed(): boolean {
    return this.inner.isDestroyed;
  }
  hasCommand(name: string): boolean {
    return this.inner.hasCommand(name);
  }
  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    return this.inner.getMemoryBudget();
  }
  reserveAddressRange(size: DeviceSizeInput, alignment?: DeviceSizeInput): HostAddressRange {
    return this.inner.reserveAddressRange(size, alignment);
  }

  allocateMemory(info: MemoryAllocateInfo): DeviceMemory {
    const args = snapshotAllocateInfo(info) as MemoryAllocateInfo;
    this.failures.begin(false, false);
    const checked = this.deviceIsLive('VUID-vkAllocateMemory-device-parameter')
      ? checkAllocateMemory(this.ctx, args)
      : undefined;
    if (!this.failures.isEmpty) this.refuse('vkAllocateMemory');
    const memory = this.inner.allocateMemory(args);
    this.state.recordAllocation(memory, checked!.memoryTypeIndex, checked!.allocationSize, undefined);
    return memory;
  }

  freeMemory(memory: DeviceMemory | null): void {
    const handle = snapshotHandle(memory) as DeviceMemory | null;
    this.failures.begin(false, false);
    const record = this.deviceIsLive('VUID-vkFreeMemory-device-parameter')
      ? checkFreeMemory(this.ctx, handle)
      : undefined;
    if (record) {
      this.compute.checkFreeMemory(record);
      const mapping = record.mapping;
      // A free ends the mapping too: beyond the buffers bound to it (00677), any range pending work touches.
      if (mapping) this.addHazards(this.hostAccess.checkUnmap(record, mapping.offset, mapping.offset + mapping.size));
    }
    if (this.verdict('vkFreeMemory')) return;
    this.inner.freeMemory(handle);
    if (!record) return;
    this.compute.memoryFreed(record);
    this.hostAccess.forget(record);
    this.state.recordFree(record as MemoryRecord<undefined>);
  }

  mapMemory(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput, flags?: number): MappedMemory {
    const handle = snapshotHandle(memory) as DeviceMemory;
    this.failures.begin(false, false);
    if (this.deviceIsLive('VUID-vkMapMemory-device-parameter')) checkMapMemory(this.ctx, handle, offset, size, flags);
    if (!this.failures.isEmpty) this.refuse('vkMapMemory');
    return this.adoptMapping(handle, this.inner.mapMemory(handle, offset, size, flags));
  }

  mapMemory2(info: MemoryMapInfo): MappedMemory {
    return this.validatedMap2('vkMapMemory2', info, (args) => this.inner.mapMemory2(args));
  }

  mapMemory2KHR(info: MemoryMapInfo): MappedMemory {
    return this.validatedMap2('vkMapMemory2KHR', info, (args) => this.inner.mapMemory2KHR(args));
  }

  unmapMemory(memory: DeviceMemory): void {
    const handle = snapshotHandle(memory) as DeviceMemory;
    this.failures.begin(false, false);
    if (this.deviceIsLive('VUID-vkUnmapMemory-device-parameter')) checkUnmapMemory(this.ctx, handle);
    this.unmapHazards(handle);
    if (this.verdict('vkUnmapMemory')) return;
    this.inner.unmapMemory(handle);
    this.recordUnmap(handle);
  }

  unmapMemory2(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.validatedUnmap2('vkUnmapMemory2', info, (args) => this.inner.unmapMemory2(args));
  }

  unmapMemory2KHR(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.validatedUnmap2('vkUnmapMemory2KHR', info, (args) => this.inner.unmapMemory2KHR(args));
  }

  flushMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    const args = snapshotRanges(ranges) as readonly MappedMemoryRange[];
    this.failures.begin(false, false);
    if (this.deviceIsLive('VUID-vkFlushMappedMemoryRanges-device-parameter'))
      checkMappedMemoryRanges(this.ctx, args, FLUSH_VUIDS);
    const resolved = this.failures.isEmpty ? this.resolvedRanges(args) : [];
    for (const { record, start, end } of resolved) this.addHazards(this.hostAccess.checkFlush(record, start, end));
    if (this.verdict('vkFlushMappedMemoryRanges')) return;
    this.inner.flushMappedMemoryRanges(args);
    for (const { record, start, end } of resolved)
      this.hostAccess.flushed(record, start, end, record.mapping?.isMapped ? record.mapping.data : undefined);
  }

  invalidateMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    const args = snapshotRanges(ranges) as readonly MappedMemoryRange[];
    this.failures.begin(false, false);
    if (this.deviceIsLive('VUID-vkInvalidateMappedMemoryRanges-device-parameter'))
      checkMappedMemoryRanges(this.ctx, args, INVALIDATE_VUIDS);
    const resolved = this.failures.isEmpty ? this.resolvedRanges(args) : [];
    for (const { record, start, end } of resolved) this.addHazards(this.hostAccess.checkInvalidate(record, start, end));
    if (this.verdict('vkInvalidateMappedMemoryRanges')) return;
    this.inner.invalidateMappedMemoryRanges(args);
    for (const { record, start, end } of resolved)
      this.hostAccess.invalidated(record, start, end, record.mapping?.isMapped ? record.mapping.data : undefined);
  }

  // ---- the compute chapters (compute-layer.ts) ---------------------------------------------------------

  createBuffer(info: BufferCreateInfo): Buffer {
    return this.compute.createBuffer(info);
  }
  destroyBuffer(buffer: Buffer | null): void {
    this.compute.destroyBuffer(buffer);
  }
  getBufferMemoryRequirements(buffer: Buffer): MemoryRequirements {
    return this.compute.getBufferMemoryRequirements(buffer);
  }
  bindBufferMemory(buffer: Buffer, memory: DeviceMemory, memoryOffset: DeviceSizeInput): void {
    this.compute.bindBufferMemory(buffer, memory, memoryOffset);
  }
  createShaderModule(info: ShaderModuleCreateInfo): ShaderModule {
    return this.compute.createShaderModule(info);
  }
  destroyShaderModule(module: ShaderModule | null): void {
    this.compute.destroyShaderModule(module);
  }
  createDescriptorSetLayout(info: DescriptorSetLayoutCreateInfo): DescriptorSetLayout {
    return this.compute.createDescriptorSetLayout(info);
  }
  destroyDescriptorSetLayout(layout: DescriptorSetLayout | null): void {
    this.compute.destroyDescriptorSetLayout(layout);
  }
  createPipelineLayout(info: PipelineLayoutCreateInfo): PipelineLayout {
    return this.compute.createPipelineLayout(info);
  }
  destroyPipelineLayout(layout: PipelineLayout | null): void {
    this.compute.destroyPipelineLayout(layout);
  }
  createComputePipelines(infos: readonly ComputePipelineCreateInfo[]): Pipeline[] {
    return this.compute.createComputePipelines(infos);
  }
  destroyPipeline(pipeline: Pipeline | null): void {
    this.compute.destroyPipeline(pipeline);
  }
  createDescriptorPool(info: DescriptorPoolCreateInfo): DescriptorPool {
    return this.compute.createDescriptorPool(info);
  }
  destroyDescriptorPool(pool: DescriptorPool | null): void {
    this.compute.destroyDescriptorPool(pool);
  }
  allocateDescriptorSets(info: DescriptorSetAllocateInfo): DescriptorSet[] {
    return this.compute.allocateDescriptorSets(info);
  }
  freeDescriptorSets(pool: DescriptorPool, sets: readonly DescriptorSet[]): void {
    this.compute.freeDescriptorSets(pool, sets);
  }
  updateDescriptorSets(writes: readonly WriteDescriptorSet[]): void {
    this.compute.updateDescriptorSets(writes);
  }
  getDeviceQueue(queueFamilyIndex: number, queueIndex: number): Queue {
    return this.compute.getDeviceQueue(queueFamilyIndex, queueIndex);
  }
  createCommandPool(info: CommandPoolCreateInfo): CommandPool {
    return this.compute.createCommandPool(info);
  }
  destroyCommandPool(pool: CommandPool | null): void {
    this.compute.destroyCommandPool(pool);
  }
  resetCommandPool(pool: CommandPool): void {
    this.compute.resetCommandPool(pool);
  }
  allocateCommandBuffers(info: CommandBufferAllocateInfo): CommandBuffer[] {
    return this.compute.allocateCommandBuffers(info);
  }
  freeCommandBuffers(pool: CommandPool, commandBuffers: readonly CommandBuffer[]): void {
    this.compute.freeCommandBuffers(pool, commandBuffers);
  }
  beginCommandBuffer(commandBuffer: CommandBuffer, info?: CommandBufferBeginInfo): void {
    this.compute.beginCommandBuffer(commandBuffer, info);
  }
  endCommandBuffer(commandBuffer: CommandBuffer): void {
    this.compute.endCommandBuffer(commandBuffer);
  }
  resetCommandBuffer(commandBuffer: CommandBuffer): void {
    this.compute.resetCommandBuffer(commandBuffer);
  }
  cmdBindPipeline(commandBuffer: CommandBuffer, bindPoint: number, pipeline: Pipeline): void {
    this.compute.cmdBindPipeline(commandBuffer, bindPoint, pipeline);
  }
  cmdBindDescriptorSets(
    commandBuffer: CommandBuffer,
    bindPoint: number,
    layout: PipelineLayout,
    firstSet: number,
    sets: readonly DescriptorSet[],
    dynamicOffsets?: readonly number[],
  ): void {
    this.compute.cmdBindDescriptorSets(commandBuffer, bindPoint, layout, firstSet, sets, dynamicOffsets);
  }
  cmdPushConstants(
    commandBuffer: CommandBuffer,
    layout: PipelineLayout,
    stageFlags: number,
    offset: number,
    values: Uint8Array,
  ): void {
    this.compute.cmdPushConstants(commandBuffer, layout, stageFlags, offset, values);
  }
  cmdDispatch(commandBuffer: CommandBuffer, groupCountX: number, groupCountY: number, groupCountZ: number): void {
    this.compute.cmdDispatch(commandBuffer, groupCountX, groupCountY, groupCountZ);
  }
  cmdPipelineBarrier(commandBuffer: CommandBuffer, info: PipelineBarrierInfo): void {
    this.compute.cmdPipelineBarrier(commandBuffer, info);
  }
  cmdCopyBuffer(commandBuffer: CommandBuffer, src: Buffer, dst: Buffer, regions: readonly BufferCopy[]): void {
    this.compute.cmdCopyBuffer(commandBuffer, src, dst, regions);
  }
  cmdFillBuffer(
    commandBuffer: CommandBuffer,
    dst: Buffer,
    dstOffset: DeviceSizeInput,
    size: DeviceSizeInput,
    data: number,
  ): void {
    this.compute.cmdFillBuffer(commandBuffer, dst, dstOffset, size, data);
  }
  queueSubmit(queue: Queue, submits: readonly SubmitInfo[], fence?: Fence | null): void {
    this.compute.queueSubmit(queue, submits, fence);
  }
  queueWaitIdle(queue: Queue): void {
    this.compute.queueWaitIdle(queue);
  }
  deviceWaitIdle(): void {
    this.compute.deviceWaitIdle();
  }
  createFence(info?: FenceCreateInfo): Fence {
    return this.compute.createFence(info);
  }
  destroyFence(fence: Fence | null): void {
    this.compute.destroyFence(fence);
  }
  resetFences(fences: readonly Fence[]): void {
    this.compute.resetFences(fences);
  }
  getFenceStatus(fence: Fence): 'VK_SUCCESS' | 'VK_NOT_READY' {
    return this.compute.getFenceStatus(fence);
  }
  waitForFences(fences: readonly Fence[], waitAll: boolean, timeout: DeviceSizeInput): 'VK_SUCCESS' | 'VK_TIMEOUT' {
    return this.compute.waitForFences(fences, waitAll, timeout);
  }
  waitForFencesAsync(
    fences: readonly Fence[],
    waitAll: boolean,
    timeout: DeviceSizeInput,
  ): Promise<'VK_SUCCESS' | 'VK_TIMEOUT'> {
    return this.compute.waitForFencesAsync(fences, waitAll, timeout);
  }

  destroy(): void {
    this.inner.destroy();
    if (this.state.isDestroyed) return;
    this.compute.deviceDestroyed();
    this.state.recordDestroy();
  }

  private validatedMap2(
    command: 'vkMapMemory2' | 'vkMapMemory2KHR',
    info: MemoryMapInfo,
    forward: (args: MemoryMapInfo) => MappedMemory,
  ): MappedMemory {
    this.requireCommand(command);
    const args = snapshotMapInfo(info) as MemoryMapInfo;
    this.failures.begin(command === 'vkMapMemory2KHR', this.reportKhrAliases);
    if (this.deviceIsLive('VUID-vkMapMemory2-device-parameter')) checkMapMemory2(this.ctx, args);
    if (!this.failures.isEmpty) this.refuse(command);
    return this.adoptMapping(args.memory, forward(args));
  }

  private validatedUnmap2(
    command: 'vkUnmapMemory2' | 'vkUnmapMemory2KHR',
    info: MemoryUnmapInfo,
    forward: (args: MemoryUnmapInfo) => HostAddressRange | undefined,
  ): HostAddressRange | undefined {
    this.requireCommand(command);
    const args = snapshotUnmapInfo(info) as MemoryUnmapInfo;
    this.failures.begin(command === 'vkUnmapMemory2KHR', this.reportKhrAliases);
    if (this.deviceIsLive('VUID-vkUnmapMemory2-device-parameter')) checkUnmapMemory2(this.ctx, args);
    this.unmapHazards(typeof args === 'object' && args !== null ? args.memory : undefined);
    if (this.verdict(command)) return undefined;
    const reserved = forward(args);
    this.recordUnmap(args.memory);
    return reserved;
  }

  /** A command the device does not provide throws `VkmapStateError` in every mode, as the front does. */
  private requireCommand(command: Map2Command): void {
    if (!this.availableCommands[command])
      throw unavailableCommandError(command, this.state.facts.apiVersion, this.state.facts.enabledExtensions);
  }

  /**
   * Whether the device can be called at all. On a destroyed device only the device rule is reported:
   * every other rule is about objects that died with it.
   */
  private deviceIsLive(deviceVuid: VuidId): boolean {
    if (!this.state.isDestroyed && this.inner.isDestroyed) this.state.recordDestroy();
    if (!this.state.isDestroyed) return true;
    this.failures.add(deviceVuid, 'the device has been destroyed; no command may be called on it');
    return false;
  }

  /**
   * A failing call that must return an object (a memory object, a mapping): it throws its ValidationError in
   * every mode, after 'report' mode has reported it, because there is nothing it could return.
   */
  private refuse(command: string): never {
    const failures = this.failures.take();
    this.reporter.deliver(command, failures);
    throw new ValidationError(command, failures);
  }

  /**
   * Ends a call's checks: nothing found, or it is delivered (thrown in 'throw' mode). Returns true when the call
   * must not be forwarded: it broke rules ('report' mode skips it). Host-access hazards alone are a warning in
   * 'report' mode, and the call goes on.
   */
  private verdict(command: string): boolean {
    if (this.failures.isEmpty) return false;
    const failures = this.failures.take();
    const warning = failures.every((f) => vuidEntry(f.vuid as VuidId).hazard === true);
    this.reporter.deliver(command, failures, warning ? 'warning' : 'error');
    return !warning;
  }

  private addHazards(hazards: readonly Hazard[]): void {
    for (const hazard of hazards) this.failures.add(hazard.vuid, hazard.message);
  }

  /** A mapping the device below made: recorded, and handed out with its `data` watched. */
  private adoptMapping(memory: unknown, mapping: MappedMemory): MappedMemory {
    this.state.recordMap(this.state.lookup(memory) as MemoryRecord<undefined>, mapping);
    return new ValidatedMapping(mapping, (inner, data) => this.dataTaken(inner, data));
  }

  /** The program took a mapping's `data`: host access to all of it (host-access.ts). */
  private dataTaken(mapping: MappedMemory, data: Uint8Array): void {
    this.failures.begin(false, false);
    if (this.state.isDestroyed) return;
    const record = this.state.lookup(mapping.memory);
    if (typeof record === 'string' || record.mapping !== mapping) return;
    this.addHazards(this.hostAccess.checkDataTaken(record, mapping.offset, mapping.offset + mapping.size));
    this.verdict('MappedMemory.data');
    this.hostAccess.dataTaken(record, mapping.offset, data);
  }

  /** An unmap that the rules allow: the mapping ends while pending work may use its bytes. */
  private unmapHazards(memory: unknown): void {
    if (!this.failures.isEmpty || this.state.isDestroyed) return;
    const record = this.state.lookup(memory);
    if (typeof record === 'string' || !record.mapping) return;
    const { offset, size } = record.mapping;
    this.addHazards(this.hostAccess.checkUnmap(record, offset, offset + size));
  }

  private recordUnmap(memory: unknown): void {
    const record = this.state.lookup(memory) as MemoryRecord<undefined>;
    this.hostAccess.unmapped(record);
    this.state.recordUnmap(record);
  }

  /** Ranges the rules accepted, resolved to [start, end) of each memory object (VK_WHOLE_SIZE: to the mapping's end). */
  private resolvedRanges(ranges: readonly MappedMemoryRange[]): { record: MemoryRecord; start: bigint; end: bigint }[] {
    const resolved: { record: MemoryRecord; start: bigint; end: bigint }[] = [];
    ranges.forEach((range, i) => {
      const record = this.state.lookup(range.memory);
      if (typeof record === 'string' || !record.mapping) return;
      const start = readDeviceSize(range.offset, `pMemoryRanges[${i}].offset`);
      const size = readDeviceSize(range.size, `pMemoryRanges[${i}].size`);
      const end = size === VK_WHOLE_SIZE ? record.mapping.offset + record.mapping.size : start + size;
      resolved.push({ record, start, end });
    });
    return resolved;
  }
}
