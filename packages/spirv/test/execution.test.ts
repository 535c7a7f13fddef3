// Control flow, composites, function calls, memory, atomics and barriers on small assembled modules, and the
// errors a kernel reports while running (out-of-bounds accesses, missing bindings, divergent barriers,
// OpUnreachable).
import { describe, expect, it } from 'vitest';
import { compileComputePipeline, parseModule, SpirvRuntimeError } from '../src/index.js';
import { computeModule } from './assembler.js';
import { block, bytesOf, loadShader } from './helpers.js';

function runModule(
  words: Uint32Array,
  input: number[],
  outputWords: number,
  groups = 1,
  specialization?: Map<number, number>,
): number[] {
  const kernel = compileComputePipeline(parseModule(words), specialization ? { specialization } : {});
  const inBuffer = Uint32Array.from(input.map((v) => v >>> 0));
  const out = new Uint32Array(outputWords);
  kernel.dispatch({ groupCountX: groups, bindings: { '0.0': bytesOf(inBuffer), '0.1': bytesOf(out) } });
  return [...out];
}

function caught(action: () => void): SpirvRuntimeError {
  try {
    action();
  } catch (error) {
    if (error instanceof SpirvRuntimeError) return error;
    throw error;
  }
  throw new Error('expected a SpirvRuntimeError');
}

const store = (value: string, index = '%i') =>
  `%po${value.slice(1)} = OpAccessChain %pu %out %u0 ${index}\nOpStore %po${value.slice(1)} ${value}`;

describe('control flow', () => {
  it('OpPhi values are copied in parallel on each edge (a swap in a loop)', () => {
    const words = computeModule({
      decls: '%u7 = OpConstant %uint 7\n%u100 = OpConstant %uint 100\n%u5 = OpConstant %uint 5',
      body: `
        OpBranch %header
        %header = OpLabel
        %x = OpPhi %uint %u7 %entry %y %latch
        %y = OpPhi %uint %u100 %entry %x %latch
        %n = OpPhi %uint %u0 %entry %n1 %latch
        %more = OpULessThan %bool %n %u5
        OpLoopMerge %exit %latch None
        OpBranchConditional %more %latch %exit
        %latch = OpLabel
        %n1 = OpIAdd %uint %n %u1
        OpBranch %header
        %exit = OpLabel
        ${store('%x', '%u0')}
        ${store('%y', '%u1')}
        ${store('%n', '%u2')}
        OpReturn`,
    });
    // Five swaps: x and y end exchanged.
    expect(runModule(words, [], 3)).toEqual([100, 7, 5]);
  });

  it('OpSwitch on a signed selector with negative literals, shared targets and a default', () => {
    const words = computeModule({
      decls: '%c10 = OpConstant %uint 10\n%c20 = OpConstant %uint 20\n%c30 = OpConstant %uint 30',
      body: `
        %pi = OpAccessChain %pu %in %u0 %i
        %w = OpLoad %uint %pi
        %s = OpBitcast %int %w
        OpSelectionMerge %merge None
        OpSwitch %s %default -1 %neg 0 %zero 5 %zero
        %neg = OpLabel
        OpBranch %merge
        %zero = OpLabel
        OpBranch %merge
        %default = OpLabel
        OpBranch %merge
        %merge = OpLabel
        %r = OpPhi %uint %c10 %neg %c20 %zero %c30 %default
        ${store('%r')}
        OpReturn`,
    });
    expect(runModule(words, [-1, 0, 5, 6, 0x80000000], 5, 5)).toEqual([10, 20, 20, 30, 30]);
  });

  it('function calls with scalar, vector and pointer (inout) parameters and a vector result', () => {
    const words = computeModule({
      decls: `
        %pfu = OpTypePointer Function %uint
        %fnT = OpTypeFunction %v2uint %uint %v2uint %pfu`,
      functions: `
        %f = OpFunction %v2uint None %fnT
        %a = OpFunctionParameter %uint
        %v = OpFunctionParameter %v2uint
        %p = OpFunctionParameter %pfu
        %fl = OpLabel
        %old = OpLoad %uint %p
        %new = OpIAdd %uint %old %a
        OpStore %p %new
        %v0 = OpCompositeExtract %uint %v 0
        %v1 = OpCompositeExtract %uint %v 1
        %s0 = OpIMul %uint %v0 %a
        %s1 = OpIMul %uint %v1 %a
        %res = OpCompositeConstruct %v2uint %s0 %s1
        OpReturnValue %res
        OpFunctionEnd`,
      body: `
        %var = OpVariable %pfu Function %u3
        %vec = OpCompositeConstruct %v2uint %u1 %u2
        %got = OpFunctionCall %v2uint %f %u3 %vec %var
        %g0 = OpCompositeExtract %uint %got 0
        %g1 = OpCompositeExtract %uint %got 1
        %after = OpLoad %uint %var
        ${store('%g0', '%u0')}
        ${store('%g1', '%u1')}
        ${store('%after', '%u2')}
        OpReturn`,
    });
    expect(runModule(words, [], 3)).toEqual([3, 6, 6]);
  });

  it('executing OpUnreachable is reported', () => {
    const words = computeModule({ body: 'OpUnreachable' });
    const error = caught(() => runModule(words, [], 1));
    expect(error.message).toMatch(
      /^OpUnreachable executed \(OpUnreachable at word \d+; workgroup \(0, 0, 0\), local invocation \(0, 0, 0\)\)$/,
    );
  });
});

