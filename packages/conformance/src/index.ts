export { defineConformanceSuite } from './suite.js';
export type {
  AddressSpaceRun,
  AddressSpaceView,
  ConformanceBackend,
  DeviceSideAccess,
  FaultControls,
  FaultTarget,
} from './backend.js';
export { DEFAULT_OPTIONS, parseSeeds, resolveOptions, type ConformanceOptions } from './options.js';
export { SeededPrng } from './prng.js';
export { ReferenceMemory, type ByteMismatch } from './reference-model.js';
export {
  findWorkspaceRoot,
  formatCell,
  GROUP_TITLES,
  MatrixRecorder,
  renderMatrix,
  SCENARIO_GROUPS,
  totals,
  writeMatrix,
  type MatrixCell,
  type MatrixFragment,
  type MatrixRow,
  type ScenarioGroup,
} from './matrix.js';
export {
  CTS_ALLOCATION_SIZES,
  CTS_MAP_OFFSETS,
  CTS_MAP_SIZES,
  mappingCases,
  rangeSets,
  type MapCase,
} from './scenarios/mapping-cases.js';
export { conformanceScenarios, type RunnableScenario } from './catalogue.js';
