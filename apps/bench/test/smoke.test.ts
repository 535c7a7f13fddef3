/**
 * The bench in its --smoke mode, so that no benchmark rots: one run of the built app (dist/, as `pnpm bench` runs
 * it; `pnpm test` builds first) with --json and --svg, then checks on what it wrote. Nothing here is timed:
 * every benchmark must have produced finite numbers, the JSON and the SVG must be well-formed. Where the C
 * compiler, the webgpu package (or its adapter) or the native backend is missing, those checks are skipped
 * with the bench's own reason in their names, except under VKMAP_REQUIRE_NATIVE=1 (CI), where they fail.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report, RowResult } from '../src/results.js';
import { xmlProblems } from './xml.js';

const app = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const required = process.env.VKMAP_REQUIRE_NATIVE === '1';
const dir = mkdtempSync(join(tmpdir(), 'vkmap-bench-'));
const jsonPath = join(dir, 'bench.json');
const svgPath = join(dir, 'bench.svg');

function runApp(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [app, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const built = existsSync(app);
const run = built ? await runApp(['--smoke', '--json', jsonPath, '--svg', svgPath]) : undefined;
let report: Report | undefined;
try {
  report = JSON.parse(readFileSync(jsonPath, 'utf8')) as Report;
} catch {}

const rows = (side: (s: RowResult['side']) => boolean): { title: string; row: RowResult }[] =>
  (report?.benchmarks ?? []).flatMap((b) => b.rows.filter((r) => side(r.side)).map((row) => ({ title: b.title, row })));
const skipNote = (reason: string | undefined) => (reason !== undefined && !required ? ` (skipped: ${reason})` : '');
const finite = (value: number | null | undefined) => typeof value === 'number' && Number.isFinite(value) && value > 0;

const nativeReason = report?.device.unavailable;
const cReason = report?.peers.c.available === false ? report.peers.c.reason : undefined;
const webgpuReason = report?.peers.webgpu.available === false ? report.peers.webgpu.reason : undefined;

function expectMeasured(list: { title: string; row: RowResult }[]) {
  expect(list.length).toBeGreaterThan(0);
  for (const { title, row } of list) {
    const where = `${title} [${row.side}] ${row.label}`;
    expect(row.unavailable, where).toBeUndefined();
    expect(finite(row.median) && finite(row.min), `${where}: median ${row.median}, min ${row.min}`).toBe(true);
    expect(row.samples.length, where).toBe(report!.rounds);
    for (const sample of row.samples) expect(finite(sample), `${where}: sample ${sample}`).toBe(true);
  }
}

describe('vkmap-bench --smoke --json', () => {
  it('runs, exits 0 and writes its JSON report', () => {
    expect(built, `${app} is missing: build the app first (pnpm --filter @vkmap/bench build)`).toBe(true);
    expect(run!.code, `${run!.stdout}\n${run!.stderr}`).toBe(0);
    expect(report?.schema).toBe('vkmap-bench/1');
    expect(report?.mode).toBe('smoke');
    // The progress says what it measures, on stderr; the table goes to stdout.
    expect(run!.stderr).toMatch(/map \+ unmap 64 KiB \(vkMapMemory\): round 1\/2/);
    expect(run!.stdout).toMatch(/\| benchmark \| side \| what \| median \| min \| ratio to C \| ratio vs webgpu \|/);
  });

  it.skipIf(nativeReason !== undefined && !required)(
    `every vkmap benchmark produced finite numbers${skipNote(nativeReason)}`,
    () => {
      expect(nativeReason, 'the native backend must load when VKMAP_REQUIRE_NATIVE=1').toBeUndefined();
      const ids = report!.benchmarks.map((b) => b.id);
      for (const id of ['map', 'map2', 'validation', 'alloc', 'allocator', 'compute']) expect(ids).toContain(id);
      expect(ids.filter((id) => id.startsWith('write.')).length).toBeGreaterThanOrEqual(3);
      expectMeasured(rows((side) => side === 'vkmap' || side === 'vkmap+validation'));
    },
  );

  it.skipIf((cReason !== undefined || nativeReason !== undefined) && !required)(
    `the C baseline produced finite numbers, and every vkmap row its ratio to C${skipNote(cReason ?? nativeReason)}`,
    () => {
      expect(cReason, 'CI (VKMAP_REQUIRE_NATIVE=1) needs a C compiler').toBeUndefined();
      expectMeasured(rows((side) => side === 'C'));
      for (const b of report!.benchmarks) {
        if (!b.rows.some((r) => r.side === 'C')) continue;
        for (const r of b.rows.filter((r) => r.side.startsWith('vkmap'))) expect(finite(r.ratioToC), b.id).toBe(true);
      }
    },
  );

  it.skipIf(webgpuReason !== undefined && !required)(
    `the webgpu peer produced finite map round trips${skipNote(webgpuReason)}`,
    () => {
      expect(webgpuReason, 'CI (VKMAP_REQUIRE_NATIVE=1) needs the webgpu package and an adapter').toBeUndefined();
      expectMeasured(rows((side) => side === 'webgpu'));
    },
  );

  it.skipIf(nativeReason !== undefined && !required)(
    `the slowdown check timed fresh processes and gave a ratio per view mode${skipNote(nativeReason)}`,
    () => {
      const s = report!.slowdown;
      expect(s.unavailable).toBeUndefined();
      expect(finite(s.freshMedian)).toBe(true);
      expect(s.modes.map((m) => m.views)).toEqual(['stable', 'detach']);
      for (const mode of s.modes) {
        expect(mode.unavailable, mode.views).toBeUndefined();
        expect(finite(mode.ratio), mode.views).toBe(true);
        expect(typeof mode.met).toBe('boolean');
      }
    },
  );

  it('writes well-formed JSON: every number finite, every unavailable row with its reason', () => {
    expect(report).toBeDefined();
    const text = readFileSync(jsonPath, 'utf8');
    expect(JSON.parse(text)).toEqual(report);
    for (const b of report!.benchmarks) {
      for (const r of b.rows) {
        if (r.unavailable !== undefined) expect(r.unavailable.length, `${b.id} ${r.side}`).toBeGreaterThan(0);
        else for (const v of [r.median, r.min]) expect(finite(v), `${b.id} ${r.side}`).toBe(true);
        for (const v of [r.ratioToC, r.ratioToWebgpu])
          if (v !== null) expect(finite(v), `${b.id} ${r.side}`).toBe(true);
      }
    }
  });

  it('writes a well-formed SVG chart with a bar per ratio', () => {
    expect(existsSync(svgPath)).toBe(true);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.trimStart().startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(xmlProblems(svg)).toEqual([]);
    const ratios =
      report!.benchmarks.flatMap((b) => b.rows.flatMap((r) => [r.ratioToC, r.ratioToWebgpu])).filter((v) => v !== null)
        .length + report!.slowdown.modes.filter((m) => m.ratio !== null).length;
    // The background, three legend swatches, and one bar per ratio.
    expect(svg.match(/<rect /g)?.length).toBe(1 + 3 + ratios);
  });
});
