/** Knobs of a conformance run, with CI-sized defaults; environment variables override them. */
export interface ConformanceOptions {
  /** Operations per random sequence (env VKMAP_CONFORMANCE_OPS). */
  readonly randomOps: number;
  /** One random sequence per seed and device (env VKMAP_CONFORMANCE_SEEDS, e.g. "1,2,3" or "5x" for 1..5). */
  readonly seeds: readonly number[];
  /**
   * Multi-GiB allocations are cheap on this backend (lazily backed, as on the emulator): exhaustion tests
   * then fill heaps of any size. Otherwise only heaps up to `cheapHeapBytes` are exhausted for real.
   */
  readonly largeAllocations: boolean;
  /** Heaps up to this size are exhausted for real even without `largeAllocations`. */
  readonly cheapHeapBytes: bigint;
  /** Iterations of the repeated large allocate / map / free-while-mapped case. */
  readonly leakIterations: number;
  /** Size of each allocation in that case (capped to a quarter of the heap). */
  readonly leakAllocationBytes: number;
  /**
   * VK_EXT_memory_budget's heapUsage moves by exactly the bytes allocated through the device (true on the
   * emulator). Drivers report an estimate, so usage is compared only when this is set.
   */
  readonly exactHeapUsage: boolean;
  /** Stack the validation layer (report mode) on every device: valid scenarios must produce no report. */
  readonly validation: boolean;
  /** Where test-results/conformance-matrix.{md,json} go; default the workspace root (env VKMAP_CONFORMANCE_RESULTS). */
  readonly resultsDir: string | undefined;
  /** Per-test timeout in milliseconds. */
  readonly testTimeout: number;
}

export const DEFAULT_OPTIONS: ConformanceOptions = {
  randomOps: 2000,
  seeds: [1, 2],
  largeAllocations: false,
  cheapHeapBytes: 256n * 1024n * 1024n,
  leakIterations: 8,
  leakAllocationBytes: 8 * 1024 * 1024,
  exactHeapUsage: false,
  validation: false,
  resultsDir: undefined,
  testTimeout: 120_000,
};

export function resolveOptions(
  given: Partial<ConformanceOptions> | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConformanceOptions {
  const options = { ...DEFAULT_OPTIONS, ...stripUndefined(given ?? {}) };
  const ops = env['VKMAP_CONFORMANCE_OPS'];
  const seeds = env['VKMAP_CONFORMANCE_SEEDS'];
  const results = env['VKMAP_CONFORMANCE_RESULTS'];
  return {
    ...options,
    randomOps: ops ? parseCount(ops, 'VKMAP_CONFORMANCE_OPS') : options.randomOps,
    seeds: seeds ? parseSeeds(seeds) : options.seeds,
    resultsDir: results || options.resultsDir,
  };
}

function parseCount(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer (got ${JSON.stringify(text)})`);
  return value;
}

/** "1,2,7" lists seeds; "5x" means seeds 1 to 5. */
export function parseSeeds(text: string): number[] {
  const trimmed = text.trim();
  const count = /^(\d+)x$/.exec(trimmed);
  if (count) return Array.from({ length: Number(count[1]) }, (_, i) => i + 1);
  const seeds = trimmed.split(',').map((part) => Number(part.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffff_ffff)) {
    throw new RangeError(
      `VKMAP_CONFORMANCE_SEEDS must be a comma list of 32-bit seeds or "<n>x" (got ${JSON.stringify(text)})`,
    );
  }
  return seeds;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
