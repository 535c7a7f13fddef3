// Compiles one compute entry point (with its specialization) into JavaScript source: a function that runs
// one workgroup. Each SPIR-V function becomes a JS function whose blocks are the cases of a `switch` inside a
// loop; a block with a single incoming edge is emitted inline at that edge, so straight-line code and
// if/else trees need no dispatch. OpPhi becomes assignments on the incoming edges.
//
// Without barriers each invocation of a workgroup runs to completion in turn (x fastest, then y, z). With
// OpControlBarrier the entry point becomes resumable: at a barrier an invocation saves the values live across
// it and returns; the workgroup loop runs every invocation up to the barrier, then all of them on to the next.
import { arrayLength, evaluateConstants, type Specialization, type Value } from '../constants.js';
import { SpirvError } from '../errors.js';
import { BUILTIN_NAMES, STORAGE_CLASS_NAMES } from '../grammar.js';
import { Layouts, type TypeLayout, WORD } from '../layout.js';
import {
  decorationValue,
  type EntryPointDecl,
  type Instruction,
  resultId,
  type SpirvFunction,
  type SpirvModule,
  type SpirvType,
  typeOf,
  valueUses,
} from '../module.js';
import { BuiltIn, Decoration, ExecutionModel, Op, opcodeName, Scope, StorageClass } from '../opcodes.js';
import { callTree, globalsUsed, localSizeOf } from '../reflect.js';
import type { MemoryKind } from '../runtime.js';
import { dotExpression, glslName, glslStd450, SUPPORTED_GLSL_STD_450 } from './glsl-std-450.js';
import {
  addOffset,
  isLiteralNumber,
  type JsValue,
  literal,
  literalNumber,
  literalTree,
  type Pointer,
  type RegionRef,
} from './values.js';

export interface CompileOptions {
  /** The entry point's name; may be omitted when the module has one compute entry point. */
  readonly entryPoint?: string;
  /** Specialization constant values by SpecId. */
  readonly specialization?: Specialization;
}

/** A memory region the compiled code reads through `ctx.r[index]`. */
export type Slot =
  | {
      readonly kind: 'binding';
      readonly set: number;
      readonly binding: number;
      readonly memory: 'storage-buffer' | 'uniform-buffer';
      readonly variable: string;
    }
  | { readonly kind: 'push-constant'; readonly variable: string; readonly size: number }
  | { readonly kind: 'workgroup'; readonly size: number }
  | { readonly kind: 'scratch'; readonly size: number };

export interface CompiledEntryPoint {
  readonly name: string;
  readonly localSize: readonly [number, number, number];
  readonly slots: readonly Slot[];
  /** True when invocations run resumably between barriers. */
  readonly barriers: boolean;
  /** Bytes of function/private memory per invocation. */
  readonly scratchStride: number;
  /** The generated JavaScript: the body of `new Function('rt', source)`, returning `{ wg, State }`. */
  readonly source: string;
}

const FLOAT = (e: string) => `Math.fround(${e})`;

type Shape = 'void' | 'scalar' | 'vector' | 'object' | 'pointer';

interface Piece {
  readonly label: number;
  /** The SPIR-V block the piece came from (OpPhi names it as the parent). */
  readonly parent: number;
  readonly phis: readonly Instruction[];
  readonly body: readonly Instruction[];
  readonly terminator: Instruction | { readonly barrier: number };
  readonly isLoopHeader: boolean;
}

function isBarrierTerminator(t: Piece['terminator']): t is { readonly barrier: number } {
  return 'barrier' in t;
}

export function compileEntryPoint(module: SpirvModule, options: CompileOptions = {}): CompiledEntryPoint {
  return new PipelineCompiler(module, options).compile();
}

class PipelineCompiler {
  readonly constantValue: (id: number) => Value;
  readonly layouts: Layouts;
  readonly entry: EntryPointDecl;
  readonly functions: SpirvFunction[];
  readonly localSize: [number, number, number];
  readonly barriers: boolean;
  readonly slots: Slot[] = [];
  readonly globals = new Map<number, JsValue>();
  readonly factory: string[] = [];
  private readonly constantNames = new Map<number, string>();
  private readonly readers = new Map<TypeLayout, string>();
  private readonly writers = new Map<TypeLayout, string>();
  private workgroupSlot: number | undefined;
  private scratchSlot: number | undefined;
  scratchStride = 0;
  workgroupBytes = 0;
  helpersUseBuiltIns = false;
  private readonly frameOffsets = new Map<number, number>();

  constructor(
    readonly module: SpirvModule,
    options: CompileOptions,
  ) {
    const computeEntries = module.entryPoints.filter((e) => e.executionModel === ExecutionModel.GLCompute);
    const entry =
      options.entryPoint === undefined
        ? computeEntries.length === 1
          ? computeEntries[0]
          : undefined
        : computeEntries.find((e) => e.name === options.entryPoint);
    if (!entry) {
      const names = computeEntries.map((e) => `"${e.name}"`).join(', ') || 'none';
      throw new SpirvError(
        options.entryPoint === undefined
          ? `name the entry point to compile: the module's compute entry points are ${names}`
          : `no compute entry point "${options.entryPoint}" (the module has ${names})`,
      );
    }
    this.entry = entry;
    this.constantValue = evaluateConstants(module, options.specialization);
    this.layouts = new Layouts(module, this.constantValue);
    this.functions = callTree(module, entry.function);
    this.localSize = localSizeOf(module, entry.function, this.constantValue).size;
    for (const size of this.localSize) {
      if (!Number.isInteger(size) || size < 1)
        throw new SpirvError(`local size ${this.localSize.join(' x ')} is not positive`);
    }
    this.barriers = this.checkBarriers();
  }

  private isWorkgroupBarrier(instruction: Instruction): boolean {
    if (instruction.opcode !== Op.ControlBarrier) return false;
    const scope = this.constantValue(instruction.operands[0]!) as number;
    return scope !== Scope.Subgroup && scope !== Scope.Invocation;
  }

  private checkBarriers(): boolean {
    let found = false;
    for (const fn of this.functions) {
      for (const block of fn.blocks) {
        for (const instruction of block.instructions) {
          if (!this.isWorkgroupBarrier(instruction)) continue;
          if (fn.id !== this.entry.function) {
            throw new SpirvError(
              `OpControlBarrier inside function ${this.module.names.get(fn.id) ?? fn.id}, called from the entry point, is not supported: ` +
                'only barriers in the entry point function run (inline the call, e.g. with spirv-opt --inline-entry-points-exhaustive)',
              { opcodeName: 'OpControlBarrier', wordOffset: instruction.wordOffset },
            );
          }
          found = true;
        }
      }
    }
    return found;
  }

  type(id: number): SpirvType {
    return typeOf(this.module, id);
  }

  /** How values of a type are held in JS. */
  shape(typeId: number): Shape {
    const type = this.type(typeId);
    switch (type.kind) {
      case 'void':
        return 'void';
      case 'bool':
      case 'int':
      case 'float':
        return 'scalar';
      case 'vector':
        return 'vector';
      case 'pointer':
        return 'pointer';
      case 'array':
      case 'struct':
      case 'matrix':
        return 'object';
      default:
        throw new SpirvError(`values of ${type.kind} type are not supported`);
    }
  }

  /** The scalar type of a scalar or vector type. */
  scalarType(typeId: number): SpirvType {
    const type = this.type(typeId);
    return type.kind === 'vector' ? this.type(type.component) : type;
  }

  count(typeId: number): number {
    const type = this.type(typeId);
    return type.kind === 'vector' ? type.count : 1;
  }

  /** 'signed' / 'unsigned' for integer scalars and vectors, undefined otherwise. */
  signedness(typeId: number): 'signed' | 'unsigned' | undefined {
    const scalar = this.scalarType(typeId);
    return scalar.kind === 'int' ? (scalar.signed ? 'signed' : 'unsigned') : undefined;
  }

  initialValue(typeId: number): string {
    const shape = this.shape(typeId);
    if (shape === 'object') return 'null';
    return this.scalarType(typeId).kind === 'bool' ? 'false' : '0';
  }

  /** A constant's JS value: literals for scalars and vectors, a hoisted array for composites. */
  constantJs(id: number): JsValue {
    const decl = this.module.constants.get(id)!;
    const value = this.constantValue(id);
    const shape = this.shape(decl.type);
    if (shape === 'scalar') return { k: 'scalar', e: literal(value as number | boolean) };
    if (shape === 'vector') return { k: 'vector', c: (value as (number | boolean)[]).map(literal) };
    let name = this.constantNames.get(id);
    if (!name) {
      name = `K${id}`;
      this.constantNames.set(id, name);
      this.factory.push(`const ${name} = ${literalTree(value)};`);
    }
    return { k: 'object', e: name };
  }

  regionRef(slot: number, staticSize: number | undefined): RegionRef {
    return { obj: `R${slot}`, u: `R${slot}u`, i: `R${slot}i`, f: `R${slot}f`, n: `R${slot}n`, staticSize };
  }

  private addSlot(slot: Slot): number {
    this.slots.push(slot);
    return this.slots.length - 1;
  }

