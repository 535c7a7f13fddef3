// A small SPIR-V assembler for tests, reading the text form spirv-dis prints:
//   %result = OpName %type %operand 42 1.5 "string" EnumName
// Ids are names (`%x`) numbered in order of first appearance. Literals: integers (negative ones as two's
// complement), floats (encoded as float32 when the instruction is OpConstant / OpSpecConstant of a float type),
// strings, and enumerant names looked up for the instruction (capabilities, storage classes, decorations,
// built-ins, execution models and modes, GLSL.std.450 instruction names, None).
import {
  BUILTIN_NAMES,
  CAPABILITY_NAMES,
  DECORATION_NAMES,
  EXECUTION_MODE_NAMES,
  EXECUTION_MODEL_NAMES,
  GLSL_STD_450_NAMES,
  OPCODE_NAMES,
  STORAGE_CLASS_NAMES,
} from '../src/grammar.js';
import { hasTypedResult, SPIRV_MAGIC } from '../src/module.js';

const reverse = (map: ReadonlyMap<number, string>) => new Map([...map].map(([value, name]) => [name, value]));
const OPCODES = reverse(OPCODE_NAMES);
const TABLES: Record<string, Map<string, number>> = {
  OpCapability: reverse(CAPABILITY_NAMES),
  OpEntryPoint: reverse(EXECUTION_MODEL_NAMES),
  OpExecutionMode: reverse(EXECUTION_MODE_NAMES),
  OpExecutionModeId: reverse(EXECUTION_MODE_NAMES),
  OpTypePointer: reverse(STORAGE_CLASS_NAMES),
  OpVariable: reverse(STORAGE_CLASS_NAMES),
  OpExtInst: reverse(GLSL_STD_450_NAMES),
  OpMemoryModel: new Map([
    ['Logical', 0],
    ['GLSL450', 1],
    ['Vulkan', 3],
    ['Physical32', 1],
  ]),
};
const DECORATIONS = reverse(DECORATION_NAMES);
const BUILTINS = reverse(BUILTIN_NAMES);
const CONTROL = new Map([
  ['None', 0],
  ['Inline', 1],
  ['DontInline', 2],
  ['Flatten', 1],
  ['DontFlatten', 2],
  ['Unroll', 1],
  ['DontUnroll', 2],
]);

function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) tokens.push(m[1] !== undefined ? `"${m[1]}` : m[2]!);
  return tokens;
}

