/**
 * Where SPIR-V execution plugs into the emulated device. The emulator itself only records shader modules and
 * pipelines; a `ShaderExecutor` (the SPIR-V executor of @vkmap/spirv, through an adapter) parses and refuses
 * modules, compiles pipelines and runs dispatches. A device made without one still records everything, and a
 * submission that holds a dispatch fails with `dispatchUnsupportedError`, changing nothing.
 */
import { type BackendSpecialization, VkmapStateError } from '@vkmap/core';

/** What a kernel reads and writes in one dispatch. */
export interface KernelDispatch {
  readonly groupCountX: number;
  readonly groupCountY: number;
  readonly groupCountZ: number;
  /**
   * The device-side bytes of each bound buffer range, keyed `"set.binding"` (element 0 of an arrayed
   * binding). The kernel reads and writes them in place; the device stores them back after the dispatch.
   */
  readonly bindings: ReadonlyMap<string, Uint8Array>;
  /** The push constant bytes, from offset 0, as the command buffer set them (zeros elsewhere). */
  readonly pushConstants: Uint8Array;
}

/** One compute entry point, compiled with its specialization. */
export interface ComputeKernel {
  dispatch(dispatch: KernelDispatch): void;
}

export interface ShaderExecutor {
  /**
   * vkCreateShaderModule: parses `code` and returns what `compile` will need. Refuses a module the executor
   * cannot run with a VkmapArgumentError naming what (an opcode, a capability).
   */
  loadModule(code: Uint32Array): unknown;
  /**
   * vkCreateComputePipelines: compiles the entry point of a module `loadModule` returned. Refuses an entry
   * point or specialization the module does not have with a VkmapArgumentError.
   */
  compile(
    module: unknown,
    request: { readonly entryPoint: string; readonly specialization: BackendSpecialization | undefined },
  ): ComputeKernel;
}

/** The failure of a submission with a dispatch on a device that has no shader executor. */
export function dispatchUnsupportedError(commandBufferIndex: number, commandIndex: number): VkmapStateError {
  return new VkmapStateError(
    'cmdDispatch: the emulated backend does not execute SPIR-V yet, so vkQueueSubmit refuses a command buffer ' +
      `that dispatches (command buffer ${commandBufferIndex} of the submission, command ${commandIndex}); ` +
      'nothing was executed. Copies, fills and barriers run.',
  );
}