  /** Assigns memory to the globals the entry point uses. */
  private placeGlobals(): void {
    const module = this.module;
    const used = globalsUsed(module, this.functions);
    // Workgroup and private memory is laid out first so their regions have known sizes.
    const workgroup: [number, TypeLayout][] = [];
    const privates: [number, TypeLayout][] = [];
    for (const id of [...used].sort((a, b) => a - b)) {
      const variable = module.variables.get(id)!;
      const pointer = this.type(variable.type);
      if (pointer.kind !== 'pointer') throw new SpirvError(`variable ${id} is not a pointer`);
      const name = module.names.get(id) || module.names.get(pointer.pointee) || `%${id}`;
      switch (variable.storageClass) {
        case StorageClass.StorageBuffer:
        case StorageClass.Uniform: {
          const pointee = this.type(pointer.pointee);
          if (pointee.kind === 'array' || pointee.kind === 'runtimeArray') {
            throw new SpirvError(`variable ${name}: arrays of buffer descriptors are not supported`);
          }
          const set = decorationValue(module, id, Decoration.DescriptorSet);
          const binding = decorationValue(module, id, Decoration.Binding);
          if (set === undefined || binding === undefined)
            throw new SpirvError(`buffer variable ${name} has no DescriptorSet / Binding decoration`);
          const bufferBlock = (module.decorations.get(pointer.pointee) ?? []).some(
            (d) => d.decoration === Decoration.BufferBlock,
          );
          const memory =
            variable.storageClass === StorageClass.StorageBuffer || bufferBlock ? 'storage-buffer' : 'uniform-buffer';
          const slot = this.addSlot({ kind: 'binding', set, binding, memory, variable: name });
          this.globals.set(
            id,
            this.memoryPointer(this.regionRef(slot, undefined), '0', this.layouts.of(pointer.pointee, true), name),
          );
          break;
        }
        case StorageClass.PushConstant: {
          const layout = this.layouts.of(pointer.pointee, true);
          const slot = this.addSlot({ kind: 'push-constant', variable: name, size: layout.size });
          this.globals.set(id, this.memoryPointer(this.regionRef(slot, undefined), '0', layout, name));
          break;
        }
        case StorageClass.Workgroup:
          workgroup.push([id, this.layouts.of(pointer.pointee, false)]);
          break;
        case StorageClass.Private:
          privates.push([id, this.layouts.of(pointer.pointee, false)]);
          break;
        case StorageClass.Input: {
          const builtIn = decorationValue(module, id, Decoration.BuiltIn);
          if (
            builtIn === undefined ||
            !Object.values(BuiltIn).includes(builtIn as never) ||
            builtIn === BuiltIn.WorkgroupSize
          ) {
            throw new SpirvError(
              `input variable ${name}${builtIn === undefined ? '' : ` (BuiltIn ${BUILTIN_NAMES.get(builtIn) ?? builtIn})`} is not supported in a compute shader`,
            );
          }
          this.globals.set(id, { k: 'pointer', p: { kind: 'builtin', builtIn, components: [], component: undefined } });
          break;
        }
        default:
          throw new SpirvError(
            `variables in storage class ${STORAGE_CLASS_NAMES.get(variable.storageClass)} are not supported (${name})`,
          );
      }
    }
    if (workgroup.length > 0) {
      let offset = 0;
      const placed: [number, number, TypeLayout][] = workgroup.map(([id, layout]) => {
        const at = offset;
        offset += layout.size;
        return [id, at, layout];
      });
      this.workgroupBytes = offset;
      this.workgroupSlot = this.addSlot({ kind: 'workgroup', size: offset });
      const region = this.regionRef(this.workgroupSlot, offset);
      for (const [id, at, layout] of placed)
        this.globals.set(id, this.memoryPointer(region, String(at), layout, module.names.get(id) || `%${id}`));
    }
    // Scratch: private variables, then one frame per function for its memory-backed variables.
    let scratch = 0;
    const privatePlaced: [number, number, TypeLayout][] = privates.map(([id, layout]) => {
      const at = scratch;
      scratch += layout.size;
      return [id, at, layout];
    });
    for (const fn of this.functions) {
      this.frameOffsets.set(fn.id, scratch);
      scratch += this.frameSize(fn);
    }
    this.scratchStride = scratch;
    if (scratch > 0) {
      const total = this.barriers ? scratch * this.invocations : scratch;
      this.scratchSlot = this.addSlot({ kind: 'scratch', size: total });
    }
    for (const [id, at, layout] of privatePlaced) {
      this.globals.set(
        id,
        this.memoryPointer(this.scratchRegion(), this.scratchOffset(at), layout, module.names.get(id) || `%${id}`),
      );
    }
  }

  get invocations(): number {
    return this.localSize[0] * this.localSize[1] * this.localSize[2];
  }

  scratchRegion(): RegionRef {
    return this.regionRef(this.scratchSlot!, this.barriers ? undefined : this.scratchStride);
  }

  /** Offset expression of a scratch byte: the invocation's scratch base `sb` is used only with barriers. */
  scratchOffset(at: number): string {
    return this.barriers ? addOffset('sb', at) : String(at);
  }

  frameBase(fn: number): number {
    return this.frameOffsets.get(fn)!;
  }

  private frameSize(fn: SpirvFunction): number {
    const registers = registerVariables(this, fn);
    let size = 0;
    for (const variable of fn.variables) {
      if (registers.has(variable.id)) continue;
      const pointer = this.type(variable.type) as { pointee: number };
      size += this.layouts.of(pointer.pointee, false).size;
    }
    return size;
  }

  memoryPointer(region: RegionRef, offset: string, layout: TypeLayout, path: string): JsValue {
    return { k: 'pointer', p: { kind: 'memory', region, offset, layout, path, indices: [] } };
  }

  /** A factory-level function reading a composite of this layout from `R` at byte `o` (bounds already checked). */
  reader(layout: TypeLayout): string {
    let name = this.readers.get(layout);
    if (name) return name;
    name = `rd${this.readers.size}`;
    this.readers.set(layout, name);
    this.factory.push(`function ${name}(R, o) { return ${this.readExpression(layout, 'o')}; }`);
    return name;
  }

  private readScalar(scalar: string, offset: string): string {
    const view = scalar === 'f32' ? 'f32' : scalar === 'i32' ? 'i32' : 'u32';
    const read = `R.${view}[(${offset}) >>> 2]`;
    return scalar === 'bool' ? `(${read} !== 0)` : read;
  }

  private readExpression(layout: TypeLayout, o: string): string {
    switch (layout.kind) {
      case 'scalar':
        return this.readScalar(layout.scalar, o);
      case 'vector':
        return `[${Array.from({ length: layout.count }, (_, k) => this.readScalar(layout.scalar, addOffset(o, k * WORD))).join(', ')}]`;
      case 'matrix': {
        const columns = Array.from({ length: layout.columns }, (_, c) => {
          const rows = Array.from({ length: layout.rows }, (_, r) =>
            this.readScalar(
              layout.scalar,
              addOffset(o, layout.rowMajor ? r * layout.matrixStride + c * WORD : c * layout.matrixStride + r * WORD),
            ),
          );
          return `[${rows.join(', ')}]`;
        });
        return `[${columns.join(', ')}]`;
      }
      case 'array': {
        const element = layout.element.kind === 'scalar' ? undefined : this.reader(layout.element);
        const item = element
          ? `${element}(R, o + i * ${layout.stride})`
          : this.readScalar((layout.element as { scalar: string }).scalar, `o + i * ${layout.stride}`);
        return `((o) => { const a = new Array(${layout.length}); for (let i = 0; i < ${layout.length}; i++) a[i] = ${item}; return a; })(${o})`;
      }
      case 'struct':
        return `[${layout.members.map((m) => (m.layout.kind === 'scalar' ? this.readScalar(m.layout.scalar, addOffset(o, m.offset)) : `${this.reader(m.layout)}(R, ${addOffset(o, m.offset)})`)).join(', ')}]`;
      case 'runtimeArray':
        throw new SpirvError('a runtime array cannot be loaded as a whole');
    }
  }

  /** A factory-level function writing a composite of this layout into `R` at byte `o` (bounds already checked). */
  writer(layout: TypeLayout): string {
    let name = this.writers.get(layout);
    if (name) return name;
    name = `wr${this.writers.size}`;
    this.writers.set(layout, name);
    this.factory.push(`function ${name}(R, o, v) { ${this.writeStatements(layout, 'o', 'v').join(' ')} }`);
    return name;
  }

  private writeScalar(scalar: string, offset: string, value: string): string {
    const view = scalar === 'f32' ? 'f32' : scalar === 'i32' ? 'i32' : 'u32';
    return `R.${view}[(${offset}) >>> 2] = ${scalar === 'bool' ? `(${value} ? 1 : 0)` : value};`;
  }

  private writeStatements(layout: TypeLayout, o: string, v: string): string[] {
    switch (layout.kind) {
      case 'scalar':
        return [this.writeScalar(layout.scalar, o, v)];
      case 'vector':
        return Array.from({ length: layout.count }, (_, k) =>
          this.writeScalar(layout.scalar, addOffset(o, k * WORD), `${v}[${k}]`),
        );
      case 'matrix': {
        const out: string[] = [];
        for (let c = 0; c < layout.columns; c++) {
          for (let r = 0; r < layout.rows; r++) {
            const at = layout.rowMajor ? r * layout.matrixStride + c * WORD : c * layout.matrixStride + r * WORD;
            out.push(this.writeScalar(layout.scalar, addOffset(o, at), `${v}[${c}][${r}]`));
          }
        }
        return out;
      }
      case 'array': {
        const item =
          layout.element.kind === 'scalar'
            ? this.writeScalar(layout.element.scalar, `${o} + i * ${layout.stride}`, `${v}[i]`)
            : `${this.writer(layout.element)}(R, ${o} + i * ${layout.stride}, ${v}[i]);`;
        return [`for (let i = 0; i < ${layout.length}; i++) ${item}`];
      }
      case 'struct':
        return layout.members.map((m, i) =>
          m.layout.kind === 'scalar'
            ? this.writeScalar(m.layout.scalar, addOffset(o, m.offset), `${v}[${i}]`)
            : `${this.writer(m.layout)}(R, ${addOffset(o, m.offset)}, ${v}[${i}]);`,
        );
      case 'runtimeArray':
        throw new SpirvError('a runtime array cannot be stored as a whole');
    }
  }