function stringWords(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text), 0];
  while (bytes.length % 4 !== 0) bytes.push(0);
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 4)
    words.push((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return words;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function assemble(source: string, version = 0x00010300): Uint32Array {
  const ids = new Map<string, number>();
  const id = (name: string) => {
    let n = ids.get(name);
    if (n === undefined) ids.set(name, (n = ids.size + 1));
    return n;
  };
  const floatTypes = new Set<number>();
  const body: number[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    let tokens = tokenize(line);
    let result: string | undefined;
    if (tokens[1] === '=') {
      result = tokens[0];
      tokens = tokens.slice(2);
    }
    const [name, ...rest] = tokens as [string, ...string[]];
    const opcode = OPCODES.get(name);
    if (opcode === undefined) throw new Error(`unknown instruction ${name}`);
    const table = TABLES[name];
    const operands: number[] = [];
    let afterBuiltIn = false;
    rest.forEach((token, index) => {
      if (token.startsWith('%')) operands.push(id(token));
      else if (token.startsWith('"')) operands.push(...stringWords(token.slice(1)));
      else if (
        /^-?(0x[0-9a-f]+|\d+)$/i.test(token) &&
        !((name === 'OpConstant' || name === 'OpSpecConstant') && floatTypes.has(operands[0]!))
      ) {
        operands.push(Number(token) >>> 0);
      } else if (/^[-+]?(\d|inf|nan)/i.test(token)) {
        f32[0] = Number(token.replace(/^([-+]?)inf$/i, '$1Infinity'));
        operands.push(u32[0]!);
      } else {
        const lookups = [
          table,
          name === 'OpDecorate' || name === 'OpMemberDecorate' ? (afterBuiltIn ? BUILTINS : DECORATIONS) : undefined,
          CONTROL,
        ];
        const value = lookups.map((t) => t?.get(token)).find((v) => v !== undefined);
        if (value === undefined) throw new Error(`unknown enumerant ${token} in ${line}`);
        afterBuiltIn = token === 'BuiltIn';
        operands.push(value);
      }
      void index;
    });
    let words: number[];
    if (result !== undefined) {
      const resultId = id(result);
      words = hasTypedResult(opcode) ? [operands[0]!, resultId, ...operands.slice(1)] : [resultId, ...operands];
      if (name === 'OpTypeFloat') floatTypes.add(resultId);
    } else words = operands;
    body.push(((words.length + 1) << 16) | opcode, ...words);
  }
  return Uint32Array.from([SPIRV_MAGIC, version, 0, ids.size + 1, 0, ...body]);
}

/** A compute module with one storage buffer of words at set 0 binding 0 (`%in`) and one at binding 1 (`%out`). */
export function computeModule(options: {
  decls?: string;
  body: string;
  localSize?: string;
  functions?: string;
}): Uint32Array {
  return assemble(`
    OpCapability Shader
    %glsl = OpExtInstImport "GLSL.std.450"
    OpMemoryModel Logical GLSL450
    OpEntryPoint GLCompute %main "main" %gid %lid
    OpExecutionMode %main LocalSize ${options.localSize ?? '1 1 1'}
    OpDecorate %gid BuiltIn GlobalInvocationId
    OpDecorate %lid BuiltIn LocalInvocationId
    OpDecorate %arr ArrayStride 4
    OpDecorate %Buf Block
    OpMemberDecorate %Buf 0 Offset 0
    OpDecorate %in DescriptorSet 0
    OpDecorate %in Binding 0
    OpDecorate %out DescriptorSet 0
    OpDecorate %out Binding 1
    %void = OpTypeVoid
    %fn = OpTypeFunction %void
    %bool = OpTypeBool
    %uint = OpTypeInt 32 0
    %int = OpTypeInt 32 1
    %float = OpTypeFloat 32
    %v2uint = OpTypeVector %uint 2
    %v3uint = OpTypeVector %uint 3
    %v4uint = OpTypeVector %uint 4
    %arr = OpTypeRuntimeArray %uint
    %Buf = OpTypeStruct %arr
    %pBuf = OpTypePointer StorageBuffer %Buf
    %pu = OpTypePointer StorageBuffer %uint
    %pin = OpTypePointer Input %v3uint
    %in = OpVariable %pBuf StorageBuffer
    %out = OpVariable %pBuf StorageBuffer
    %gid = OpVariable %pin Input
    %lid = OpVariable %pin Input
    %u0 = OpConstant %uint 0
    %u1 = OpConstant %uint 1
    %u2 = OpConstant %uint 2
    %u3 = OpConstant %uint 3
    %i0 = OpConstant %int 0
    %true = OpConstantTrue %bool
    %false = OpConstantFalse %bool
    ${options.decls ?? ''}
    ${options.functions ?? ''}
    %main = OpFunction %void None %fn
    %entry = OpLabel
    %g = OpLoad %v3uint %gid
    %i = OpCompositeExtract %uint %g 0
    ${options.body}
    OpFunctionEnd
  `);
}

export type Kind = 'uint' | 'int' | 'float' | 'bool';

/**
 * A module computing `%r = <instruction> %a %b ...` for each invocation i, with operands read as raw words
 * from in[i * arity + k] (bitcast to their kind) and the result written as a raw word to out[i] (booleans as 1 / 0).
 */
export function operationModule(instruction: string, operandKinds: readonly Kind[], resultKind: Kind): Uint32Array {
  const loads = operandKinds
    .map((kind, k) => {
      const value = kind === 'uint' ? `%w${k}` : kind === 'bool' ? `%c${k}` : `%x${k}`;
      return `
      %o${k} = OpIAdd %uint %base %u${k}
      %p${k} = OpAccessChain %pu %in %u0 %o${k}
      %w${k} = OpLoad %uint %p${k}
      ${kind === 'bool' ? `%c${k} = OpINotEqual %bool %w${k} %u0` : kind === 'uint' ? '' : `%x${k} = OpBitcast %${kind} %w${k}`}
      %arg${k} = OpCopyObject %${kind} ${value}`;
    })
    .join('\n');
  const args = operandKinds.map((_, k) => `%arg${k}`).join(' ');
  const store =
    resultKind === 'bool'
      ? '%ru = OpSelect %uint %r %u1 %u0'
      : resultKind === 'uint'
        ? '%ru = OpCopyObject %uint %r'
        : '%ru = OpBitcast %uint %r';
  return computeModule({
    decls: `%arity = OpConstant %uint ${operandKinds.length}`,
    body: `
      %base = OpIMul %uint %i %arity
      ${loads}
      %r = ${instruction.replace('$T', `%${resultKind}`)} ${args}
      ${store}
      %po = OpAccessChain %pu %out %u0 %i
      OpStore %po %ru
      OpReturn`,
  });
}
