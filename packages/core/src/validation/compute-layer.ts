/**
 * The validation layer's view of the compute chapters. Like a Vulkan layer it keeps its own state of the
 * objects it has seen (buffers and their memory, layouts, pipelines, descriptor sets and what is written in
 * them, command buffers and what they recorded, queues, fences, pending submissions), in the same records and
 * with the same bookkeeping as the checked front (front/records.ts, the front's record* functions,
 * SubmissionTracker), and checks each call with the front's own rule functions (front/compute-rules.ts,
 * front/command-buffer-state.ts), reporting every rule a call breaks where the front stops at the first.
 *
 * Each command: reads its arguments once into a snapshot; checks the rules against the objects the layer
 * knows (an argument it cannot read, or an object it never saw, is left to the front below, which refuses it
 * with its own error); if the call breaks nothing, forwards the snapshot and records what changed. The layer's
 * own rules: a compute pipeline against its layout (the shader's interface, through `reflectShader`), and the
 * host-access hazards (host-access.ts), for which it also records what each command reads and writes.
 */
import { VK_WHOLE_SIZE, VkDescriptorType } from '../constants.js';
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
  Device,
  DeviceMemory,
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
} from '../contract/index.js';
import type { DeviceSizeInput } from '../device-size.js';
import { newBufferRecord, recordBinding, recordBufferEnd, recordMemoryFreed } from '../front/buffers.js';
import { commandBufferStateProblems, resettableProblem, type LifecycleCommand } from '../front/command-buffer-state.js';
import { clearRecording } from '../front/command-buffers.js';
import {
  bindBufferMemoryProblems,
  bufferDescriptorProblems,
  dispatchProblems,
  pendingFenceProblem,
  pendingProblem,
  submitFenceProblem,
  writeProblems,
  type RuleProblem,
} from '../front/compute-rules.js';
import { recordDescriptorWrites, recordSetEnd, type ResolvedWrite } from '../front/descriptors.js';
import type { FrontBuffer, FrontQueue } from '../front/handles.js';
import { describeHandle } from '../front/misuse.js';
import { invalidateDependents } from '../front/objects.js';
import { shapeOf } from '../front/pipelines.js';
import { queueFamilyProblem, submissionUses } from '../front/queues.js';
import type {
  BufferDescriptor,
  BufferRecord,
  CommandBufferRecord,
  CommandPoolRecord,
  DescriptorPoolRecord,
  DescriptorSetRecord,
  FenceRecord,
  PipelineLayoutRecord,
  PipelineLayoutShape,
  PipelineRecord,
  QueueRecord,
  SetLayoutRecord,
} from '../front/records.js';
import { SubmissionTracker } from '../front/submissions.js';
import type { HandleTable, MemoryRecord, ObjectRecord, ObjectType } from '../handle-table.js';
import { snapshotArgument, snapshotHandle, SHAPES, type Shape } from '../snapshot.js';
import type { PhysicalDeviceLimits } from '../structures/limits.js';
import type { ShaderInterface, ShaderReflector } from '../validation-options.js';
import {
  hostBarriers,
  submissionUse,
  type DeviceAccess,
  type HostAccessTracker,
  type MemoryRange,
} from './host-access.js';
import { checkShaderAgainstLayout } from './pipeline-rules.js';
import type { FailureList } from './report.js';

/** What the compute part of the layer needs of the layer around it. */
export interface LayerHost {
  readonly inner: Device;
  readonly table: HandleTable<unknown>;
  readonly failures: FailureList;
  readonly hostAccess: HostAccessTracker;
  readonly limits: PhysicalDeviceLimits;
  readonly reflectShader: ShaderReflector | undefined;
  /** Starts a call's checks; false when the device is destroyed (the call is then forwarded unchecked). */
  begin(): boolean;
  /** Ends a call's checks: delivers what it broke; true when it must not be forwarded. */
  verdict(command: string): boolean;
  /** The same for a call that returns an object: throws when it must not be forwarded. */
  refuseIfBroken(command: string): void;
  /** The host's bytes of the live mapping of `memory` now, if it is mapped. */
  mappedBytes(memory: MemoryRecord): Uint8Array | undefined;
}

interface ModuleRecord extends ObjectRecord {
  readonly code: Uint32Array;
  /** The module's interface without specialization: undefined until asked, null when it cannot be read. */
  reflected: ShaderInterface | null | undefined;
}

const { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER } = VkDescriptorType;

/** An argument read once into its snapshot, which the device below takes as it is. */
function read<T>(value: T, shape: Shape): T {
  return snapshotArgument(value, shape) as T;
}

function handle<T>(value: T): T {
  return snapshotHandle(value) as T;
}