  compile(): CompiledEntryPoint {
    this.placeGlobals();
    const helpers: string[] = [];
    let main: FunctionCompiler | undefined;
    for (const fn of this.functions) {
      const compiler = new FunctionCompiler(this, fn, fn.id === this.entry.function);
      if (compiler.isEntry) main = compiler;
      else helpers.push(compiler.compileHelper());
    }
    const mainBody = main!.compileBody();
    const [lx, ly, lz] = this.localSize;
    const hoists: string[] = [];
    this.slots.forEach((slot, i) => {
      hoists.push(
        `const R${i} = ctx.r[${i}], R${i}u = R${i}.u32, R${i}i = R${i}.i32, R${i}f = R${i}.f32, R${i}n = R${i}.size;`,
      );
      if (slot.kind === 'workgroup') hoists.push(`R${i}u.fill(0);`);
    });
    hoists.push('const nx = ctx.nx, ny = ctx.ny, nz = ctx.nz;');
    hoists.push(`const gbx = wx * ${lx}, gby = wy * ${ly}, gbz = wz * ${lz};`);
    if (this.helpersUseBuiltIns) hoists.push('let cx = 0, cy = 0, cz = 0, ci = 0;');
    const setCurrent = this.helpersUseBuiltIns ? 'cx = lx; cy = ly; cz = lz; ci = li;' : '';

    const lines: string[] = ['"use strict";', ...this.factory];
    if (!this.barriers) {
      lines.push(
        'function State() {}',
        'function wg(ctx, wx, wy, wz) {',
        ...hoists,
        ...helpers,
        'let lx = 0, ly = 0, lz = 0, li = 0;',
        ...main!.declarations(),
        'try {',
        `for (lz = 0; lz < ${lz}; lz++) for (ly = 0; ly < ${ly}; ly++) for (lx = 0; lx < ${lx}; lx++, li++) {`,
        setCurrent,
        'inv: {',
        ...mainBody,
        '}',
        '}',
        '} catch (e) { throw rt.fault(e, wx, wy, wz, lx, ly, lz); }',
        '}',
      );
    } else {
      const saved = main!.savedNames();
      const n = this.invocations;
      lines.push(
        `function State() { this.L = 0; ${saved.map(([name, init]) => `this.${name} = ${init};`).join(' ')} }`,
        `const N = ${n}, LXS = new Uint32Array(N), LYS = new Uint32Array(N), LZS = new Uint32Array(N);`,
        `for (let i = 0; i < N; i++) { LXS[i] = i % ${lx}; LYS[i] = Math.floor(i / ${lx}) % ${ly}; LZS[i] = Math.floor(i / ${lx * ly}); }`,
        `const BARRIERS = ${JSON.stringify(main!.barrierDescriptions())};`,
        'function wg(ctx, wx, wy, wz) {',
        ...hoists,
        ...helpers,
        // The entry point's blocks run inline, once per invocation and round: an invocation restores the values
        // it saved at its last barrier, runs to the next barrier (or returns), and saves them again.
        'let lx = 0, ly = 0, lz = 0, li = 0, sb = 0, L = 0, r = 0;',
        ...main!.declarations(),
        'const ST = ctx.st;',
        `for (let i = 0; i < N; i++) ST[i].L = ${main!.entryCase()};`,
        'try {',
        'for (;;) {',
        'let barrier = 0, waiting = 0;',
        'for (li = 0; li < N; li++) {',
        'const st = ST[li];',
        'if (st.L < 0) continue;',
        `lx = LXS[li]; ly = LYS[li]; lz = LZS[li]; sb = li * ${this.scratchStride};`,
        setCurrent,
        'L = st.L;',
        ...saved.map(([name]) => `${name} = st.${name};`),
        'inv: {',
        ...mainBody,
        '}',
        'if (r === 0) { st.L = -1; continue; }',
        'if (barrier === 0) barrier = r; else if (r !== barrier) throw rt.divergent(wx, wy, wz, BARRIERS[barrier], BARRIERS[r]);',
        'waiting++;',
        '}',
        'if (waiting === 0) break;',
        '}',
        '} catch (e) { throw rt.fault(e, wx, wy, wz, lx, ly, lz); }',
        '}',
      );
    }
    lines.push('return { wg, State };');
    return {
      name: this.entry.name,
      localSize: this.localSize,
      slots: this.slots,
      barriers: this.barriers,
      scratchStride: this.scratchStride,
      source: lines.filter((l) => l !== '').join('\n'),
    };
  }
}

/** Function variables kept in JS locals: scalars and vectors reached only by loads, stores and constant access chains. */
function registerVariables(pc: PipelineCompiler, fn: SpirvFunction): Set<number> {
  const candidates = new Set<number>();
  for (const variable of fn.variables) {
    const pointer = pc.type(variable.type) as { pointee: number };
    const shape = pc.shape(pointer.pointee);
    if (shape === 'scalar' || shape === 'vector') candidates.add(variable.id);
  }
  if (candidates.size === 0) return candidates;
  // Pointers derived from each candidate through constant access chains.
  const origin = new Map<number, number>();
  for (const id of candidates) origin.set(id, id);
  const disqualify = (id: number | undefined) => {
    if (id !== undefined) candidates.delete(id);
  };
  for (const block of fn.blocks) {
    for (const instruction of block.instructions) {
      const o = instruction.operands;
      switch (instruction.opcode) {
        case Op.Load:
          break;
        case Op.Store:
          disqualify(origin.get(o[1]!));
          break;
        case Op.AccessChain:
        case Op.InBoundsAccessChain: {
          const base = origin.get(o[2]!);
          if (base === undefined) break;
          const indices = [...o.subarray(3)];
          if (indices.every((i) => pc.module.constants.has(i))) origin.set(o[1]!, base);
          else disqualify(base);
          break;
        }
        default:
          for (const id of valueUses(instruction)) disqualify(origin.get(id));
      }
    }
  }
  return candidates;
}

class FunctionCompiler {
  private readonly values = new Map<number, JsValue>();
  /** Declared JS variables (SSA results and register variables) and their initial values. */
  private readonly vars = new Map<string, string>();
  private readonly registers: Set<number>;
  private readonly registerNames: string[] = [];
  private readonly pieces = new Map<number, Piece>();
  private readonly caseOf = new Map<number, number>();
  private readonly inEdges = new Map<number, number>();
  private readonly resumeLabels = new Set<number>();
  private readonly barrierDescription = new Map<number, string>();
  private temps = 0;
  private usedDispatch = false;
  private nextLabel: number;

  constructor(
    private readonly pc: PipelineCompiler,
    private readonly fn: SpirvFunction,
    readonly isEntry: boolean,
  ) {
    this.registers = registerVariables(pc, fn);
    this.nextLabel = pc.module.bound;
    this.assignValues();
    this.buildPieces();
  }

  private get resumable(): boolean {
    return this.isEntry && this.pc.barriers;
  }

  private temp(): string {
    return `t${this.temps++}`;
  }

  private declare(name: string, init: string): void {
    this.vars.set(name, init);
  }

  /** Names the JS variables of every parameter, variable and result of the function. */
  private assignValues(): void {
    const pc = this.pc;
    const module = pc.module;
    for (const param of this.fn.params) {
      const id = param.id;
      const shape = pc.shape(param.type);
      if (shape === 'scalar' || shape === 'object') this.values.set(id, { k: shape, e: `p${id}` });
      else if (shape === 'vector')
        this.values.set(id, { k: 'vector', c: Array.from({ length: pc.count(param.type) }, (_, k) => `p${id}_${k}`) });
      else if (shape === 'pointer') {
        const pointer = pc.type(param.type) as { storageClass: number; pointee: number };
        const explicit = isBufferStorage(pointer.storageClass);
        const r = `p${id}r`;
        const region: RegionRef = {
          obj: r,
          u: `${r}.u32`,
          i: `${r}.i32`,
          f: `${r}.f32`,
          n: `${r}.size`,
          staticSize: undefined,
        };
        this.values.set(id, {
          k: 'pointer',
          p: {
            kind: 'memory',
            region,
            offset: `p${id}o`,
            layout: pc.layouts.of(pointer.pointee, explicit),
            path: `parameter ${module.names.get(id) ?? `%${id}`}`,
            indices: [],
          },
        });
      }
    }
    let frame = pc.frameBase(this.fn.id);
    for (const variable of this.fn.variables) {
      const pointer = pc.type(variable.type) as { pointee: number };
      const name = module.names.get(variable.id) ?? `%${variable.id}`;
      if (this.registers.has(variable.id)) {
        const count = pc.shape(pointer.pointee) === 'vector' ? pc.count(pointer.pointee) : 0;
        const base = `r${variable.id}`;
        const init = pc.initialValue(pointer.pointee);
        if (count === 0) {
          this.declare(base, init);
          this.registerNames.push(base);
        } else {
          for (let k = 0; k < count; k++) {
            this.declare(`${base}_${k}`, init);
            this.registerNames.push(`${base}_${k}`);
          }
        }
        this.values.set(variable.id, { k: 'pointer', p: { kind: 'register', base, count, component: undefined } });
      } else {
        const layout = pc.layouts.of(pointer.pointee, false);
        this.values.set(variable.id, pc.memoryPointer(pc.scratchRegion(), pc.scratchOffset(frame), layout, name));
        frame += layout.size;
      }
    }
    for (const block of this.fn.blocks) {
      for (const instruction of block.instructions) {
        const id = resultId(instruction);
        if (id === undefined) continue;
        const typeId = instruction.operands[0]!;
        const shape = pc.shape(typeId);
        if (shape === 'void') continue;
        if (shape === 'pointer') {
          if (
            instruction.opcode !== Op.AccessChain &&
            instruction.opcode !== Op.InBoundsAccessChain &&
            instruction.opcode !== Op.CopyObject
          ) {
            throw new SpirvError(
              `${opcodeName(instruction.opcode)} producing a pointer needs variable pointers, which are not supported`,
              {
                opcodeName: opcodeName(instruction.opcode),
                wordOffset: instruction.wordOffset,
              },
            );
          }
          this.values.set(id, { k: 'pointer', p: this.accessChain(instruction) });
          continue;
        }
        const init = pc.initialValue(typeId);
        if (shape === 'vector') {
          const c = Array.from({ length: pc.count(typeId) }, (_, k) => `v${id}_${k}`);
          for (const name of c) this.declare(name, init);
          this.values.set(id, { k: 'vector', c });
        } else {
          this.declare(`v${id}`, init);
          this.values.set(id, { k: shape, e: `v${id}` });
        }
      }
    }
  }

  value(id: number): JsValue {
    const known = this.values.get(id) ?? this.pc.globals.get(id);
    if (known) return known;
    if (this.pc.module.constants.has(id)) return this.pc.constantJs(id);
    if (this.pc.module.variables.has(id))
      throw new SpirvError(`global variable ${this.pc.module.names.get(id) ?? id} is not available here`);
    throw new SpirvError(`id ${id} is used but not defined in function ${this.fn.id}`);
  }

  /** The components of a scalar or vector value. */
  comps(id: number): readonly string[] {
    const v = this.value(id);
    if (v.k === 'scalar') return [v.e];
    if (v.k === 'vector') return v.c;
    throw new SpirvError(`id ${id} is not a scalar or vector`);
  }

  scalar(id: number): string {
    const v = this.value(id);
    if (v.k !== 'scalar') throw new SpirvError(`id ${id} is not a scalar`);
    return v.e;
  }

  /** A JS expression for the whole value (vectors as arrays). */
  materialize(id: number): string {
    const v = this.value(id);
    switch (v.k) {
      case 'scalar':
      case 'object':
        return v.e;
      case 'vector':
        return `[${v.c.join(', ')}]`;
      case 'pointer':
        throw new SpirvError(`pointer ${id} used as a value`);
    }
  }

  pointer(id: number): Pointer {
    const v = this.value(id);
    if (v.k !== 'pointer') throw new SpirvError(`id ${id} is not a pointer`);
    return v.p;
  }

  /** Result names of an instruction's result: one per component (a scalar or object has one). */
  private resultNames(id: number): readonly string[] {
    const v = this.values.get(id)!;
    if (v.k === 'vector') return v.c;
    if (v.k === 'scalar' || v.k === 'object') return [v.e];
    throw new SpirvError(`result ${id} has no value names`);
  }

