// The parsed form of a SPIR-V module: header, capabilities, entry points, debug names, decorations, types,
// constants, global variables and functions with their basic blocks. Parsing refuses, by name, every
// instruction and capability outside the supported set (opcodes.ts), so a module that parses uses only what
// the compiler knows how to run.
import { SpirvError } from './errors.js';
import { EXECUTION_MODEL_NAMES, STORAGE_CLASS_NAMES } from './grammar.js';
import { capabilityName, Op, opcodeName, SUPPORTED_CAPABILITIES, SUPPORTED_OPCODES } from './opcodes.js';

export const SPIRV_MAGIC = 0x07230203;

/** One instruction: its opcode, its operand words (the word count and opcode word excluded), and its position. */
export interface Instruction {
  readonly opcode: number;
  readonly operands: Uint32Array;
  /** Offset of the instruction's first word in the module, in words. */
  readonly wordOffset: number;
}

export type SpirvType =
  | { readonly kind: 'void'; readonly id: number }
  | { readonly kind: 'bool'; readonly id: number }
  | { readonly kind: 'int'; readonly id: number; readonly width: number; readonly signed: boolean }
  | { readonly kind: 'float'; readonly id: number; readonly width: number }
  | { readonly kind: 'vector'; readonly id: number; readonly component: number; readonly count: number }
  | { readonly kind: 'matrix'; readonly id: number; readonly column: number; readonly columns: number }
  /** `length` is the id of the constant (possibly a specialization constant) giving the element count. */
  | { readonly kind: 'array'; readonly id: number; readonly element: number; readonly length: number }
  | { readonly kind: 'runtimeArray'; readonly id: number; readonly element: number }
  | { readonly kind: 'struct'; readonly id: number; readonly members: readonly number[] }
  | { readonly kind: 'pointer'; readonly id: number; readonly storageClass: number; readonly pointee: number }
  | { readonly kind: 'function'; readonly id: number; readonly returnType: number; readonly params: readonly number[] };

/**
 * A constant as declared. Scalars keep their literal bits (`bits`: the 32-bit word; booleans 0 or 1);
 * `spec` marks specialization constants, whose value the pipeline's specialization may replace.
 */
export type ConstantDecl =
  | {
      readonly kind: 'scalar';
      readonly id: number;
      readonly type: number;
      readonly bits: number;
      readonly spec: boolean;
    }
  | {
      readonly kind: 'composite';
      readonly id: number;
      readonly type: number;
      readonly constituents: readonly number[];
      readonly spec: boolean;
    }
  | { readonly kind: 'null'; readonly id: number; readonly type: number; readonly spec: false }
  | { readonly kind: 'undef'; readonly id: number; readonly type: number; readonly spec: false }
  /** OpSpecConstantOp: `opcode` is the operation, `operands` its operand words (ids and literals). */
  | {
      readonly kind: 'op';
      readonly id: number;
      readonly type: number;
      readonly opcode: number;
      readonly operands: readonly number[];
      readonly spec: true;
    };

export interface Decoration {
  readonly decoration: number;
  /** Literal operands, or ids for OpDecorateId; strings (OpDecorateString) are in `text`. */
  readonly operands: readonly number[];
  readonly text?: string;
}

export interface GlobalVariable {
  readonly id: number;
  /** The pointer type. */
  readonly type: number;
  readonly storageClass: number;
  readonly initializer: number | undefined;
}

export interface Block {
  readonly label: number;
  /** The block's instructions after OpLabel, its terminator last. */
  readonly instructions: readonly Instruction[];
}

export interface SpirvFunction {
  readonly id: number;
  readonly returnType: number;
  /** The OpTypeFunction. */
  readonly type: number;
  readonly params: readonly { readonly id: number; readonly type: number }[];
  /** Blocks in module order; the first is the entry block. */
  readonly blocks: readonly Block[];
  /** Function-storage OpVariables (they sit at the top of the entry block). */
  readonly variables: readonly GlobalVariable[];
}

export interface EntryPointDecl {
  readonly executionModel: number;
  readonly function: number;
  readonly name: string;
  readonly interface: readonly number[];
}

