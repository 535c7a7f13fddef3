#!/usr/bin/env node
// Runs the test matrix and ends with one plain summary line: "N passed, N failed[, N skipped]".
//
//   node scripts/run-tests.mjs                 build and typecheck (turbo, cached), then every vitest project
//                                              on this Node: one "leg"; the summary is that leg's counts
//   node scripts/run-tests.mjs --no-build --append --node 22 --projects @vkmap/native,@vkmap/emulated,packaging
//                                              one more leg: those projects under Node 22 (scripts/node-runtime.sh)
//   node scripts/run-tests.mjs --sum           every leg's counts, then the sum of all legs (CI's last line)
//
// Each leg writes test-results/legs/node-<major>.json (counts, failures, skips with reasons); test-results/
// summary.txt holds the last summary line. Arguments not listed above go to vitest. Output stays short:
// turbo shows only failing tasks' logs, vitest prints a dot per test file (console output only of failing
// tests), skips are grouped by reason, and failures come last, just before the summary.
import { stripVTControlCharacters } from 'node:util';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const results = join(root, 'test-results');
const legsDir = join(results, 'legs');
process.chdir(root);

const args = process.argv.slice(2).filter((a) => a !== '--');
const flag = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return false;
  args.splice(at, 1);
  return true;
};
const option = (name) => {
  const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  const [arg] = args.splice(at, 1);
  if (arg.includes('=')) return arg.slice(name.length + 1);
  const [value] = args.splice(at, 1);
  if (value === undefined) usage(`${name} needs a value`);
  return value;
};
function usage(message) {
  console.error(
    `run-tests: ${message}\nusage: run-tests.mjs [--no-build] [--append] [--node <major>] [--projects a,b] [vitest args] | --sum`,
  );
  process.exit(2);
}

const countsOf = (r) => `${r.passed} passed, ${r.failed} failed${r.skipped > 0 ? `, ${r.skipped} skipped` : ''}`;

function finish(summary, failed) {
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'summary.txt'), `${summary}\n`);
  console.log(summary);
  process.exit(failed ? 1 : 0);
}

function printFailures(failures, legLabel) {
  if (failures.length === 0) return;
  console.log(`\n${failures.length} failed${legLabel ? ` on ${legLabel}` : ''}:`);
  for (const [i, f] of failures.entries()) {
    console.log(`\n${i + 1}) ${f.project ? `[${f.project}] ` : ''}${f.name}`);
    if (f.location) console.log(`   at ${f.location}`);
    // Colours (vitest's diffs) only where they are rendered.
    const message = process.stdout.isTTY ? f.message : stripVTControlCharacters(f.message);
    for (const line of message.split('\n').slice(0, 30)) console.log(`   ${line}`);
    if (f.logs) {
      const lines = f.logs.split('\n');
      console.log('   console output:');
      for (const line of lines.slice(-15)) console.log(`   | ${line}`);
    }
  }
  console.log('');
}

function legReports() {
  if (!existsSync(legsDir)) return [];
  return readdirSync(legsDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(legsDir, name), 'utf8')))
    .sort((a, b) => a.order - b.order);
}

// --sum [--expect-legs N]: every leg's counts, then the sum. A leg that wrote no results counts as a failure.
if (flag('--sum')) {
  const expected = Number(option('--expect-legs') ?? 1);
  const legs = legReports();
  for (let i = legs.length; i < expected; i++) {
    legs.push({
      leg: `leg ${i + 1}`,
      order: Infinity,
      projects: [],
      passed: 0,
      failed: 1,
      skipped: 0,
      failures: [
        { project: '', name: 'a leg of the run', location: '', message: 'wrote no results (see its output above)' },
      ],
    });
  }
  for (const leg of legs) printFailures(leg.failures, legs.length > 1 ? leg.leg : undefined);
  for (const leg of legs)
    console.log(`${leg.leg}: ${countsOf(leg)}${leg.projects.length ? ` (${leg.projects.join(', ')})` : ''}`);
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const leg of legs) for (const key of Object.keys(total)) total[key] += leg[key];
  finish(countsOf(total), total.failed > 0 || total.passed === 0);
}

const noBuild = flag('--no-build');
const append = flag('--append');
const nodeMajor = option('--node');
const projects = (option('--projects') ?? '').split(',').filter(Boolean);

// Environment for the tools this runs: pnpm's own settings (set when this runs as a pnpm script) are unknown
// to npm, which would warn about each of them whenever a test runs npm.
const env = { ...process.env, TURBO_TELEMETRY_MESSAGE_DISABLED: '1' };
for (const key of ['npm_config_verify_deps_before_run', 'npm_config_npm_globalconfig', 'npm_config__jsr_registry'])
  delete env[key];