  private typeOfId(id: number): number {
    const pc = this.pc;
    const type = pc.module.resultTypes.get(id);
    if (type !== undefined) return type;
    const constant = pc.module.constants.get(id);
    if (constant) return constant.type;
    const param = this.fn.params.find((p) => p.id === id);
    if (param) return param.type;
    const variable = pc.module.variables.get(id) ?? this.fn.variables.find((v) => v.id === id);
    if (variable) return variable.type;
    throw new SpirvError(`no type for id ${id}`);
  }

  private isSigned(id: number): boolean {
    return this.pc.signedness(this.typeOfId(id)) === 'signed';
  }

  /** Operand component as int32. */
  private s(id: number, k: number): string {
    const c = this.comps(id);
    const e = c[k] ?? c[0]!;
    return this.pc.signedness(this.typeOfId(id)) === 'signed' ? e : `(${e} | 0)`;
  }

  /** Operand component as uint32. */
  private u(id: number, k: number): string {
    const c = this.comps(id);
    const e = c[k] ?? c[0]!;
    return this.pc.signedness(this.typeOfId(id)) === 'unsigned' ? e : `(${e} >>> 0)`;
  }

  private c(id: number, k: number): string {
    const c = this.comps(id);
    return c[k] ?? c[0]!;
  }

  /** Wraps an integer expression into the result type's representation. */
  private int(expression: string, resultType: number): string {
    return this.pc.signedness(resultType) === 'signed' ? `(${expression}) | 0` : `(${expression}) >>> 0`;
  }

  /** The pointer an access chain yields, from its base pointer and indices. */
  private accessChain(instruction: Instruction): Pointer {
    const pc = this.pc;
    const o = instruction.operands;
    const id = o[1]!;
    const resultType = o[0]!;
    if (instruction.opcode === Op.CopyObject) return this.pointer(o[2]!);
    const base = this.pointer(o[2]!);
    const indices = [...o.subarray(3)];
    const constantIndex = (i: number) => (pc.module.constants.has(i) ? (pc.constantValue(i) as number) : undefined);
    if (base.kind === 'register') {
      if (indices.length === 0) return base;
      if (indices.length !== 1 || base.count === 0)
        throw new SpirvError(`access chain into register variable ${base.base}`);
      return { ...base, component: constantIndex(indices[0]!)! };
    }
    if (base.kind === 'builtin') {
      if (indices.length === 0) return base;
      if (indices.length !== 1) throw new SpirvError('access chain into a built-in with more than one index');
      const constant = constantIndex(indices[0]!);
      return { ...base, component: constant !== undefined ? String(constant) : this.scalar(indices[0]!) };
    }
    // Memory: fold constant indices into the offset, add dynamic ones.
    let layout = base.layout;
    let constant = 0;
    const dynamic: string[] = [];
    const dynamicIndices = [...base.indices];
    let path = base.path;
    let rowMajorColumn: { count: number; stride: number } | undefined;
    let pendingColumn: number | string | undefined;
    for (const index of indices) {
      const known = constantIndex(index);
      const indexExpression = known !== undefined ? undefined : this.scalar(index);
      switch (layout.kind) {
        case 'struct': {
          if (known === undefined) throw new SpirvError('a struct member index must be a constant');
          const member = layout.members[known]!;
          constant += member.offset;
          path += `.${member.name ?? known}`;
          layout = member.layout;
          break;
        }
        case 'array':
        case 'runtimeArray':
          if (known !== undefined) constant += known * layout.stride;
          else {
            dynamic.push(`${indexExpression} * ${layout.stride}`);
            dynamicIndices.push(indexExpression!);
          }
          path += '[]';
          layout = layout.element;
          break;
        case 'matrix': {
          const column: TypeLayout = {
            kind: 'vector',
            scalar: layout.scalar,
            count: layout.rows,
            size: layout.rows * WORD,
          };
          if (layout.rowMajor) {
            pendingColumn = known ?? indexExpression;
            rowMajorColumn = { count: layout.rows, stride: layout.matrixStride };
            if (known !== undefined) constant += known * WORD;
            else dynamic.push(`${indexExpression} * ${WORD}`);
          } else if (known !== undefined) constant += known * layout.matrixStride;
          else dynamic.push(`${indexExpression} * ${layout.matrixStride}`);
          path += '[]';
          layout = column;
          break;
        }
        case 'vector': {
          const stride = rowMajorColumn ? rowMajorColumn.stride : WORD;
          if (known !== undefined) constant += known * stride;
          else {
            dynamic.push(`${indexExpression} * ${stride}`);
            dynamicIndices.push(indexExpression!);
          }
          rowMajorColumn = undefined;
          pendingColumn = undefined;
          path += '[]';
          layout = { kind: 'scalar', scalar: layout.scalar, size: WORD };
          break;
        }
        default:
          throw new SpirvError(`access chain into a ${layout.kind}`);
      }
    }
    void pendingColumn;
    void resultType;
    let offset: string;
    if (dynamic.length === 0) {
      offset = addOffset(base.offset, constant);
      if (!isLiteralNumber(offset) && !/^[\w]+$/.test(offset) && !/^sb \+ \d+$/.test(offset)) {
        this.declare(`v${id}`, '0');
        this.chainCode.set(id, `v${id} = ${offset};`);
        offset = `v${id}`;
      }
    } else {
      this.declare(`v${id}`, '0');
      const sum = [
        base.offset === '0' ? undefined : base.offset,
        ...dynamic,
        constant === 0 ? undefined : String(constant),
      ].filter(Boolean);
      this.chainCode.set(id, `v${id} = ${sum.join(' + ')};`);
      offset = `v${id}`;
    }
    return {
      kind: 'memory',
      region: base.region,
      offset,
      layout,
      path,
      indices: dynamicIndices,
      ...(rowMajorColumn ? { rowMajorColumn } : {}),
    };
  }

  private readonly chainCode = new Map<number, string>();

  /** Splits blocks at barriers (resumable entry point only) and finds the blocks that need a `case`. */
  private buildPieces(): void {
    const entryLabel = this.fn.blocks[0]!.label;
    for (const block of this.fn.blocks) {
      const phis = block.instructions.filter((i) => i.opcode === Op.Phi);
      const rest = block.instructions.filter((i) => i.opcode !== Op.Phi);
      const isLoopHeader = rest.some((i) => i.opcode === Op.LoopMerge);
      let label = block.label;
      let body: Instruction[] = [];
      let first = true;
      for (let n = 0; n < rest.length; n++) {
        const instruction = rest[n]!;
        if (n === rest.length - 1) {
          this.pieces.set(label, {
            label,
            parent: block.label,
            phis: first ? phis : [],
            body,
            terminator: instruction,
            isLoopHeader: first && isLoopHeader,
          });
          break;
        }
        if (
          this.resumable &&
          this.pc.barriers &&
          instruction.opcode === Op.ControlBarrier &&
          this.isWorkgroupBarrier(instruction)
        ) {
          const next = this.nextLabel++;
          this.pieces.set(label, {
            label,
            parent: block.label,
            phis: first ? phis : [],
            body,
            terminator: { barrier: next },
            isLoopHeader: first && isLoopHeader,
          });
          this.resumeLabels.add(next);
          this.barrierDescription.set(next, `the barrier at word ${instruction.wordOffset}`);
          label = next;
          body = [];
          first = false;
          continue;
        }
        body.push(instruction);
      }
    }
    // Reachable pieces and incoming edge counts.
    const reachable = new Set<number>();
    const stack = [entryLabel];
    while (stack.length > 0) {
      const label = stack.pop()!;
      if (reachable.has(label)) continue;
      reachable.add(label);
      for (const next of this.successors(this.pieces.get(label)!)) {
        this.inEdges.set(next, (this.inEdges.get(next) ?? 0) + 1);
        stack.push(next);
      }
    }
    for (const [label, piece] of this.pieces) {
      if (!reachable.has(label)) continue;
      if (
        label === entryLabel ||
        (this.inEdges.get(label) ?? 0) !== 1 ||
        piece.isLoopHeader ||
        this.resumeLabels.has(label)
      ) {
        this.caseOf.set(label, this.caseOf.size);
      }
    }
  }

  private isWorkgroupBarrier(instruction: Instruction): boolean {
    const scope = this.pc.constantValue(instruction.operands[0]!) as number;
    return scope !== Scope.Subgroup && scope !== Scope.Invocation;
  }

  private successors(piece: Piece): number[] {
    const t = piece.terminator;
    if (isBarrierTerminator(t)) return [t.barrier];
    const o = t.operands;
    switch (t.opcode) {
      case Op.Branch:
        return [o[0]!];
      case Op.BranchConditional:
        return [o[1]!, o[2]!];
      case Op.Switch: {
        const targets = [o[1]!];
        for (let i = 3; i < o.length; i += 2) targets.push(o[i]!);
        return targets;
      }
      default:
        return [];
    }
  }

  entryCase(): number {
    return this.caseOf.get(this.fn.blocks[0]!.label)!;
  }

  barrierDescriptions(): Record<number, string> {
    const out: Record<number, string> = {};
    for (const [label, text] of this.barrierDescription) out[this.caseOf.get(label)! + 1] = text;
    return out;
  }

  /** `let` declarations of the function's variables, leaving out `except` (declared elsewhere). */
  declarations(except: ReadonlySet<string> = new Set()): string[] {
    const parts = [...this.vars].filter(([name]) => !except.has(name)).map(([name, init]) => `${name} = ${init}`);
    const lines: string[] = [];
    for (let i = 0; i < parts.length; i += 16) lines.push(`let ${parts.slice(i, i + 16).join(', ')};`);
    return lines;
  }

  /** Variables that live across a barrier (saved in the invocation's state), with their initial values. */
  savedNames(): [string, string][] {
    const live = this.liveAcrossBarriers();
    const names = new Set<string>(this.registerNames);
    for (const id of live) {
      const v = this.values.get(id);
      if (!v) continue;
      if (v.k === 'scalar' || v.k === 'object') names.add(v.e);
      else if (v.k === 'vector') for (const c of v.c) names.add(c);
      else if (v.k === 'pointer' && v.p.kind === 'memory' && /^v\d+$/.test(v.p.offset)) names.add(v.p.offset);
    }
    // Pointers' offsets depend on the values they were computed from; keep their inputs too.
    return [...names].filter((n) => this.vars.has(n)).map((n) => [n, this.vars.get(n)!]);
  }