export interface ExecutionModeDecl {
  readonly mode: number;
  readonly operands: readonly number[];
  /** True for OpExecutionModeId: operands are constant ids. */
  readonly ids: boolean;
}

export interface SpirvModule {
  readonly version: { readonly major: number; readonly minor: number };
  readonly generator: number;
  readonly bound: number;
  readonly capabilities: readonly number[];
  readonly extensions: readonly string[];
  /** OpExtInstImport ids and their set names (`GLSL.std.450`). */
  readonly extInstImports: ReadonlyMap<number, string>;
  readonly addressingModel: number;
  readonly memoryModel: number;
  readonly entryPoints: readonly EntryPointDecl[];
  /** Execution modes by entry point function id. */
  readonly executionModes: ReadonlyMap<number, readonly ExecutionModeDecl[]>;
  readonly names: ReadonlyMap<number, string>;
  readonly memberNames: ReadonlyMap<number, ReadonlyMap<number, string>>;
  readonly decorations: ReadonlyMap<number, readonly Decoration[]>;
  readonly memberDecorations: ReadonlyMap<number, ReadonlyMap<number, readonly Decoration[]>>;
  readonly types: ReadonlyMap<number, SpirvType>;
  readonly constants: ReadonlyMap<number, ConstantDecl>;
  readonly variables: ReadonlyMap<number, GlobalVariable>;
  readonly functions: ReadonlyMap<number, SpirvFunction>;
  /** Result type of every instruction that has one (types and labels excluded), by result id. */
  readonly resultTypes: ReadonlyMap<number, number>;
  readonly words: Uint32Array;
}

/** Instructions whose operands start with a result type id and a result id. */
const TYPED_RESULT = new Set<number>([
  Op.Undef,
  Op.ExtInst,
  Op.ConstantTrue,
  Op.ConstantFalse,
  Op.Constant,
  Op.ConstantComposite,
  Op.ConstantNull,
  Op.SpecConstantTrue,
  Op.SpecConstantFalse,
  Op.SpecConstant,
  Op.SpecConstantComposite,
  Op.SpecConstantOp,
  Op.Function,
  Op.FunctionParameter,
  Op.FunctionCall,
  Op.Variable,
  Op.Load,
  Op.AccessChain,
  Op.InBoundsAccessChain,
  Op.ArrayLength,
  Op.VectorExtractDynamic,
  Op.VectorInsertDynamic,
  Op.VectorShuffle,
  Op.CompositeConstruct,
  Op.CompositeExtract,
  Op.CompositeInsert,
  Op.CopyObject,
  Op.Transpose,
  Op.CopyLogical,
  Op.ConvertFToU,
  Op.ConvertFToS,
  Op.ConvertSToF,
  Op.ConvertUToF,
  Op.UConvert,
  Op.SConvert,
  Op.FConvert,
  Op.QuantizeToF16,
  Op.Bitcast,
  Op.SNegate,
  Op.FNegate,
  Op.IAdd,
  Op.FAdd,
  Op.ISub,
  Op.FSub,
  Op.IMul,
  Op.FMul,
  Op.UDiv,
  Op.SDiv,
  Op.FDiv,
  Op.UMod,
  Op.SRem,
  Op.SMod,
  Op.FRem,
  Op.FMod,
  Op.VectorTimesScalar,
  Op.MatrixTimesScalar,
  Op.VectorTimesMatrix,
  Op.MatrixTimesVector,
  Op.MatrixTimesMatrix,
  Op.OuterProduct,
  Op.Dot,
  Op.IAddCarry,
  Op.ISubBorrow,
  Op.UMulExtended,
  Op.SMulExtended,
  Op.Any,
  Op.All,
  Op.IsNan,
  Op.IsInf,
  Op.LogicalEqual,
  Op.LogicalNotEqual,
  Op.LogicalOr,
  Op.LogicalAnd,
  Op.LogicalNot,
  Op.Select,
  Op.IEqual,
  Op.INotEqual,
  Op.UGreaterThan,
  Op.SGreaterThan,
  Op.UGreaterThanEqual,
  Op.SGreaterThanEqual,
  Op.ULessThan,
  Op.SLessThan,
  Op.ULessThanEqual,
  Op.SLessThanEqual,
  Op.FOrdEqual,
  Op.FUnordEqual,
  Op.FOrdNotEqual,
  Op.FUnordNotEqual,
  Op.FOrdLessThan,
  Op.FUnordLessThan,
  Op.FOrdGreaterThan,
  Op.FUnordGreaterThan,
  Op.FOrdLessThanEqual,
  Op.FUnordLessThanEqual,
  Op.FOrdGreaterThanEqual,
  Op.FUnordGreaterThanEqual,
  Op.ShiftRightLogical,
  Op.ShiftRightArithmetic,
  Op.ShiftLeftLogical,
  Op.BitwiseOr,
  Op.BitwiseXor,
  Op.BitwiseAnd,
  Op.Not,
  Op.BitFieldInsert,
  Op.BitFieldSExtract,
  Op.BitFieldUExtract,
  Op.BitReverse,
  Op.BitCount,
  Op.AtomicLoad,
  Op.AtomicExchange,
  Op.AtomicCompareExchange,
  Op.AtomicCompareExchangeWeak,
  Op.AtomicIIncrement,
  Op.AtomicIDecrement,
  Op.AtomicIAdd,
  Op.AtomicISub,
  Op.AtomicSMin,
  Op.AtomicUMin,
  Op.AtomicSMax,
  Op.AtomicUMax,
  Op.AtomicAnd,
  Op.AtomicOr,
  Op.AtomicXor,
  Op.Phi,
]);

