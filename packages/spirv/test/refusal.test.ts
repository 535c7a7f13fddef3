// Anything outside the supported set is refused by name, when the module is parsed or the pipeline compiled,
// never mis-executed.
import { describe, expect, it } from 'vitest';
import { CAPABILITY_NAMES, GLSL_STD_450_NAMES, OPCODE_NAMES } from '../src/grammar.js';
import {
  compileComputePipeline,
  parseModule,
  SpirvError,
  SUPPORTED_CAPABILITIES,
  SUPPORTED_GLSL_STD_450,
  SUPPORTED_OPCODES,
} from '../src/index.js';
import { SPIRV_MAGIC } from '../src/module.js';
import { assemble, computeModule } from './assembler.js';

function refusal(action: () => unknown): SpirvError {
  try {
    action();
  } catch (error) {
    if (error instanceof SpirvError) return error;
    throw error;
  }
  throw new Error('expected a SpirvError');
}

/** A module whose only function holds `instruction` (opcode with three id operands) before its return. */
function moduleWith(opcode: number): Uint32Array {
  const words = [SPIRV_MAGIC, 0x00010300, 0, 100, 0];
  const push = (op: number, ...operands: number[]) => words.push(((operands.length + 1) << 16) | op, ...operands);
  push(17, 1); // OpCapability Shader
  push(14, 0, 1); // OpMemoryModel Logical GLSL450
  push(19, 2); // %2 = OpTypeVoid
  push(33, 3, 2); // %3 = OpTypeFunction %2
  push(54, 2, 4, 0, 3); // %4 = OpFunction %2 None %3
  push(248, 5); // %5 = OpLabel
  push(opcode, 6, 7, 8);
  push(253); // OpReturn
  push(56); // OpFunctionEnd
  return Uint32Array.from(words);
}

const unsupported = [...OPCODE_NAMES].filter(([opcode]) => !SUPPORTED_OPCODES.has(opcode));

describe('unsupported instructions are refused by name when the module is parsed', () => {
  it.each([
    'OpImageSampleImplicitLod',
    'OpGroupNonUniformIAdd',
    'OpTraceRayKHR',
    'OpKill',
    'OpTerminateInvocation',
    'OpImageRead',
    'OpPtrAccessChain',
    'OpAtomicFAddEXT',
    'OpDemoteToHelperInvocation',
    'OpEmitVertex',
  ])('%s', (name) => {
    const opcode = [...OPCODE_NAMES].find(([, n]) => n === name)![0];
    const error = refusal(() => parseModule(moduleWith(opcode)));
    expect(error.opcodeName).toBe(name);
    expect(error.message).toContain(`${name} is not supported`);
  });

  it(`every one of the ${unsupported.length} core opcodes outside the supported set`, () => {
    const named = unsupported.filter(
      ([opcode, name]) => refusal(() => parseModule(moduleWith(opcode))).opcodeName === name,
    );
    expect(named.length).toBe(unsupported.length);
  });

  it('an opcode unknown to the grammar', () => {
    expect(refusal(() => parseModule(moduleWith(0xfff0))).message).toContain('unknown opcode 65520');
  });
});

describe('unsupported capabilities and types are refused by name', () => {
  const capabilities = [...CAPABILITY_NAMES].filter(([value]) => !SUPPORTED_CAPABILITIES.has(value));
  it.each([
    'Float64',
    'Int64',
    'Int16',
    'Int8',
    'Float16',
    'GroupNonUniform',
    'VariablePointers',
    'Kernel',
    'Addresses',
    'ImageQuery',
  ])('%s', (name) => {
    const error = refusal(() =>
      parseModule(assemble(`OpCapability Shader\nOpCapability ${name}\nOpMemoryModel Logical GLSL450`)),
    );
    expect(error.message).toContain(`capability ${name} is not supported`);
  });

  it(`every one of the ${capabilities.length} capabilities outside Shader and Matrix`, () => {
    const named = capabilities.filter(([value, name]) => {
      const words = Uint32Array.from([SPIRV_MAGIC, 0x00010300, 0, 2, 0, (2 << 16) | 17, value]);
      return refusal(() => parseModule(words)).message.includes(`capability ${name} is not supported`);
    });
    expect(named.length).toBe(capabilities.length);
  });

  it('64-bit integers and floats, and storage classes a compute shader cannot use here', () => {
    expect(
      refusal(() => parseModule(assemble('OpCapability Shader\nOpMemoryModel Logical GLSL450\n%t = OpTypeInt 64 0')))
        .message,
    ).toContain('64-bit integers are not supported');
    expect(
      refusal(() => parseModule(assemble('OpCapability Shader\nOpMemoryModel Logical GLSL450\n%t = OpTypeFloat 64')))
        .message,
    ).toContain('64-bit floats are not supported');
    const pointer = (storage: string) =>
      refusal(() =>
        parseModule(
          assemble(
            `OpCapability Shader\nOpMemoryModel Logical GLSL450\n%u = OpTypeInt 32 0\n%p = OpTypePointer ${storage} %u`,
          ),
        ),
      );
    expect(pointer('CrossWorkgroup').message).toContain('storage class CrossWorkgroup is not supported');
    expect(pointer('Output').message).toContain('storage class Output is not supported');
    expect(pointer('Image').message).toContain('storage class Image is not supported');
  });

  it('a physical addressing model and an extended instruction set other than GLSL.std.450', () => {
    expect(
      refusal(() => parseModule(assemble('OpCapability Shader\nOpMemoryModel Physical32 GLSL450'))).message,
    ).toContain('addressing model');
    expect(
      refusal(() =>
        parseModule(assemble('OpCapability Shader\n%x = OpExtInstImport "OpenCL.std"\nOpMemoryModel Logical GLSL450')),
      ).message,
    ).toContain('extended instruction set OpenCL.std is not supported');
  });
});

describe('refused when the pipeline is compiled', () => {
  const unsupportedGlsl = [...GLSL_STD_450_NAMES.values()].filter((name) => !SUPPORTED_GLSL_STD_450.has(name));
  it.each(unsupportedGlsl)('GLSL.std.450 %s', (name) => {
    const module = parseModule(
      computeModule({
        decls: '%f1 = OpConstant %float 1',
        body: `%r = OpExtInst %float %glsl ${name} %f1\nOpReturn`,
      }),
    );
    const error = refusal(() => compileComputePipeline(module));
    expect(error.opcodeName).toBe(`GLSL.std.450 ${name}`);
    expect(error.message).toContain(`GLSL.std.450 ${name} is not supported`);
  });

  it('OpControlBarrier inside a called function', () => {
    const module = parseModule(
      computeModule({
        functions: `
          %helper = OpFunction %void None %fn
          %h = OpLabel
          OpControlBarrier %u2 %u2 %u0
          OpReturn
          OpFunctionEnd`,
        body: '%c = OpFunctionCall %void %helper\nOpReturn',
      }),
    );
    const error = refusal(() => compileComputePipeline(module));
    expect(error.opcodeName).toBe('OpControlBarrier');
    expect(error.message).toContain('only barriers in the entry point function run');
  });

  it('an entry point that is not there, or more than one to choose from', () => {
    const module = parseModule(computeModule({ body: 'OpReturn' }));
    expect(refusal(() => compileComputePipeline(module, { entryPoint: 'other' })).message).toBe(
      'no compute entry point "other" (the module has "main")',
    );
  });
});
