#!/usr/bin/env node
/**
 * Prints the validation layer's VUID coverage table from the tests themselves: it runs the validation
 * tests with vitest's JSON reporter, reads the rule catalogue that coverage.test.ts writes out, and joins
 * each rule with the passing tests whose title names it (the `negative` helper puts the asserted rules
 * first in the title), or with its not-applicable reason.
 *
 * Exits 1 when a reachable rule has no passing test. `--markdown` (default) prints a Markdown table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageDir, '../..');
const work = mkdtempSync(join(tmpdir(), 'vkmap-vuid-coverage-'));
const resultsFile = join(work, 'results.json');
const catalogueFile = join(work, 'catalogue.json');

const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--project',
    '@vkmap/core',
    '--reporter=json',
    `--outputFile=${resultsFile}`,
    'packages/core/test/validation',
  ],
  {
    cwd: repoRoot,
    env: { ...process.env, VKMAP_VUID_CATALOGUE_OUT: catalogueFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (!existsSync(resultsFile) || !existsSync(catalogueFile)) {
  console.error(`vuid-coverage: vitest produced no results (exit ${run.status}); run the tests to see why.`);
  process.exit(1);
}
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
const catalogue = JSON.parse(readFileSync(catalogueFile, 'utf8'));
rmSync(work, { recursive: true, force: true });

/** vuid -> passing tests ("file › title") whose title names it. */
const passingByVuid = new Map();
let failedTests = 0;
for (const file of results.testResults) {
  const fileName = relative(packageDir, file.name);
  for (const test of file.assertionResults) {
    if (test.status !== 'passed') {
      if (test.status === 'failed') failedTests++;
      continue;
    }
    for (const [vuid] of test.title.matchAll(/(?:VUID|UNASSIGNED|VKMAP)-[\w-]*\w/g)) {
      const list = passingByVuid.get(vuid) ?? [];
      list.push(`${fileName} › ${test.title}`);
      passingByVuid.set(vuid, list);
    }
  }
}

const escapeCell = (text) => text.replaceAll('|', '\\|');
const rows = [];
const missing = [];
let covered = 0;
let notApplicable = 0;
for (const entry of catalogue) {
  const tests = passingByVuid.get(entry.id) ?? [];
  let status;
  let detail;
  if (entry.notApplicable) {
    notApplicable++;
    status = 'not applicable';
    detail = entry.notApplicable;
  } else if (tests.length > 0) {
    covered++;
    status = entry.hazard
      ? 'covered (hazard)'
      : entry.unassigned
        ? 'covered (unassigned)'
        : entry.supplementary
          ? 'covered (supplementary)'
          : 'covered';
    detail = tests.length === 1 ? tests[0] : `${tests[0]} (+${tests.length - 1} more)`;
  } else {
    missing.push(entry.id);
    status = '**NOT COVERED**';
    detail = 'no passing test names this rule';
  }
  rows.push(`| \`${entry.id}\` | ${status} | ${escapeCell(detail)} |`);
}

const reachable = catalogue.length - notApplicable;
console.log('| VUID | Status | Covered by (test file › test title) or why not applicable |');
console.log('| --- | --- | --- |');
for (const row of rows) console.log(row);
console.log('');
const count = (test) => catalogue.filter(test).length;
const numbered = (group) => (e) => e.group === group && !e.supplementary && !e.unassigned;
console.log(
  `${covered}/${reachable} reachable identifiers covered by passing negative tests; ${notApplicable} not applicable; ` +
    `${catalogue.length} in all: ${count(numbered('mapping'))} rules of the mapping family, ` +
    `${count((e) => e.supplementary)} supplementary, ${count(numbered('compute'))} of the compute chapters, ` +
    `${count((e) => e.unassigned)} unassigned identifiers of the Khronos layer ` +
    `(${count((e) => e.unassigned && e.group === 'mapping')} mapping, ${count((e) => e.unassigned && e.group === 'compute')} compute), ` +
    `${count((e) => e.hazard)} host-access hazards.`,
);
if (failedTests > 0) console.log(`${failedTests} validation test(s) failed.`);
if (missing.length > 0) {
  console.error(`vuid-coverage: reachable rules without a passing test: ${missing.join(', ')}`);
  process.exit(1);
}