/** True when the instruction's operands begin with a result type and a result id. */
export function hasTypedResult(opcode: number): boolean {
  return TYPED_RESULT.has(opcode);
}

/** Decodes a nul-terminated UTF-8 literal string starting at `operands[start]`; returns it and the words used. */
export function readString(operands: Uint32Array, start: number): { text: string; words: number } {
  const bytes: number[] = [];
  let i = start;
  for (; i < operands.length; i++) {
    const word = operands[i]!;
    let ended = false;
    for (let b = 0; b < 4; b++) {
      const byte = (word >>> (8 * b)) & 0xff;
      if (byte === 0) {
        ended = true;
        break;
      }
      bytes.push(byte);
    }
    if (ended) return { text: new TextDecoder().decode(new Uint8Array(bytes)), words: i - start + 1 };
  }
  throw new SpirvError('a literal string is not nul-terminated');
}

function fail(message: string, instruction?: { opcode: number; wordOffset: number }): never {
  throw new SpirvError(
    instruction ? `${message} (${opcodeName(instruction.opcode)} at word ${instruction.wordOffset})` : message,
    instruction ? { opcodeName: opcodeName(instruction.opcode), wordOffset: instruction.wordOffset } : {},
  );
}

/** Accepts the module's words as a Uint32Array, or its bytes (a `.spv` file) as a Uint8Array / ArrayBuffer. */
export function toWords(input: Uint32Array | Uint8Array | ArrayBuffer): Uint32Array {
  if (input instanceof Uint32Array) return input;
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteLength % 4 !== 0)
    throw new SpirvError(`a SPIR-V module is a whole number of words; got ${bytes.byteLength} bytes`);
  const words = new Uint32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // SPIR-V may be stored in either byte order; the magic number says which.
  const littleEndian = view.byteLength < 4 || view.getUint32(0, true) === SPIRV_MAGIC;
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(i * 4, littleEndian);
  return words;
}

/**
 * Parses a SPIR-V module. Throws SpirvError for a malformed module and for the first instruction or capability
 * outside the supported set, naming it.
 */