describe('composites and memory', () => {
  it('vector shuffles, dynamic extract and insert, struct insert, copies between function and storage memory', () => {
    const words = computeModule({
      decls: `
        %S = OpTypeStruct %uint %v2uint
        %pfS = OpTypePointer Function %S
        %arr4 = OpTypeArray %uint %u4
        %u4 = OpConstant %uint 4
        %pfA = OpTypePointer Function %arr4
        %pfu = OpTypePointer Function %uint
        %u9 = OpConstant %uint 9
        %u40 = OpConstant %uint 40
        %k = OpConstantComposite %v4uint %u1 %u2 %u3 %u9
        %sc = OpConstantComposite %S %u9 %v2k
        %v2k = OpConstantComposite %v2uint %u3 %u1`,
      body: `
        %shuffled = OpVectorShuffle %v4uint %k %k 3 0 7 0xffffffff
        %e0 = OpCompositeExtract %uint %shuffled 0
        %e2 = OpCompositeExtract %uint %shuffled 2
        %dyn = OpVectorExtractDynamic %uint %k %u2
        %ins = OpVectorInsertDynamic %v4uint %k %u40 %u1
        %ins1 = OpCompositeExtract %uint %ins 1
        %s2 = OpCompositeInsert %S %u40 %sc 1 0
        %s2a = OpCompositeExtract %uint %s2 1 0
        %s2b = OpCompositeExtract %uint %sc 1 0
        %local = OpVariable %pfA Function
        %slot = OpAccessChain %pfu %local %u2
        OpStore %slot %u9
        %copy = OpVariable %pfA Function
        OpCopyMemory %copy %local
        %cslot = OpAccessChain %pfu %copy %u2
        %c = OpLoad %uint %cslot
        ${store('%e0', '%u0')}
        ${store('%e2', '%u1')}
        ${store('%dyn', '%u2')}
        ${store('%ins1', '%u3')}
        ${store('%s2a', '%u4')}
        %u5 = OpIAdd %uint %u4 %u1
        ${store('%s2b', '%u5')}
        %u6 = OpIAdd %uint %u5 %u1
        ${store('%c', '%u6')}
        OpReturn`,
    });
    expect(runModule(words, [], 7)).toEqual([9, 9, 3, 40, 40, 3, 9]);
  });

  it('OpSpecConstantOp and specialization of the values it reads', () => {
    const decls = `
      OpDecorate %sa SpecId 7
      %sa = OpSpecConstant %uint 5
      %sb = OpSpecConstantOp %uint IMul %sa %u3
      %sc = OpSpecConstantOp %bool UGreaterThan %sb %u9
      %sd = OpSpecConstantOp %uint Select %sc %sb %u0
      %u9 = OpConstant %uint 9`;
    const body = `
      ${store('%sb', '%u0')}
      %scu = OpSelect %uint %sc %u1 %u0
      ${store('%scu', '%u1')}
      ${store('%sd', '%u2')}
      OpReturn`;
    // OpSpecConstantOp takes the opcode as a literal number.
    const words = computeModule({
      decls: decls.replace('IMul', '132').replace('UGreaterThan', '172').replace('Select', '169'),
      body,
    });
    expect(runModule(words, [], 3)).toEqual([15, 1, 15]);
    expect(runModule(words, [], 3, 1, new Map([[7, 2]]))).toEqual([6, 0, 0]);
  });

  it('atomics on storage memory return the old value', () => {
    const ops = [
      ['OpAtomicIAdd', 10],
      ['OpAtomicISub', 3],
      ['OpAtomicUMax', 0xfffffff0],
      ['OpAtomicSMax', 5],
      ['OpAtomicUMin', 2],
      ['OpAtomicSMin', 0xffffffff],
      ['OpAtomicAnd', 0xff],
      ['OpAtomicOr', 0x100],
      ['OpAtomicXor', 0xffff],
      ['OpAtomicExchange', 77],
    ] as const;
    const decls = ops.map(([, v], k) => `%v${k} = OpConstant %uint ${v}`).join('\n');
    const body = ops
      .map(
        ([op], k) => `
        %c${k} = OpConstant %uint ${k}
        %pa${k} = OpAccessChain %pu %in %u0 %c${k}
        %old${k} = ${op} %uint %pa${k} %u1 %u0 %v${k}
        ${store(`%old${k}`, `%c${k}`)}`,
      )
      .join('\n');
    // The constants must come before the function: move them into decls.
    const constants = ops.map((_, k) => `%c${k} = OpConstant %uint ${k}`).join('\n');
    const words = computeModule({
      decls: `${decls}\n${constants}`,
      body: `${body.replace(/%c\d+ = OpConstant %uint \d+/g, '')}\nOpReturn`,
    });
    const start = [100, 100, 100, 0xfffffff6, 100, 100, 0x1234, 0x1234, 0x1234, 100];
    const kernel = compileComputePipeline(parseModule(words));
    const memory = Uint32Array.from(start);
    const out = new Uint32Array(ops.length);
    kernel.dispatch({ groupCountX: 1, bindings: { '0.0': bytesOf(memory), '0.1': bytesOf(out) } });
    expect([...out]).toEqual(start);
    expect([...memory]).toEqual([110, 97, 0xfffffff0, 5, 2, 0xffffffff, 0x34, 0x1334, 0xedcb, 77]);
  });

  it('atomic compare-exchange, increment and decrement', () => {
    const words = computeModule({
      decls: '%u50 = OpConstant %uint 50',
      body: `
        %p0 = OpAccessChain %pu %in %u0 %u0
        %p1 = OpAccessChain %pu %in %u0 %u1
        %p2 = OpAccessChain %pu %in %u0 %u2
        %a = OpAtomicCompareExchange %uint %p0 %u1 %u0 %u0 %u50 %u3
        %b = OpAtomicCompareExchange %uint %p1 %u1 %u0 %u0 %u50 %u3
        %c = OpAtomicIIncrement %uint %p2 %u1 %u0
        %d = OpAtomicIDecrement %uint %p2 %u1 %u0
        %e = OpAtomicLoad %uint %p0 %u1 %u0
        ${store('%a', '%u0')}
        ${store('%b', '%u1')}
        ${store('%c', '%u2')}
        ${store('%e', '%u3')}
        OpReturn`,
    });
    const kernel = compileComputePipeline(parseModule(words));
    const memory = Uint32Array.from([3, 4, 0xffffffff]);
    const out = new Uint32Array(4);
    kernel.dispatch({ groupCountX: 1, bindings: { '0.0': bytesOf(memory), '0.1': bytesOf(out) } });
    expect([...out]).toEqual([3, 4, 0xffffffff, 50]);
    expect([...memory]).toEqual([50, 4, 0xffffffff]);
  });
});