function isStructure(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A uint32 argument, or undefined when it is none (the front refuses it). */
function uint32(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff ? value : undefined;
}

/** A VkDeviceSize argument, or undefined when it is none (the front refuses it). */
function deviceSize(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n && value <= VK_WHOLE_SIZE ? value : undefined;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export class ComputeLayer {
  private readonly host: LayerHost;
  private readonly table: HandleTable<unknown>;
  private readonly submissions: SubmissionTracker;
  /** What each command buffer's recorded commands read and write, in order, for the host-access hazards. */
  private readonly accesses = new Map<CommandBufferRecord, DeviceAccess[]>();
  /** Command buffers that recorded something the layer did not see made: their dispatches are not checked. */
  private readonly opaque = new Set<CommandBufferRecord>();

  constructor(host: LayerHost) {
    this.host = host;
    this.table = host.table;
    this.submissions = new SubmissionTracker(host.table, (submission) => host.hostAccess.completed(submission));
  }

  private get inner(): Device {
    return this.host.inner;
  }

  /** The layer's record of `value` as an object of `type`, or undefined when it knows none. */
  private known<R extends ObjectRecord>(value: unknown, type: ObjectType): R | undefined {
    const found = this.table.lookupObject<R>(value, type);
    return typeof found === 'string' ? undefined : found;
  }

  private knownMemory(value: unknown): MemoryRecord | undefined {
    const found = this.table.lookup(value);
    return typeof found === 'string' ? undefined : found;
  }

  private report(problems: readonly (RuleProblem | undefined)[]): void {
    for (const problem of problems) if (problem) this.host.failures.add(problem.vuid, problem.message);
  }

  private newRecord<R extends ObjectRecord>(object: unknown, parent: ObjectRecord | undefined, rest: object): R {
    return this.table.recordObject({
      object,
      backend: undefined,
      parent,
      children: new Set(),
      dependents: new Set(),
      ...rest,
    } as unknown as R);
  }

  // ---- buffers --------------------------------------------------------------------------------------

  createBuffer(info: BufferCreateInfo): Buffer {
    const buffer = this.inner.createBuffer(read(info, SHAPES.bufferCreateInfo));
    if (this.host.begin()) this.table.recordObject(newBufferRecord(buffer as FrontBuffer, undefined));
    return buffer;
  }

  destroyBuffer(buffer: Buffer | null): void {
    const h = handle(buffer);
    const record = this.host.begin() ? this.known<BufferRecord>(h, 'VkBuffer') : undefined;
    if (record) this.report([pendingProblem(this.table, record.object, 'VUID-vkDestroyBuffer-buffer-00922', 'buffer')]);
    if (this.host.verdict('vkDestroyBuffer')) return;
    this.inner.destroyBuffer(h);
    if (record) recordBufferEnd(this.table, record, 'was destroyed');
  }

  getBufferMemoryRequirements(buffer: Buffer): MemoryRequirements {
    return this.inner.getBufferMemoryRequirements(handle(buffer));
  }

  bindBufferMemory(buffer: Buffer, memory: DeviceMemory, memoryOffset: DeviceSizeInput): void {
    const h = handle(buffer);
    const m = handle(memory);
    const live = this.host.begin();
    const record = live ? this.known<BufferRecord>(h, 'VkBuffer') : undefined;
    const memoryRecord = live ? this.knownMemory(m) : undefined;
    const offset = deviceSize(memoryOffset);
    if (record && memoryRecord && offset !== undefined) {
      record.requirements ??= Object.freeze({ ...this.inner.getBufferMemoryRequirements(h) });
      this.report(bindBufferMemoryProblems(record, memoryRecord, offset, record.requirements));
    }
    if (this.host.verdict('vkBindBufferMemory')) return;
    this.inner.bindBufferMemory(h, m, memoryOffset);
    if (record && memoryRecord && offset !== undefined) recordBinding(this.table, record, memoryRecord, offset);
  }

  /** vkFreeMemory of `memory`: pending work uses a buffer bound to it (VUID-vkFreeMemory-memory-00677). */
  checkFreeMemory(memory: MemoryRecord): void {
    this.report([pendingProblem(this.table, memory.memory, 'VUID-vkFreeMemory-memory-00677', 'memory')]);
  }

  /** vkFreeMemory of `memory` succeeded. */
  memoryFreed(memory: MemoryRecord): void {
    recordMemoryFreed(this.table, memory);
  }

  // ---- shaders, layouts, pipelines ----------------------------------------------------------------------

  createShaderModule(info: ShaderModuleCreateInfo): ShaderModule {
    const args = read(info, SHAPES.shaderModuleCreateInfo);
    const module = this.inner.createShaderModule(args);
    if (this.host.begin()) this.newRecord<ModuleRecord>(module, undefined, { code: args.code, reflected: undefined });
    return module;
  }

  destroyShaderModule(module: ShaderModule | null): void {
    this.destroySimple(module, 'VkShaderModule', (h) => this.inner.destroyShaderModule(h));
  }

  createDescriptorSetLayout(info: DescriptorSetLayoutCreateInfo): DescriptorSetLayout {
    const args = read(info, SHAPES.descriptorSetLayoutCreateInfo);
    const layout = this.inner.createDescriptorSetLayout(args);
    if (this.host.begin()) {
      const bindings = (args.bindings ?? []).map((b) => ({
        binding: b.binding,
        descriptorType: b.descriptorType,
        descriptorCount: b.descriptorCount,
        stageFlags: b.stageFlags ?? 0,
      }));
      this.newRecord<SetLayoutRecord>(layout, undefined, { shape: shapeOf(bindings) });
    }
    return layout;
  }

  destroyDescriptorSetLayout(layout: DescriptorSetLayout | null): void {
    this.destroySimple(layout, 'VkDescriptorSetLayout', (h) => this.inner.destroyDescriptorSetLayout(h));
  }

  createPipelineLayout(info: PipelineLayoutCreateInfo): PipelineLayout {
    const args = read(info, SHAPES.pipelineLayoutCreateInfo);
    const layout = this.inner.createPipelineLayout(args);
    if (this.host.begin()) {
      const setLayouts = (args.setLayouts ?? []).map((l) => this.known<SetLayoutRecord>(l, 'VkDescriptorSetLayout'));
      if (setLayouts.every((l) => l !== undefined)) {
        const shape: PipelineLayoutShape = Object.freeze({
          setLayouts: Object.freeze(setLayouts.map((l) => l!.shape)),
          pushConstantRanges: Object.freeze(
            (args.pushConstantRanges ?? []).map((r) => ({ stageFlags: r.stageFlags, offset: r.offset, size: r.size })),
          ),
        });
        this.newRecord<PipelineLayoutRecord>(layout, undefined, { shape });
      }
    }
    return layout;
  }

  destroyPipelineLayout(layout: PipelineLayout | null): void {
    this.destroySimple(layout, 'VkPipelineLayout', (h) => this.inner.destroyPipelineLayout(h));
  }

  createComputePipelines(infos: readonly ComputePipelineCreateInfo[]): Pipeline[] {
    const args = read(infos, SHAPES.computePipelineCreateInfos);
    const live = this.host.begin();
    const layouts = list(args).map((info, i) => {
      if (!live || !isStructure(info)) return undefined;
      const layout = this.known<PipelineLayoutRecord>(info.layout, 'VkPipelineLayout');
      const stage = info.stage;
      if (layout && isStructure(stage)) this.checkShader(stage, layout.shape, `pCreateInfos[${i}]`);
      return layout;
    });
    this.host.refuseIfBroken('vkCreateComputePipelines');
    const pipelines = this.inner.createComputePipelines(args);
    pipelines.forEach((pipeline, i) => {
      const layout = layouts[i];
      if (layout) this.newRecord<PipelineRecord>(pipeline, undefined, { layout: layout.shape });
    });
    return pipelines;
  }

  destroyPipeline(pipeline: Pipeline | null): void {
    const h = handle(pipeline);
    const record = this.host.begin() ? this.known(h, 'VkPipeline') : undefined;
    if (record)
      this.report([pendingProblem(this.table, record.object, 'VUID-vkDestroyPipeline-pipeline-00765', 'pipeline')]);
    if (this.host.verdict('vkDestroyPipeline')) return;
    this.inner.destroyPipeline(h);
    if (record) this.endSimple(record);
  }

  /** The shader's interface against the layout (07988 and its siblings), when a reflector reads the module. */
  private checkShader(stage: Record<string, unknown>, layout: PipelineLayoutShape, at: string): void {
    const reflect = this.host.reflectShader;
    const module = this.known<ModuleRecord>(stage.module, 'VkShaderModule');
    if (!reflect || !module || typeof stage.name !== 'string') return;
    let shader: ShaderInterface | null;
    const specialization = stage.specializationInfo;
    if (
      isStructure(specialization) &&
      Array.isArray(specialization.mapEntries) &&
      specialization.data instanceof Uint8Array
    ) {
      shader = this.reflect(reflect, module.code, {
        mapEntries: specialization.mapEntries as { constantID: number; offset: number; size: number }[],
        data: specialization.data,
      });
    } else {
      if (module.reflected === undefined) module.reflected = this.reflect(reflect, module.code, undefined);
      shader = module.reflected;
    }
    const entryPoint = shader?.entryPoints.find((e) => e.name === stage.name);
    if (entryPoint) checkShaderAgainstLayout(this.host.failures, entryPoint, layout, at);
  }

  private reflect(
    reflect: ShaderReflector,
    code: Uint32Array,
    specialization: Parameters<ShaderReflector>[1],
  ): ShaderInterface | null {
    const found = this.host.failures.suspend();
    try {
      return reflect(code, specialization);
    } catch {
      // A module the reflector cannot read (or a specialization it refuses): the device below judges it.
      return null;
    } finally {
      this.host.failures.resume(found);
    }
  }

  private destroySimple<T>(value: T, type: ObjectType, forward: (h: T) => void): void {
    const h = handle(value);
    const record = this.host.begin() ? this.known(h, type) : undefined;
    forward(h);
    if (record) this.endSimple(record);
  }

  private endSimple(record: ObjectRecord): void {
    invalidateDependents(record.dependents, `${describeHandle(record.object)}, which it uses, was destroyed`);
    this.table.recordEnd(record);
  }

  // ---- descriptor pools and sets ----------------------------------------------------------------------

  createDescriptorPool(info: DescriptorPoolCreateInfo): DescriptorPool {
    const args = read(info, SHAPES.descriptorPoolCreateInfo);
    const pool = this.inner.createDescriptorPool(args);
    if (this.host.begin()) this.newRecord<DescriptorPoolRecord>(pool, undefined, { flags: args.flags ?? 0 });
    return pool;
  }

  destroyDescriptorPool(pool: DescriptorPool | null): void {
    const h = handle(pool);
    const record = this.host.begin() ? this.known<DescriptorPoolRecord>(h, 'VkDescriptorPool') : undefined;
    const sets = record ? ([...record.children] as DescriptorSetRecord[]) : [];
    this.report(
      sets.map((set) =>
        pendingProblem(
          this.table,
          set.object,
          'VUID-vkDestroyDescriptorPool-descriptorPool-00303',
          'descriptorPool',
          `${describeHandle(set.object)}, allocated from it,`,
        ),
      ),
    );
    if (this.host.verdict('vkDestroyDescriptorPool')) return;
    this.inner.destroyDescriptorPool(h);
    if (!record) return;
    for (const set of sets) recordSetEnd(this.table, set, 'its pool was destroyed');
    this.table.recordEnd(record);
  }

  allocateDescriptorSets(info: DescriptorSetAllocateInfo): DescriptorSet[] {
    const args = read(info, SHAPES.descriptorSetAllocateInfo);
    const sets = this.inner.allocateDescriptorSets(args);
    if (this.host.begin()) {
      const pool = this.known<DescriptorPoolRecord>(args.descriptorPool, 'VkDescriptorPool');
      sets.forEach((set, i) => {
        const layout = this.known<SetLayoutRecord>(args.setLayouts[i], 'VkDescriptorSetLayout');
        if (pool && layout)
          this.newRecord<DescriptorSetRecord>(set, pool, { layout: layout.shape, contents: new Map() });
      });
    }
    return sets;
  }

  freeDescriptorSets(pool: DescriptorPool, sets: readonly DescriptorSet[]): void {
    const h = handle(pool);
    const handles = read(sets, SHAPES.handles);
    const live = this.host.begin();
    const records = list(handles).map((value, i) => {
      const set = live ? this.known<DescriptorSetRecord>(value, 'VkDescriptorSet') : undefined;
      if (set)
        this.report([
          pendingProblem(
            this.table,
            set.object,
            'VUID-vkFreeDescriptorSets-pDescriptorSets-00309',
            `pDescriptorSets[${i}]`,
          ),
        ]);
      return set;
    });
    if (this.host.verdict('vkFreeDescriptorSets')) return;
    this.inner.freeDescriptorSets(h, handles);
    for (const set of new Set(records)) if (set) recordSetEnd(this.table, set, 'was freed');
  }

  updateDescriptorSets(writes: readonly WriteDescriptorSet[]): void {
    const args = read(writes, SHAPES.writeDescriptorSets);
    const resolved: ResolvedWrite[] = [];
    let complete = this.host.begin();
    list(args).forEach((value, i) => {
      const at = `pDescriptorWrites[${i}]`;
      const set =
        complete && isStructure(value) ? this.known<DescriptorSetRecord>(value.dstSet, 'VkDescriptorSet') : undefined;
      if (!set || !isStructure(value)) {
        complete = false;
        return;
      }
      this.report([pendingProblem(this.table, set.object, 'VUID-vkUpdateDescriptorSets-None-03047', `${at}.dstSet`)]);
      const binding = uint32(value.dstBinding);
      const first = value.dstArrayElement === undefined ? 0 : uint32(value.dstArrayElement);
      const type = uint32(value.descriptorType);
      const infos = list(value.bufferInfo);
      if (binding === undefined || first === undefined || type === undefined) {
        complete = false;
        return;
      }
      const problems = writeProblems(set, binding, type, first, infos.length, at);
      this.report(problems);
      const descriptors: BufferDescriptor[] = [];
      infos.forEach((info, k) => {
        const where = `${at}.bufferInfo[${k}]`;
        const buffer = isStructure(info) ? this.known<BufferRecord>(info.buffer, 'VkBuffer') : undefined;
        const offset = isStructure(info) ? deviceSize(info.offset) : undefined;
        const range = isStructure(info) ? deviceSize(info.range) : undefined;
        if (!buffer || offset === undefined || range === undefined) {
          complete = false;
          return;
        }
        const checked = bufferDescriptorProblems(buffer, offset, range, type, this.host.limits, where);
        this.report(checked.problems);
        if (checked.range !== undefined) descriptors.push(Object.freeze({ buffer, offset, range: checked.range }));
      });
      if (problems.length === 0 && descriptors.length === infos.length)
        resolved.push({ set, binding, first, descriptors });
    });
    if (this.host.verdict('vkUpdateDescriptorSets')) return;
    this.inner.updateDescriptorSets(args);
    recordDescriptorWrites(resolved);
  }

  // ---- command pools and buffers ----------------------------------------------------------------------

  createCommandPool(info: CommandPoolCreateInfo): CommandPool {
    const args = read(info, SHAPES.commandPoolCreateInfo);
    const pool = this.inner.createCommandPool(args);
    if (this.host.begin())
      this.newRecord<CommandPoolRecord>(pool, undefined, {
        flags: args.flags ?? 0,
        queueFamilyIndex: args.queueFamilyIndex,
      });
    return pool;
  }

  destroyCommandPool(pool: CommandPool | null): void {
    const h = handle(pool);
    const record = this.host.begin() ? this.known<CommandPoolRecord>(h, 'VkCommandPool') : undefined;
    const children = this.poolChildren(record, 'vkDestroyCommandPool');
    if (this.host.verdict('vkDestroyCommandPool')) return;
    this.inner.destroyCommandPool(h);
    if (!record) return;
    for (const commandBuffer of children) this.endCommandBufferRecord(commandBuffer);
    this.table.recordEnd(record);
  }

  resetCommandPool(pool: CommandPool): void {
    const h = handle(pool);
    const record = this.host.begin() ? this.known<CommandPoolRecord>(h, 'VkCommandPool') : undefined;
    const children = this.poolChildren(record, 'vkResetCommandPool');
    if (this.host.verdict('vkResetCommandPool')) return;
    this.inner.resetCommandPool(h);
    for (const commandBuffer of children) this.restart(commandBuffer, 'initial');
  }

  allocateCommandBuffers(info: CommandBufferAllocateInfo): CommandBuffer[] {
    const args = read(info, SHAPES.commandBufferAllocateInfo);
    const commandBuffers = this.inner.allocateCommandBuffers(args);
    const pool = this.host.begin() ? this.known<CommandPoolRecord>(args.commandPool, 'VkCommandPool') : undefined;
    if (pool) {
      for (const commandBuffer of commandBuffers) {
        this.newRecord<CommandBufferRecord>(commandBuffer, pool, {
          state: 'initial',
          invalidReason: '',
          usageFlags: 0,
          submitCount: 0,
          commands: [],
          references: new Set(),
          bound: { pipeline: undefined, sets: [] },
          submission: undefined,
        });
      }
    }
    return commandBuffers;
  }

  freeCommandBuffers(pool: CommandPool, commandBuffers: readonly CommandBuffer[]): void {
    const h = handle(pool);
    const handles = read(commandBuffers, SHAPES.handles);
    const live = this.host.begin();
    const records = list(handles).map((value, i) => {
      const record = live ? this.known<CommandBufferRecord>(value, 'VkCommandBuffer') : undefined;
      if (record) this.report(commandBufferStateProblems(record, 'vkFreeCommandBuffers', `pCommandBuffers[${i}]`));
      return record;
    });
    if (this.host.verdict('vkFreeCommandBuffers')) return;
    this.inner.freeCommandBuffers(h, handles);
    for (const record of new Set(records)) if (record) this.endCommandBufferRecord(record);
  }

  beginCommandBuffer(commandBuffer: CommandBuffer, info?: CommandBufferBeginInfo): void {
    const h = handle(commandBuffer);
    const args = read(info, SHAPES.commandBufferBeginInfo);
    const record = this.lifecycle(h, 'vkBeginCommandBuffer');
    if (this.host.verdict('vkBeginCommandBuffer')) return;
    this.inner.beginCommandBuffer(h, args);
    if (!record) return;
    this.restart(record, 'recording');
    record.usageFlags = (isStructure(args) ? uint32(args.flags) : undefined) ?? 0;
  }

  endCommandBuffer(commandBuffer: CommandBuffer): void {
    const h = handle(commandBuffer);
    const record = this.lifecycle(h, 'vkEndCommandBuffer');
    if (this.host.verdict('vkEndCommandBuffer')) return;
    this.inner.endCommandBuffer(h);
    if (record) record.state = 'executable';
  }

  resetCommandBuffer(commandBuffer: CommandBuffer): void {
    const h = handle(commandBuffer);
    const record = this.host.begin() ? this.known<CommandBufferRecord>(h, 'VkCommandBuffer') : undefined;
    if (record) {
      this.report([resettableProblem(record, 'commandBuffer')]);
      this.report(commandBufferStateProblems(record, 'vkResetCommandBuffer', 'commandBuffer'));
    }
    if (this.host.verdict('vkResetCommandBuffer')) return;
    this.inner.resetCommandBuffer(h);
    if (record) this.restart(record, 'initial');
  }

  // ---- recording ------------------------------------------------------------------------------------

  cmdBindPipeline(commandBuffer: CommandBuffer, bindPoint: number, pipeline: Pipeline): void {
    const h = handle(commandBuffer);
    const p = handle(pipeline);
    const cb = this.lifecycle(h, 'vkCmdBindPipeline');
    if (this.host.verdict('vkCmdBindPipeline')) return;
    this.inner.cmdBindPipeline(h, bindPoint, p);
    if (!cb) return;
    const record = this.known<PipelineRecord>(p, 'VkPipeline');
    if (!record) this.opaque.add(cb);
    else this.append(cb, [record], []);
    cb.bound.pipeline = record;
  }

  cmdBindDescriptorSets(
    commandBuffer: CommandBuffer,
    bindPoint: number,
    layout: PipelineLayout,
    firstSet: number,
    sets: readonly DescriptorSet[],
    dynamicOffsets?: readonly number[],
  ): void {
    const h = handle(commandBuffer);
    const l = handle(layout);
    const handles = read(sets, SHAPES.handles);
    const offsets = read(dynamicOffsets, SHAPES.numbers);
    const cb = this.lifecycle(h, 'vkCmdBindDescriptorSets');
    if (this.host.verdict('vkCmdBindDescriptorSets')) return;
    this.inner.cmdBindDescriptorSets(h, bindPoint, l, firstSet, handles, offsets);
    if (!cb) return;
    const layoutRecord = this.known<PipelineLayoutRecord>(l, 'VkPipelineLayout');
    const records = handles.map((s) => this.known<DescriptorSetRecord>(s, 'VkDescriptorSet'));
    if (!layoutRecord || records.some((r) => r === undefined)) {
      this.opaque.add(cb);
      return;
    }
    this.append(cb, [layoutRecord, ...(records as DescriptorSetRecord[])], []);
    records.forEach((set, i) => {
      cb.bound.sets[firstSet + i] = { set: set!, layout: layoutRecord.shape.setLayouts[firstSet + i]! };
    });
  }

  cmdPushConstants(
    commandBuffer: CommandBuffer,
    layout: PipelineLayout,
    stageFlags: number,
    offset: number,
    values: Uint8Array,
  ): void {
    const h = handle(commandBuffer);
    const l = handle(layout);
    const bytes = read(values, SHAPES.bytes);
    const cb = this.lifecycle(h, 'vkCmdPushConstants');
    if (this.host.verdict('vkCmdPushConstants')) return;
    this.inner.cmdPushConstants(h, l, stageFlags, offset, bytes);
    const layoutRecord = this.known(l, 'VkPipelineLayout');
    if (cb && layoutRecord) this.append(cb, [layoutRecord], []);
  }

  cmdDispatch(commandBuffer: CommandBuffer, groupCountX: number, groupCountY: number, groupCountZ: number): void {
    const h = handle(commandBuffer);
    const cb = this.lifecycle(h, 'vkCmdDispatch');
    const counts = [uint32(groupCountX), uint32(groupCountY), uint32(groupCountZ)];
    if (cb && cb.state === 'recording' && !this.opaque.has(cb) && counts.every((c) => c !== undefined))
      this.report(
        dispatchProblems(this.table, cb, counts as [number, number, number], this.host.limits.maxComputeWorkGroupCount),
      );
    if (this.host.verdict('vkCmdDispatch')) return;
    this.inner.cmdDispatch(h, groupCountX, groupCountY, groupCountZ);
    if (!cb || this.opaque.has(cb) || !cb.bound.pipeline) return;
    // What the dispatch reads and writes: every descriptor of the sets of the bound pipeline's layout.
    const accesses: DeviceAccess[] = [];
    cb.bound.pipeline.layout.setLayouts.forEach((_, index) => {
      const set = cb.bound.sets[index]?.set;
      if (!set) return;
      for (const [binding, elements] of set.contents) {
        const type = set.layout.bindings.get(binding)?.descriptorType;
        for (const descriptor of elements) {
          const range = descriptor && this.memoryRange(descriptor.buffer, descriptor.offset, descriptor.range);
          if (!range) continue;
          accesses.push({ kind: 'read', stage: 'compute', ...range });
          if (type === VK_DESCRIPTOR_TYPE_STORAGE_BUFFER) accesses.push({ kind: 'write', stage: 'compute', ...range });
        }
      }
    });
    this.accessesOf(cb).push(...accesses);
  }

  cmdPipelineBarrier(commandBuffer: CommandBuffer, info: PipelineBarrierInfo): void {
    const h = handle(commandBuffer);
    const args = read(info, SHAPES.pipelineBarrierInfo);
    const cb = this.lifecycle(h, 'vkCmdPipelineBarrier');
    if (this.host.verdict('vkCmdPipelineBarrier')) return;
    this.inner.cmdPipelineBarrier(h, args);
    if (!cb) return;
    const buffers: BufferRecord[] = [];
    const bufferBarriers: (MemoryRange & { srcAccessMask: number; dstAccessMask: number })[] = [];
    for (const barrier of args.bufferMemoryBarriers ?? []) {
      const buffer = this.known<BufferRecord>(barrier.buffer, 'VkBuffer');
      const offset = deviceSize(barrier.offset);
      const size = deviceSize(barrier.size);
      if (!buffer || offset === undefined || size === undefined) continue;
      buffers.push(buffer);
      const range = this.memoryRange(buffer, offset, size === VK_WHOLE_SIZE ? buffer.object.size - offset : size);
      if (range)
        bufferBarriers.push({
          ...range,
          srcAccessMask: barrier.srcAccessMask ?? 0,
          dstAccessMask: barrier.dstAccessMask ?? 0,
        });
    }
    const memoryBarriers = (args.memoryBarriers ?? []).map((b) => ({
      srcAccessMask: b.srcAccessMask ?? 0,
      dstAccessMask: b.dstAccessMask ?? 0,
    }));
    this.append(cb, buffers, hostBarriers(args.srcStageMask, args.dstStageMask, memoryBarriers, bufferBarriers));
  }

  cmdCopyBuffer(commandBuffer: CommandBuffer, src: Buffer, dst: Buffer, regions: readonly BufferCopy[]): void {
    const h = handle(commandBuffer);
    const s = handle(src);
    const d = handle(dst);
    const args = read(regions, SHAPES.bufferCopies);
    const cb = this.lifecycle(h, 'vkCmdCopyBuffer');
    if (this.host.verdict('vkCmdCopyBuffer')) return;
    this.inner.cmdCopyBuffer(h, s, d, args);
    const source = this.known<BufferRecord>(s, 'VkBuffer');
    const destination = this.known<BufferRecord>(d, 'VkBuffer');
    if (!cb || !source || !destination) return;
    const accesses: DeviceAccess[] = [];
    for (const region of args) {
      const size = deviceSize(region.size)!;
      const from = this.memoryRange(source, deviceSize(region.srcOffset)!, size);
      const to = this.memoryRange(destination, deviceSize(region.dstOffset)!, size);
      if (from) accesses.push({ kind: 'read', stage: 'transfer', ...from });
      if (to) accesses.push({ kind: 'write', stage: 'transfer', ...to });
    }
    this.append(cb, [source, destination], accesses);
  }

  cmdFillBuffer(
    commandBuffer: CommandBuffer,
    dst: Buffer,
    dstOffset: DeviceSizeInput,
    size: DeviceSizeInput,
    data: number,
  ): void {
    const h = handle(commandBuffer);
    const d = handle(dst);
    const cb = this.lifecycle(h, 'vkCmdFillBuffer');
    if (this.host.verdict('vkCmdFillBuffer')) return;
    this.inner.cmdFillBuffer(h, d, dstOffset, size, data);
    const buffer = this.known<BufferRecord>(d, 'VkBuffer');
    if (!cb || !buffer) return;
    const offset = deviceSize(dstOffset)!;
    const requested = deviceSize(size)!;
    // As the front resolves it: VK_WHOLE_SIZE fills to the end in whole words; nothing when no word is left.
    let filled = requested === VK_WHOLE_SIZE ? buffer.object.size - offset : requested;
    if (requested === VK_WHOLE_SIZE) filled -= filled % 4n;
    if (filled === 0n) return;
    const range = this.memoryRange(buffer, offset, filled);
    this.append(cb, [buffer], range ? [{ kind: 'write', stage: 'transfer', ...range }] : []);
  }

  // ---- queues and fences ----------------------------------------------------------------------------

  getDeviceQueue(queueFamilyIndex: number, queueIndex: number): Queue {
    const queue = this.inner.getDeviceQueue(queueFamilyIndex, queueIndex);
    if (this.host.begin() && !this.known(queue, 'VkQueue'))
      this.newRecord<QueueRecord>(queue as FrontQueue, undefined, {});
    return queue;
  }

  queueSubmit(queue: Queue, submits: readonly SubmitInfo[], fence?: Fence | null): void {
    const q = handle(queue);
    const args = read(submits, SHAPES.submitInfos);
    const f = handle(fence);
    const live = this.host.begin();
    const queueRecord = live ? this.known<QueueRecord>(q, 'VkQueue') : undefined;
    const fenceRecord = live && f ? this.known<FenceRecord>(f, 'VkFence') : undefined;
    const seen = new Set<CommandBufferRecord>();
    let complete = live && queueRecord !== undefined && (!f || fenceRecord !== undefined);
    list(args).forEach((submit, i) => {
      list(isStructure(submit) ? submit.commandBuffers : undefined).forEach((value, k) => {
        const argument = `pSubmits[${i}].commandBuffers[${k}]`;
        const record = live ? this.known<CommandBufferRecord>(value, 'VkCommandBuffer') : undefined;
        if (!record) {
          complete = false;
          return;
        }
        this.report(commandBufferStateProblems(record, 'vkQueueSubmit', argument, seen.has(record)));
        if (queueRecord) this.report([queueFamilyProblem(record, queueRecord, argument)]);
        if (this.opaque.has(record)) complete = false;
        seen.add(record);
      });
    });
    if (fenceRecord) this.report([submitFenceProblem(fenceRecord)]);
    const use = submissionUse([...seen].map((cb) => this.accesses.get(cb) ?? []));
    if (this.host.failures.isEmpty) {
      for (const hazard of this.host.hostAccess.checkSubmit(use, (memory) => this.host.mappedBytes(memory)))
        this.host.failures.add(hazard.vuid, hazard.message);
    }
    if (this.host.verdict('vkQueueSubmit')) return;
    this.inner.queueSubmit(q, args, f);
    if (!complete || !queueRecord) return;
    const commandBuffers = [...seen];
    const submission = this.submissions.submit(
      queueRecord,
      fenceRecord,
      commandBuffers,
      submissionUses(commandBuffers),
    );
    this.host.hostAccess.submitted(submission, use);
  }

  queueWaitIdle(queue: Queue): void {
    const q = handle(queue);
    this.inner.queueWaitIdle(q);
    const record = this.host.begin() ? this.known<QueueRecord>(q, 'VkQueue') : undefined;
    if (record) this.submissions.queueIdle(record);
  }

  deviceWaitIdle(): void {
    this.inner.deviceWaitIdle();
    if (this.host.begin()) this.submissions.deviceIdle();
  }

  /** The device is destroyed: it waited for its work first. */
  deviceDestroyed(): void {
    this.submissions.deviceIdle();
  }

  createFence(info?: FenceCreateInfo): Fence {
    const args = read(info, SHAPES.fenceCreateInfo);
    const fence = this.inner.createFence(args);
    if (this.host.begin()) {
      const signaled = ((isStructure(args) ? uint32(args.flags) : 0) ?? 0) & 0x1;
      this.newRecord<FenceRecord>(fence, undefined, {
        status: signaled ? 'signaled' : 'unsignaled',
        submission: undefined,
        asyncWaits: 0,
      });
    }
    return fence;
  }

  destroyFence(fence: Fence | null): void {
    const h = handle(fence);
    const record = this.host.begin() ? this.known<FenceRecord>(h, 'VkFence') : undefined;
    if (record) this.report([pendingFenceProblem(record, 'VUID-vkDestroyFence-fence-01120', 'fence')]);
    if (this.host.verdict('vkDestroyFence')) return;
    this.inner.destroyFence(h);
    if (record) this.table.recordEnd(record);
  }

  resetFences(fences: readonly Fence[]): void {
    const handles = read(fences, SHAPES.handles);
    const live = this.host.begin();
    const records = list(handles).map((value, i) => {
      const record = live ? this.known<FenceRecord>(value, 'VkFence') : undefined;
      if (record) this.report([pendingFenceProblem(record, 'VUID-vkResetFences-pFences-01123', `pFences[${i}]`)]);
      return record;
    });
    if (this.host.verdict('vkResetFences')) return;
    this.inner.resetFences(handles);
    for (const record of records) if (record) record.status = 'unsignaled';
  }

  getFenceStatus(fence: Fence): 'VK_SUCCESS' | 'VK_NOT_READY' {
    const h = handle(fence);
    const result = this.inner.getFenceStatus(h);
    const record = this.host.begin() ? this.known<FenceRecord>(h, 'VkFence') : undefined;
    if (result === 'VK_SUCCESS' && record?.status === 'pending') this.submissions.fenceSignaled(record);
    return result;
  }

  waitForFences(fences: readonly Fence[], waitAll: boolean, timeout: DeviceSizeInput): 'VK_SUCCESS' | 'VK_TIMEOUT' {
    const handles = read(fences, SHAPES.handles);
    const result = this.inner.waitForFences(handles, waitAll, timeout);
    if (result === 'VK_SUCCESS') this.observe(handles, waitAll);
    return result;
  }

  waitForFencesAsync(
    fences: readonly Fence[],
    waitAll: boolean,
    timeout: DeviceSizeInput,
  ): Promise<'VK_SUCCESS' | 'VK_TIMEOUT'> {
    const handles = read(fences, SHAPES.handles);
    return this.inner.waitForFencesAsync(handles, waitAll, timeout).then((result) => {
      if (result === 'VK_SUCCESS') this.observe(handles, waitAll);
      return result;
    });
  }

  /** A wait on `fences` succeeded: with waitAll every one is signaled; otherwise ask which are. */
  private observe(fences: readonly Fence[], waitAll: boolean): void {
    if (this.host.inner.isDestroyed || !this.host.begin()) return;
    for (const fence of fences) {
      const record = this.known<FenceRecord>(fence, 'VkFence');
      if (record?.status !== 'pending') continue;
      if (waitAll || this.inner.getFenceStatus(fence) === 'VK_SUCCESS') this.submissions.fenceSignaled(record);
    }
  }

  // ---- internals ------------------------------------------------------------------------------------

  /** The command buffer's record, with the rules of `command` for its state reported. */
  private lifecycle(value: unknown, command: LifecycleCommand): CommandBufferRecord | undefined {
    const record = this.host.begin() ? this.known<CommandBufferRecord>(value, 'VkCommandBuffer') : undefined;
    if (record) this.report(commandBufferStateProblems(record, command, 'commandBuffer'));
    return record;
  }

  /** A pool's command buffers, with `command`'s rule reported for each that is pending. */
  private poolChildren(
    pool: CommandPoolRecord | undefined,
    command: 'vkDestroyCommandPool' | 'vkResetCommandPool',
  ): CommandBufferRecord[] {
    const children = pool ? ([...pool.children] as CommandBufferRecord[]) : [];
    for (const commandBuffer of children)
      this.report(commandBufferStateProblems(commandBuffer, command, 'commandPool'));
    return children;
  }

  /** Begin or reset: the command buffer forgets what it recorded. */
  private restart(commandBuffer: CommandBufferRecord, state: 'initial' | 'recording'): void {
    clearRecording(commandBuffer);
    this.accesses.delete(commandBuffer);
    this.opaque.delete(commandBuffer);
    commandBuffer.state = state;
  }

  private endCommandBufferRecord(commandBuffer: CommandBufferRecord): void {
    this.restart(commandBuffer, 'initial');
    this.table.recordEnd(commandBuffer);
  }

  private accessesOf(commandBuffer: CommandBufferRecord): DeviceAccess[] {
    let accesses = this.accesses.get(commandBuffer);
    if (!accesses) this.accesses.set(commandBuffer, (accesses = []));
    return accesses;
  }

  /** A recorded command: what it uses, and what it reads and writes. */
  private append(
    commandBuffer: CommandBufferRecord,
    uses: readonly ObjectRecord[],
    accesses: readonly DeviceAccess[],
  ): void {
    for (const record of uses) {
      commandBuffer.references.add(record);
      record.dependents.add(commandBuffer);
    }
    if (accesses.length > 0) this.accessesOf(commandBuffer).push(...accesses);
  }

  /** Bytes [offset, offset + size) of a bound buffer, as a range of its memory. */
  private memoryRange(buffer: BufferRecord, offset: bigint, size: bigint): MemoryRange | undefined {
    const memory = buffer.memory;
    if (!memory || buffer.memoryFreed) return undefined;
    const start = buffer.memoryOffset + offset;
    return { memory, start, end: start + size };
  }
}
