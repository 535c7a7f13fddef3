// What compiled kernels call at run time: memory regions (a binding's bytes viewed as 32-bit words), the
// out-of-bounds and unreachable reports, and the scalar helpers of scalar.ts.
import { type AccessFault, SpirvRuntimeError } from './errors.js';
import * as scalar from './scalar.js';

export type MemoryKind = 'storage-buffer' | 'uniform-buffer' | 'push-constant' | 'workgroup' | 'function';

export interface RegionInfo {
  readonly memory: MemoryKind;
  readonly set?: number;
  readonly binding?: number;
  readonly variable: string;
}

/**
 * Memory a kernel reads and writes: 32-bit views of the same bytes. `size` is the byte length the kernel may
 * touch; every access is checked against it.
 */
export class Region {
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly size: number;

  constructor(
    readonly info: RegionInfo,
    buffer: ArrayBufferLike,
    byteOffset: number,
    byteLength: number,
  ) {
    const words = Math.floor(byteLength / 4);
    this.u32 = new Uint32Array(buffer, byteOffset, words);
    this.i32 = new Int32Array(buffer, byteOffset, words);
    this.f32 = new Float32Array(buffer, byteOffset, words);
    this.size = byteLength;
  }

  static zeroed(info: RegionInfo, byteLength: number): Region {
    return new Region(info, new ArrayBuffer(Math.ceil(byteLength / 4) * 4), 0, byteLength);
  }
}

/** Thrown inside a kernel; the workgroup loop adds which invocation made the access and rethrows it as a SpirvRuntimeError. */
export class AccessSignal {
  constructor(
    readonly site: string,
    readonly access: AccessFault['access'],
    readonly region: Region,
    readonly byteOffset: number,
    readonly byteLength: number,
    readonly indices: readonly number[],
  ) {}
}

/** OpUnreachable was executed. */
export class UnreachableSignal {
  constructor(readonly site: string) {}
}

function describe(info: RegionInfo): string {
  switch (info.memory) {
    case 'storage-buffer':
    case 'uniform-buffer':
      return `${info.memory === 'storage-buffer' ? 'storage' : 'uniform'} buffer "${info.variable}" (set ${info.set}, binding ${info.binding})`;
    case 'push-constant':
      return `push constant block "${info.variable}"`;
    case 'workgroup':
      return 'workgroup memory';
    case 'function':
      return 'function/private memory';
  }
}

export const rt = {
  ...scalar,
  oob(
    site: string,
    access: AccessFault['access'],
    region: Region,
    byteOffset: number,
    byteLength: number,
    indices: readonly number[],
  ): AccessSignal {
    return new AccessSignal(site, access, region, byteOffset, byteLength, indices);
  },
  unreachable(site: string): UnreachableSignal {
    return new UnreachableSignal(site);
  },
  /** Copies a composite value with the element at `path` replaced (OpCompositeInsert on structs, arrays, matrices). */
  insert(object: unknown[], value: unknown, ...path: number[]): unknown[] {
    const copy = object.slice();
    if (path.length === 1) copy[path[0]!] = value;
    else copy[path[0]!] = rt.insert(copy[path[0]!] as unknown[], value, ...path.slice(1));
    return copy;
  },
  /** Turns a signal from a kernel into the error the caller sees. */
  fault(error: unknown, wx: number, wy: number, wz: number, lx: number, ly: number, lz: number): unknown {
    const where = `workgroup (${wx}, ${wy}, ${wz}), local invocation (${lx}, ${ly}, ${lz})`;
    if (error instanceof AccessSignal) {
      const info = error.region.info;
      const fault: AccessFault = {
        access: error.access,
        memory: info.memory,
        ...(info.set === undefined ? {} : { set: info.set, binding: info.binding }),
        variable: info.variable,
        byteOffset: error.byteOffset,
        byteLength: error.byteLength,
        boundBytes: error.region.size,
        indices: error.indices,
        workgroup: [wx, wy, wz],
        localInvocation: [lx, ly, lz],
      };
      const indices = error.indices.length > 0 ? ` index ${error.indices.join(', ')},` : '';
      return new SpirvRuntimeError(
        `out-of-bounds ${error.access} in ${describe(info)}:${indices} bytes ${error.byteOffset}..${error.byteOffset + error.byteLength - 1} ` +
          `but ${error.region.size} bytes are bound (${error.site}; ${where})`,
        fault,
      );
    }
    if (error instanceof UnreachableSignal)
      return new SpirvRuntimeError(`OpUnreachable executed (${error.site}; ${where})`);
    return error;
  },
  divergent(wx: number, wy: number, wz: number, first: string, other: string): SpirvRuntimeError {
    return new SpirvRuntimeError(
      `invocations of workgroup (${wx}, ${wy}, ${wz}) reached different barriers (${first} and ${other}): ` +
        'OpControlBarrier must be executed in uniform control flow',
    );
  },
};

export type Runtime = typeof rt;
