// What a run of a corpus shader is, for any backend: the buffers and the bytes the host writes into them, the
// dispatches in order (which shader, which buffer at each binding, push constants, specialization constants,
// workgroup counts), and what the outputs must hold afterwards.
import { readFileSync } from 'node:fs';
import type { SpecializationMapEntry } from '../constants.js';

/** A descriptor binding as the host code binds it (the tests check it against reflection). */
export interface HostBinding {
  readonly set: number;
  readonly binding: number;
  readonly kind: 'storage-buffer' | 'uniform-buffer';
  readonly writable: boolean;
  /** Bytes of the fixed part of the block. */
  readonly minSize: number;
  readonly runtimeArrayStride?: number;
}

/** What a shader's host code declares: local size, bindings, push constant bytes, specialization ids. */
export interface HostDeclaration {
  readonly localSize: readonly [number, number, number];
  readonly bindings: readonly HostBinding[];
  readonly pushConstantSize?: number;
  readonly specIds?: readonly number[];
  readonly usesBarriers: boolean;
}

/** One specialization constant's value, with the type its SpecId has in the shader. */
export interface SpecConstant {
  readonly id: number;
  readonly type: 'bool' | 'int' | 'uint' | 'float';
  readonly value: number | boolean;
}

/** One vkCmdDispatch. */
export interface CorpusDispatch {
  /** The shader's base name in shaders/; the run uses the same compiled form as its case (`corpusFile`). */
  readonly shader: string;
  /** Buffer names by `"set.binding"`; each binding covers its whole buffer. */
  readonly bindings: Readonly<Record<string, string>>;
  /** Push constant bytes from offset 0. */
  readonly pushConstants?: Uint8Array;
  /** Specialization constants of the pipeline (none: the shader's defaults). */
  readonly specialization?: readonly SpecConstant[];
  readonly groupCount: readonly [x: number, y: number, z: number];
}

/** What one output buffer must hold after the run. */
export interface CorpusOutput {
  /** The CPU reference's bytes; absent where the corpus has none (edge_cases: its results are lavapipe's). */
  readonly expected?: Uint8Array;
  /**
   * Where two conforming backends may give different words in this output (what SPIR-V leaves open and the
   * executor's documented departures from lavapipe): whether words `a` and `b` at word `index` count as the
   * same. Absent: every byte must be identical.
   */
  readonly sameWord?: (index: number, a: number, b: number) => boolean;
}

/** One run: buffers with their initial bytes, dispatches in order, and the outputs to check. */
export interface CorpusRun {
  /** Every buffer by name, with the bytes the host writes before the first dispatch (never empty). */
  readonly buffers: Readonly<Record<string, Uint8Array>>;
  /** In order; each reads what the previous ones wrote (a COMPUTE -> COMPUTE barrier between them). */
  readonly dispatches: readonly CorpusDispatch[];
  /** The buffers whose final bytes are checked. */
  readonly outputs: Readonly<Record<string, CorpusOutput>>;
}

export interface CorpusShader {
  /** Base name in shaders/. */
  readonly name: string;
  /** `glsl`: NAME.comp, compiled to NAME.spv and (spirv-opt -O) NAME.opt.spv; `wgsl`: NAME.wgsl to NAME.spv. */
  readonly source: 'glsl' | 'wgsl';
  readonly host: HostDeclaration;
  /** Problem sizes to run, each with several seeds. */
  readonly sizes: readonly number[];
  /** The run for problem size `size` with inputs from `seed`; new buffers on every call. */
  plan(size: number, seed: number): CorpusRun;
}

/** The compiled files of a corpus shader: `NAME.spv`, and `NAME.opt.spv` for GLSL. */
export function corpusFiles(shader: CorpusShader): string[] {
  return shader.source === 'glsl' ? [`${shader.name}.spv`, `${shader.name}.opt.spv`] : [`${shader.name}.spv`];
}

/** The file of `dispatch`'s shader in the same compiled form as `caseFile` (`scan_add` for `scan_workgroup.opt.spv`: `scan_add.opt.spv`). */
export function corpusFile(dispatch: CorpusDispatch, caseFile: string): string {
  return `${dispatch.shader}${caseFile.slice(caseFile.indexOf('.'))}`;
}

const SHADERS = new URL('../../shaders/', import.meta.url);

/** The bytes of a committed file of shaders/ (a `.spv`, or a source). Node only. */
export function readCorpusShader(file: string): Uint8Array {
  if (!/^[\w.-]+$/.test(file)) throw new TypeError(`not a corpus file name: ${JSON.stringify(file)}`);
  const bytes = readFileSync(new URL(file, SHADERS));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The specialization as VkSpecializationInfo: 4 bytes per constant (VkBool32 for booleans), in order. */
export function specializationInfo(constants: readonly SpecConstant[]): {
  mapEntries: SpecializationMapEntry[];
  data: Uint8Array;
} {
  const data = new Uint8Array(4 * constants.length);
  const view = new DataView(data.buffer);
  const mapEntries = constants.map(({ id, type, value }, i) => {
    const offset = 4 * i;
    if (type === 'bool') view.setUint32(offset, value ? 1 : 0, true);
    else if (type === 'float') view.setFloat32(offset, Number(value), true);
    else if (type === 'int') view.setInt32(offset, Number(value), true);
    else view.setUint32(offset, Number(value), true);
    return { constantID: id, offset, size: 4 };
  });
  return { mapEntries, data };
}

/** A copy of every buffer of `run`, for a backend to fill and dispatch over. */
export function copyBuffers(run: Pick<CorpusRun, 'buffers'>): Record<string, Uint8Array> {
  return Object.fromEntries(Object.entries(run.buffers).map(([name, bytes]) => [name, bytes.slice()]));
}
