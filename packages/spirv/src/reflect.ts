// Reflection: what a module's compute entry points need from the host. Entry points with their local size,
// the descriptor bindings each one statically uses (set, binding, buffer kind, block layout), the push
// constant block, and the specialization constants. The validation layer and the emulated backend read the
// same data.
import { evaluateConstants, type Specialization, type Value } from './constants.js';
import { SpirvError } from './errors.js';
import { EXECUTION_MODEL_NAMES } from './grammar.js';
import { Layouts, type TypeLayout } from './layout.js';
import { decorationValue, hasDecoration, type SpirvFunction, type SpirvModule, typeOf, valueUses } from './module.js';
import { BuiltIn, Decoration, ExecutionMode, ExecutionModel, Op, StorageClass } from './opcodes.js';

export type DescriptorKind = 'storage-buffer' | 'uniform-buffer';

export interface BindingReflection {
  readonly set: number;
  readonly binding: number;
  /** The variable's name, else its block type's name, when the module carries names. */
  readonly name: string | undefined;
  /** The block (struct) type's name. */
  readonly typeName: string | undefined;
  /** `storage-buffer` (StorageBuffer storage class, or Uniform with the old BufferBlock decoration) or `uniform-buffer`. */
  readonly kind: DescriptorKind;
  readonly storageClass: 'StorageBuffer' | 'Uniform';
  /** `Block` or, for the pre-SPIR-V 1.3 form of storage buffers, `BufferBlock`. */
  readonly decoration: 'Block' | 'BufferBlock';
  /** Descriptors in the binding (1 unless the variable is an array of blocks). */
  readonly descriptorCount: number;
  /** False when the variable, or every member of its block, is NonWritable (uniform buffers are never written). */
  readonly writable: boolean;
  /** False when the variable, or every member of its block, is NonReadable. */
  readonly readable: boolean;
  /** The block's layout (a struct layout). */
  readonly layout: TypeLayout & { kind: 'struct' };
  /** Bytes the range must hold for the block's fixed-size part: up to the runtime array if there is one. */
  readonly minSize: number;
  /** Stride of the trailing runtime array, if the block ends with one. */
  readonly runtimeArrayStride: number | undefined;
  /** The variable's id. */
  readonly variable: number;
}

export interface PushConstantReflection {
  readonly name: string | undefined;
  readonly typeName: string | undefined;
  readonly layout: TypeLayout & { kind: 'struct' };
  /** Bytes of the block (the end of its last member). */
  readonly size: number;
  readonly variable: number;
}

export type ScalarTypeName = 'bool' | 'int' | 'uint' | 'float';

export interface SpecializationConstantReflection {
  readonly specId: number;
  readonly id: number;
  readonly name: string | undefined;
  readonly type: ScalarTypeName;
  readonly defaultValue: number | boolean;
}

export interface EntryPointReflection {
  readonly name: string;
  readonly executionModel: string;
  /** Local size after the given specialization (the defaults unless one was passed to `reflect`). */
  readonly localSize: readonly [number, number, number];
  /** The SpecId that sets each dimension of the local size, where one does (LocalSizeId or a WorkgroupSize built-in). */
  readonly localSizeSpecIds: readonly [number | undefined, number | undefined, number | undefined];
  /** Bindings the entry point's call tree uses, sorted by set then binding. */
  readonly bindings: readonly BindingReflection[];
  readonly pushConstants: PushConstantReflection | undefined;
  /** Bytes of workgroup (shared) memory, natural layout. */
  readonly workgroupMemoryBytes: number;
  /** True when the entry point's call tree executes OpControlBarrier. */
  readonly usesBarriers: boolean;
  /** The built-ins it reads (`GlobalInvocationId`, ...). */
  readonly builtIns: readonly string[];
}

export interface Reflection {
  readonly entryPoints: readonly EntryPointReflection[];
  /** Every descriptor binding the module declares, sorted by set then binding. */
  readonly bindings: readonly BindingReflection[];
  readonly pushConstants: PushConstantReflection | undefined;
  /** Sorted by SpecId. */
  readonly specializationConstants: readonly SpecializationConstantReflection[];
}

const BUILTIN_LABELS = new Map<number, string>(Object.entries(BuiltIn).map(([name, value]) => [value, name]));

/** Functions reachable from `root` through OpFunctionCall, root first. */
export function callTree(module: SpirvModule, root: number): SpirvFunction[] {
  const seen = new Set<number>();
  const order: SpirvFunction[] = [];
  const visit = (id: number, path: number[]) => {
    if (path.includes(id)) throw new SpirvError(`function ${module.names.get(id) ?? id} is recursive`);
    if (seen.has(id)) return;
    seen.add(id);
    const fn = module.functions.get(id);
    if (!fn) throw new SpirvError(`OpFunctionCall of unknown function ${id}`);
    order.push(fn);
    for (const block of fn.blocks) {
      for (const instruction of block.instructions) {
        if (instruction.opcode === Op.FunctionCall) visit(instruction.operands[2]!, [...path, id]);
      }
    }
  };
  visit(root, []);
  return order;
}