export function parseModule(input: Uint32Array | Uint8Array | ArrayBuffer): SpirvModule {
  const words = toWords(input);
  if (words.length < 5) throw new SpirvError(`a SPIR-V module needs a 5-word header; got ${words.length} words`);
  if (words[0] !== SPIRV_MAGIC) throw new SpirvError(`not a SPIR-V module: magic number 0x${words[0]!.toString(16)}`);
  const versionWord = words[1]!;
  const version = { major: (versionWord >>> 16) & 0xff, minor: (versionWord >>> 8) & 0xff };
  if (version.major !== 1 || version.minor > 6)
    throw new SpirvError(`unsupported SPIR-V version ${version.major}.${version.minor}`);

  const capabilities: number[] = [];
  const extensions: string[] = [];
  const extInstImports = new Map<number, string>();
  let addressingModel = -1;
  let memoryModel = -1;
  const entryPoints: EntryPointDecl[] = [];
  const executionModes = new Map<number, ExecutionModeDecl[]>();
  const names = new Map<number, string>();
  const memberNames = new Map<number, Map<number, string>>();
  const decorations = new Map<number, Decoration[]>();
  const memberDecorations = new Map<number, Map<number, Decoration[]>>();
  const groups = new Map<number, { decorations: Decoration[]; members: Map<number, Decoration[]> }>();
  const types = new Map<number, SpirvType>();
  const constants = new Map<number, ConstantDecl>();
  const variables = new Map<number, GlobalVariable>();
  const functions = new Map<number, SpirvFunction>();
  const resultTypes = new Map<number, number>();

  const decorate = (target: number, decoration: Decoration) => {
    let list = decorations.get(target);
    if (!list) decorations.set(target, (list = []));
    list.push(decoration);
  };
  const decorateMember = (target: number, member: number, decoration: Decoration) => {
    let byMember = memberDecorations.get(target);
    if (!byMember) memberDecorations.set(target, (byMember = new Map()));
    let list = byMember.get(member);
    if (!list) byMember.set(member, (list = []));
    list.push(decoration);
  };

  // The function being read, if any.
  let current:
    | {
        id: number;
        returnType: number;
        type: number;
        params: { id: number; type: number }[];
        blocks: Block[];
        variables: GlobalVariable[];
      }
    | undefined;
  let block: { label: number; instructions: Instruction[] } | undefined;

  let at = 5;
  while (at < words.length) {
    const first = words[at]!;
    const count = first >>> 16;
    const opcode = first & 0xffff;
    if (count === 0 || at + count > words.length) fail(`malformed instruction: word count ${count} at word ${at}`);
    const operands = words.subarray(at + 1, at + count);
    const instruction: Instruction = { opcode, operands, wordOffset: at };
    at += count;

    if (!SUPPORTED_OPCODES.has(opcode)) fail(`${opcodeName(opcode)} is not supported`, instruction);
    if (hasTypedResult(opcode) && opcode !== Op.Function) resultTypes.set(operands[1]!, operands[0]!);

    if (block) {
      // Inside a block: everything goes to the block; terminators end it.
      if (opcode === Op.Line || opcode === Op.NoLine || opcode === Op.Nop) continue;
      if (opcode === Op.Variable) {
        const v = { id: operands[1]!, type: operands[0]!, storageClass: operands[2]!, initializer: operands[3] };
        if (v.storageClass !== 7) fail(`a variable inside a function must have Function storage`, instruction);
        current!.variables.push(v);
        continue;
      }
      if (opcode === Op.Label || opcode === Op.FunctionEnd || opcode === Op.Function)
        fail('a block has no terminator', instruction);
      block.instructions.push(instruction);
      if (
        opcode === Op.Branch ||
        opcode === Op.BranchConditional ||
        opcode === Op.Switch ||
        opcode === Op.Return ||
        opcode === Op.ReturnValue ||
        opcode === Op.Unreachable
      ) {
        current!.blocks.push(block);
        block = undefined;
      }
      continue;
    }

    switch (opcode) {
      case Op.Nop:
      case Op.Source:
      case Op.SourceContinued:
      case Op.SourceExtension:
      case Op.String:
      case Op.Line:
      case Op.NoLine:
      case Op.ModuleProcessed:
        break;
      case Op.Capability: {
        const capability = operands[0]!;
        if (!SUPPORTED_CAPABILITIES.has(capability))
          fail(`capability ${capabilityName(capability)} is not supported`, instruction);
        capabilities.push(capability);
        break;
      }
      case Op.Extension:
        extensions.push(readString(operands, 0).text);
        break;
      case Op.ExtInstImport: {
        const name = readString(operands, 1).text;
        if (name !== 'GLSL.std.450' && !name.startsWith('NonSemantic.'))
          fail(`extended instruction set ${name} is not supported`, instruction);
        extInstImports.set(operands[0]!, name);
        break;
      }
      case Op.ExtInst:
        // Outside functions only non-semantic instructions (debug information) may appear; they change nothing.
        if (!extInstImports.get(operands[2]!)?.startsWith('NonSemantic.'))
          fail('an extended instruction outside a function', instruction);
        break;
      case Op.MemoryModel:
        addressingModel = operands[0]!;
        memoryModel = operands[1]!;
        if (addressingModel !== 0)
          fail(`addressing model ${addressingModel} is not supported (only Logical)`, instruction);
        break;
      case Op.EntryPoint: {
        const name = readString(operands, 2);
        entryPoints.push({
          executionModel: operands[0]!,
          function: operands[1]!,
          name: name.text,
          interface: [...operands.subarray(2 + name.words)],
        });
        break;
      }
      case Op.ExecutionMode:
      case Op.ExecutionModeId: {
        let list = executionModes.get(operands[0]!);
        if (!list) executionModes.set(operands[0]!, (list = []));
        list.push({ mode: operands[1]!, operands: [...operands.subarray(2)], ids: opcode === Op.ExecutionModeId });
        break;
      }
      case Op.Name:
        names.set(operands[0]!, readString(operands, 1).text);
        break;
      case Op.MemberName: {
        let byMember = memberNames.get(operands[0]!);
        if (!byMember) memberNames.set(operands[0]!, (byMember = new Map()));
        byMember.set(operands[1]!, readString(operands, 2).text);
        break;
      }
      case Op.Decorate:
      case Op.DecorateId:
        decorate(operands[0]!, { decoration: operands[1]!, operands: [...operands.subarray(2)] });
        break;
      case Op.DecorateString:
        decorate(operands[0]!, { decoration: operands[1]!, operands: [], text: readString(operands, 2).text });
        break;
      case Op.MemberDecorate:
        decorateMember(operands[0]!, operands[1]!, { decoration: operands[2]!, operands: [...operands.subarray(3)] });
        break;
      case Op.MemberDecorateString:
        decorateMember(operands[0]!, operands[1]!, {
          decoration: operands[2]!,
          operands: [],
          text: readString(operands, 3).text,
        });
        break;
      case Op.DecorationGroup: {
        const id = operands[0]!;
        const group = { decorations: decorations.get(id) ?? [], members: memberDecorations.get(id) ?? new Map() };
        groups.set(id, group);
        break;
      }
      case Op.GroupDecorate: {
        const group = groups.get(operands[0]!) ?? fail('OpGroupDecorate of an unknown group', instruction);
        for (const target of operands.subarray(1)) for (const d of group.decorations) decorate(target, d);
        break;
      }
      case Op.GroupMemberDecorate: {
        const group = groups.get(operands[0]!) ?? fail('OpGroupMemberDecorate of an unknown group', instruction);
        for (let i = 1; i + 1 < operands.length; i += 2)
          for (const d of group.decorations) decorateMember(operands[i]!, operands[i + 1]!, d);
        break;
      }
      case Op.TypeVoid:
        types.set(operands[0]!, { kind: 'void', id: operands[0]! });
        break;
      case Op.TypeBool:
        types.set(operands[0]!, { kind: 'bool', id: operands[0]! });
        break;
      case Op.TypeInt:
        if (operands[1] !== 32) fail(`${operands[1]}-bit integers are not supported`, instruction);
        types.set(operands[0]!, { kind: 'int', id: operands[0]!, width: operands[1]!, signed: operands[2] === 1 });
        break;
      case Op.TypeFloat:
        if (operands[1] !== 32) fail(`${operands[1]}-bit floats are not supported`, instruction);
        if (operands.length > 2) fail('float encodings other than IEEE 754 are not supported', instruction);
        types.set(operands[0]!, { kind: 'float', id: operands[0]!, width: operands[1]! });
        break;
      case Op.TypeVector:
        types.set(operands[0]!, { kind: 'vector', id: operands[0]!, component: operands[1]!, count: operands[2]! });
        break;
      case Op.TypeMatrix:
        types.set(operands[0]!, { kind: 'matrix', id: operands[0]!, column: operands[1]!, columns: operands[2]! });
        break;
      case Op.TypeArray:
        types.set(operands[0]!, { kind: 'array', id: operands[0]!, element: operands[1]!, length: operands[2]! });
        break;
      case Op.TypeRuntimeArray:
        types.set(operands[0]!, { kind: 'runtimeArray', id: operands[0]!, element: operands[1]! });
        break;
      case Op.TypeStruct:
        types.set(operands[0]!, { kind: 'struct', id: operands[0]!, members: [...operands.subarray(1)] });
        break;
      case Op.TypePointer: {
        const storageClass = operands[1]!;
        if (![1, 2, 4, 6, 7, 9, 12].includes(storageClass)) {
          fail(`storage class ${STORAGE_CLASS_NAMES.get(storageClass) ?? storageClass} is not supported`, instruction);
        }
        types.set(operands[0]!, { kind: 'pointer', id: operands[0]!, storageClass, pointee: operands[2]! });
        break;
      }
      case Op.TypeFunction:
        types.set(operands[0]!, {
          kind: 'function',
          id: operands[0]!,
          returnType: operands[1]!,
          params: [...operands.subarray(2)],
        });
        break;
      case Op.ConstantTrue:
      case Op.ConstantFalse:
      case Op.SpecConstantTrue:
      case Op.SpecConstantFalse:
        constants.set(operands[1]!, {
          kind: 'scalar',
          id: operands[1]!,
          type: operands[0]!,
          bits: opcode === Op.ConstantTrue || opcode === Op.SpecConstantTrue ? 1 : 0,
          spec: opcode === Op.SpecConstantTrue || opcode === Op.SpecConstantFalse,
        });
        break;
      case Op.Constant:
      case Op.SpecConstant:
        if (operands.length !== 3) fail('only 32-bit constants are supported', instruction);
        constants.set(operands[1]!, {
          kind: 'scalar',
          id: operands[1]!,
          type: operands[0]!,
          bits: operands[2]!,
          spec: opcode === Op.SpecConstant,
        });
        break;
      case Op.ConstantComposite:
      case Op.SpecConstantComposite:
        constants.set(operands[1]!, {
          kind: 'composite',
          id: operands[1]!,
          type: operands[0]!,
          constituents: [...operands.subarray(2)],
          spec: opcode === Op.SpecConstantComposite,
        });
        break;
      case Op.ConstantNull:
        constants.set(operands[1]!, { kind: 'null', id: operands[1]!, type: operands[0]!, spec: false });
        break;
      case Op.Undef:
        constants.set(operands[1]!, { kind: 'undef', id: operands[1]!, type: operands[0]!, spec: false });
        break;
      case Op.SpecConstantOp:
        constants.set(operands[1]!, {
          kind: 'op',
          id: operands[1]!,
          type: operands[0]!,
          opcode: operands[2]!,
          operands: [...operands.subarray(3)],
          spec: true,
        });
        break;
      case Op.Variable: {
        const v = { id: operands[1]!, type: operands[0]!, storageClass: operands[2]!, initializer: operands[3] };
        if (v.storageClass === 7) fail('a Function-storage variable outside a function', instruction);
        variables.set(v.id, v);
        break;
      }
      case Op.Function:
        if (current) fail('a function inside a function', instruction);
        current = {
          id: operands[1]!,
          returnType: operands[0]!,
          type: operands[3]!,
          params: [],
          blocks: [],
          variables: [],
        };
        break;
      case Op.FunctionParameter:
        if (!current || current.blocks.length > 0) fail('a parameter outside a function header', instruction);
        current.params.push({ id: operands[1]!, type: operands[0]! });
        break;
      case Op.Label:
        if (!current) fail('a label outside a function', instruction);
        block = { label: operands[0]!, instructions: [] };
        break;
      case Op.FunctionEnd:
        if (!current) fail('OpFunctionEnd outside a function', instruction);
        functions.set(current.id, current);
        current = undefined;
        break;
      default:
        fail(`${opcodeName(opcode)} outside a function block`, instruction);
    }
  }
  if (block || current) throw new SpirvError('the module ends inside a function');
  if (memoryModel < 0) throw new SpirvError('the module has no OpMemoryModel');
  for (const entry of entryPoints) {
    if (!functions.has(entry.function)) throw new SpirvError(`entry point "${entry.name}" names no function`);
    if (EXECUTION_MODEL_NAMES.get(entry.executionModel) === undefined)
      throw new SpirvError(`entry point "${entry.name}" has an unknown execution model`);
  }

  return {
    version,
    generator: words[2]!,
    bound: words[3]!,
    capabilities,
    extensions,
    extInstImports,
    addressingModel,
    memoryModel,
    entryPoints,
    executionModes,
    names,
    memberNames,
    decorations,
    memberDecorations,
    types,
    constants,
    variables,
    functions,
    resultTypes,
    words,
  };
}