  /** SSA ids live on entry to any resume point, by backward dataflow over the pieces. */
  private liveAcrossBarriers(): Set<number> {
    const local = (id: number) => this.values.has(id) && !this.fn.params.some((p) => p.id === id);
    const uses = new Map<number, Set<number>>();
    const defs = new Map<number, Set<number>>();
    for (const [label, piece] of this.pieces) {
      const u = new Set<number>();
      const d = new Set<number>();
      for (const phi of piece.phis) d.add(phi.operands[1]!);
      const instructions: Instruction[] = [...piece.body];
      if (!isBarrierTerminator(piece.terminator)) instructions.push(piece.terminator);
      for (const instruction of instructions) {
        for (const id of valueUses(instruction)) {
          if (local(id) && !d.has(id)) u.add(id);
          // A memory pointer computed in another piece needs the values its offset came from.
        }
        const r = resultId(instruction);
        if (r !== undefined) d.add(r);
      }
      uses.set(label, u);
      defs.set(label, d);
    }
    const liveIn = new Map<number, Set<number>>();
    for (const label of this.pieces.keys()) liveIn.set(label, new Set());
    let changed = true;
    while (changed) {
      changed = false;
      for (const [label, piece] of this.pieces) {
        const out = new Set<number>();
        for (const next of this.successors(piece)) {
          const target = this.pieces.get(next)!;
          const phiDefs = new Set(target.phis.map((p) => p.operands[1]!));
          for (const id of liveIn.get(next)!) if (!phiDefs.has(id)) out.add(id);
          for (const phi of target.phis) {
            for (let i = 2; i < phi.operands.length; i += 2) {
              if (phi.operands[i + 1] === piece.parent && local(phi.operands[i]!)) out.add(phi.operands[i]!);
            }
          }
        }
        const next = new Set(uses.get(label)!);
        for (const id of out) if (!defs.get(label)!.has(id)) next.add(id);
        const previous = liveIn.get(label)!;
        if (next.size !== previous.size) {
          liveIn.set(label, next);
          changed = true;
        }
      }
    }
    const live = new Set<number>();
    for (const label of this.resumeLabels) for (const id of liveIn.get(label)!) live.add(id);
    // An access chain's offset variable is computed where the chain is; keep the chain results live as values.
    return live;
  }

  // ---- emission -------------------------------------------------------------------------------------------

  /** The function's body: variable initializers, then the block dispatch. */
  compileBody(): string[] {
    const out: string[] = [];
    const cases: string[] = [];
    const entryLabel = this.fn.blocks[0]!.label;
    for (const [label, index] of this.caseOf) {
      const body: string[] = [];
      if (label === entryLabel) body.push(...this.prologue());
      this.emitPiece(this.pieces.get(label)!, body);
      cases.push(`case ${index}: {`, ...body, '}');
    }
    if (!this.usedDispatch && this.caseOf.size === 1 && !this.resumable) {
      out.push(...cases.slice(1, -1));
      return out;
    }
    if (!this.resumable) out.push(`let L = ${this.entryCase()};`);
    out.push('dispatch: for (;;) {', 'switch (L) {', ...cases, 'default: throw new Error("bad block " + L);', '}', '}');
    return out;
  }

  /** Initializers of Function variables (and, in the entry point, of Private variables). */
  private prologue(): string[] {
    const out: string[] = [];
    const initialize = (variableId: number, initializer: number | undefined) => {
      if (initializer === undefined) return;
      out.push(...this.store(this.pointer(variableId), initializer, 'initializer'));
    };
    if (this.isEntry) {
      for (const [id, variable] of this.pc.module.variables) {
        if (variable.storageClass === StorageClass.Private && this.pc.globals.has(id))
          initialize(id, variable.initializer);
      }
    }
    for (const variable of this.fn.variables) initialize(variable.id, variable.initializer);
    return out;
  }

  compileHelper(): string {
    const params: string[] = this.pc.barriers ? ['sb'] : [];
    for (const param of this.fn.params) {
      const v = this.values.get(param.id)!;
      if (v.k === 'scalar' || v.k === 'object') params.push(v.e);
      else if (v.k === 'vector') params.push(...v.c);
      else params.push(`p${param.id}r`, `p${param.id}o`);
    }
    const body = this.compileBody();
    return [`function f${this.fn.id}(${params.join(', ')}) {`, ...this.declarations(), ...body, '}'].join('\n');
  }

  private jump(target: number, out: string[]): void {
    const index = this.caseOf.get(target);
    if (index !== undefined) {
      out.push(`L = ${index}; continue dispatch;`);
      this.usedDispatch = true;
    } else {
      this.emitPiece(this.pieces.get(target)!, out);
    }
  }

  /** Phi assignments for the edge from `from` to `target`, then the jump. */
  private edge(from: Piece, target: number, out: string[]): void {
    const piece = this.pieces.get(target)!;
    const assignments: [string, string][] = [];
    for (const phi of piece.phis) {
      const o = phi.operands;
      let incoming: number | undefined;
      for (let i = 2; i < o.length; i += 2) if (o[i + 1] === from.parent) incoming = o[i];
      if (incoming === undefined) throw new SpirvError(`OpPhi ${o[1]} has no value for predecessor ${from.parent}`);
      const v = this.values.get(o[1]!)!;
      if (v.k === 'vector') {
        const source = this.comps(incoming);
        v.c.forEach((name, k) => assignments.push([name, source[k]!]));
      } else if (v.k === 'scalar' || v.k === 'object') assignments.push([v.e, this.materialize(incoming)]);
      else throw new SpirvError('OpPhi of pointers needs variable pointers, which are not supported');
    }
    const targets = new Set(assignments.map(([name]) => name));
    const interferes = assignments.some(([, value]) => [...targets].some((t) => new RegExp(`\\b${t}\\b`).test(value)));
    if (interferes) {
      const temps = assignments.map(([, value]) => {
        const t = this.temp();
        out.push(`const ${t} = ${value};`);
        return t;
      });
      assignments.forEach(([name], i) => out.push(`${name} = ${temps[i]};`));
    } else {
      for (const [name, value] of assignments) if (name !== value) out.push(`${name} = ${value};`);
    }
    this.jump(target, out);
  }

  private emitPiece(piece: Piece, out: string[]): void {
    for (const instruction of piece.body) this.emitInstruction(instruction, out);
    const t = piece.terminator;
    if (isBarrierTerminator(t)) {
      const index = this.caseOf.get(t.barrier)!;
      const saved = this.savedNamesCache ?? (this.savedNamesCache = this.savedNames().map(([n]) => n));
      out.push(`st.L = ${index};`, ...saved.map((n) => `st.${n} = ${n};`), `r = ${index + 1};`, 'break inv;');
      return;
    }
    const o = t.operands;
    switch (t.opcode) {
      case Op.Branch:
        this.edge(piece, o[0]!, out);
        return;
      case Op.BranchConditional: {
        const condition = this.scalar(o[0]!);
        out.push(`if (${condition}) {`);
        this.edge(piece, o[1]!, out);
        out.push('} else {');
        this.edge(piece, o[2]!, out);
        out.push('}');
        return;
      }
      case Op.Switch: {
        const selector = o[0]!;
        const signed = this.isSigned(selector);
        const byTarget = new Map<number, number[]>();
        for (let i = 2; i + 1 < o.length; i += 2) {
          const literalValue = signed ? o[i]! | 0 : o[i]! >>> 0;
          const list = byTarget.get(o[i + 1]!) ?? [];
          list.push(literalValue);
          byTarget.set(o[i + 1]!, list);
        }
        out.push(`switch (${this.scalar(selector)}) {`);
        for (const [target, literals] of byTarget) {
          if (target === o[1]) continue;
          out.push(`${literals.map((l) => `case ${l}:`).join(' ')} {`);
          this.edge(piece, target, out);
          out.push('}');
        }
        out.push('default: {');
        this.edge(piece, o[1]!, out);
        out.push('}', '}');
        return;
      }
      case Op.Return:
        out.push(this.isEntry ? (this.resumable ? 'r = 0; break inv;' : 'break inv;') : 'return;');
        return;
      case Op.ReturnValue:
        out.push(`return ${this.materialize(o[0]!)};`);
        return;
      case Op.Unreachable:
        out.push(`throw rt.unreachable(${JSON.stringify(`OpUnreachable at word ${t.wordOffset}`)});`);
        return;
      default:
        throw new SpirvError(`${opcodeName(t.opcode)} cannot end a block`);
    }
  }

  private savedNamesCache: string[] | undefined;

  // ---- memory ------------------------------------------------------------------------------------------------

  private check(
    p: Pointer & { kind: 'memory' },
    bytes: number,
    access: 'load' | 'store' | 'atomic',
    opcode: string,
  ): string {
    const { region, offset } = p;
    if (isLiteralNumber(offset) && region.staticSize !== undefined) {
      const at = literalNumber(offset);
      if (at >= 0 && at + bytes <= region.staticSize) return '';
    }
    const site = JSON.stringify(`${opcode} of ${p.path}`);
    return `if (!(${offset} >= 0 && ${offset} <= ${region.n} - ${bytes})) throw rt.oob(${site}, '${access}', ${region.obj}, ${offset}, ${bytes}, [${p.indices.join(', ')}]);`;
  }

  private view(region: RegionRef, scalar: string): string {
    return scalar === 'f32' ? region.f : scalar === 'i32' ? region.i : region.u;
  }

  /** Bytes spanned by a load or store through the pointer. */
  private extent(p: Pointer & { kind: 'memory' }): number {
    if (p.rowMajorColumn) return (p.rowMajorColumn.count - 1) * p.rowMajorColumn.stride + WORD;
    return p.layout.size;
  }

  private elementOffset(p: Pointer & { kind: 'memory' }, k: number): string {
    const stride = p.rowMajorColumn ? p.rowMajorColumn.stride : WORD;
    return addOffset(p.offset, k * stride);
  }

  private builtInComponents(builtIn: number): readonly string[] {
    const [lx, ly, lz] = this.pc.localSize;
    const helper = !this.isEntry;
    if (helper) this.pc.helpersUseBuiltIns = true;
    const x = helper ? 'cx' : 'lx';
    const y = helper ? 'cy' : 'ly';
    const z = helper ? 'cz' : 'lz';
    switch (builtIn) {
      case BuiltIn.LocalInvocationId:
        return [x, y, z];
      case BuiltIn.GlobalInvocationId:
        return [`(gbx + ${x})`, `(gby + ${y})`, `(gbz + ${z})`];
      case BuiltIn.WorkgroupId:
        return ['wx', 'wy', 'wz'];
      case BuiltIn.NumWorkgroups:
        return ['nx', 'ny', 'nz'];
      case BuiltIn.LocalInvocationIndex:
        return [helper ? 'ci' : 'li'];
      case BuiltIn.WorkgroupSize:
        return [String(lx), String(ly), String(lz)];
      default:
        throw new SpirvError(`BuiltIn ${BUILTIN_NAMES.get(builtIn) ?? builtIn} is not supported`);
    }
  }

