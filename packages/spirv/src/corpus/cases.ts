// The shader corpus as host code sees it: what each shader's buffers, push constants, local size and
// specialization constants are declared as (the tests check that against reflection), and for each problem
// size and seed a run (plan.ts) whose outputs must match a CPU reference byte for byte, on the executor and on
// a Vulkan driver alike.
import { fmax, fmin, sdiv, smod } from '../scalar.js';
import { COLUMNS, edgeCaseWordsAgree, edgeInputs } from './edge-cases.js';
import { block, bytesOf, f32Random, random, u32Random } from './inputs.js';
import type { CorpusDispatch, CorpusRun, CorpusShader, HostBinding } from './plan.js';
import { prefixSumPlan, prefixSumReference, SCAN_GROUP } from './scan.js';

const f = Math.fround;

const storage = (binding: number, writable: boolean, stride: number, minSize = 0, set = 0): HostBinding => ({
  set,
  binding,
  kind: 'storage-buffer',
  writable,
  minSize,
  runtimeArrayStride: stride,
});

/** A run of one dispatch. */
function single(
  dispatch: CorpusDispatch,
  buffers: Record<string, ArrayBufferView>,
  outputs: Record<string, ArrayBufferView>,
): CorpusRun {
  return {
    buffers: Object.fromEntries(Object.entries(buffers).map(([name, view]) => [name, bytesOf(view)])),
    dispatches: [dispatch],
    outputs: Object.fromEntries(Object.entries(outputs).map(([name, view]) => [name, { expected: bytesOf(view) }])),
  };
}

function mixBits(value: number): number {
  let v = value >>> 0;
  v = (v ^ (v >>> 16)) >>> 0;
  v = Math.imul(v, 0x7feb352d) >>> 0;
  v = (v ^ (v >>> 15)) >>> 0;
  return v;
}

