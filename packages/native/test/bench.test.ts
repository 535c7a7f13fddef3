/**
 * The side-by-side prefix-sum benchmark (bench/spirv-prefix-sum.bench.mjs, `pnpm bench`) in its --quick smoke
 * mode, so that it never rots: it runs from the built packages as `pnpm bench` does (`pnpm test` builds first),
 * checks every result against the CPU, and reports a ratio where the native backend loads. Nothing here is
 * timed: only that it runs, its report's shape, and that the numbers are numbers.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { availability } from './helpers.js';

const bench = fileURLToPath(new URL('../bench/spirv-prefix-sum.bench.mjs', import.meta.url));

function runBench(...args: string[]) {
  const child = spawnSync(process.execPath, [bench, '--quick', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: child.status, stdout: child.stdout, output: `${child.stdout}${child.stderr}` };
}

interface Timing {
  ms: number;
  runs: number[];
}
interface Report {
  quick: boolean;
  elements: number;
  dispatches: number;
  native: { device?: string; unavailable?: string };
  forms: Record<string, { native: Timing | null; emulated: Timing; executor: Timing; ratio: number | null }>;
}

describe('bench/spirv-prefix-sum.bench.mjs --quick', () => {
  it('reports native, emulated and executor times for both compiled forms, and the ratio (--json)', () => {
    const run = runBench('--json');
    expect(run.status, run.output).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report).toMatchObject({ quick: true, elements: 1 << 16, dispatches: 3 });
    expect(Object.keys(report.forms)).toEqual(['glslang', 'spirv-opt -O']);
    for (const form of Object.values(report.forms)) {
      for (const timing of [form.emulated, form.executor]) expect(timing.ms).toBeGreaterThan(0);
      if (availability.available) {
        expect(report.native.device).toEqual(expect.any(String));
        expect(form.native?.ms).toBeGreaterThan(0);
        expect(form.ratio).toBeGreaterThan(0);
      } else {
        expect(report.native.unavailable).toEqual(expect.any(String));
        expect(form.ratio).toBeNull();
      }
    }
  }, 120_000);

  it('prints the ratio against the 10x target', () => {
    const run = runBench();
    expect(run.status, run.output).toBe(0);
    expect(run.stdout).toMatch(availability.available ? /ratio \d+\.\d\dx \(target <= 10x/ : /ratio n\/a/);
  }, 120_000);
});
