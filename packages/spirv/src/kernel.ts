// The public execution API: compile an entry point once (per module, entry point and specialization), then
// dispatch it any number of times over buffers given as bytes.
import { type CompiledEntryPoint, type CompileOptions, compileEntryPoint, type Slot } from './compiler/compile.js';
import { SpirvError, SpirvRuntimeError } from './errors.js';
import type { SpirvModule } from './module.js';
import { type EntryPointReflection, reflect } from './reflect.js';
import { Region, type RegionInfo, rt } from './runtime.js';

/** Buffers by `"set.binding"`: the bytes of each bound range, read and written in place. */
export type Bindings = ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;

export interface DispatchOptions {
  readonly groupCountX: number;
  readonly groupCountY?: number;
  readonly groupCountZ?: number;
  /** The first workgroup id (vkCmdDispatchBase); 0 by default. */
  readonly baseGroupX?: number;
  readonly baseGroupY?: number;
  readonly baseGroupZ?: number;
  /** The bound range of every buffer the entry point uses, keyed `"set.binding"`. */
  readonly bindings: Bindings;
  /** Push constant bytes (the whole push constant range, from offset 0). Missing bytes read as zero. */
  readonly pushConstants?: Uint8Array;
}

interface Generated {
  wg(ctx: Context, wx: number, wy: number, wz: number): void;
  State: new () => { L: number };
}

interface Context {
  r: Region[];
  nx: number;
  ny: number;
  nz: number;
  st: { L: number }[] | undefined;
}

export interface ComputeKernelOptions extends CompileOptions {}

/**
 * A compute entry point compiled to JavaScript. `dispatch` runs a grid of workgroups in order (x fastest,
 * then y, then z; invocations of a workgroup likewise), reading and writing the bound bytes in place.
 */
export class ComputeKernel {
  readonly entryPoint: EntryPointReflection;
  readonly localSize: readonly [number, number, number];
  /** The generated JavaScript, for reading and debugging. */
  readonly source: string;
  /** True when the entry point uses workgroup barriers (invocations then run resumably). */
  readonly usesBarriers: boolean;
  private readonly compiled: CompiledEntryPoint;
  private readonly generated: Generated;
  private readonly scratch: Region | undefined;
  private readonly workgroup: Region | undefined;
  private readonly states: { L: number }[] | undefined;

  constructor(module: SpirvModule, options: ComputeKernelOptions = {}) {
    this.compiled = compileEntryPoint(module, options);
    const reflection = reflect(module, options.specialization);
    this.entryPoint = reflection.entryPoints.find((e) => e.name === this.compiled.name)!;
    this.localSize = this.compiled.localSize;
    this.source = this.compiled.source;
    this.usesBarriers = this.compiled.barriers;
    let factory: (runtime: typeof rt) => Generated;
    try {
      factory = new Function('rt', this.compiled.source) as typeof factory;
    } catch (error) {
      throw new SpirvError(`internal error: the generated code does not compile (${(error as Error).message})`);
    }
    this.generated = factory(rt);
    const scratch = this.compiled.slots.find((slot) => slot.kind === 'scratch');
    const workgroup = this.compiled.slots.find((slot) => slot.kind === 'workgroup');
    this.scratch = scratch && Region.zeroed({ memory: 'function', variable: 'function memory' }, scratch.size);
    this.workgroup = workgroup && Region.zeroed({ memory: 'workgroup', variable: 'workgroup memory' }, workgroup.size);
    if (this.compiled.barriers) {
      const n = this.localSize[0] * this.localSize[1] * this.localSize[2];
      this.states = Array.from({ length: n }, () => new this.generated.State());
    }
  }

  dispatch(options: DispatchOptions): void {
    const nx = checkCount(options.groupCountX, 'groupCountX');
    const ny = checkCount(options.groupCountY ?? 1, 'groupCountY');
    const nz = checkCount(options.groupCountZ ?? 1, 'groupCountZ');
    const bx = options.baseGroupX ?? 0;
    const by = options.baseGroupY ?? 0;
    const bz = options.baseGroupZ ?? 0;
    const copies: (() => void)[] = [];
    const regions = this.compiled.slots.map((slot) => this.region(slot, options, copies));
    const ctx: Context = { r: regions, nx: bx + nx, ny: by + ny, nz: bz + nz, st: this.states };
    const wg = this.generated.wg;
    try {
      for (let z = bz; z < bz + nz; z++) {
        for (let y = by; y < by + ny; y++) {
          for (let x = bx; x < bx + nx; x++) wg(ctx, x, y, z);
        }
      }
    } finally {
      for (const copyBack of copies) copyBack();
    }
  }

  private region(slot: Slot, options: DispatchOptions, copies: (() => void)[]): Region {
    switch (slot.kind) {
      case 'scratch':
        return this.scratch!;
      case 'workgroup':
        return this.workgroup!;
      case 'push-constant': {
        const region = Region.zeroed(
          { memory: 'push-constant', variable: slot.variable },
          Math.max(slot.size, options.pushConstants?.byteLength ?? 0),
        );
        if (options.pushConstants) new Uint8Array(region.u32.buffer).set(options.pushConstants);
        return region;
      }
      case 'binding': {
        const key = `${slot.set}.${slot.binding}`;
        const bytes =
          options.bindings instanceof Map
            ? options.bindings.get(key)
            : (options.bindings as Record<string, Uint8Array>)[key];
        if (!bytes)
          throw new SpirvRuntimeError(
            `${slot.memory} "${slot.variable}" (set ${slot.set}, binding ${slot.binding}) is not bound: pass bindings["${key}"]`,
          );
        const info: RegionInfo = { memory: slot.memory, set: slot.set, binding: slot.binding, variable: slot.variable };
        if (bytes.byteOffset % 4 === 0) return new Region(info, bytes.buffer, bytes.byteOffset, bytes.byteLength);
        // Unaligned bytes: run on an aligned copy and copy the result back.
        const region = Region.zeroed(info, bytes.byteLength);
        const copy = new Uint8Array(region.u32.buffer, 0, bytes.byteLength);
        copy.set(bytes);
        if (slot.memory === 'storage-buffer') copies.push(() => bytes.set(copy));
        return region;
      }
    }
  }
}

function checkCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer; got ${value}`);
  return value;
}

/** Compiles a compute entry point of a parsed module (once per module, entry point and specialization). */
export function compileComputePipeline(module: SpirvModule, options: ComputeKernelOptions = {}): ComputeKernel {
  return new ComputeKernel(module, options);
}
