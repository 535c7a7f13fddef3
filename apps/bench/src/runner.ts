/**
 * Interleaved rounds: every side of a benchmark runs once per round, round-robin, the starting side rotating
 * from round to round, so that a side never always runs on a warmer or a busier machine. Each side runs in its
 * own process (a long-lived worker, or a fresh process per batch); this only sends the requests and collects
 * one sample per side per round. A side that fails stops and keeps its reason; the others go on.
 */
import type { Progress } from './progress.js';
import type { BenchmarkResult, RowResult, SideName } from './results.js';
import { ratio, summarize } from './stats.js';

export interface Row {
  readonly side: SideName;
  readonly label: string;
  /** One sample: nanoseconds per operation. */
  measure(): Promise<number>;
  /** Whether to run once, untimed, before the rounds (false for sides that start a fresh process per batch). */
  readonly warmup?: boolean;
  /** Set where the side cannot run at all: the reason. */
  readonly unavailable?: string;
  /** What happened on the way (a batch that had to be run again), filled while it runs. */
  readonly notes?: readonly string[];
}

export interface Benchmark {
  readonly id: string;
  /** A few words, for the chart. */
  readonly short: string;
  readonly title: string;
  readonly bytesPerOp?: number;
  readonly note?: string;
  readonly rows: readonly Row[];
}

export async function runBenchmark(benchmark: Benchmark, rounds: number, progress: Progress): Promise<BenchmarkResult> {
  const rows = benchmark.rows;
  const samples = rows.map((): number[] => []);
  const failed = rows.map((row) => row.unavailable);
  const attempt = async (i: number, keep: boolean) => {
    if (failed[i] !== undefined) return;
    try {
      const ns = await rows[i]!.measure();
      if (!Number.isFinite(ns) || ns <= 0) throw new Error(`measured ${ns} ns per operation`);
      if (keep) samples[i]!.push(ns);
    } catch (error) {
      failed[i] = error instanceof Error ? error.message : String(error);
      progress.note(`${rows[i]!.side} ${rows[i]!.label}: ${failed[i]}`);
    }
  };

  progress.step(`${benchmark.title}: warm-up`);
  for (let i = 0; i < rows.length; i++) if (rows[i]!.warmup !== false) await attempt(i, false);
  for (let round = 0; round < rounds; round++) {
    progress.step(`${benchmark.title}: round ${round + 1}/${rounds}`);
    for (let k = 0; k < rows.length; k++) await attempt((round + k) % rows.length, true);
  }

  const medians = rows.map((_, i) => (failed[i] === undefined ? summarize(samples[i]!).median : undefined));
  const cIndex = rows.findIndex((row) => row.side === 'C');
  const webgpuIndex = rows.findIndex((row) => row.side === 'webgpu');
  const results: RowResult[] = rows.map((row, i) => {
    const available = failed[i] === undefined;
    const summary = summarize(samples[i]!);
    const isPeer = row.side === 'C' || row.side === 'webgpu';
    return {
      side: row.side,
      label: row.label,
      samples: samples[i]!,
      median: available ? summary.median : null,
      min: available ? summary.min : null,
      ratioToC: !isPeer && cIndex >= 0 ? ratio(medians[i], medians[cIndex]) : null,
      ratioToWebgpu: !isPeer && webgpuIndex >= 0 ? ratio(medians[i], medians[webgpuIndex]) : null,
      ...(!available && { unavailable: failed[i] }),
      ...(row.notes?.length && { notes: [...row.notes] }),
    };
  });
  return {
    id: benchmark.id,
    short: benchmark.short,
    title: benchmark.title,
    unit: 'ns/op',
    ...(benchmark.bytesPerOp !== undefined && { bytesPerOp: benchmark.bytesPerOp }),
    ...(benchmark.note !== undefined && { note: benchmark.note }),
    rows: results,
  };
}
