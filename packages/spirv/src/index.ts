export { SpirvError, SpirvRuntimeError, type AccessFault } from './errors.js';
export {
  parseModule,
  toWords,
  type SpirvModule,
  type SpirvType,
  type SpirvFunction,
  type Block,
  type Instruction,
  type ConstantDecl,
  type Decoration,
  type EntryPointDecl,
  type ExecutionModeDecl,
  type GlobalVariable,
} from './module.js';
export {
  reflect,
  type Reflection,
  type EntryPointReflection,
  type BindingReflection,
  type PushConstantReflection,
  type SpecializationConstantReflection,
  type DescriptorKind,
  type ScalarTypeName,
} from './reflect.js';
export type { TypeLayout, MemberLayout, ScalarKind } from './layout.js';
export { shaderInterface, type ShaderInterface } from './shader-interface.js';
export { specializationFromBytes, type Specialization, type SpecializationMapEntry, type Value } from './constants.js';
export { SUPPORTED_OPCODES, SUPPORTED_CAPABILITIES, opcodeName } from './opcodes.js';
export { SUPPORTED_GLSL_STD_450 } from './compiler/glsl-std-450.js';
export {
  compileComputePipeline,
  ComputeKernel,
  type ComputeKernelOptions,
  type DispatchOptions,
  type Bindings,
} from './kernel.js';
