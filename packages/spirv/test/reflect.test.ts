// Every shader's reflected interface must be what the host code (src/corpus/cases.ts) declares for it: local size,
// bindings (set, binding, buffer kind, writability, fixed size, runtime array stride), push constant size,
// specialization constant ids and barrier use. Also checks block layouts in detail on a few shaders.
import { describe, expect, it } from 'vitest';
import { reflect, type TypeLayout } from '../src/index.js';
import { CORPUS } from '../src/corpus/cases.js';
import { corpusFiles } from '../src/corpus/plan.js';
import { loadShader } from './helpers.js';

describe.each(CORPUS.flatMap((shader) => corpusFiles(shader).map((file) => [file, shader] as const)))(
  '%s',
  (file, shader) => {
    const reflection = reflect(loadShader(file));
    const entry = reflection.entryPoints[0]!;

    it('has one GLCompute entry point "main" with the declared local size', () => {
      expect(reflection.entryPoints.map((e) => [e.name, e.executionModel])).toEqual([['main', 'GLCompute']]);
      expect(entry.localSize).toEqual(shader.host.localSize);
      expect(entry.usesBarriers).toBe(shader.host.usesBarriers);
    });

    it('uses the bindings the host code binds, with the declared layouts', () => {
      const reflected = entry.bindings.map((b) => ({
        set: b.set,
        binding: b.binding,
        kind: b.kind,
        writable: b.writable,
        minSize: b.minSize,
        ...(b.runtimeArrayStride === undefined ? {} : { runtimeArrayStride: b.runtimeArrayStride }),
      }));
      expect(reflected).toEqual(shader.host.bindings);
    });

    it('declares the push constant block and specialization constants the host code sets', () => {
      expect(entry.pushConstants?.size).toBe(shader.host.pushConstantSize);
      expect(reflection.specializationConstants.map((c) => c.specId)).toEqual(shader.host.specIds ?? []);
    });
  },
);

function shape(layout: TypeLayout): unknown {
  switch (layout.kind) {
    case 'struct':
      return layout.members.map((m) => [m.name, m.offset, shape(m.layout)]);
    case 'array':
      return ['array', layout.length, layout.stride, shape(layout.element)];
    case 'runtimeArray':
      return ['runtimeArray', layout.stride, shape(layout.element)];
    case 'matrix':
      return ['matrix', layout.columns, layout.rows, layout.matrixStride, layout.rowMajor];
    case 'vector':
      return [`${layout.scalar}x${layout.count}`];
    case 'scalar':
      return layout.scalar;
  }
}

describe('block layouts', () => {
  it('particles: an std430 array of structs and an std140 block with a mat2', () => {
    const reflection = reflect(loadShader('particles.spv'));
    const [particles, sim] = reflection.bindings;
    expect(shape(particles!.layout)).toEqual([
      [
        'particles',
        0,
        [
          'runtimeArray',
          48,
          [
            ['position', 0, ['f32x4']],
            ['velocity', 16, ['f32x4']],
            ['mass', 32, 'f32'],
            ['flags', 36, 'u32'],
          ],
        ],
      ],
    ]);
    expect(shape(sim!.layout)).toEqual([
      ['spin', 0, ['matrix', 2, 2, 16, false]],
      ['gravity', 32, ['f32x4']],
      ['dt', 48, 'f32'],
    ]);
    expect(sim!.kind).toBe('uniform-buffer');
    expect(sim!.minSize).toBe(52);
  });

  it('mandelbrot: std140 vec2 members', () => {
    const view = reflect(loadShader('mandelbrot.spv')).bindings[1]!;
    expect(shape(view.layout)).toEqual([
      ['origin', 0, ['f32x2']],
      ['step', 8, ['f32x2']],
      ['width', 16, 'u32'],
      ['height', 20, 'u32'],
      ['maxIterations', 24, 'u32'],
    ]);
  });

  it('saxpy: the push constant block', () => {
    const push = reflect(loadShader('saxpy.spv')).pushConstants!;
    expect(push.typeName).toBe('Params');
    expect(shape(push.layout)).toEqual([
      ['a', 0, 'f32'],
      ['n', 4, 'u32'],
    ]);
  });

  it('scan_workgroup: workgroup memory and barriers', () => {
    const entry = reflect(loadShader('scan_workgroup.spv')).entryPoints[0]!;
    expect(entry.workgroupMemoryBytes).toBe(2 * 256 * 4);
    expect(entry.builtIns).toEqual(['GlobalInvocationId', 'LocalInvocationId', 'WorkgroupId']);
  });

  it('spec_scale: specialization constants with their types, defaults and the local size id', () => {
    const reflection = reflect(loadShader('spec_scale.spv'));
    expect(reflection.specializationConstants.map((c) => [c.specId, c.name, c.type, c.defaultValue])).toEqual([
      [0, undefined, 'uint', 1],
      [1, 'MULTIPLIER', 'uint', 3],
      [2, 'OFFSET', 'int', -7],
      [3, 'NEGATE', 'bool', false],
      [4, 'SCALE', 'float', 0.5],
    ]);
    expect(reflection.entryPoints[0]!.localSizeSpecIds).toEqual([0, undefined, undefined]);
    const specialized = reflect(loadShader('spec_scale.spv'), new Map([[0, 32]]));
    expect(specialized.entryPoints[0]!.localSize).toEqual([32, 1, 1]);
  });

  it('vector_math (naga): NonWritable on the variable makes the binding read-only', () => {
    const [items, out] = reflect(loadShader('vector_math.spv')).bindings;
    expect([items!.writable, out!.writable]).toEqual([false, true]);
    expect(items!.runtimeArrayStride).toBe(32);
  });
});
