#!/usr/bin/env node
/**
 * Measures the validation layer's overhead on a map/unmap pair: runs bench/validation-overhead.bench.ts
 * (bare and validated devices side by side in one run, on the emulated backend and on a stub backend
 * that isolates the layer) and prints ns/op for each and the ratio.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageDir, '../..');
const work = mkdtempSync(join(tmpdir(), 'vkmap-bench-'));
const output = join(work, 'bench.json');

spawnSync(
  'npx',
  ['vitest', 'bench', '--run', '--project', '@vkmap/core', 'packages/core/bench/validation-overhead.bench.ts', `--outputJson=${output}`],
  { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
);
if (!existsSync(output)) {
  console.error('bench-validation: vitest wrote no results');
  process.exit(1);
}
const report = JSON.parse(readFileSync(output, 'utf8'));
rmSync(work, { recursive: true, force: true });

const nsPerOp = (b) => b.mean * 1e6;
console.log(`node ${process.version}, ${process.platform}/${process.arch}; one op = mapMemory + unmapMemory of 4 KiB`);
for (const group of report.files.flatMap((f) => f.groups)) {
  const [bare, validated] = ['bare', 'validated'].map((kind) => group.benchmarks.find((b) => b.name.endsWith(`: ${kind}`)));
  if (!bare || !validated) continue;
  const row = (b) => `  ${b.name.padEnd(22)} ${nsPerOp(b).toFixed(0).padStart(7)} ns/op  (±${b.rme.toFixed(1)}%, ${b.sampleCount} samples)`;
  console.log(group.fullName.replace(/^.*> /, ''));
  console.log(row(bare));
  console.log(row(validated));
  console.log(
    `  validated / bare = ${(validated.mean / bare.mean).toFixed(2)}x; the layer adds ${(nsPerOp(validated) - nsPerOp(bare)).toFixed(0)} ns per pair`,
  );
}
