/**
 * The process-wide slowdown check: a scalar Float32Array loop over ordinary memory, timed in fresh processes
 * (slowdown-child.ts): one that never loaded vkmap, and one per view mode after N map + unmap cycles. Rounds
 * interleave the three kinds of process. The ratio is speed after / speed fresh (fresh median / after median):
 * 1.0 means mapping left the rest of the program as fast as it was; the target is >= 0.9.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Sizes } from './modes.js';
import { pinned } from './pin.js';
import type { Progress } from './progress.js';
import type { SlowdownResult } from './results.js';
import { median, ratio } from './stats.js';

export const SLOWDOWN_TARGET = 0.9;
const child = fileURLToPath(new URL('./slowdown-child.js', import.meta.url));

interface ChildAnswer {
  readonly nsPerOp: number;
  readonly detached: boolean | null;
}

function runChild(args: readonly string[]): Promise<ChildAnswer> {
  return new Promise((resolve, reject) => {
    const [file, argv] = pinned(process.execPath, [child, ...args]);
    const proc = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    proc.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const answer = JSON.parse(line) as ChildAnswer;
        if (code === 0 && Number.isFinite(answer.nsPerOp)) return resolve(answer);
      } catch {}
      reject(
        new Error(`slowdown process (${args.join(' ')}) ended with ${signal ?? `code ${code}`}: ${stderr.trim()}`),
      );
    });
  });
}

export async function runSlowdown(
  sizes: Sizes,
  deviceIndex: number,
  type: number,
  nativeUnavailable: string | undefined,
  progress: Progress,
): Promise<SlowdownResult> {
  const common = ['--cycles', String(sizes.slowdownCycles), '--passes', String(sizes.slowdownPasses)];
  const kinds = [
    {
      views: 'none',
      samples: [] as number[],
      detached: null as boolean | null,
      failed: undefined as string | undefined,
    },
    { views: 'stable', samples: [] as number[], detached: null as boolean | null, failed: nativeUnavailable },
    { views: 'detach', samples: [] as number[], detached: null as boolean | null, failed: nativeUnavailable },
  ];
  const title = `process-wide slowdown (Float32Array loop in fresh processes, ${sizes.slowdownCycles} map/unmap cycles first)`;
  for (let round = 0; round < sizes.slowdownRounds; round++) {
    progress.step(`${title}: round ${round + 1}/${sizes.slowdownRounds}`);
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(round + k) % kinds.length]!;
      if (kind.failed !== undefined) continue;
      try {
        const answer = await runChild([
          '--views',
          kind.views,
          '--device',
          String(deviceIndex),
          '--type',
          String(type),
          ...common,
        ]);
        kind.samples.push(answer.nsPerOp);
        kind.detached = answer.detached;
      } catch (error) {
        kind.failed = error instanceof Error ? error.message : String(error);
        progress.note(`slowdown, views ${kind.views}: ${kind.failed}`);
      }
    }
  }
  const fresh = kinds[0]!;
  const freshMedian = fresh.failed === undefined ? median(fresh.samples) : null;
  return {
    cycles: sizes.slowdownCycles,
    rounds: sizes.slowdownRounds,
    target: SLOWDOWN_TARGET,
    fresh: fresh.samples,
    freshMedian,
    ...(fresh.failed !== undefined && { unavailable: fresh.failed }),
    modes: kinds.slice(1).map((kind) => {
      const r = kind.failed === undefined && freshMedian !== null ? ratio(freshMedian, median(kind.samples)) : null;
      return {
        views: kind.views as 'stable' | 'detach',
        samples: kind.samples,
        viewsDetachedAtUnmap: kind.detached,
        ratio: r,
        met: r === null ? null : r >= SLOWDOWN_TARGET,
        ...(kind.failed !== undefined && { unavailable: kind.failed }),
      };
    }),
  };
}
