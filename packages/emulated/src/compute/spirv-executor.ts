/**
 * The emulated device's default shader executor: @vkmap/spirv parses and refuses modules at
 * vkCreateShaderModule, compiles each pipeline's entry point to JavaScript once, and runs dispatches over the
 * device-side bytes of the bound buffers. Its errors become the contract's: an unsupported module or entry
 * point is a VkmapArgumentError; a shader that reads or writes outside a bound range faults the device as a
 * GPU would (VK_ERROR_DEVICE_LOST), with the binding and index in the message.
 */
import { VkError, VkmapArgumentError } from '@vkmap/core';
import {
  compileComputePipeline,
  parseModule,
  SpirvError,
  SpirvRuntimeError,
  type SpirvModule,
  specializationFromBytes,
} from '@vkmap/spirv';
import type { ShaderExecutor } from './shader-executor.js';

function asArgumentError(argument: string, error: unknown): unknown {
  return error instanceof SpirvError ? new VkmapArgumentError(argument, error.message) : error;
}

export const spirvExecutor: ShaderExecutor = {
  loadModule(code) {
    try {
      return parseModule(code);
    } catch (error) {
      throw asArgumentError('pCreateInfo.pCode', error);
    }
  },
  compile(module, { entryPoint, specialization }) {
    const spirv = module as SpirvModule;
    let kernel: ReturnType<typeof compileComputePipeline>;
    try {
      kernel = compileComputePipeline(spirv, {
        entryPoint,
        ...(specialization && {
          specialization: specializationFromBytes(spirv, specialization.mapEntries, specialization.data),
        }),
      });
    } catch (error) {
      throw asArgumentError('pCreateInfos[0].stage', error);
    }
    return {
      dispatch(dispatch) {
        try {
          kernel.dispatch(dispatch);
        } catch (error) {
          if (error instanceof SpirvRuntimeError)
            throw new VkError('vkQueueSubmit', 'VK_ERROR_DEVICE_LOST', error.message);
          throw error;
        }
      },
    };
  },
};