  /** Statements loading through `p` into the result `id`. */
  private load(p: Pointer, id: number, opcode = 'OpLoad'): string[] {
    const v = this.values.get(id)!;
    const names = this.resultNames(id);
    switch (p.kind) {
      case 'register':
        if (p.component !== undefined) return [`${names[0]} = ${p.base}_${p.component};`];
        if (p.count === 0) return [`${names[0]} = ${p.base};`];
        return names.map((name, k) => `${name} = ${p.base}_${k};`);
      case 'builtin': {
        const components = this.builtInComponents(p.builtIn);
        if (p.component === undefined) {
          if (v.k === 'vector') return names.map((name, k) => `${name} = ${components[k]};`);
          return [`${names[0]} = ${components[0]};`];
        }
        const index = p.component;
        if (isLiteralNumber(index)) return [`${names[0]} = ${components[literalNumber(index)]};`];
        return [
          `${names[0]} = (${index} === 0 ? ${components[0]} : ${index} === 1 ? ${components[1]} : ${components[2]});`,
        ];
      }
      case 'memory': {
        const layout = p.layout;
        const out: string[] = [];
        const check = this.check(p, this.extent(p), 'load', opcode);
        if (check) out.push(check);
        if (layout.kind === 'scalar') {
          const read = `${this.view(p.region, layout.scalar)}[${p.offset} >>> 2]`;
          out.push(`${names[0]} = ${layout.scalar === 'bool' ? `${read} !== 0` : read};`);
        } else if (layout.kind === 'vector') {
          names.forEach((name, k) => {
            const read = `${this.view(p.region, layout.scalar)}[(${this.elementOffset(p, k)}) >>> 2]`;
            out.push(`${name} = ${layout.scalar === 'bool' ? `${read} !== 0` : read};`);
          });
        } else {
          out.push(`${names[0]} = ${this.pc.reader(layout)}(${p.region.obj}, ${p.offset});`);
        }
        return out;
      }
    }
  }

  /** Statements storing value `valueId` through `p`. */
  private store(p: Pointer, valueId: number, opcode = 'OpStore'): string[] {
    switch (p.kind) {
      case 'register': {
        if (p.component !== undefined) return [`${p.base}_${p.component} = ${this.scalar(valueId)};`];
        if (p.count === 0) return [`${p.base} = ${this.scalar(valueId)};`];
        const comps = this.comps(valueId);
        return comps.map((c, k) => `${p.base}_${k} = ${c};`);
      }
      case 'builtin':
        throw new SpirvError('a store to a built-in input');
      case 'memory': {
        const layout = p.layout;
        const out: string[] = [];
        const check = this.check(p, this.extent(p), 'store', opcode);
        if (check) out.push(check);
        if (layout.kind === 'scalar') {
          const value = this.scalar(valueId);
          out.push(
            `${this.view(p.region, layout.scalar)}[${p.offset} >>> 2] = ${layout.scalar === 'bool' ? `(${value} ? 1 : 0)` : value};`,
          );
        } else if (layout.kind === 'vector') {
          this.comps(valueId).forEach((c, k) => {
            out.push(
              `${this.view(p.region, layout.scalar)}[(${this.elementOffset(p, k)}) >>> 2] = ${layout.scalar === 'bool' ? `(${c} ? 1 : 0)` : c};`,
            );
          });
        } else {
          out.push(`${this.pc.writer(layout)}(${p.region.obj}, ${p.offset}, ${this.materialize(valueId)});`);
        }
        return out;
      }
    }
  }

  // ---- instructions ------------------------------------------------------------------------------------------

  private componentwise(instruction: Instruction, out: string[], f: (k: number) => string): void {
    const names = this.resultNames(instruction.operands[1]!);
    names.forEach((name, k) => out.push(`${name} = ${f(k)};`));
  }

  private fail(instruction: Instruction, message: string): never {
    throw new SpirvError(`${message} (${opcodeName(instruction.opcode)} at word ${instruction.wordOffset})`, {
      opcodeName: opcodeName(instruction.opcode),
      wordOffset: instruction.wordOffset,
    });
  }

