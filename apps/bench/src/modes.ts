/** How long each benchmark runs, per mode: the full run, --quick, and --smoke (every benchmark very briefly, for CI). */
export type Mode = 'full' | 'quick' | 'smoke';

export interface Sizes {
  readonly rounds: number;
  readonly mapIterations: number;
  readonly validatedMapIterations: number;
  readonly allocIterations: number;
  /** Map round trips per WebGPU batch process (a dawn.node crash past about 2000 was reported here). */
  readonly webgpuIterations: number;
  readonly writeBytes: number;
  readonly writeIterations: number;
  readonly allocatorIterations: number;
  readonly computeElements: number;
  readonly computeIterations: number;
  readonly slowdownRounds: number;
  readonly slowdownCycles: number;
  readonly slowdownPasses: number;
}

export const MAP_SIZE = 64 * 1024;

export const SIZES: Record<Mode, Sizes> = {
  full: {
    rounds: 9,
    mapIterations: 20_000,
    validatedMapIterations: 5_000,
    allocIterations: 3_000,
    webgpuIterations: 1_000,
    writeBytes: 8 * 1024 * 1024,
    writeIterations: 10,
    allocatorIterations: 20_000,
    computeElements: 1024,
    computeIterations: 200,
    slowdownRounds: 5,
    slowdownCycles: 10_000,
    slowdownPasses: 200,
  },
  quick: {
    rounds: 5,
    mapIterations: 5_000,
    validatedMapIterations: 1_000,
    allocIterations: 1_000,
    webgpuIterations: 500,
    writeBytes: 4 * 1024 * 1024,
    writeIterations: 5,
    allocatorIterations: 5_000,
    computeElements: 1024,
    computeIterations: 50,
    slowdownRounds: 3,
    slowdownCycles: 10_000,
    slowdownPasses: 100,
  },
  smoke: {
    rounds: 2,
    mapIterations: 100,
    validatedMapIterations: 50,
    allocIterations: 20,
    webgpuIterations: 20,
    writeBytes: 64 * 1024,
    writeIterations: 2,
    allocatorIterations: 100,
    computeElements: 256,
    computeIterations: 2,
    slowdownRounds: 1,
    slowdownCycles: 200,
    slowdownPasses: 10,
  },
};