describe('workgroups and barriers', () => {
  it('invocations run in order: x fastest, then y, then z, workgroups likewise; dispatch base offsets the ids', () => {
    const words = computeModule({
      localSize: '2 2 1',
      body: `
        %l = OpLoad %v3uint %lid
        %p = OpAccessChain %pu %in %u0 %u0
        %n = OpAtomicIAdd %uint %p %u1 %u0 %u1
        %wx = OpCompositeExtract %uint %g 0
        %wy = OpCompositeExtract %uint %g 1
        %wy10 = OpIMul %uint %wy %u10
        %id = OpIAdd %uint %wx %wy10
        ${store('%id', '%n')}
        OpReturn`,
      decls: '%u10 = OpConstant %uint 10',
    });
    const kernel = compileComputePipeline(parseModule(words));
    const counter = new Uint32Array(1);
    const out = new Uint32Array(16);
    kernel.dispatch({ groupCountX: 2, groupCountY: 2, bindings: { '0.0': bytesOf(counter), '0.1': bytesOf(out) } });
    // Global ids (x + 10 y) in execution order.
    expect([...out]).toEqual([0, 1, 10, 11, 2, 3, 12, 13, 20, 21, 30, 31, 22, 23, 32, 33]);
    counter[0] = 0;
    kernel.dispatch({
      groupCountX: 1,
      baseGroupX: 1,
      baseGroupY: 1,
      bindings: { '0.0': bytesOf(counter), '0.1': bytesOf(out) },
    });
    expect([...out.subarray(0, 4)]).toEqual([22, 23, 32, 33]);
  });

  it('reaching different barriers in one workgroup is reported', () => {
    const words = computeModule({
      localSize: '2 1 1',
      body: `
        %l = OpLoad %v3uint %lid
        %lx = OpCompositeExtract %uint %l 0
        %first = OpIEqual %bool %lx %u0
        OpSelectionMerge %merge None
        OpBranchConditional %first %a %b
        %a = OpLabel
        OpControlBarrier %u2 %u2 %u0
        OpBranch %merge
        %b = OpLabel
        OpControlBarrier %u2 %u2 %u0
        OpBranch %merge
        %merge = OpLabel
        OpReturn`,
    });
    const error = caught(() => runModule(words, [], 1));
    expect(error.message).toMatch(
      /^invocations of workgroup \(0, 0, 0\) reached different barriers \(the barrier at word \d+ and the barrier at word \d+\)/,
    );
  });
});

