/**
 * Shader modules, descriptor set layouts, pipeline layouts and compute pipelines: their creation and
 * destruction. Layouts are kept as data (`SetLayoutShape`, `PipelineLayoutShape`) by what uses them, so a
 * layout object may be destroyed once what was made from it exists, as Vulkan allows.
 */
import type { BackendDescriptorBinding, BackendPushConstantRange, BackendSpecialization } from '../backend/index.js';
import { SPIRV_MAGIC_NUMBER, VkDescriptorType, VkShaderStageFlagBits } from '../constants.js';
import type {
  ComputePipelineCreateInfo,
  DescriptorSetLayout,
  DescriptorSetLayoutCreateInfo,
  Pipeline,
  PipelineLayout,
  PipelineLayoutCreateInfo,
  ShaderModule,
  ShaderModuleCreateInfo,
} from '../contract/index.js';
import { describeValue } from '../device-size.js';
import { VkmapArgumentError } from '../errors.js';
import type { ObjectRecord } from '../handle-table.js';
import { snapshotArgument, snapshotHandle, SHAPES } from '../snapshot.js';
import {
  arrayArg,
  flagsArg,
  isStructure,
  optionalArrayArg,
  requireMultipleOf4,
  structureArg,
  typedArrayArg,
  uint32Arg,
} from './arguments.js';
import { pendingProblem, throwFirst } from './compute-rules.js';
import { FrontHandle } from './handles.js';
import { describeHandle } from './misuse.js';
import { invalidateDependents, liveObject, optionalObject, refusePending, type ComputeContext } from './objects.js';
import type {
  PipelineLayoutRecord,
  PipelineLayoutShape,
  PipelineRecord,
  SetLayoutRecord,
  SetLayoutShape,
} from './records.js';

const { VK_SHADER_STAGE_COMPUTE_BIT } = VkShaderStageFlagBits;
const STAGE_NAMES = { VK_SHADER_STAGE_COMPUTE_BIT };
const DESCRIPTOR_TYPES: ReadonlySet<number> = new Set(Object.values(VkDescriptorType));

/** The descriptor types vkmap offers, for messages. */
export function descriptorTypeList(): string {
  return Object.entries(VkDescriptorType)
    .map(([name, value]) => `${name} (${value})`)
    .join(' or ');
}

/** A descriptor type argument: one vkmap offers. */
export function descriptorTypeArg(value: unknown, argument: string): number {
  const type = uint32Arg(value, argument);
  if (!DESCRIPTOR_TYPES.has(type)) throw new VkmapArgumentError(argument, `${type} is not ${descriptorTypeList()}`);
  return type;
}

/** Shader stage flags of the compute subset: COMPUTE only; `nonZero` where the specification needs a stage. */
export function stageFlagsArg(value: unknown, argument: string, nonZero: boolean): number {
  const flags = flagsArg(value, argument, 'VkShaderStageFlags', STAGE_NAMES);
  if (nonZero && flags === 0) throw new VkmapArgumentError(argument, 'must not be 0');
  return flags;
}

/** A set layout as data: its bindings by number, and a key equal for identically defined layouts. */
export function shapeOf(bindings: readonly BackendDescriptorBinding[]): SetLayoutShape {
  const sorted = [...bindings].sort((a, b) => a.binding - b.binding);
  return Object.freeze({
    bindings: new Map(sorted.map((b) => [b.binding, b])),
    key: sorted.map((b) => `${b.binding}:${b.descriptorType}:${b.descriptorCount}:${b.stageFlags}`).join(','),
  });
}

function newRecord<R extends ObjectRecord>(
  ctx: ComputeContext,
  object: FrontHandle,
  backend: unknown,
  rest: Omit<R, keyof ObjectRecord>,
): R {
  return ctx.table.recordObject({
    object,
    backend,
    parent: undefined,
    children: new Set(),
    dependents: new Set(),
    ...rest,
  } as unknown as R);
}

export class Pipelines {
  readonly #ctx: ComputeContext;

  constructor(ctx: ComputeContext) {
    this.#ctx = ctx;
  }

