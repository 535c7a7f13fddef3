/** The shape of a run's results: what the JSON holds and what the table and the chart read. */
export type SideName = 'vkmap' | 'vkmap+validation' | 'C' | 'webgpu';

export interface RowResult {
  readonly side: SideName;
  /** What this side runs, e.g. "vkMapMemory + vkUnmapMemory" or "view.set". */
  readonly label: string;
  /** One sample per round: nanoseconds per operation. */
  readonly samples: readonly number[];
  readonly median: number | null;
  readonly min: number | null;
  /** median / the median of the benchmark's C row. */
  readonly ratioToC: number | null;
  /** median / the median of the benchmark's webgpu row. */
  readonly ratioToWebgpu: number | null;
  /** Why this row has no numbers (a peer that cannot run, a failure). */
  readonly unavailable?: string;
  /** What happened on the way, e.g. a WebGPU batch process that died and was run again. */
  readonly notes?: readonly string[];
}

export interface BenchmarkResult {
  readonly id: string;
  /** A few words, for the chart. */
  readonly short: string;
  readonly title: string;
  readonly unit: 'ns/op';
  /** Bytes written per operation, for the write benchmarks (GB/s = bytes / ns). */
  readonly bytesPerOp?: number;
  readonly rows: readonly RowResult[];
  readonly note?: string;
}

export interface SlowdownResult {
  readonly cycles: number;
  readonly rounds: number;
  readonly target: number;
  /** ns per pass of the scalar loop, per process kind: its per-round medians. */
  readonly fresh: readonly number[];
  readonly modes: readonly {
    readonly views: 'stable' | 'detach';
    readonly samples: readonly number[];
    /** Observed: whether the last view was detached (length 0) after its unmap; null where not measured. */
    readonly viewsDetachedAtUnmap: boolean | null;
    /** Speed after the cycles relative to the fresh process (median fresh / median after); >= target passes. */
    readonly ratio: number | null;
    readonly met: boolean | null;
    readonly unavailable?: string;
  }[];
  readonly freshMedian: number | null;
  readonly unavailable?: string;
}

export interface Report {
  readonly schema: 'vkmap-bench/1';
  readonly date: string;
  readonly mode: 'full' | 'quick' | 'smoke';
  readonly command: string;
  readonly machine: {
    readonly node: string;
    readonly platform: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly pinned: boolean;
  };
  readonly device: {
    readonly index: number;
    readonly name: string | null;
    readonly apiVersion: string | null;
    readonly memoryType: number | null;
    readonly unavailable?: string;
  };
  readonly rounds: number;
  readonly peers: {
    readonly c: { readonly available: boolean; readonly compiler?: string; readonly reason?: string };
    readonly webgpu: { readonly available: boolean; readonly adapter?: string; readonly reason?: string };
  };
  readonly benchmarks: readonly BenchmarkResult[];
  readonly slowdown: SlowdownResult;
  /** The TLSF-vs-VMA replay of src/allocator/ (owned by another part of the bench), where present. */
  readonly allocatorReplay: { readonly ran: boolean; readonly output?: unknown; readonly reason?: string };
}