  private emitInstruction(instruction: Instruction, out: string[]): void {
    const pc = this.pc;
    const o = instruction.operands;
    const type = o[0]!;
    const id = o[1]!;
    const a = o[2]!;
    const b = o[3]!;
    const cw = (f: (k: number) => string) => this.componentwise(instruction, out, f);
    const F = FLOAT;
    switch (instruction.opcode) {
      case Op.Nop:
      case Op.Line:
      case Op.NoLine:
      case Op.LoopMerge:
      case Op.SelectionMerge:
      case Op.MemoryBarrier:
        return;
      case Op.ControlBarrier:
        // Reached only for barriers that need no rendezvous (subgroup or invocation scope: invocations run one at a time).
        return;
      case Op.Undef: {
        const zero = pc.initialValue(type);
        if (pc.shape(type) === 'object')
          out.push(`v${id} = ${literalTree(pc.module.constants.has(id) ? pc.constantValue(id) : zeroTree(pc, type))};`);
        else cw(() => zero);
        return;
      }
      case Op.AccessChain:
      case Op.InBoundsAccessChain: {
        const code = this.chainCode.get(id);
        if (code) out.push(code);
        return;
      }
      case Op.Load:
        out.push(...this.load(this.pointer(a), id));
        return;
      case Op.Store:
        out.push(...this.store(this.pointer(o[0]!), o[1]!));
        return;
      case Op.CopyMemory: {
        const target = this.pointer(o[0]!);
        const source = this.pointer(o[1]!);
        const t = this.nextLabel++;
        const pointee = this.pointeeType(o[1]!);
        const shape = pc.shape(pointee);
        const init = pc.initialValue(pointee);
        const value: JsValue =
          shape === 'vector'
            ? { k: 'vector', c: Array.from({ length: pc.count(pointee) }, (_, k) => `v${t}_${k}`) }
            : { k: shape as 'scalar', e: `v${t}` };
        if (value.k === 'vector') for (const c of value.c) this.declare(c, init);
        else this.declare((value as { e: string }).e, init);
        this.values.set(t, value);
        out.push(...this.load(source, t, 'OpCopyMemory'), ...this.store(target, t, 'OpCopyMemory'));
        return;
      }
      case Op.ArrayLength: {
        const p = this.pointer(a);
        if (p.kind !== 'memory' || p.layout.kind !== 'struct')
          this.fail(instruction, 'OpArrayLength of a non-block pointer');
        const member = p.layout.members[b]!;
        if (member.layout.kind !== 'runtimeArray')
          this.fail(instruction, 'OpArrayLength of a member that is not a runtime array');
        out.push(
          `v${id} = Math.max(0, Math.floor((${p.region.n} - ${addOffset(p.offset, member.offset)}) / ${member.layout.stride}));`,
        );
        return;
      }
      case Op.FunctionCall: {
        const callee = pc.module.functions.get(a)!;
        const args: string[] = pc.barriers ? ['sb'] : [];
        for (const arg of o.subarray(3)) {
          const v = this.value(arg);
          if (v.k === 'pointer') {
            if (v.p.kind !== 'memory')
              this.fail(instruction, 'passing a pointer to a built-in or register to a function');
            args.push(v.p.region.obj, v.p.offset);
          } else if (v.k === 'vector') args.push(...v.c);
          else args.push(v.e);
        }
        const call = `f${callee.id}(${args.join(', ')})`;
        const shape = pc.shape(type);
        if (shape === 'void') out.push(`${call};`);
        else if (shape === 'vector') {
          const t = this.temp();
          out.push(`const ${t} = ${call};`);
          cw((k) => `${t}[${k}]`);
        } else out.push(`v${id} = ${call};`);
        return;
      }
      case Op.ExtInst:
        this.emitExtInst(instruction, out);
        return;

      // Composites
      case Op.CopyObject:
      case Op.CopyLogical: {
        if (pc.shape(type) === 'pointer') return;
        const v = this.value(a);
        if (v.k === 'vector') cw((k) => v.c[k]!);
        else out.push(`v${id} = ${this.materialize(a)};`);
        return;
      }
      case Op.CompositeConstruct: {
        const shape = pc.shape(type);
        if (shape === 'vector') {
          const parts = [...o.subarray(2)].flatMap((p) => this.comps(p));
          cw((k) => parts[k]!);
        } else out.push(`v${id} = [${[...o.subarray(2)].map((p) => this.materialize(p)).join(', ')}];`);
        return;
      }
      case Op.CompositeExtract: {
        const path = [...o.subarray(3)];
        const source = this.value(a);
        if (source.k === 'vector') {
          out.push(`${this.resultNames(id)[0]} = ${source.c[path[0]!]};`);
          return;
        }
        const access = `${this.materialize(a)}${path.map((i) => `[${i}]`).join('')}`;
        if (pc.shape(type) === 'vector') cw((k) => `${access}[${k}]`);
        else out.push(`v${id} = ${access};`);
        return;
      }
      case Op.CompositeInsert: {
        const path = [...o.subarray(4)];
        const target = this.value(b);
        if (target.k === 'vector') {
          cw((k) => (k === path[0] ? this.scalar(a) : target.c[k]!));
          return;
        }
        out.push(`v${id} = rt.insert(${this.materialize(b)}, ${this.materialize(a)}, ${path.join(', ')});`);
        return;
      }
      case Op.VectorShuffle: {
        const first = this.comps(a);
        const second = this.comps(b);
        const selectors = [...o.subarray(4)];
        const init = pc.initialValue(type);
        cw((k) => {
          const s = selectors[k]!;
          return s === 0xffffffff ? init : s < first.length ? first[s]! : second[s - first.length]!;
        });
        return;
      }
      case Op.VectorExtractDynamic: {
        const comps = this.comps(a);
        const index = this.scalar(b);
        const zero = pc.initialValue(type);
        const chain = comps.reduceRight((rest, c, k) => `${index} === ${k} ? ${c} : ${rest}`, zero);
        out.push(`${this.resultNames(id)[0]} = (${chain});`);
        return;
      }
      case Op.VectorInsertDynamic: {
        const comps = this.comps(a);
        const value = this.scalar(b);
        const index = this.scalar(o[4]!);
        cw((k) => `(${index} === ${k} ? ${value} : ${comps[k]})`);
        return;
      }
      case Op.Transpose: {
        const m = this.materialize(a);
        const result = pc.type(type) as { columns: number; column: number };
        const rows = pc.count(result.column);
        const columns = Array.from(
          { length: result.columns },
          (_, c) => `[${Array.from({ length: rows }, (_, r) => `${m}[${r}][${c}]`).join(', ')}]`,
        );
        out.push(`v${id} = [${columns.join(', ')}];`);
        return;
      }

      // Conversions
      case Op.ConvertFToU:
        cw((k) => this.int(`rt.f2u(${this.c(a, k)})`, type));
        return;
      case Op.ConvertFToS:
        cw((k) => this.int(`rt.f2s(${this.c(a, k)})`, type));
        return;
      case Op.ConvertSToF:
        cw((k) => F(this.s(a, k)));
        return;
      case Op.ConvertUToF:
        cw((k) => F(this.u(a, k)));
        return;
      case Op.UConvert:
      case Op.SConvert:
        cw((k) => this.int(this.c(a, k), type));
        return;
      case Op.FConvert:
        cw((k) => this.c(a, k));
        return;
      case Op.QuantizeToF16:
        cw((k) => `rt.quantizeToF16(${this.c(a, k)})`);
        return;
      case Op.Bitcast: {
        const from = pc.scalarType(this.typeOfId(a));
        const to = pc.scalarType(type);
        if (pc.count(this.typeOfId(a)) !== pc.count(type))
          this.fail(instruction, 'a bitcast between vectors of different sizes');
        if (from.kind === 'float' && to.kind === 'int')
          cw((k) => (to.signed ? `rt.floatBitsSigned(${this.c(a, k)})` : `rt.floatBits(${this.c(a, k)})`));
        else if (from.kind === 'int' && to.kind === 'float') cw((k) => `rt.bitsFloat(${this.c(a, k)})`);
        else if (from.kind === 'int' && to.kind === 'int') cw((k) => this.int(this.c(a, k), type));
        else cw((k) => this.c(a, k));
        return;
      }

      // Arithmetic
      case Op.SNegate:
        cw((k) => this.int(`-${this.s(a, k)}`, type));
        return;
      case Op.FNegate:
        cw((k) => `-${this.c(a, k)}`);
        return;
      case Op.IAdd:
        cw((k) => this.int(`${this.c(a, k)} + ${this.c(b, k)}`, type));
        return;
      case Op.ISub:
        cw((k) => this.int(`${this.c(a, k)} - ${this.c(b, k)}`, type));
        return;
      case Op.IMul:
        cw((k) =>
          pc.signedness(type) === 'signed'
            ? `Math.imul(${this.c(a, k)}, ${this.c(b, k)})`
            : `Math.imul(${this.c(a, k)}, ${this.c(b, k)}) >>> 0`,
        );
        return;
      case Op.UDiv:
        cw((k) => this.int(`rt.udiv(${this.u(a, k)}, ${this.u(b, k)})`, type));
        return;
      case Op.SDiv:
        cw((k) => this.int(`rt.sdiv(${this.s(a, k)}, ${this.s(b, k)})`, type));
        return;
      case Op.UMod:
        cw((k) => this.int(`rt.umod(${this.u(a, k)}, ${this.u(b, k)})`, type));
        return;
      case Op.SRem:
        cw((k) => this.int(`rt.srem(${this.s(a, k)}, ${this.s(b, k)})`, type));
        return;
      case Op.SMod:
        cw((k) => this.int(`rt.smod(${this.s(a, k)}, ${this.s(b, k)})`, type));
        return;
      case Op.FAdd:
        cw((k) => F(`${this.c(a, k)} + ${this.c(b, k)}`));
        return;
      case Op.FSub:
        cw((k) => F(`${this.c(a, k)} - ${this.c(b, k)}`));
        return;
      case Op.FMul:
        cw((k) => F(`${this.c(a, k)} * ${this.c(b, k)}`));
        return;
      case Op.FDiv:
        cw((k) => F(`${this.c(a, k)} / ${this.c(b, k)}`));
        return;
      case Op.FRem:
        cw((k) => `rt.frem(${this.c(a, k)}, ${this.c(b, k)})`);
        return;
      case Op.FMod:
        cw((k) => `rt.fmod(${this.c(a, k)}, ${this.c(b, k)})`);
        return;
      case Op.VectorTimesScalar: {
        const scalar = this.scalar(b);
        cw((k) => F(`${this.c(a, k)} * ${scalar}`));
        return;
      }
      case Op.Dot:
        out.push(`v${id} = ${dotExpression(this.comps(a), this.comps(b))};`);
        return;
      case Op.MatrixTimesScalar: {
        const m = this.materialize(a);
        const scalar = this.scalar(b);
        const matrix = pc.type(type) as { columns: number; column: number };
        const rows = pc.count(matrix.column);
        const columns = Array.from(
          { length: matrix.columns },
          (_, c) => `[${Array.from({ length: rows }, (_, r) => F(`${m}[${c}][${r}] * ${scalar}`)).join(', ')}]`,
        );
        out.push(`v${id} = [${columns.join(', ')}];`);
        return;
      }
      case Op.MatrixTimesVector: {
        const m = this.materialize(a);
        const vector = this.comps(b);
        cw((r) =>
          dotExpression(
            vector.map((_, c) => `${m}[${c}][${r}]`),
            vector,
          ),
        );
        return;
      }
      case Op.VectorTimesMatrix: {
        const vector = this.comps(a);
        const m = this.materialize(b);
        cw((c) =>
          dotExpression(
            vector,
            vector.map((_, r) => `${m}[${c}][${r}]`),
          ),
        );
        return;
      }
      case Op.MatrixTimesMatrix: {
        const left = this.materialize(a);
        const right = this.materialize(b);
        const leftType = pc.type(this.typeOfId(a)) as { columns: number; column: number };
        const result = pc.type(type) as { columns: number; column: number };
        const rows = pc.count(result.column);
        const inner = leftType.columns;
        const columns = Array.from({ length: result.columns }, (_, c) => {
          const column = Array.from({ length: rows }, (_, r) =>
            dotExpression(
              Array.from({ length: inner }, (_, k) => `${left}[${k}][${r}]`),
              Array.from({ length: inner }, (_, k) => `${right}[${c}][${k}]`),
            ),
          );
          return `[${column.join(', ')}]`;
        });
        out.push(`v${id} = [${columns.join(', ')}];`);
        return;
      }
      case Op.OuterProduct: {
        const x = this.comps(a);
        const y = this.comps(b);
        out.push(`v${id} = [${y.map((yc) => `[${x.map((xc) => F(`${xc} * ${yc}`)).join(', ')}]`).join(', ')}];`);
        return;
      }
      case Op.IAddCarry:
      case Op.ISubBorrow:
      case Op.UMulExtended:
      case Op.SMulExtended: {
        const result = pc.type(type) as { members: readonly number[] };
        const memberType = result.members[0]!;
        const count = pc.count(memberType);
        const low: string[] = [];
        const high: string[] = [];
        for (let k = 0; k < count; k++) {
          const x = this.u(a, k);
          const y = this.u(b, k);
          const wrap = (e: string) => this.int(e, memberType);
          if (instruction.opcode === Op.IAddCarry) {
            low.push(wrap(`${x} + ${y}`));
            high.push(`(${x} + ${y} > 4294967295 ? 1 : 0)`);
          } else if (instruction.opcode === Op.ISubBorrow) {
            low.push(wrap(`${x} - ${y}`));
            high.push(`(${x} < ${y} ? 1 : 0)`);
          } else if (instruction.opcode === Op.UMulExtended) {
            low.push(wrap(`Math.imul(${x}, ${y})`));
            high.push(wrap(`rt.umulHigh(${x}, ${y})`));
          } else {
            low.push(wrap(`Math.imul(${x}, ${y})`));
            high.push(wrap(`rt.smulHigh(${this.s(a, k)}, ${this.s(b, k)})`));
          }
        }
        const pack = (parts: string[]) => (count === 1 ? parts[0]! : `[${parts.join(', ')}]`);
        out.push(`v${id} = [${pack(low)}, ${pack(high)}];`);
        return;
      }

      // Bits
      case Op.ShiftRightLogical:
        cw((k) => this.int(`${this.c(a, k)} >>> ${this.c(b, k)}`, type));
        return;
      case Op.ShiftRightArithmetic:
        cw((k) => this.int(`${this.c(a, k)} >> ${this.c(b, k)}`, type));
        return;
      case Op.ShiftLeftLogical:
        cw((k) => this.int(`${this.c(a, k)} << ${this.c(b, k)}`, type));
        return;
      case Op.BitwiseOr:
        cw((k) => this.int(`${this.c(a, k)} | ${this.c(b, k)}`, type));
        return;
      case Op.BitwiseXor:
        cw((k) => this.int(`${this.c(a, k)} ^ ${this.c(b, k)}`, type));
        return;
      case Op.BitwiseAnd:
        cw((k) => this.int(`${this.c(a, k)} & ${this.c(b, k)}`, type));
        return;
      case Op.Not:
        cw((k) => this.int(`~${this.c(a, k)}`, type));
        return;
      case Op.BitFieldInsert:
        cw((k) =>
          this.int(
            `rt.bitFieldInsert(${this.c(a, k)}, ${this.c(b, k)}, ${this.u(o[4]!, 0)}, ${this.u(o[5]!, 0)})`,
            type,
          ),
        );
        return;
      case Op.BitFieldSExtract:
        cw((k) => this.int(`rt.bitFieldSExtract(${this.c(a, k)}, ${this.u(b, 0)}, ${this.u(o[4]!, 0)})`, type));
        return;
      case Op.BitFieldUExtract:
        cw((k) => this.int(`rt.bitFieldUExtract(${this.c(a, k)}, ${this.u(b, 0)}, ${this.u(o[4]!, 0)})`, type));
        return;
      case Op.BitReverse:
        cw((k) => this.int(`rt.bitReverse(${this.c(a, k)})`, type));
        return;
      case Op.BitCount:
        cw((k) => this.int(`rt.bitCount(${this.c(a, k)})`, type));
        return;

      // Relational and logical
      case Op.Any:
        out.push(`v${id} = ${this.comps(a).join(' || ')};`);
        return;
      case Op.All:
        out.push(`v${id} = ${this.comps(a).join(' && ')};`);
        return;
      case Op.IsNan:
        cw((k) => `${this.c(a, k)} !== ${this.c(a, k)}`);
        return;
      case Op.IsInf:
        cw((k) => `(${this.c(a, k)} === Infinity || ${this.c(a, k)} === -Infinity)`);
        return;
      case Op.LogicalEqual:
        cw((k) => `${this.c(a, k)} === ${this.c(b, k)}`);
        return;
      case Op.LogicalNotEqual:
        cw((k) => `${this.c(a, k)} !== ${this.c(b, k)}`);
        return;
      case Op.LogicalOr:
        cw((k) => `${this.c(a, k)} || ${this.c(b, k)}`);
        return;
      case Op.LogicalAnd:
        cw((k) => `${this.c(a, k)} && ${this.c(b, k)}`);
        return;
      case Op.LogicalNot:
        cw((k) => `!${this.c(a, k)}`);
        return;
      case Op.Select: {
        const condition = this.value(a);
        const shape = pc.shape(type);
        if (shape === 'object') {
          out.push(`v${id} = ${this.scalar(a)} ? ${this.materialize(b)} : ${this.materialize(o[4]!)};`);
        } else if (condition.k === 'vector') cw((k) => `(${condition.c[k]} ? ${this.c(b, k)} : ${this.c(o[4]!, k)})`);
        else cw((k) => `(${this.scalar(a)} ? ${this.c(b, k)} : ${this.c(o[4]!, k)})`);
        return;
      }
      case Op.IEqual:
      case Op.INotEqual: {
        const same = pc.signedness(this.typeOfId(a)) === pc.signedness(this.typeOfId(b));
        const op = instruction.opcode === Op.IEqual ? '===' : '!==';
        cw((k) => (same ? `${this.c(a, k)} ${op} ${this.c(b, k)}` : `${this.s(a, k)} ${op} ${this.s(b, k)}`));
        return;
      }
      case Op.UGreaterThan:
        cw((k) => `${this.u(a, k)} > ${this.u(b, k)}`);
        return;
      case Op.SGreaterThan:
        cw((k) => `${this.s(a, k)} > ${this.s(b, k)}`);
        return;
      case Op.UGreaterThanEqual:
        cw((k) => `${this.u(a, k)} >= ${this.u(b, k)}`);
        return;
      case Op.SGreaterThanEqual:
        cw((k) => `${this.s(a, k)} >= ${this.s(b, k)}`);
        return;
      case Op.ULessThan:
        cw((k) => `${this.u(a, k)} < ${this.u(b, k)}`);
        return;
      case Op.SLessThan:
        cw((k) => `${this.s(a, k)} < ${this.s(b, k)}`);
        return;
      case Op.ULessThanEqual:
        cw((k) => `${this.u(a, k)} <= ${this.u(b, k)}`);
        return;
      case Op.SLessThanEqual:
        cw((k) => `${this.s(a, k)} <= ${this.s(b, k)}`);
        return;
      case Op.FOrdEqual:
        cw((k) => `${this.c(a, k)} === ${this.c(b, k)}`);
        return;
      case Op.FUnordEqual:
        cw((k) => `!(${this.c(a, k)} < ${this.c(b, k)} || ${this.c(a, k)} > ${this.c(b, k)})`);
        return;
      case Op.FOrdNotEqual:
        cw((k) => `(${this.c(a, k)} < ${this.c(b, k)} || ${this.c(a, k)} > ${this.c(b, k)})`);
        return;
      case Op.FUnordNotEqual:
        cw((k) => `${this.c(a, k)} !== ${this.c(b, k)}`);
        return;
      case Op.FOrdLessThan:
        cw((k) => `${this.c(a, k)} < ${this.c(b, k)}`);
        return;
      case Op.FUnordLessThan:
        cw((k) => `!(${this.c(a, k)} >= ${this.c(b, k)})`);
        return;
      case Op.FOrdGreaterThan:
        cw((k) => `${this.c(a, k)} > ${this.c(b, k)}`);
        return;
      case Op.FUnordGreaterThan:
        cw((k) => `!(${this.c(a, k)} <= ${this.c(b, k)})`);
        return;
      case Op.FOrdLessThanEqual:
        cw((k) => `${this.c(a, k)} <= ${this.c(b, k)}`);
        return;
      case Op.FUnordLessThanEqual:
        cw((k) => `!(${this.c(a, k)} > ${this.c(b, k)})`);
        return;
      case Op.FOrdGreaterThanEqual:
        cw((k) => `${this.c(a, k)} >= ${this.c(b, k)}`);
        return;
      case Op.FUnordGreaterThanEqual:
        cw((k) => `!(${this.c(a, k)} < ${this.c(b, k)})`);
        return;

      // Atomics
      case Op.AtomicLoad:
        out.push(...this.atomic(instruction, () => []));
        return;
      case Op.AtomicStore: {
        const p = this.pointer(o[0]!);
        out.push(
          ...this.atomicAccess(instruction, p, (view, k) => [`${view}[${k}] = ${this.scalar(o[3]!)};`], undefined),
        );
        return;
      }
      case Op.AtomicExchange:
        out.push(...this.atomic(instruction, (view, k) => [`${view}[${k}] = ${this.scalar(o[5]!)};`]));
        return;
      case Op.AtomicCompareExchange:
      case Op.AtomicCompareExchangeWeak: {
        const result = this.resultNames(id)[0]!;
        const comparator = this.scalar(o[7]!);
        const value = this.scalar(o[6]!);
        const compare = this.isSigned(id) === this.isSigned(o[7]!) ? comparator : this.int(comparator, type);
        out.push(...this.atomic(instruction, (view, k) => [`if (${result} === ${compare}) ${view}[${k}] = ${value};`]));
        return;
      }
      case Op.AtomicIIncrement:
        out.push(...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = ${old} + 1;`]));
        return;
      case Op.AtomicIDecrement:
        out.push(...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = ${old} - 1;`]));
        return;
      case Op.AtomicIAdd:
        out.push(...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = ${old} + ${this.scalar(o[5]!)};`]));
        return;
      case Op.AtomicISub:
        out.push(...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = ${old} - ${this.scalar(o[5]!)};`]));
        return;
      case Op.AtomicSMin:
        out.push(
          ...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = Math.min(${old} | 0, ${this.s(o[5]!, 0)});`]),
        );
        return;
      case Op.AtomicUMin:
        out.push(
          ...this.atomic(instruction, (view, k, old) => [
            `${view}[${k}] = Math.min(${old} >>> 0, ${this.u(o[5]!, 0)});`,
          ]),
        );
        return;
      case Op.AtomicSMax:
        out.push(
          ...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = Math.max(${old} | 0, ${this.s(o[5]!, 0)});`]),
        );
        return;
      case Op.AtomicUMax:
        out.push(
          ...this.atomic(instruction, (view, k, old) => [
            `${view}[${k}] = Math.max(${old} >>> 0, ${this.u(o[5]!, 0)});`,
          ]),
        );
        return;
      case Op.AtomicAnd:
        out.push(...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = ${old} & ${this.scalar(o[5]!)};`]));
        return;
      case Op.AtomicOr:
        out.push(...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = ${old} | ${this.scalar(o[5]!)};`]));
        return;
      case Op.AtomicXor:
        out.push(...this.atomic(instruction, (view, k, old) => [`${view}[${k}] = ${old} ^ ${this.scalar(o[5]!)};`]));
        return;
      default:
        this.fail(instruction, `${opcodeName(instruction.opcode)} is not supported here`);
    }
  }

  private pointeeType(pointerId: number): number {
    const pointerType = this.pc.type(this.typeOfId(pointerId));
    if (pointerType.kind !== 'pointer') throw new SpirvError(`id ${pointerId} is not a pointer`);
    return pointerType.pointee;
  }

  /** An atomic with a result: reads the old value into the result, then runs `update`. */
  private atomic(instruction: Instruction, update: (view: string, index: string, old: string) => string[]): string[] {
    const p = this.pointer(instruction.operands[2]!);
    const result = this.resultNames(instruction.operands[1]!)[0]!;
    return this.atomicAccess(
      instruction,
      p,
      (v, k) => [`${result} = ${v}[${k}];`, ...update(v, k, result)],
      this.pc.signedness(instruction.operands[0]!),
    );
  }

  private atomicAccess(
    instruction: Instruction,
    p: Pointer,
    body: (view: string, index: string) => string[],
    signedness: 'signed' | 'unsigned' | undefined,
  ): string[] {
    if (p.kind !== 'memory' || p.layout.kind !== 'scalar' || p.layout.scalar === 'f32' || p.layout.scalar === 'bool') {
      this.fail(instruction, 'atomics need a pointer to a 32-bit integer in storage or workgroup memory');
    }
    const scalar = signedness === undefined ? p.layout.scalar : signedness === 'signed' ? 'i32' : 'u32';
    const out: string[] = [];
    const check = this.check(p, WORD, 'atomic', opcodeName(instruction.opcode));
    if (check) out.push(check);
    const k = this.temp();
    out.push(`{ const ${k} = ${p.offset} >>> 2;`, ...body(this.view(p.region, scalar), k), '}');
    return out;
  }

  private emitExtInst(instruction: Instruction, out: string[]): void {
    const pc = this.pc;
    const o = instruction.operands;
    const set = pc.module.extInstImports.get(o[2]!);
    if (set?.startsWith('NonSemantic.')) return;
    const number = o[3]!;
    const name = glslName(number);
    if (!SUPPORTED_GLSL_STD_450.has(name)) {
      throw new SpirvError(`GLSL.std.450 ${name} is not supported (OpExtInst at word ${instruction.wordOffset})`, {
        opcodeName: `GLSL.std.450 ${name}`,
        wordOffset: instruction.wordOffset,
      });
    }
    const type = o[0]!;
    const args = [...o.subarray(4)].map((id) => this.comps(id));
    const resultInt = pc.signedness(type);
    const names = this.resultNames(o[1]!);
    const { pre, components } = glslStd450(number, { args, resultInt }, names.length, this.temp());
    out.push(...pre);
    names.forEach((name, k) => out.push(`${name} = ${components[k]};`));
  }
}

function isBufferStorage(storageClass: number): boolean {
  return (
    storageClass === StorageClass.StorageBuffer ||
    storageClass === StorageClass.Uniform ||
    storageClass === StorageClass.PushConstant
  );
}

function zeroTree(pc: PipelineCompiler, typeId: number): unknown {
  const type = pc.type(typeId);
  switch (type.kind) {
    case 'bool':
      return false;
    case 'int':
    case 'float':
      return 0;
    case 'vector':
      return Array.from({ length: type.count }, () => zeroTree(pc, type.component));
    case 'matrix':
      return Array.from({ length: type.columns }, () => zeroTree(pc, type.column));
    case 'array':
      return Array.from({ length: arrayLength(pc.constantValue(type.length)) }, () => zeroTree(pc, type.element));
    case 'struct':
      return type.members.map((m) => zeroTree(pc, m));
    default:
      throw new SpirvError(`no zero value of a ${type.kind}`);
  }
}

export type { MemoryKind };
