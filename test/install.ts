// Helpers of the packaging tests: a throwaway app that installs packed tarballs with npm, offline, outside
// the workspace; and the Node.js runtimes the packages are tested on.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

export interface InstallOptions {
  /** npm's --legacy-peer-deps: leave peer dependencies to the caller (vitest, which is not packed). */
  readonly legacyPeerDeps?: boolean;
}

/** A new directory with a private package.json and the tarballs installed by `npm install --offline`. */
export function installApp(name: string, tarballs: readonly string[], options: InstallOptions = {}): string {
  const app = mkdtempSync(join(tmpdir(), `vkmap-${name}-`));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name, private: true }));
  const args = ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'];
  if (options.legacyPeerDeps) args.push('--legacy-peer-deps');
  execFileSync('npm', [...args, ...tarballs], { cwd: app, stdio: 'pipe' });
  return app;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Runs `node file` and returns its stdout; throws with stdout and stderr when it fails. */
export function runNode(node: string, cwd: string, file: string): string {
  const run = spawnSync(node, [file], { cwd, encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`${node} ${file} exited with ${run.status ?? run.signal}\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

export interface NodeRuntime {
  readonly major: number;
  /** The binary, or undefined with the reason it could not be had. */
  readonly path: string | undefined;
  readonly reason: string;
}

/**
 * The Node.js releases the packages support (package.json engines): the running node where its major
 * matches, else the pinned release from scripts/node-runtime.sh (installed from the npm registry once).
 */
export function nodeRuntime(major: number): NodeRuntime {
  if (Number(process.versions.node.split('.')[0]) === major) return { major, path: process.execPath, reason: '' };
  const run = spawnSync('bash', [join(root, 'scripts', 'node-runtime.sh'), String(major)], { encoding: 'utf8' });
  const path = run.stdout.trim().split('\n').at(-1);
  if (run.status === 0 && path) return { major, path, reason: '' };
  return {
    major,
    path: undefined,
    reason: `scripts/node-runtime.sh ${major} failed: ${(run.stderr || run.stdout).trim().split('\n').at(-1) ?? ''}`,
  };
}

export const SUPPORTED_NODE_MAJORS = [20, 22, 24] as const;
