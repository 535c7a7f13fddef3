/**
 * Descriptor pools and sets: vkCreateDescriptorPool, vkDestroyDescriptorPool, vkAllocateDescriptorSets,
 * vkFreeDescriptorSets, vkUpdateDescriptorSets (storage and uniform buffer writes). A set is a child of its
 * pool; the front keeps what is written into each set, so that a submission knows which buffers it reads.
 */
import type { BackendDescriptorWrite } from '../backend/index.js';
import { VkDescriptorPoolCreateFlagBits } from '../constants.js';
import type {
  DescriptorPool,
  DescriptorPoolCreateInfo,
  DescriptorSet,
  DescriptorSetAllocateInfo,
  WriteDescriptorSet,
} from '../contract/index.js';
import { VkmapArgumentError } from '../errors.js';
import type { HandleTable, ObjectRecord } from '../handle-table.js';
import { snapshotArgument, snapshotHandle, SHAPES } from '../snapshot.js';
import {
  arrayArg,
  deviceSizeArg,
  flagsArg,
  optionalUint32Arg,
  positiveUint32Arg,
  structureArg,
  uint32Arg,
} from './arguments.js';
import { bufferDescriptorProblems, pendingProblem, throwFirst, writeProblems } from './compute-rules.js';
import { FrontHandle } from './handles.js';
import { describeHandle } from './misuse.js';
import { dropDependent, invalidateDependents, liveObject, optionalObject, type ComputeContext } from './objects.js';
import { descriptorTypeArg } from './pipelines.js';
import type {
  BufferDescriptor,
  BufferRecord,
  DescriptorPoolRecord,
  DescriptorSetRecord,
  SetLayoutRecord,
} from './records.js';

const { VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT } = VkDescriptorPoolCreateFlagBits;
const POOL_FLAG_NAMES = { VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT };

/** The buffers a set holds now. */
export function buffersIn(set: DescriptorSetRecord): Set<BufferRecord> {
  const buffers = new Set<BufferRecord>();
  for (const elements of set.contents.values()) for (const d of elements) if (d) buffers.add(d.buffer);
  return buffers;
}

/** A write as the front resolved it, for `recordDescriptorWrites`. */
export interface ResolvedWrite {
  readonly set: DescriptorSetRecord;
  readonly binding: number;
  readonly first: number;
  readonly descriptors: readonly BufferDescriptor[];
}

/**
 * vkUpdateDescriptorSets succeeded: each set holds what was written, what bound it is invalid, and it depends
 * on exactly the buffers it holds.
 */
export function recordDescriptorWrites(writes: readonly ResolvedWrite[]): void {
  const before = new Map<DescriptorSetRecord, Set<BufferRecord>>();
  for (const { set } of writes) if (!before.has(set)) before.set(set, buffersIn(set));
  for (const { set, binding, first, descriptors } of writes) {
    let elements = set.contents.get(binding);
    if (!elements) {
      elements = new Array(set.layout.bindings.get(binding)!.descriptorCount).fill(undefined);
      set.contents.set(binding, elements);
    }
    descriptors.forEach((d, k) => (elements[first + k] = d));
  }
  for (const [set, held] of before) {
    invalidateDependents(set.dependents, `${describeHandle(set.object)}, which it binds, was updated`);
    const holds = buffersIn(set);
    for (const buffer of held) if (!holds.has(buffer)) buffer.dependents.delete(set);
    for (const buffer of holds) buffer.dependents.add(set);
  }
}

/** A set ended (freed, or with its pool): what bound it is invalid, and its buffers forget it. */
export function recordSetEnd(table: HandleTable<unknown>, set: DescriptorSetRecord, how: string): void {
  invalidateDependents(set.dependents, `${describeHandle(set.object)}, which it binds, ${how}`);
  dropDependent(set, buffersIn(set) as Set<ObjectRecord>);
  table.recordEnd(set);
}

export class Descriptors {
  readonly #ctx: ComputeContext;

  constructor(ctx: ComputeContext) {
    this.#ctx = ctx;
  }