export const CORPUS: readonly CorpusShader[] = [
  {
    name: 'saxpy',
    source: 'glsl',
    host: {
      localSize: [64, 1, 1],
      bindings: [storage(0, false, 4), storage(1, true, 4)],
      pushConstantSize: 8,
      usesBarriers: false,
    },
    sizes: [1, 63, 64, 65, 1000, 4097],
    plan(n, seed) {
      const x = f32Random(n, seed);
      const y = f32Random(n + 3, seed + 1);
      const a = f(random(seed + 2)() * 10 - 5);
      const expected = y.slice();
      for (let i = 0; i < n; i++) expected[i] = f(f(a * x[i]!) + y[i]!);
      const pushConstants = block(8, [
        [0, 'f32', a],
        [4, 'u32', n],
      ]);
      return single(
        { shader: 'saxpy', bindings: { '0.0': 'x', '0.1': 'y' }, pushConstants, groupCount: [Math.ceil(n / 64), 1, 1] },
        { x, y },
        { y: expected },
      );
    },
  },
  {
    name: 'reduce_atomic',
    source: 'glsl',
    host: {
      localSize: [128, 1, 1],
      bindings: [storage(0, false, 4), { set: 0, binding: 1, kind: 'storage-buffer', writable: true, minSize: 16 }],
      usesBarriers: true,
    },
    sizes: [1, 127, 128, 129, 5000],
    plan(n, seed) {
      const values = u32Random(n, seed);
      const result = Uint32Array.from([0, 0xffffffff, 0, 0]);
      let sum = 0;
      let min = 0xffffffff;
      let max = 0;
      for (const v of values) {
        sum = (sum + v) >>> 0;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      return single(
        {
          shader: 'reduce_atomic',
          bindings: { '0.0': 'values', '0.1': 'result' },
          groupCount: [Math.ceil(n / 128), 1, 1],
        },
        { values, result },
        { result: Uint32Array.from([sum, min, max, n]) },
      );
    },
  },
  {
    name: 'scan_workgroup',
    source: 'glsl',
    host: { localSize: [256, 1, 1], bindings: [storage(0, true, 4), storage(1, true, 4)], usesBarriers: true },
    sizes: [1, 255, 256, 257, 70000],
    plan(n, seed) {
      // The whole multi-pass scan (scan.ts): scan_add runs in the same compiled form as scan_workgroup.
      const data = u32Random(n, seed, seed % 2 === 0 ? 2 ** 32 : 1000);
      const { buffers, dispatches } = prefixSumPlan(data);
      return { buffers, dispatches, outputs: { data: { expected: bytesOf(prefixSumReference(data)) } } };
    },
  },
  {
    name: 'scan_add',
    source: 'glsl',
    host: { localSize: [256, 1, 1], bindings: [storage(0, true, 4), storage(1, false, 4)], usesBarriers: false },
    sizes: [1, 256, 1000],
    plan(n, seed) {
      const data = u32Random(n, seed);
      const groups = Math.ceil(n / SCAN_GROUP);
      const sums = u32Random(groups, seed + 1);
      const expected = data.slice();
      for (let i = SCAN_GROUP; i < n; i++) expected[i] = (expected[i]! + sums[Math.floor(i / SCAN_GROUP) - 1]!) >>> 0;
      return single(
        { shader: 'scan_add', bindings: { '0.0': 'data', '0.1': 'sums' }, groupCount: [groups, 1, 1] },
        { data, sums },
        { data: expected },
      );
    },
  },
  {
    name: 'histogram',
    source: 'glsl',
    host: {
      localSize: [64, 1, 1],
      bindings: [storage(0, false, 4), { set: 0, binding: 1, kind: 'storage-buffer', writable: true, minSize: 256 }],
      usesBarriers: true,
    },
    sizes: [1, 64, 1000, 10000],
    plan(n, seed) {
      const values = u32Random(n, seed);
      const expected = new Uint32Array(64);
      for (const v of values) expected[mixBits(v) & 63]!++;
      return single(
        {
          shader: 'histogram',
          bindings: { '0.0': 'values', '0.1': 'bins' },
          groupCount: [Math.min(Math.ceil(n / 64), 16), 1, 1],
        },
        { values, bins: new Uint32Array(64) },
        { bins: expected },
      );
    },
  },
  {
    name: 'matmul_shared',
    source: 'glsl',
    host: {
      localSize: [8, 8, 1],
      bindings: [
        storage(0, false, 4),
        storage(1, false, 4),
        storage(2, true, 4),
        { set: 0, binding: 3, kind: 'uniform-buffer', writable: false, minSize: 12 },
      ],
      usesBarriers: true,
    },
    sizes: [1, 7, 16, 33],
    plan(size, seed) {
      const next = random(seed);
      const M = size;
      const N = Math.max(1, Math.floor(size * (0.5 + next())));
      const K = Math.max(1, Math.floor(size * (0.5 + next())));
      const a = f32Random(M * K, seed + 1, 4);
      const b = f32Random(K * N, seed + 2, 4);
      const expected = new Float32Array(M * N);
      const tiles = Math.ceil(K / 8);
      for (let row = 0; row < M; row++) {
        for (let col = 0; col < N; col++) {
          let acc = 0;
          for (let t = 0; t < tiles; t++) {
            for (let k = 0; k < 8; k++) {
              const kk = t * 8 + k;
              const av = kk < K ? a[row * K + kk]! : 0;
              const bv = kk < K ? b[kk * N + col]! : 0;
              acc = f(acc + f(av * bv));
            }
          }
          expected[row * N + col] = acc;
        }
      }
      const dims = block(16, [
        [0, 'u32', M],
        [4, 'u32', N],
        [8, 'u32', K],
      ]);
      return single(
        {
          shader: 'matmul_shared',
          bindings: { '0.0': 'a', '0.1': 'b', '0.2': 'c', '0.3': 'dims' },
          groupCount: [Math.ceil(N / 8), Math.ceil(M / 8), 1],
        },
        { a, b, c: new Float32Array(M * N), dims },
        { c: expected },
      );
    },
  },
  {
    name: 'bitonic_step',
    source: 'glsl',
    host: { localSize: [128, 1, 1], bindings: [storage(0, true, 4)], pushConstantSize: 8, usesBarriers: false },
    sizes: [2, 128, 1000, 1024],
    plan(n, seed) {
      const next = random(seed);
      const data = Int32Array.from({ length: n }, () => Math.floor((next() - 0.5) * 2 ** 32) | 0);
      const expected = data.slice();
      const dispatches: CorpusDispatch[] = [];
      let stages = 1;
      while (stages < n) stages <<= 1;
      for (let k = 2; k <= stages; k <<= 1) {
        for (let j = k >> 1; j > 0; j >>= 1) {
          // The reference network, exactly as the shader runs it.
          for (let i = 0; i < n; i++) {
            const partner = (i ^ j) >>> 0;
            if (partner <= i || partner >= n) continue;
            const ascending = (i & k) === 0;
            const x = expected[i]!;
            const y = expected[partner]!;
            if (x > y === ascending) {
              expected[i] = y;
              expected[partner] = x;
            }
          }
          dispatches.push({
            shader: 'bitonic_step',
            bindings: { '0.0': 'data' },
            pushConstants: block(8, [
              [0, 'u32', k],
              [4, 'u32', j],
            ]),
            groupCount: [Math.ceil(n / 128), 1, 1],
          });
        }
      }
      return { buffers: { data: bytesOf(data) }, dispatches, outputs: { data: { expected: bytesOf(expected) } } };
    },
  },
  {
    name: 'mandelbrot',
    source: 'glsl',
    host: {
      localSize: [16, 16, 1],
      bindings: [storage(0, true, 4), { set: 0, binding: 1, kind: 'uniform-buffer', writable: false, minSize: 28 }],
      usesBarriers: false,
    },
    sizes: [16, 33, 64],
    plan(size, seed) {
      const next = random(seed);
      const width = size;
      const height = Math.max(1, Math.floor(size * 0.75));
      const maxIterations = 20 + Math.floor(next() * 200);
      const ox = f(-2.2 + next() * 0.2);
      const oy = f(-1.2 + next() * 0.2);
      const sx = f(3 / width);
      const sy = f(2.4 / height);
      const expected = new Uint32Array(width * height);
      for (let py = 0; py < height; py++) {
        for (let px = 0; px < width; px++) {
          const cx = f(ox + f(f(px) * sx));
          const cy = f(oy + f(f(py) * sy));
          let zx = 0;
          let zy = 0;
          let i = 0;
          while (i < maxIterations) {
            const x2 = f(zx * zx);
            const y2 = f(zy * zy);
            if (f(x2 + y2) > 4) break;
            const xy = f(zx * zy);
            zx = f(f(x2 - y2) + cx);
            zy = f(f(xy + xy) + cy);
            i++;
          }
          expected[py * width + px] = i;
        }
      }
      const view = block(32, [
        [0, 'f32', ox],
        [4, 'f32', oy],
        [8, 'f32', sx],
        [12, 'f32', sy],
        [16, 'u32', width],
        [20, 'u32', height],
        [24, 'u32', maxIterations],
      ]);
      return single(
        {
          shader: 'mandelbrot',
          bindings: { '0.0': 'iterations', '0.1': 'view' },
          groupCount: [Math.ceil(width / 16), Math.ceil(height / 16), 1],
        },
        { iterations: new Uint32Array(width * height), view },
        { iterations: expected },
      );
    },
  },
  {
    name: 'blur',
    source: 'glsl',
    host: {
      localSize: [8, 8, 1],
      bindings: [storage(0, false, 4), storage(1, true, 4)],
      pushConstantSize: 8,
      usesBarriers: false,
    },
    sizes: [1, 8, 13, 40],
    plan(size, seed) {
      const width = size;
      const height = Math.max(1, Math.ceil(size * 0.6));
      const src = f32Random(width * height, seed, 1000);
      const expected = new Float32Array(width * height);
      const w = [1, 2, 1];
      const at = (x: number, y: number) =>
        src[Math.min(Math.max(y, 0), height - 1) * width + Math.min(Math.max(x, 0), width - 1)]!;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let sum = 0;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) sum = f(sum + f(f(w[dx + 1]! * w[dy + 1]!) * at(x + dx, y + dy)));
          }
          expected[y * width + x] = f(sum / 16);
        }
      }
      return single(
        {
          shader: 'blur',
          bindings: { '0.0': 'src', '0.1': 'dst' },
          pushConstants: block(8, [
            [0, 'i32', width],
            [4, 'i32', height],
          ]),
          groupCount: [Math.ceil(width / 8), Math.ceil(height / 8), 1],
        },
        { src, dst: new Float32Array(width * height) },
        { dst: expected },
      );
    },
  },
  {
    name: 'spec_scale',
    source: 'glsl',
    host: {
      localSize: [1, 1, 1],
      bindings: [storage(0, false, 4), storage(1, true, 4), storage(2, true, 4)],
      specIds: [0, 1, 2, 3, 4],
      usesBarriers: false,
    },
    sizes: [1, 100, 1000],
    plan(n, seed) {
      const next = random(seed);
      const values = Int32Array.from({ length: n }, () => Math.floor((next() - 0.5) * 2 ** 32) | 0);
      // Seeds that are multiples of 3 run the defaults; the others specialize every constant.
      const defaults = seed % 3 === 0;
      const local = defaults ? 1 : 1 + Math.floor(next() * 64);
      const multiplier = defaults ? 3 : Math.floor(next() * 1000);
      const offset = defaults ? -7 : Math.floor((next() - 0.5) * 1e6);
      const negate = defaults ? false : next() < 0.5;
      const scale = defaults ? 0.5 : f(next() * 8 - 4);
      const expectedInts = new Int32Array(n);
      const expectedFloats = new Float32Array(n);
      const doubled = Math.imul(multiplier, 2) >>> 0;
      for (let i = 0; i < n; i++) {
        const v = (Math.imul(values[i]!, doubled) + offset) | 0;
        expectedInts[i] = negate ? -v | 0 : v;
        expectedFloats[i] = f(f(values[i]!) * scale);
      }
      return single(
        {
          shader: 'spec_scale',
          bindings: { '0.0': 'values', '0.1': 'ints', '0.2': 'floats' },
          ...(!defaults && {
            specialization: [
              { id: 0, type: 'uint', value: local },
              { id: 1, type: 'uint', value: multiplier },
              { id: 2, type: 'int', value: offset },
              { id: 3, type: 'bool', value: negate },
              { id: 4, type: 'float', value: scale },
            ],
          }),
          groupCount: [Math.ceil(n / local), 1, 1],
        },
        { values, ints: new Int32Array(n), floats: new Float32Array(n) },
        { ints: expectedInts, floats: expectedFloats },
      );
    },
  },
  {
    name: 'int_ops',
    source: 'glsl',
    host: { localSize: [32, 1, 1], bindings: [storage(0, false, 8), storage(1, true, 4)], usesBarriers: false },
    sizes: [1, 33, 500],
    plan(n, seed) {
      const next = random(seed);
      const special = [0, 1, -1, 2, -2, 31, 32, 33, 0x7fffffff, -0x80000000, 0x12345678, -0x1234567];
      const pick = () =>
        next() < 0.3 ? special[Math.floor(next() * special.length)]! : Math.floor((next() - 0.5) * 2 ** 32) | 0;
      const pairs = Int32Array.from({ length: 2 * n }, pick);
      const expected = new Uint32Array(24 * n);
      const msb = (v: number) => 31 - Math.clz32(v < 0 ? ~v : v);
      const lsb = (v: number) => (v === 0 ? -1 : 31 - Math.clz32(v & -v));
      const popcount = (v: number) => {
        let c = 0;
        for (let x = v >>> 0; x !== 0; x >>>= 1) c += x & 1;
        return c;
      };
      const reverse = (v: number) => {
        let r = 0;
        for (let i = 0; i < 32; i++) r = (r << 1) | ((v >>> i) & 1);
        return r >>> 0;
      };
      for (let i = 0; i < n; i++) {
        const a = pairs[2 * i]!;
        const b = pairs[2 * i + 1]!;
        const ua = a >>> 0;
        const ub = b >>> 0;
        const bits = ub & 15;
        // The shader avoids what SPIR-V leaves undefined (division by zero, % of operands of different signs).
        const r = [
          a + b,
          a - b,
          Math.imul(a, b),
          b !== 0 ? sdiv(a, b) : 0,
          ub !== 0 ? Math.floor(ua / ub) : 0,
          b !== 0 && (a ^ b) >= 0 ? smod(a, b) : 0,
          ub !== 0 ? ua % ub : 0,
          ua << (ub & 31),
          ua >>> (ub & 31),
          a >> (b & 31),
          ua & ub,
          ua | ub,
          ua ^ ub,
          ~ua,
          msb(a),
          lsb(ua),
          popcount(ua),
          reverse(ua),
          (ua >>> bits) & 0xff,
          bits === 0 ? 0 : ((a >>> 4) << (32 - bits)) >> (32 - bits),
          Math.min(a, b) + Math.imul(Math.max(a, b), 3),
          Math.min(ua, ub) ^ Math.max(ua, ub),
          (a === -0x80000000 ? a : Math.abs(a)) + Math.sign(b),
          Math.min(Math.max(a, -100), 100) + Math.min(Math.max(ub, 10), 1000),
        ];
        r.forEach((v, k) => {
          expected[24 * i + k] = v >>> 0;
        });
      }
      return single(
        { shader: 'int_ops', bindings: { '0.0': 'pairs', '0.1': 'results' }, groupCount: [Math.ceil(n / 32), 1, 1] },
        { pairs, results: new Uint32Array(24 * n) },
        { results: expected },
      );
    },
  },
  {
    name: 'particles',
    source: 'glsl',
    host: {
      localSize: [64, 1, 1],
      bindings: [storage(0, true, 48), { set: 0, binding: 1, kind: 'uniform-buffer', writable: false, minSize: 52 }],
      usesBarriers: false,
    },
    sizes: [1, 64, 300],
    plan(n, seed) {
      const next = random(seed);
      const particles = new ArrayBuffer(48 * n);
      const pf = new Float32Array(particles);
      const pu = new Uint32Array(particles);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 8; k++) pf[12 * i + k] = f((next() - 0.3) * 10);
        pf[12 * i + 8] = f(0.5 + next() * 4);
        pu[12 * i + 9] = Math.floor(next() * 5);
      }
      const angle = next();
      const spin = [f(Math.cos(angle)), f(Math.sin(angle)), f(-Math.sin(angle)), f(Math.cos(angle))];
      const gravity = [f(next() - 0.5), f(-9.8), f(next()), 0];
      const dt = f(0.01 + next() * 0.1);
      const expected = new ArrayBuffer(48 * n);
      const ef = new Float32Array(expected);
      const eu = new Uint32Array(expected);
      ef.set(pf);
      for (let i = 0; i < n; i++) {
        const base = 12 * i;
        const mass = ef[base + 8]!;
        const v = [0, 1, 2, 3].map((k) => f(ef[base + 4 + k]! + f(f(gravity[k]! * dt) / mass)));
        const vx = f(f(spin[0]! * v[0]!) + f(spin[2]! * v[1]!));
        const vy = f(f(spin[1]! * v[0]!) + f(spin[3]! * v[1]!));
        v[0] = vx;
        v[1] = vy;
        const p = [0, 1, 2, 3].map((k) => f(ef[base + k]! + f(v[k]! * dt)));
        if (p[1]! < 0) {
          p[1] = -p[1]!;
          v[1] = f(-v[1]! * 0.5);
          eu[base + 9] = (eu[base + 9]! + 1) >>> 0;
        }
        for (let k = 0; k < 4; k++) {
          ef[base + k] = p[k]!;
          ef[base + 4 + k] = v[k]!;
        }
      }
      // std140: mat2 columns at 0 and 16, gravity at 32, dt at 48.
      const sim = new Float32Array(16);
      sim.set([spin[0]!, spin[1]!], 0);
      sim.set([spin[2]!, spin[3]!], 4);
      sim.set(gravity, 8);
      sim[12] = dt;
      return single(
        {
          shader: 'particles',
          bindings: { '0.0': 'particles', '0.1': 'sim' },
          groupCount: [Math.ceil(n / 64), 1, 1],
        },
        { particles: new Uint8Array(particles), sim },
        { particles: new Uint8Array(expected) },
      );
    },
  },
  {
    name: 'vector_math',
    source: 'wgsl',
    host: { localSize: [32, 1, 1], bindings: [storage(0, false, 32), storage(1, true, 16)], usesBarriers: false },
    sizes: [1, 32, 200],
    plan(n, seed) {
      const items = f32Random(8 * n, seed, 20);
      const expected = new Float32Array(4 * n + 4);
      const dot = (a: number[], b: number[]) =>
        a.reduce((sum, ai, k) => (k === 0 ? f(ai * b[0]!) : f(sum + f(ai * b[k]!))), 0);
      // The output has one more element than items: that one is left alone.
      for (let i = 0; i < n; i++) {
        const a = [...items.subarray(8 * i, 8 * i + 4)];
        const b = [...items.subarray(8 * i + 4, 8 * i + 8)];
        const d = dot(a, b);
        const m = a.map((ai, k) => f(fmax(ai, b[k]!) - fmin(ai, b[k]!)));
        let w = 0;
        for (let k = 0; k < 4; k++) w = f(w + f(a[k]! * f(k + 1)));
        for (let k = 0; k < 4; k++) {
          const s = d > 0 ? f(m[k]! * w) : d;
          expected[4 * i + k] = f(fmin(fmax(s, -100), 100) + Math.floor(b[k]!));
        }
      }
      return single(
        {
          shader: 'vector_math',
          bindings: { '0.0': 'items', '0.1': 'out' },
          groupCount: [Math.ceil((n + 1) / 32), 1, 1],
        },
        { items, out: new Float32Array(4 * n + 4) },
        { out: expected },
      );
    },
  },
  {
    name: 'workgroup_reduce',
    source: 'wgsl',
    host: {
      localSize: [64, 1, 1],
      bindings: [storage(0, false, 4), { set: 0, binding: 1, kind: 'storage-buffer', writable: true, minSize: 16 }],
      usesBarriers: true,
    },
    sizes: [1, 64, 65, 3000],
    plan(n, seed) {
      const values = u32Random(n, seed, seed === 1 ? 2 ** 32 : 1000);
      const expected = new Uint32Array(4);
      for (const v of values) {
        expected[0] = (expected[0]! + v) >>> 0;
        expected[1 + (v % 3 === 0 ? 0 : v & 1)]!++;
      }
      return single(
        {
          shader: 'workgroup_reduce',
          bindings: { '0.0': 'values', '0.1': 'totals' },
          groupCount: [Math.ceil(n / 64), 1, 1],
        },
        { values, totals: new Uint32Array(4) },
        { totals: expected },
      );
    },
  },
  {
    // No CPU reference: its results are what lavapipe computes (the golden test); the cross-backend test
    // compares them, with the departures edgeCaseWordsAgree allows.
    name: 'edge_cases',
    source: 'glsl',
    host: { localSize: [1, 1, 1], bindings: [storage(0, false, 8), storage(1, true, 4)], usesBarriers: false },
    sizes: [edgeInputs().length / 2],
    plan() {
      const pairs = edgeInputs();
      const n = pairs.length / 2;
      return {
        buffers: { pairs: bytesOf(pairs), results: new Uint8Array(4 * n * COLUMNS.length) },
        dispatches: [{ shader: 'edge_cases', bindings: { '0.0': 'pairs', '0.1': 'results' }, groupCount: [n, 1, 1] }],
        outputs: { results: { sameWord: (index, a, b) => edgeCaseWordsAgree(pairs, index, a, b) } },
      };
    },
  },
];
