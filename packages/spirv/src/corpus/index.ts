/**
 * `@vkmap/spirv/corpus`: the shader corpus that proves the executor against Vulkan drivers. Fifteen compute
 * shaders (thirteen GLSL, each as glslang emits it and after `spirv-opt -O`; two WGSL compiled by naga), shipped
 * in the package's `shaders/` folder, each with what its host code declares and, for any problem size and seed,
 * a run for any backend: the buffers with their initial bytes, the dispatches in order (bindings, push
 * constants, specialization constants, workgroup counts) and the bytes the outputs must hold (a CPU reference).
 * The executor's tests, and the native backend's test that runs every run on lavapipe and on the emulated GPU
 * through the public API and compares the bytes, both read it. Node only (it reads the `.spv` files).
 */
export { CORPUS } from './cases.js';
export {
  COLUMNS as EDGE_CASE_COLUMNS,
  edgeCaseWordsAgree,
  edgeInputs,
  FLOAT_COLUMNS as EDGE_CASE_FLOAT_COLUMNS,
  LAVAPIPE_DEPARTURES,
} from './edge-cases.js';
export { CorpusKernels } from './execute.js';
export { block, bytesOf, f32Random, random, u32Random } from './inputs.js';
export {
  copyBuffers,
  corpusFile,
  corpusFiles,
  readCorpusShader,
  specializationInfo,
  type CorpusDispatch,
  type CorpusOutput,
  type CorpusRun,
  type CorpusShader,
  type HostBinding,
  type HostDeclaration,
  type SpecConstant,
} from './plan.js';
export { prefixSumPlan, prefixSumReference, SCAN_GROUP, type PrefixSumPlan } from './scan.js';
