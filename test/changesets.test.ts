// scripts/check-changesets.mjs: a package whose src/** or package.json changed needs a changeset naming it.
// Proven on fixture repositories built here, then run on this repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, writeFiles } from './install.js';

const script = join(root, 'scripts', 'check-changesets.mjs');
const fixtures: string[] = [];
afterAll(() => {
  for (const dir of fixtures) rmSync(dir, { recursive: true, force: true });
});

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.invalid',
  GIT_COMMITTER_NAME: 'fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.invalid',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: gitEnv, encoding: 'utf8' }).trim();
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/** A workspace of two published packages and a private one, committed once on main. */
function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vkmap-changesets-'));
  fixtures.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, {
    '.changeset/config.json': JSON.stringify({ baseBranch: 'main', ignore: ['@fx/ignored'] }),
    '.changeset/README.md': '# Changesets\n',
    'packages/a/package.json': JSON.stringify({ name: '@fx/a', version: '1.0.0' }),
    'packages/a/src/index.ts': 'export const a = 1;\n',
    'packages/a/README.md': '# a\n',
    'packages/b/package.json': JSON.stringify({ name: '@fx/b', version: '1.0.0' }),
    'packages/b/src/index.ts': 'export const b = 1;\n',
    'packages/ignored/package.json': JSON.stringify({ name: '@fx/ignored', version: '1.0.0' }),
    'packages/ignored/src/index.ts': 'export const c = 1;\n',
    'packages/private/package.json': JSON.stringify({ name: '@fx/private', version: '1.0.0', private: true }),
    'packages/private/src/index.ts': 'export const d = 1;\n',
  });
  commitAll(dir, 'initial');
  return dir;
}

function check(dir: string, ...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [script, ...args], {
    cwd: dir,
    env: { ...gitEnv, CHANGESET_BASE: '' },
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const changeset = (...names: string[]) =>
  `---\n${names.map((name) => `"${name}": patch`).join('\n')}\n---\n\nA change.\n`;

describe('check-changesets on fixture repositories', () => {
  it('passes with a note when there is nothing to compare with (one commit, no origin)', () => {
    const dir = fixture();
    writeFiles(dir, { 'packages/a/src/index.ts': 'export const a = 2;\n' });
    const { status, output } = check(dir);
    expect(status, output).toBe(0);
    expect(output).toMatch(/no origin\/main and no parent commit/);
  });

  it('fails for a source change without a changeset, naming the package and the files', () => {
    const dir = fixture();
    writeFiles(dir, { 'packages/a/src/index.ts': 'export const a = 2;\n', 'packages/a/src/new.ts': 'export {};\n' });
    const { status, output } = check(dir, '--base', 'HEAD');
    expect(status, output).toBe(1);
    expect(output).toMatch(/@fx\/a: packages\/a\/src\/index\.ts, packages\/a\/src\/new\.ts/);
    expect(output).not.toMatch(/@fx\/b/);
  });

  it('fails for a package.json change, and for a changeset that names only another package', () => {
    const dir = fixture();
    writeFiles(dir, {
      'packages/b/package.json': JSON.stringify({ name: '@fx/b', version: '1.0.0', sideEffects: false }),
      '.changeset/other.md': changeset('@fx/a'),
    });
    const { status, output } = check(dir, '--base', 'HEAD');
    expect(status, output).toBe(1);
    expect(output).toMatch(/@fx\/b: packages\/b\/package\.json/);
  });

  it('passes once a changeset names every changed package; changes outside src, private and ignored packages need none', () => {
    const dir = fixture();
    writeFiles(dir, {
      'packages/a/src/index.ts': 'export const a = 2;\n',
      'packages/a/README.md': '# a, documented\n',
      'packages/b/README.md': '# b\n',
      'packages/ignored/src/index.ts': 'export const c = 2;\n',
      'packages/private/src/index.ts': 'export const d = 2;\n',
      '.changeset/brave-lions.md': changeset('@fx/a'),
    });
    const { status, output } = check(dir, '--base', 'HEAD');
    expect(status, output).toBe(0);
    expect(output).toMatch(/every changed package has a changeset \(@fx\/a\)/);
  });

  it('a changeset already pending before the base does not cover a new change', () => {
    const dir = fixture();
    writeFiles(dir, { '.changeset/old.md': changeset('@fx/a') });
    commitAll(dir, 'an earlier change of a, with its changeset');
    writeFiles(dir, { 'packages/a/src/index.ts': 'export const a = 3;\n' });
    commitAll(dir, 'a later change of a, without one');
    const { status, output } = check(dir);
    expect(status, output).toBe(1);
    expect(output).toMatch(/compared with HEAD~1/);
  });

  it('on a branch, compares with the merge-base of origin/main and sees every commit of the branch', () => {
    const dir = fixture();
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeFiles(dir, { 'packages/b/src/index.ts': 'export const b = 2;\n' });
    commitAll(dir, 'change b');
    writeFiles(dir, { 'packages/a/README.md': '# a again\n' });
    commitAll(dir, 'docs only');
    const failing = check(dir);
    expect(failing.status, failing.output).toBe(1);
    expect(failing.output).toMatch(/the merge-base with origin\/main/);
    expect(failing.output).toMatch(/@fx\/b: packages\/b\/src\/index\.ts/);
    writeFiles(dir, { '.changeset/b.md': changeset('@fx/b') });
    const passing = check(dir);
    expect(passing.status, passing.output).toBe(0);
  });
});

it('this repository: every package changed since the base has a changeset', () => {
  const run = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
  expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
});
