#!/usr/bin/env node
// Fails when a published package changed without a changeset that names it.
//
//   node scripts/check-changesets.mjs [--base <ref>]
//
// A package changed when its src/** or package.json differs between the base and the working tree
// (committed, staged, unstaged or untracked). A changeset names it when a .changeset/*.md added or edited
// since the base lists it in its front matter. Private packages and those in .changeset/config.json
// `ignore` need none.
//
// The base: --base, else $CHANGESET_BASE, else the merge-base of HEAD with origin/<baseBranch> (config.json,
// default main), else HEAD~1 (a clone without the remote branch checks its last commit), else nothing to
// compare with: a note, and success.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function git(args, options = {}) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
}

function tryGit(args) {
  try {
    return git(args);
  } catch {
    return undefined;
  }
}

const root = tryGit(['rev-parse', '--show-toplevel']);
if (root === undefined) {
  console.log('check-changesets: not a git repository; nothing to compare with, so nothing to check.');
  process.exit(0);
}
process.chdir(root);

const config = existsSync('.changeset/config.json') ? JSON.parse(readFileSync('.changeset/config.json', 'utf8')) : {};
const baseBranch = config.baseBranch ?? 'main';
const ignored = new Set(config.ignore ?? []);

function chooseBase() {
  const argument = process.argv.indexOf('--base');
  const asked = argument === -1 ? process.env.CHANGESET_BASE : process.argv[argument + 1];
  if (asked) {
    const commit = tryGit(['rev-parse', '--verify', '--quiet', `${asked}^{commit}`]);
    if (!commit) throw new Error(`check-changesets: base ${asked} is not a commit here`);
    return { commit, label: asked };
  }
  const remote = `origin/${baseBranch}`;
  if (tryGit(['rev-parse', '--verify', '--quiet', `${remote}^{commit}`])) {
    const commit = tryGit(['merge-base', 'HEAD', remote]);
    if (commit) return { commit, label: `the merge-base with ${remote}` };
  }
  const parent = tryGit(['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}']);
  if (parent) return { commit: parent, label: `HEAD~1 (no ${remote} here)` };
  return undefined;
}

const base = chooseBase();
if (!base) {
  console.log(`check-changesets: no origin/${baseBranch} and no parent commit to compare with; nothing to check.`);
  process.exit(0);
}

/** Paths that differ from the base in the working tree, and untracked ones. */
const changed = new Set(
  [git(['diff', '--name-only', base.commit, '--']), git(['ls-files', '--others', '--exclude-standard'])]
    .join('\n')
    .split('\n')
    .filter(Boolean),
);

const packages = existsSync('packages')
  ? readdirSync('packages', { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join('packages', entry.name, 'package.json')))
      .map((entry) => ({
        dir: `packages/${entry.name}`,
        manifest: JSON.parse(readFileSync(join('packages', entry.name, 'package.json'), 'utf8')),
      }))
  : [];

const needing = packages.filter(
  ({ dir, manifest }) =>
    !manifest.private &&
    !ignored.has(manifest.name) &&
    [...changed].some((path) => path === `${dir}/package.json` || path.startsWith(`${dir}/src/`)),
);

/** Package names in the front matter of a changeset: `"@scope/name": patch` lines between the --- fences. */
function namedIn(text) {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!match) return [];
  return match[1]
    .split(/\r?\n/)
    .map((line) => /^\s*["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line)?.[1])
    .filter(Boolean);
}

const changesets = [...changed].filter(
  (path) => /^\.changeset\/[^/]+\.md$/.test(path) && path !== '.changeset/README.md' && existsSync(path),
);
const named = new Set(changesets.flatMap((path) => namedIn(readFileSync(path, 'utf8'))));
const missing = needing.filter(({ manifest }) => !named.has(manifest.name));

const compared = `compared with ${base.label}, commit ${base.commit.slice(0, 12)}`;
if (missing.length > 0) {
  console.error(
    `check-changesets: ${missing.length === 1 ? 'a package changed' : 'packages changed'} without a changeset, ${compared}:`,
  );
  for (const { dir, manifest } of missing) {
    const paths = [...changed].filter((path) => path === `${dir}/package.json` || path.startsWith(`${dir}/src/`));
    console.error(
      `  - ${manifest.name}: ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? `, and ${paths.length - 5} more` : ''}`,
    );
  }
  console.error(
    'Describe the change for its users with `pnpm changeset` (a .changeset/*.md naming each package and its bump).',
  );
  process.exit(1);
}
const which = needing.map(({ manifest }) => manifest.name).join(', ');
console.log(
  `check-changesets: ${needing.length === 0 ? 'no published package changed' : `every changed package has a changeset (${which})`}, ${compared}.`,
);
