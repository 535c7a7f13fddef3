// Runs corpus runs on the executor itself (no device): each pipeline compiled once and kept, each dispatch
// over the bytes of the buffers it names.
import { specializationFromBytes } from '../constants.js';
import { type ComputeKernel, compileComputePipeline } from '../kernel.js';
import { parseModule, type SpirvModule } from '../module.js';
import {
  type CorpusDispatch,
  type CorpusRun,
  copyBuffers,
  corpusFile,
  readCorpusShader,
  specializationInfo,
} from './plan.js';

/** Compiled kernels of the corpus files, by file and specialization; modules parsed once. */
export class CorpusKernels {
  private readonly modules = new Map<string, SpirvModule>();
  private readonly kernels = new Map<string, ComputeKernel>();

  /** The parsed module of a corpus file. */
  module(file: string): SpirvModule {
    let module = this.modules.get(file);
    if (!module) this.modules.set(file, (module = parseModule(readCorpusShader(file))));
    return module;
  }

  /** The kernel that runs `dispatch` in the compiled form of `caseFile`. */
  kernel(dispatch: CorpusDispatch, caseFile: string): ComputeKernel {
    const file = corpusFile(dispatch, caseFile);
    const key = `${file} ${JSON.stringify(dispatch.specialization ?? [])}`;
    let kernel = this.kernels.get(key);
    if (!kernel) {
      const module = this.module(file);
      const info = dispatch.specialization && specializationInfo(dispatch.specialization);
      kernel = compileComputePipeline(module, {
        ...(info && { specialization: specializationFromBytes(module, info.mapEntries, info.data) }),
      });
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  /** Runs `dispatch` over `buffers` (by name), in place. */
  dispatch(dispatch: CorpusDispatch, caseFile: string, buffers: Readonly<Record<string, Uint8Array>>): void {
    const [groupCountX, groupCountY, groupCountZ] = dispatch.groupCount;
    this.kernel(dispatch, caseFile).dispatch({
      groupCountX,
      groupCountY,
      groupCountZ,
      bindings: Object.fromEntries(Object.entries(dispatch.bindings).map(([slot, name]) => [slot, buffers[name]!])),
      ...(dispatch.pushConstants && { pushConstants: dispatch.pushConstants }),
    });
  }

  /** Runs `run` in the compiled form of `caseFile` over copies of its buffers; returns them, by name. */
  run(run: CorpusRun, caseFile: string): Record<string, Uint8Array> {
    const buffers = copyBuffers(run);
    for (const dispatch of run.dispatches) this.dispatch(dispatch, caseFile, buffers);
    return buffers;
  }
}
