/**
 * House style: Biome formats and lints the whole repository (biome.jsonc); a finding fails the test run
 * with Biome's own report. `npx biome check --write .` fixes what can be fixed automatically.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');

describe('house style', () => {
  it('biome ci: every file formatted, no lint finding', () => {
    const run = spawnSync(process.execPath, [biome, 'ci', '--colors=off', '--error-on-warnings', '.'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });
});
