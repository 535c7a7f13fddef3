/**
 * A module this package cannot run: malformed SPIR-V, or an instruction, capability, extended instruction or
 * construct outside the supported set. Raised by `parseModule`, `reflect` and `compileComputePipeline`, never
 * while a kernel runs. `opcodeName` names the refused instruction when there is one (`OpImageSampleImplicitLod`),
 * `wordOffset` is where it starts in the module (in 32-bit words from the header).
 */
export class SpirvError extends Error {
  override name = 'SpirvError';
  readonly opcodeName: string | undefined;
  readonly wordOffset: number | undefined;

  constructor(message: string, details: { opcodeName?: string; wordOffset?: number } = {}) {
    super(message);
    this.opcodeName = details.opcodeName;
    this.wordOffset = details.wordOffset;
  }
}

/** What a failed access touched: the binding (or workgroup / function memory) and where. */
export interface AccessFault {
  /** `load`, `store` or `atomic`. */
  readonly access: 'load' | 'store' | 'atomic';
  /** `storage-buffer`, `uniform-buffer`, `push-constant`, `workgroup` or `function`. */
  readonly memory: string;
  /** Descriptor set and binding of a buffer, absent for other memory. */
  readonly set?: number;
  readonly binding?: number;
  /** The variable's or its block's name when the module has one. */
  readonly variable: string;
  /** Byte offset of the access from the start of the bound range (or the variable). */
  readonly byteOffset: number;
  /** Bytes accessed. */
  readonly byteLength: number;
  /** Bytes bound (or the variable's size). */
  readonly boundBytes: number;
  /** The dynamic indices of the access chain, outermost first, when the access came through one. */
  readonly indices: readonly number[];
  /** The workgroup and the local invocation that made the access. */
  readonly workgroup: readonly [number, number, number];
  readonly localInvocation: readonly [number, number, number];
}

/**
 * A kernel failed while running: an out-of-bounds access (`fault` says where), a missing binding, or invocations
 * of one workgroup that reached different barriers. Bytes written before the failure stay written.
 */
export class SpirvRuntimeError extends Error {
  override name = 'SpirvRuntimeError';
  readonly fault: AccessFault | undefined;

  constructor(message: string, fault?: AccessFault) {
    super(message);
    this.fault = fault;
  }
}