/** The decorations of `id` with the given decoration number. */
export function decorationsOf(module: SpirvModule, id: number, decoration: number): Decoration[] {
  return (module.decorations.get(id) ?? []).filter((d) => d.decoration === decoration);
}

export function hasDecoration(module: SpirvModule, id: number, decoration: number): boolean {
  return (module.decorations.get(id) ?? []).some((d) => d.decoration === decoration);
}

/** The first literal operand of a decoration of `id`, or undefined. */
export function decorationValue(module: SpirvModule, id: number, decoration: number): number | undefined {
  return (module.decorations.get(id) ?? []).find((d) => d.decoration === decoration)?.operands[0];
}

export function memberDecorationValue(
  module: SpirvModule,
  id: number,
  member: number,
  decoration: number,
): number | undefined {
  return module.memberDecorations
    .get(id)
    ?.get(member)
    ?.find((d) => d.decoration === decoration)?.operands[0];
}

export function hasMemberDecoration(module: SpirvModule, id: number, member: number, decoration: number): boolean {
  return (
    module.memberDecorations
      .get(id)
      ?.get(member)
      ?.some((d) => d.decoration === decoration) ?? false
  );
}

export function typeOf(module: SpirvModule, id: number): SpirvType {
  const type = module.types.get(id);
  if (!type) throw new SpirvError(`id ${id} is not a type`);
  return type;
}

