/**
 * Shader modules, pipeline layouts and compute pipelines. The emulator keeps the SPIR-V words and the
 * pipeline's description; parsing, refusing and compiling belong to the device's shader executor, if it has one.
 */
import type { BackendPushConstantRange, BackendSpecialization } from '@vkmap/core';
import type {
  EmulatedComputePipeline,
  EmulatedDescriptorSetLayout,
  EmulatedPipelineLayout,
  EmulatedShaderModule,
} from './records.js';
import type { ShaderExecutor } from './shader-executor.js';

export class PipelineFactory {
  private readonly executor: ShaderExecutor | undefined;

  constructor(executor: ShaderExecutor | undefined) {
    this.executor = executor;
  }

  /** vkCreateShaderModule: keeps a copy of the words; the executor, if any, parses them or refuses the module. */
  createShaderModule(code: Uint32Array): EmulatedShaderModule {
    const words = code.slice();
    return { code: words, loaded: this.executor?.loadModule(words) };
  }

  createPipelineLayout(request: {
    readonly setLayouts: readonly EmulatedDescriptorSetLayout[];
    readonly pushConstantRanges: readonly BackendPushConstantRange[];
  }): EmulatedPipelineLayout {
    return {
      setLayouts: [...request.setLayouts],
      pushConstantRanges: request.pushConstantRanges.map((range) => ({ ...range })),
    };
  }

  /** vkCreateComputePipelines, one pipeline: compiled by the executor, or kept uncompiled where there is none. */
  createComputePipeline(request: {
    readonly module: EmulatedShaderModule;
    readonly entryPoint: string;
    readonly specialization: BackendSpecialization | undefined;
    readonly layout: EmulatedPipelineLayout;
  }): EmulatedComputePipeline {
    const { module, entryPoint, specialization, layout } = request;
    const kernel = this.executor ? this.executor.compile(module.loaded, { entryPoint, specialization }) : null;
    return { module, entryPoint, specialization, layout, kernel };
  }
}