describe('errors while running', () => {
  it('an out-of-bounds load names the binding, the index and the byte offset', () => {
    const kernel = compileComputePipeline(loadShader('saxpy.spv'));
    const x = new Float32Array(50);
    const y = new Float32Array(100);
    const error = caught(() =>
      kernel.dispatch({
        groupCountX: 2,
        bindings: { '0.0': bytesOf(x), '0.1': bytesOf(y) },
        pushConstants: block(8, [
          [0, 'f32', 2],
          [4, 'u32', 100],
        ]),
      }),
    );
    expect(error.message).toBe(
      'out-of-bounds load in storage buffer "X" (set 0, binding 0): index 50, bytes 200..203 but 200 bytes are bound (OpLoad of X.x[]; workgroup (0, 0, 0), local invocation (50, 0, 0))',
    );
    expect(error.fault).toMatchObject({
      access: 'load',
      memory: 'storage-buffer',
      set: 0,
      binding: 0,
      byteOffset: 200,
      byteLength: 4,
      boundBytes: 200,
      indices: [50],
    });
    // Stores made before the fault stay made.
    expect(y[0]).toBe(0);
  });

  it('an out-of-bounds store is reported the same way', () => {
    const kernel = compileComputePipeline(loadShader('scan_add.opt.spv'));
    const data = new Uint32Array(600);
    const sums = new Uint32Array(1);
    const error = caught(() =>
      kernel.dispatch({ groupCountX: 3, bindings: { '0.0': bytesOf(data), '0.1': bytesOf(sums) } }),
    );
    expect(error.fault).toMatchObject({
      access: 'load',
      binding: 1,
      byteOffset: 4,
      indices: [1],
      workgroup: [2, 0, 0],
    });
    const y = new Float32Array(10);
    const saxpy = compileComputePipeline(loadShader('saxpy.opt.spv'));
    const store = caught(() =>
      saxpy.dispatch({
        groupCountX: 1,
        bindings: { '0.0': bytesOf(new Float32Array(64)), '0.1': bytesOf(y) },
        pushConstants: block(8, [[4, 'u32', 64]]),
      }),
    );
    expect(store.fault).toMatchObject({ binding: 1, byteOffset: 40 });
  });

  it('a binding the entry point uses must be bound', () => {
    const kernel = compileComputePipeline(loadShader('saxpy.spv'));
    const error = caught(() => kernel.dispatch({ groupCountX: 1, bindings: { '0.0': new Uint8Array(4) } }));
    expect(error.message).toBe('storage-buffer "Y" (set 0, binding 1) is not bound: pass bindings["0.1"]');
  });

  it('bindings at unaligned offsets run on a copy and are written back', () => {
    const kernel = compileComputePipeline(loadShader('scan_add.spv'));
    const backing = new Uint8Array(4 * 300 + 1);
    const data = new Uint32Array(300).fill(1);
    backing.set(bytesOf(data), 1);
    const sums = Uint32Array.from([5, 6]);
    kernel.dispatch({
      groupCountX: 2,
      bindings: new Map([
        ['0.0', backing.subarray(1)],
        ['0.1', bytesOf(sums)],
      ]),
    });
    const view = new DataView(backing.buffer, 1);
    expect([view.getUint32(0, true), view.getUint32(255 * 4, true), view.getUint32(256 * 4, true)]).toEqual([1, 1, 6]);
  });
});

describe('specialization from Vulkan map entries', () => {
  it('reads each value with its constant type; unknown ids are ignored', async () => {
    const { specializationFromBytes } = await import('../src/index.js');
    const module = loadShader('spec_scale.spv');
    const data = new Uint8Array(20);
    const view = new DataView(data.buffer);
    view.setUint32(0, 32, true);
    view.setInt32(4, -5, true);
    view.setUint32(8, 1, true);
    view.setFloat32(12, 1.25, true);
    const values = specializationFromBytes(
      module,
      [
        { constantID: 0, offset: 0, size: 4 },
        { constantID: 2, offset: 4, size: 4 },
        { constantID: 3, offset: 8, size: 4 },
        { constantID: 4, offset: 12, size: 4 },
        { constantID: 99, offset: 16, size: 4 },
      ],
      data,
    );
    expect([...values]).toEqual([
      [0, 32],
      [2, -5],
      [3, true],
      [4, 1.25],
    ]);
    expect(compileComputePipeline(module, { specialization: values }).localSize).toEqual([32, 1, 1]);
  });
});