// 1. Build and typecheck every package (turbo, cached); only failing tasks print their logs.
if (!noBuild) {
  const turbo = existsSync(join(root, 'node_modules/.bin/turbo')) ? join(root, 'node_modules/.bin/turbo') : 'turbo';
  const build = spawnSync(turbo, ['run', 'build', 'typecheck', '--output-logs=errors-only', '--no-update-notifier'], {
    stdio: 'inherit',
    env,
  });
  if (build.status !== 0) {
    const major = process.versions.node.split('.')[0];
    const message = `failed (exit ${build.status ?? build.signal}): its errors are above; no tests ran`;
    if (!append) rmSync(legsDir, { recursive: true, force: true });
    mkdirSync(legsDir, { recursive: true });
    const failure = { project: '', name: 'turbo run build typecheck', location: '', message };
    const report = {
      leg: `node ${major}`,
      order: Number(major) - 1000,
      projects: [],
      passed: 0,
      failed: 1,
      skipped: 0,
      failures: [failure],
      skips: [],
    };
    writeFileSync(join(legsDir, `node-${major}.json`), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nturbo run build typecheck ${message}.`);
    finish('0 passed, 1 failed', true);
  }
}

// 2. The Node binary of this leg; child `node`/`npx`/`npm` of the tests resolve to it through PATH.
let node = process.execPath;
if (nodeMajor && nodeMajor !== process.versions.node.split('.')[0]) {
  const found = spawnSync('bash', [join(root, 'scripts/node-runtime.sh'), nodeMajor], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  node = found.stdout.trim();
  if (found.status !== 0 || !existsSync(node)) {
    // No leg file: `--sum --expect-legs` counts the missing leg as a failure.
    console.log(`\nno Node ${nodeMajor} binary (scripts/node-runtime.sh exit ${found.status})`);
    console.log(`node ${nodeMajor}: 0 passed, 1 failed`);
    process.exit(1);
  }
}
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const major = version.replace(/^v/, '').split('.')[0];
const leg = `node ${major}`;
env.PATH = `${dirname(node)}:${env.PATH ?? ''}`;

if (!append) rmSync(legsDir, { recursive: true, force: true });
mkdirSync(legsDir, { recursive: true });
const reportPath = join(legsDir, `node-${major}.json`);
rmSync(reportPath, { force: true });
env.VKMAP_LEG_REPORT = reportPath;

// The conformance suites write test-results/conformance-matrix.md. A run of every project rebuilds it from
// scratch; a leg of a few projects on another Node writes its own under test-results/legs/.
const fullRun = projects.length === 0 && !args.some((a) => a.startsWith('--project'));
if (fullRun) rmSync(join(results, 'conformance'), { recursive: true, force: true });
else if (append) env.VKMAP_CONFORMANCE_RESULTS = join(legsDir, `node-${major}`);
const matrixDir = env.VKMAP_CONFORMANCE_RESULTS || results;
const started = Date.now();

// 3. vitest: a dot per test file; the reporter writes the leg's JSON.
process.stdout.write(`vitest on ${leg} (${version})${projects.length ? `: ${projects.join(', ')}` : ''}\n`);
const run = spawnSync(
  node,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    `--reporter=${join(root, 'test/reporters/leg-reporter.mjs')}`,
    '--silent=passed-only',
    ...projects.map((p) => `--project=${p}`),
    ...args,
  ],
  { stdio: 'inherit', env },
);

let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch {
  report = { node: version, files: 0, passed: 0, failed: 0, skipped: 0, failures: [], skips: [] };
}
if (run.status !== 0 && report.failed === 0) {
  report.failures.push({
    project: '',
    name: 'vitest',
    location: '',
    message: `vitest exited with ${run.status ?? run.signal} and reported no failing test (see its output above)`,
  });
  report.failed = report.failures.length;
}
Object.assign(report, { leg, order: Number(major) + (append ? 0 : -1000), projects });
writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);

// 4. Skips grouped by reason (the reason is in each skipped test's name), one line per reason.
if (report.skipped > 0) {
  const groups = new Map();
  for (const skip of report.skips) {
    const key = skip.explicit ? skip.reason : `describe "${skip.reason}" (no reason given)`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  console.log(`\n${report.skipped} skipped, by reason (test-results/legs/node-${major}.json lists each test):`);
  const width = String(Math.max(...groups.values())).length;
  for (const [reason, count] of [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    console.log(`  ${String(count).padStart(width)}  ${reason}`);
  }
}

// 5. The conformance matrix: once, as a path.
const matrix = join(matrixDir, 'conformance-matrix.md');
if (existsSync(matrix) && statSync(matrix).mtimeMs >= started) {
  const suites = existsSync(join(matrixDir, 'conformance'))
    ? readdirSync(join(matrixDir, 'conformance')).filter((n) => n.endsWith('.json')).length
    : 0;
  console.log(`\nConformance matrix of ${suites} suite${suites === 1 ? '' : 's'}: ${relative(root, matrix)}`);
}

// 6. Failures last, then the summary.
printFailures(report.failures);
if (append) {
  // One leg of several: its counts; `--sum` prints the total.
  console.log(`${leg}: ${countsOf(report)}`);
  process.exit(report.failed > 0 || report.passed === 0 ? 1 : 0);
}
if (report.failures.length === 0) console.log('');
finish(countsOf(report), report.failed > 0 || report.passed === 0 || run.status !== 0);