/** Global ids read by the functions (their instructions' value operands and variable initializers). */
export function globalsUsed(module: SpirvModule, functions: readonly SpirvFunction[]): Set<number> {
  const used = new Set<number>();
  for (const fn of functions) {
    for (const v of fn.variables)
      if (v.initializer !== undefined && module.variables.has(v.initializer)) used.add(v.initializer);
    for (const block of fn.blocks) {
      for (const instruction of block.instructions) {
        for (const id of valueUses(instruction)) if (module.variables.has(id)) used.add(id);
      }
    }
  }
  return used;
}

function scalarTypeName(module: SpirvModule, typeId: number): ScalarTypeName {
  const type = typeOf(module, typeId);
  if (type.kind === 'bool') return 'bool';
  if (type.kind === 'int') return type.signed ? 'int' : 'uint';
  if (type.kind === 'float') return 'float';
  throw new SpirvError(`specialization constant of non-scalar type ${typeId}`);
}

function bindingOf(module: SpirvModule, layouts: Layouts, variableId: number): BindingReflection | undefined {
  const variable = module.variables.get(variableId)!;
  if (variable.storageClass !== StorageClass.StorageBuffer && variable.storageClass !== StorageClass.Uniform)
    return undefined;
  const pointer = typeOf(module, variable.type);
  if (pointer.kind !== 'pointer') throw new SpirvError(`variable ${variableId} is not a pointer`);
  let blockType = typeOf(module, pointer.pointee);
  let descriptorCount = 1;
  if (blockType.kind === 'array') {
    descriptorCount = evaluateConstants(module)(blockType.length) as number;
    blockType = typeOf(module, blockType.element);
  } else if (blockType.kind === 'runtimeArray') {
    throw new SpirvError(
      `variable ${module.names.get(variableId) ?? variableId}: runtime arrays of descriptors are not supported`,
    );
  }
  if (blockType.kind !== 'struct') throw new SpirvError(`buffer variable ${variableId} is not a block`);
  const bufferBlock = hasDecoration(module, blockType.id, Decoration.BufferBlock);
  const layout = layouts.of(blockType.id, true) as TypeLayout & { kind: 'struct' };
  const last = layout.members.at(-1);
  const runtime = last?.layout.kind === 'runtimeArray' ? last : undefined;
  const allMembers = (flag: 'nonWritable' | 'nonReadable') =>
    layout.members.length > 0 && layout.members.every((m) => m[flag]);
  const kind: DescriptorKind =
    variable.storageClass === StorageClass.StorageBuffer || bufferBlock ? 'storage-buffer' : 'uniform-buffer';
  const set = decorationValue(module, variableId, Decoration.DescriptorSet);
  const binding = decorationValue(module, variableId, Decoration.Binding);
  if (set === undefined || binding === undefined) {
    throw new SpirvError(
      `buffer variable ${module.names.get(variableId) ?? variableId} has no DescriptorSet / Binding decoration`,
    );
  }
  const typeName = module.names.get(blockType.id);
  return {
    set,
    binding,
    name: module.names.get(variableId) || typeName,
    typeName,
    kind,
    storageClass: variable.storageClass === StorageClass.StorageBuffer ? 'StorageBuffer' : 'Uniform',
    decoration: bufferBlock ? 'BufferBlock' : 'Block',
    descriptorCount,
    writable:
      kind === 'storage-buffer' &&
      !hasDecoration(module, variableId, Decoration.NonWritable) &&
      !allMembers('nonWritable'),
    readable: !hasDecoration(module, variableId, Decoration.NonReadable) && !allMembers('nonReadable'),
    layout,
    minSize: runtime ? runtime.offset : layout.size,
    runtimeArrayStride: runtime?.layout.kind === 'runtimeArray' ? runtime.layout.stride : undefined,
    variable: variableId,
  };
}

function pushConstantsOf(
  module: SpirvModule,
  layouts: Layouts,
  variableId: number,
): PushConstantReflection | undefined {
  const variable = module.variables.get(variableId)!;
  if (variable.storageClass !== StorageClass.PushConstant) return undefined;
  const pointer = typeOf(module, variable.type);
  if (pointer.kind !== 'pointer') throw new SpirvError(`variable ${variableId} is not a pointer`);
  const layout = layouts.of(pointer.pointee, true);
  if (layout.kind !== 'struct') throw new SpirvError('the push constant variable is not a block');
  const typeName = module.names.get(pointer.pointee);
  return { name: module.names.get(variableId) || typeName, typeName, layout, size: layout.size, variable: variableId };
}

const byBinding = (a: BindingReflection, b: BindingReflection) => a.set - b.set || a.binding - b.binding;

