#!/usr/bin/env node
// Runs every vitest project of the workspace (the test matrix) and ends with one plain summary line:
// "N passed, N failed[, N skipped]". Skipped tests are listed with their names, which carry the reason.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'vkmap-tests-'));
const report = join(dir, 'report.json');
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

let results;
try {
  results = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.error(`vitest wrote no report (exit ${run.status ?? run.signal})`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/summary.txt', '0 passed, 1 failed\n');
  console.log('0 passed, 1 failed');
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const skipped = [];
for (const file of results.testResults ?? []) {
  for (const test of file.assertionResults ?? []) {
    if (test.status === 'skipped' || test.status === 'pending' || test.status === 'todo') {
      skipped.push(`${file.name.replace(process.cwd() + '/', '')} > ${test.fullName}`);
    }
  }
}
if (skipped.length > 0) {
  console.log(`\nSkipped (${skipped.length}), each with its reason in its name:`);
  for (const name of skipped) console.log(`  - ${name}`);
}

const passed = results.numPassedTests ?? 0;
// Files that failed to load count as failures too, so a broken suite can never pass as "0 failed".
const failed = (results.numFailedTests ?? 0) + (results.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
const summary = `${passed} passed, ${failed} failed${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}`;
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/summary.txt', `${summary}\n`);
console.log(`\n${summary}`);
process.exit(failed > 0 || run.status !== 0 || passed === 0 ? 1 : 0);
