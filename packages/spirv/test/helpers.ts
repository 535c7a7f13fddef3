// Shared by the tests: loading the committed corpus, typed views of bindings, and (from the corpus) a seeded
// random source and byte blocks.
import { readFileSync } from 'node:fs';
import { parseModule, type SpirvModule } from '../src/index.js';

export { block, bytesOf, random } from '../src/corpus/inputs.js';

export const SHADERS = new URL('../shaders/', import.meta.url);

export function loadShader(file: string): SpirvModule {
  return parseModule(new Uint8Array(readFileSync(new URL(file, SHADERS))));
}

/** The two compiled forms of a GLSL shader: as glslang emits it, and after spirv-opt -O. */
export function variants(name: string): [string, SpirvModule][] {
  return [
    [`${name}.spv`, loadShader(`${name}.spv`)],
    [`${name}.opt.spv`, loadShader(`${name}.opt.spv`)],
  ];
}

export function u32s(values: ArrayLike<number>): Uint32Array {
  return Uint32Array.from(values);
}