/**
 * The local size of an entry point: the WorkgroupSize built-in constant if the module has one, else
 * LocalSizeId, else LocalSize.
 */
export function localSizeOf(
  module: SpirvModule,
  entryFunction: number,
  constantValue: (id: number) => Value,
): { size: [number, number, number]; specIds: [number | undefined, number | undefined, number | undefined] } {
  const specIdOf = (id: number) =>
    module.constants.get(id)?.spec ? decorationValue(module, id, Decoration.SpecId) : undefined;
  for (const [id, constant] of module.constants) {
    if (decorationValue(module, id, Decoration.BuiltIn) === BuiltIn.WorkgroupSize) {
      const value = constantValue(id) as number[];
      const parts = constant.kind === 'composite' ? constant.constituents : [];
      return {
        size: [value[0]!, value[1]!, value[2]!],
        specIds: [0, 1, 2].map((i) => (parts[i] === undefined ? undefined : specIdOf(parts[i]!))) as [
          number | undefined,
          number | undefined,
          number | undefined,
        ],
      };
    }
  }
  const modes = module.executionModes.get(entryFunction) ?? [];
  const withId = modes.find((m) => m.mode === ExecutionMode.LocalSizeId);
  if (withId) {
    const ids = withId.operands;
    return {
      size: [constantValue(ids[0]!) as number, constantValue(ids[1]!) as number, constantValue(ids[2]!) as number],
      specIds: [specIdOf(ids[0]!), specIdOf(ids[1]!), specIdOf(ids[2]!)],
    };
  }
  const literal = modes.find((m) => m.mode === ExecutionMode.LocalSize);
  if (!literal) throw new SpirvError('the compute entry point declares no local size');
  return {
    size: [literal.operands[0]!, literal.operands[1]!, literal.operands[2]!],
    specIds: [undefined, undefined, undefined],
  };
}

/** Reflects a parsed module. `specialization` changes the local sizes and array lengths reported. */
export function reflect(module: SpirvModule, specialization?: Specialization): Reflection {
  const constantValue = evaluateConstants(module, specialization);
  const layouts = new Layouts(module, constantValue);

  const bindings: BindingReflection[] = [];
  let pushConstants: PushConstantReflection | undefined;
  const bindingByVariable = new Map<number, BindingReflection>();
  for (const id of module.variables.keys()) {
    const binding = bindingOf(module, layouts, id);
    if (binding) {
      bindings.push(binding);
      bindingByVariable.set(id, binding);
    }
    pushConstants ??= pushConstantsOf(module, layouts, id);
  }
  bindings.sort(byBinding);

  const entryPoints = module.entryPoints
    .filter((entry) => entry.executionModel === ExecutionModel.GLCompute)
    .map((entry): EntryPointReflection => {
      const functions = callTree(module, entry.function);
      const used = globalsUsed(module, functions);
      let workgroupMemoryBytes = 0;
      const builtIns: string[] = [];
      for (const id of used) {
        const variable = module.variables.get(id)!;
        if (variable.storageClass === StorageClass.Workgroup) {
          const pointer = typeOf(module, variable.type);
          if (pointer.kind === 'pointer') workgroupMemoryBytes += layouts.of(pointer.pointee, false).size;
        }
        const builtIn = decorationValue(module, id, Decoration.BuiltIn);
        if (builtIn !== undefined) builtIns.push(BUILTIN_LABELS.get(builtIn) ?? `BuiltIn ${builtIn}`);
      }
      const usesBarriers = functions.some((fn) =>
        fn.blocks.some((b) => b.instructions.some((i) => i.opcode === Op.ControlBarrier)),
      );
      const { size, specIds } = localSizeOf(module, entry.function, constantValue);
      return {
        name: entry.name,
        executionModel: EXECUTION_MODEL_NAMES.get(entry.executionModel) ?? String(entry.executionModel),
        localSize: size,
        localSizeSpecIds: specIds,
        bindings: [...used].flatMap((id) => bindingByVariable.get(id) ?? []).sort(byBinding),
        pushConstants: pushConstants && used.has(pushConstants.variable) ? pushConstants : undefined,
        workgroupMemoryBytes,
        usesBarriers,
        builtIns: builtIns.sort(),
      };
    });

  const defaults = evaluateConstants(module);
  const specializationConstants: SpecializationConstantReflection[] = [];
  for (const [id, constant] of module.constants) {
    if (constant.kind !== 'scalar' || !constant.spec) continue;
    const specId = decorationValue(module, id, Decoration.SpecId);
    if (specId === undefined) continue;
    specializationConstants.push({
      specId,
      id,
      name: module.names.get(id),
      type: scalarTypeName(module, constant.type),
      defaultValue: defaults(id) as number | boolean,
    });
  }
  specializationConstants.sort((a, b) => a.specId - b.specId);

  return { entryPoints, bindings, pushConstants, specializationConstants };
}