  createDescriptorPool(info: DescriptorPoolCreateInfo): DescriptorPool {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.descriptorPoolCreateInfo);
    ctx.enter('vkCreateDescriptorPool');
    const args = structureArg(snapshot, 'pCreateInfo', 'DescriptorPoolCreateInfo');
    const flags = flagsArg(args.flags, 'pCreateInfo.flags', 'VkDescriptorPoolCreateFlags', POOL_FLAG_NAMES);
    const maxSets = positiveUint32Arg(args.maxSets, 'pCreateInfo.maxSets');
    const poolSizes = arrayArg(args.poolSizes, 'pCreateInfo.poolSizes', 'DescriptorPoolSize objects').map(
      (value, i) => {
        const at = `pCreateInfo.poolSizes[${i}]`;
        const size = structureArg(value, at, 'DescriptorPoolSize');
        return Object.freeze({
          type: descriptorTypeArg(size.type, `${at}.type`),
          descriptorCount: positiveUint32Arg(size.descriptorCount, `${at}.descriptorCount`),
        });
      },
    );
    const backend = ctx.backend.createDescriptorPool({ flags, maxSets, poolSizes });
    const object = new FrontHandle('VkDescriptorPool', ctx.newHandle());
    ctx.table.recordObject<DescriptorPoolRecord>({
      object,
      backend,
      parent: undefined,
      children: new Set(),
      dependents: new Set(),
      flags,
    });
    return object as DescriptorPool;
  }

  destroyDescriptorPool(pool: DescriptorPool | null): void {
    const ctx = this.#ctx;
    ctx.enter('vkDestroyDescriptorPool');
    const record = optionalObject<DescriptorPoolRecord>(
      ctx,
      snapshotHandle(pool),
      'VkDescriptorPool',
      'descriptorPool',
    );
    if (!record) return;
    const sets = [...record.children] as DescriptorSetRecord[];
    throwFirst(
      sets.map((set) =>
        pendingProblem(
          ctx.table,
          set.object,
          'VUID-vkDestroyDescriptorPool-descriptorPool-00303',
          'descriptorPool',
          `${describeHandle(set.object)}, allocated from it,`,
        ),
      ),
    );
    ctx.backend.destroyDescriptorPool(record.backend);
    for (const set of sets) this.endSet(set, 'its pool was destroyed');
    ctx.table.recordEnd(record);
  }

  allocateDescriptorSets(info: DescriptorSetAllocateInfo): DescriptorSet[] {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.descriptorSetAllocateInfo);
    ctx.enter('vkAllocateDescriptorSets');
    const args = structureArg(snapshot, 'pAllocateInfo', 'DescriptorSetAllocateInfo');
    const pool = liveObject<DescriptorPoolRecord>(
      ctx,
      args.descriptorPool,
      'VkDescriptorPool',
      'pAllocateInfo.descriptorPool',
    );
    const layouts = arrayArg(args.setLayouts, 'pAllocateInfo.setLayouts', 'DescriptorSetLayout handles', true).map(
      (value, i) => liveObject<SetLayoutRecord>(ctx, value, 'VkDescriptorSetLayout', `pAllocateInfo.setLayouts[${i}]`),
    );
    const backends = ctx.backend.allocateDescriptorSets(
      pool.backend,
      layouts.map((l) => l.backend),
    );
    return backends.map((backend, i) => {
      const object = new FrontHandle('VkDescriptorSet', ctx.newHandle());
      ctx.table.recordObject<DescriptorSetRecord>({
        object,
        backend,
        parent: pool,
        children: new Set(),
        dependents: new Set(),
        layout: layouts[i]!.shape,
        contents: new Map(),
      });
      return object as DescriptorSet;
    });
  }

  freeDescriptorSets(pool: DescriptorPool, sets: readonly DescriptorSet[]): void {
    const ctx = this.#ctx;
    const poolHandle = snapshotHandle(pool);
    const handles = snapshotArgument(sets, SHAPES.handles);
    ctx.enter('vkFreeDescriptorSets');
    const poolRecord = liveObject<DescriptorPoolRecord>(ctx, poolHandle, 'VkDescriptorPool', 'descriptorPool');
    const list = arrayArg(handles, 'pDescriptorSets', 'DescriptorSet handles', true);
    if ((poolRecord.flags & VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT) === 0) {
      throw new VkmapArgumentError(
        'descriptorPool',
        `${describeHandle(poolRecord.object)} was created without VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT, so its sets cannot be freed one by one; destroy the pool instead`,
      );
    }
    const records = new Set<DescriptorSetRecord>();
    list.forEach((value, i) => {
      const argument = `pDescriptorSets[${i}]`;
      const set = optionalObject<DescriptorSetRecord>(ctx, value, 'VkDescriptorSet', argument);
      if (!set) return;
      if (set.parent !== poolRecord) {
        throw new VkmapArgumentError(
          argument,
          `${describeHandle(set.object)} was allocated from ${describeHandle(set.parent.object)}, not ${describeHandle(poolRecord.object)}`,
        );
      }
      if (records.has(set)) throw new VkmapArgumentError(argument, `${describeHandle(set.object)} is listed twice`);
      throwFirst([pendingProblem(ctx.table, set.object, 'VUID-vkFreeDescriptorSets-pDescriptorSets-00309', argument)]);
      records.add(set);
    });
    if (records.size === 0) return;
    ctx.backend.freeDescriptorSets(
      poolRecord.backend,
      [...records].map((s) => s.backend),
    );
    for (const set of records) this.endSet(set, 'was freed');
  }

  updateDescriptorSets(writes: readonly WriteDescriptorSet[]): void {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(writes, SHAPES.writeDescriptorSets);
    ctx.enter('vkUpdateDescriptorSets');
    const list = arrayArg(snapshot, 'pDescriptorWrites', 'WriteDescriptorSet objects');
    const resolved = list.map((value, i) => this.write(value, `pDescriptorWrites[${i}]`));
    if (resolved.length === 0) return;
    ctx.backend.updateDescriptorSets(resolved.map((w) => w.backend));
    recordDescriptorWrites(resolved);
  }

  /** Device destroy: every pool left and its sets (no work is pending). */
  destroyAll(): void {
    for (const pool of [...this.#ctx.table.objectsOf<DescriptorPoolRecord>('VkDescriptorPool')]) {
      this.#ctx.backend.destroyDescriptorPool(pool.backend);
      for (const set of [...pool.children] as DescriptorSetRecord[]) this.endSet(set, 'its pool was destroyed');
      this.#ctx.table.recordEnd(pool);
    }
  }

  private endSet(set: DescriptorSetRecord, how: string): void {
    recordSetEnd(this.#ctx.table, set, how);
  }

  /** One write, checked whole; nothing is changed until every write of the call is. */
  private write(value: unknown, at: string) {
    const ctx = this.#ctx;
    const write = structureArg(value, at, 'WriteDescriptorSet');
    const set = liveObject<DescriptorSetRecord>(ctx, write.dstSet, 'VkDescriptorSet', `${at}.dstSet`);
    throwFirst([pendingProblem(ctx.table, set.object, 'VUID-vkUpdateDescriptorSets-None-03047', `${at}.dstSet`)]);
    const binding = uint32Arg(write.dstBinding, `${at}.dstBinding`);
    const first = optionalUint32Arg(write.dstArrayElement, `${at}.dstArrayElement`, 0);
    const type = descriptorTypeArg(write.descriptorType, `${at}.descriptorType`);
    const infos = arrayArg(write.bufferInfo, `${at}.bufferInfo`, 'DescriptorBufferInfo objects', true);
    throwFirst(writeProblems(set, binding, type, first, infos.length, at));
    const descriptors = infos.map((info, k) => this.bufferDescriptor(info, `${at}.bufferInfo[${k}]`, type));
    const backend: BackendDescriptorWrite<unknown, unknown> = {
      set: set.backend,
      binding,
      arrayElement: first,
      descriptorType: type,
      buffers: descriptors.map((d) => ({ buffer: d.buffer.backend, offset: d.offset, range: d.range })),
    };
    return { set, binding, first, descriptors, backend };
  }

  private bufferDescriptor(value: unknown, at: string, descriptorType: number): BufferDescriptor {
    const ctx = this.#ctx;
    const info = structureArg(value, at, 'DescriptorBufferInfo');
    const buffer = liveObject<BufferRecord>(ctx, info.buffer, 'VkBuffer', `${at}.buffer`);
    const offset = deviceSizeArg(info.offset, `${at}.offset`);
    const requested = deviceSizeArg(info.range, `${at}.range`);
    const { problems, range } = bufferDescriptorProblems(buffer, offset, requested, descriptorType, ctx.limits, at);
    throwFirst(problems);
    return Object.freeze({ buffer, offset, range: range! });
  }
}