/**
 * The ids an instruction inside a function reads as values (constants, globals and SSA results), in operand
 * order: result type, result id, literals and branch targets excluded. OpPhi's values are included (they
 * are read on the edge from the paired predecessor).
 */
export function valueUses(instruction: Instruction): number[] {
  const o = instruction.operands;
  switch (instruction.opcode) {
    case Op.CompositeExtract:
    case Op.Load:
      return [o[2]!];
    case Op.ArrayLength:
      return [o[2]!];
    case Op.CompositeInsert:
    case Op.VectorShuffle:
      return [o[2]!, o[3]!];
    case Op.ExtInst:
      return [...o.subarray(4)];
    case Op.Phi: {
      const uses: number[] = [];
      for (let i = 2; i < o.length; i += 2) uses.push(o[i]!);
      return uses;
    }
    case Op.Store:
    case Op.CopyMemory:
      return [o[0]!, o[1]!];
    case Op.BranchConditional:
    case Op.Switch:
    case Op.ReturnValue:
      return [o[0]!];
    case Op.Branch:
    case Op.LoopMerge:
    case Op.SelectionMerge:
    case Op.Return:
    case Op.Unreachable:
      return [];
    case Op.ControlBarrier:
    case Op.MemoryBarrier:
    case Op.AtomicStore:
      return [...o];
    default:
      return hasTypedResult(instruction.opcode) ? [...o.subarray(2)] : [...o];
  }
}

/** The result id of an instruction inside a function, or undefined. */
export function resultId(instruction: Instruction): number | undefined {
  return hasTypedResult(instruction.opcode) ? instruction.operands[1] : undefined;
}