  createShaderModule(info: ShaderModuleCreateInfo): ShaderModule {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.shaderModuleCreateInfo);
    ctx.enter('vkCreateShaderModule');
    const args = structureArg(snapshot, 'pCreateInfo', 'ShaderModuleCreateInfo');
    const code = typedArrayArg(args.code, 'pCreateInfo.code', Uint32Array);
    if (code.length === 0) throw new VkmapArgumentError('pCreateInfo.code', 'must hold at least one SPIR-V word');
    if (code[0] !== SPIRV_MAGIC_NUMBER) {
      throw new VkmapArgumentError(
        'pCreateInfo.code',
        `is not SPIR-V: its first word is 0x${code[0]!.toString(16)}, not the magic number 0x${SPIRV_MAGIC_NUMBER.toString(16).padStart(8, '0')}`,
      );
    }
    const object = new FrontHandle('VkShaderModule', ctx.newHandle());
    newRecord<ObjectRecord>(ctx, object, ctx.backend.createShaderModule(code), {});
    return object as ShaderModule;
  }

  destroyShaderModule(module: ShaderModule | null): void {
    this.destroySimple('vkDestroyShaderModule', module, 'VkShaderModule', 'shaderModule', (r) =>
      this.#ctx.backend.destroyShaderModule(r.backend),
    );
  }

  createDescriptorSetLayout(info: DescriptorSetLayoutCreateInfo): DescriptorSetLayout {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.descriptorSetLayoutCreateInfo);
    ctx.enter('vkCreateDescriptorSetLayout');
    const args = structureArg(snapshot, 'pCreateInfo', 'DescriptorSetLayoutCreateInfo');
    const list = optionalArrayArg(args.bindings, 'pCreateInfo.bindings', 'DescriptorSetLayoutBinding objects');
    const bindings: BackendDescriptorBinding[] = [];
    const seen = new Map<number, number>();
    list.forEach((value, i) => {
      const at = `pCreateInfo.bindings[${i}]`;
      const b = structureArg(value, at, 'DescriptorSetLayoutBinding');
      const binding = uint32Arg(b.binding, `${at}.binding`);
      const earlier = seen.get(binding);
      if (earlier !== undefined)
        throw new VkmapArgumentError(
          `${at}.binding`,
          `${binding} is already the binding number of bindings[${earlier}]`,
        );
      seen.set(binding, i);
      bindings.push(
        Object.freeze({
          binding,
          descriptorType: descriptorTypeArg(b.descriptorType, `${at}.descriptorType`),
          descriptorCount: uint32Arg(b.descriptorCount, `${at}.descriptorCount`),
          stageFlags: stageFlagsArg(b.stageFlags, `${at}.stageFlags`, false),
        }),
      );
    });
    const object = new FrontHandle('VkDescriptorSetLayout', ctx.newHandle());
    newRecord<SetLayoutRecord>(ctx, object, ctx.backend.createDescriptorSetLayout(bindings), {
      shape: shapeOf(bindings),
    });
    return object as DescriptorSetLayout;
  }

  destroyDescriptorSetLayout(layout: DescriptorSetLayout | null): void {
    this.destroySimple('vkDestroyDescriptorSetLayout', layout, 'VkDescriptorSetLayout', 'descriptorSetLayout', (r) =>
      this.#ctx.backend.destroyDescriptorSetLayout(r.backend),
    );
  }

  createPipelineLayout(info: PipelineLayoutCreateInfo): PipelineLayout {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(info, SHAPES.pipelineLayoutCreateInfo);
    ctx.enter('vkCreatePipelineLayout');
    const args = structureArg(snapshot, 'pCreateInfo', 'PipelineLayoutCreateInfo');
    const setLayoutList = optionalArrayArg(args.setLayouts, 'pCreateInfo.setLayouts', 'DescriptorSetLayout handles');
    const maxSets = ctx.limits.maxBoundDescriptorSets;
    if (setLayoutList.length > maxSets) {
      throw new VkmapArgumentError(
        'pCreateInfo.setLayouts',
        `holds ${setLayoutList.length} set layouts, more than maxBoundDescriptorSets (${maxSets})`,
      );
    }
    const setLayouts = setLayoutList.map((value, i) =>
      liveObject<SetLayoutRecord>(ctx, value, 'VkDescriptorSetLayout', `pCreateInfo.setLayouts[${i}]`),
    );
    const ranges = optionalArrayArg(
      args.pushConstantRanges,
      'pCreateInfo.pushConstantRanges',
      'PushConstantRange objects',
    ).map((value, i) => this.pushConstantRange(value, `pCreateInfo.pushConstantRanges[${i}]`));
    const backend = ctx.backend.createPipelineLayout({
      setLayouts: setLayouts.map((l) => l.backend),
      pushConstantRanges: ranges,
    });
    const object = new FrontHandle('VkPipelineLayout', ctx.newHandle());
    const shape: PipelineLayoutShape = Object.freeze({
      setLayouts: Object.freeze(setLayouts.map((l) => l.shape)),
      pushConstantRanges: Object.freeze(ranges),
    });
    newRecord<PipelineLayoutRecord>(ctx, object, backend, { shape });
    return object as PipelineLayout;
  }

  destroyPipelineLayout(layout: PipelineLayout | null): void {
    this.destroySimple('vkDestroyPipelineLayout', layout, 'VkPipelineLayout', 'pipelineLayout', (r) =>
      this.#ctx.backend.destroyPipelineLayout(r.backend),
    );
  }

  createComputePipelines(infos: readonly ComputePipelineCreateInfo[]): Pipeline[] {
    const ctx = this.#ctx;
    const snapshot = snapshotArgument(infos, SHAPES.computePipelineCreateInfos);
    ctx.enter('vkCreateComputePipelines');
    const list = arrayArg(snapshot, 'pCreateInfos', 'ComputePipelineCreateInfo objects', true);
    const requests = list.map((value, i) => this.pipelineRequest(value, `pCreateInfos[${i}]`));
    const made: PipelineRecord[] = [];
    try {
      for (const { request, layout } of requests) {
        const backend = ctx.backend.createComputePipeline(request);
        const object = new FrontHandle('VkPipeline', ctx.newHandle());
        made.push(newRecord<PipelineRecord>(ctx, object, backend, { layout }));
      }
    } catch (error) {
      // One pipeline failed: the call fails whole, so the ones made before it are destroyed again.
      for (const record of made) {
        ctx.backend.destroyPipeline(record.backend);
        ctx.table.recordEnd(record);
      }
      throw error;
    }
    return made.map((r) => r.object as Pipeline);
  }

  destroyPipeline(pipeline: Pipeline | null): void {
    this.destroySimple('vkDestroyPipeline', pipeline, 'VkPipeline', 'pipeline', (r) =>
      this.#ctx.backend.destroyPipeline(r.backend),
    );
  }

  /** Device destroy: what is left, pipelines before the layouts and modules they were made from. */
  destroyAll(): void {
    const ctx = this.#ctx;
    const end = (
      type: 'VkPipeline' | 'VkPipelineLayout' | 'VkDescriptorSetLayout' | 'VkShaderModule',
      destroy: (backend: unknown) => void,
    ) => {
      for (const record of [...ctx.table.objectsOf(type)]) {
        destroy(record.backend);
        ctx.table.recordEnd(record);
      }
    };
    end('VkPipeline', (b) => ctx.backend.destroyPipeline(b));
    end('VkPipelineLayout', (b) => ctx.backend.destroyPipelineLayout(b));
    end('VkDescriptorSetLayout', (b) => ctx.backend.destroyDescriptorSetLayout(b));
    end('VkShaderModule', (b) => ctx.backend.destroyShaderModule(b));
  }

  /**
   * The destroy commands of this file: `null` does nothing; refused while pending work uses the object;
   * command buffers that recorded it become invalid.
   */
  private destroySimple(
    command: 'vkDestroyShaderModule' | 'vkDestroyDescriptorSetLayout' | 'vkDestroyPipelineLayout' | 'vkDestroyPipeline',
    value: unknown,
    type: 'VkShaderModule' | 'VkDescriptorSetLayout' | 'VkPipelineLayout' | 'VkPipeline',
    argument: string,
    destroy: (record: ObjectRecord) => void,
  ): void {
    const ctx = this.#ctx;
    ctx.enter(command);
    const record = optionalObject(ctx, snapshotHandle(value), type, argument);
    if (!record) return;
    // Only a pipeline has a rule: the others the front keeps while pending work uses them, stricter than Vulkan.
    if (type === 'VkPipeline')
      throwFirst([pendingProblem(ctx.table, record.object, 'VUID-vkDestroyPipeline-pipeline-00765', argument)]);
    else refusePending(ctx, record.object, argument);
    destroy(record);
    invalidateDependents(record.dependents, `${describeHandle(record.object)}, which it uses, was destroyed`);
    ctx.table.recordEnd(record);
  }

  private pushConstantRange(value: unknown, at: string): BackendPushConstantRange {
    const range = structureArg(value, at, 'PushConstantRange');
    const stageFlags = stageFlagsArg(range.stageFlags, `${at}.stageFlags`, true);
    const offset = uint32Arg(range.offset, `${at}.offset`);
    const size = uint32Arg(range.size, `${at}.size`);
    const max = this.#ctx.limits.maxPushConstantsSize;
    requireMultipleOf4(offset, `${at}.offset`);
    requireMultipleOf4(size, `${at}.size`);
    if (offset >= max)
      throw new VkmapArgumentError(`${at}.offset`, `${offset} is not below maxPushConstantsSize (${max} bytes)`);
    if (size === 0) throw new VkmapArgumentError(`${at}.size`, 'must be greater than 0');
    if (size > max - offset) {
      throw new VkmapArgumentError(
        `${at}.size`,
        `offset ${offset} + size ${size} ends past maxPushConstantsSize (${max} bytes)`,
      );
    }
    return Object.freeze({ stageFlags, offset, size });
  }

  private pipelineRequest(value: unknown, at: string) {
    const ctx = this.#ctx;
    const info = structureArg(value, at, 'ComputePipelineCreateInfo');
    const stage = structureArg(info.stage, `${at}.stage`, 'PipelineShaderStageCreateInfo');
    const stageBit = uint32Arg(stage.stage, `${at}.stage.stage`);
    if (stageBit !== VK_SHADER_STAGE_COMPUTE_BIT) {
      throw new VkmapArgumentError(
        `${at}.stage.stage`,
        `must be VK_SHADER_STAGE_COMPUTE_BIT (0x${VK_SHADER_STAGE_COMPUTE_BIT.toString(16)}) in a compute pipeline (got 0x${stageBit.toString(16)})`,
      );
    }
    const module = liveObject(ctx, stage.module, 'VkShaderModule', `${at}.stage.module`);
    const entryPoint = stage.name;
    if (typeof entryPoint !== 'string' || entryPoint.length === 0) {
      throw new VkmapArgumentError(
        `${at}.stage.name`,
        `must be the entry point's name, a non-empty string (got ${describeValue(entryPoint)})`,
      );
    }
    const specialization =
      stage.specializationInfo === undefined || stage.specializationInfo === null
        ? undefined
        : this.specialization(stage.specializationInfo, `${at}.stage.specializationInfo`);
    const layout = liveObject<PipelineLayoutRecord>(ctx, info.layout, 'VkPipelineLayout', `${at}.layout`);
    return {
      request: { module: module.backend, entryPoint, specialization, layout: layout.backend },
      layout: layout.shape,
    };
  }

  private specialization(value: unknown, at: string): BackendSpecialization {
    const info = structureArg(value, at, 'SpecializationInfo');
    const data = typedArrayArg(info.data ?? new Uint8Array(0), `${at}.data`, Uint8Array);
    const ids = new Map<number, number>();
    const mapEntries = optionalArrayArg(info.mapEntries, `${at}.mapEntries`, 'SpecializationMapEntry objects').map(
      (value, i) => {
        const where = `${at}.mapEntries[${i}]`;
        const entry = isStructure(value) ? value : structureArg(value, where, 'SpecializationMapEntry');
        const constantID = uint32Arg(entry.constantID, `${where}.constantID`);
        const offset = uint32Arg(entry.offset, `${where}.offset`);
        const size = uint32Arg(entry.size, `${where}.size`);
        const earlier = ids.get(constantID);
        if (earlier !== undefined) {
          throw new VkmapArgumentError(
            `${where}.constantID`,
            `${constantID} is already the constantID of mapEntries[${earlier}]`,
          );
        }
        ids.set(constantID, i);
        if (offset >= data.length && size > 0)
          throw new VkmapArgumentError(`${where}.offset`, `${offset} is not inside data (${data.length} bytes)`);
        if (size > data.length - offset) {
          throw new VkmapArgumentError(
            `${where}.size`,
            `offset ${offset} + size ${size} ends past the end of data (${data.length} bytes)`,
          );
        }
        return Object.freeze({ constantID, offset, size });
      },
    );
    // The snapshot made `data` a copy of its own, which the backend may keep.
    return Object.freeze({ mapEntries: Object.freeze(mapEntries), data });
  }
}
