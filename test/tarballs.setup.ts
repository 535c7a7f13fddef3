// Global setup of the packaging project: packs every published package once, as `pnpm publish` would
// (workspace: ranges replaced by versions), into one temporary directory that the tests install from.
// Packed from the dist/ that the test command built (`pnpm test` builds first), with lifecycle scripts off:
// prepack rebuilds from scratch and would delete dist/ under the other projects' running tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

export const PUBLISHED = ['core', 'emulated', 'native', 'allocator', 'conformance', 'spirv'] as const;
export type Published = (typeof PUBLISHED)[number];

/** Runtime dependencies of the published packages, packed from the workspace install for offline installs. */
const THIRD_PARTY = ['node-gyp-build', 'node-addon-api'] as const;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Tarball paths: @vkmap/<name> by short name, third-party runtime dependencies by package name. */
    tarballs: Record<Published, string> & Record<(typeof THIRD_PARTY)[number], string>;
  }
}

const root = resolve(import.meta.dirname, '..');

export default function setup(project: TestProject): () => void {
  const into = mkdtempSync(join(tmpdir(), 'vkmap-tarballs-'));
  const tarballs: Record<string, string> = {};
  // The native tarball carries the prebuilt addon of this machine (prepack, which is off here, builds both
  // architectures; prebuilds.test.ts checks the cross-built one).
  const nativeDir = join(root, 'packages', 'native');
  const prebuilt = join(nativeDir, 'prebuilds', `linux-${process.arch}`, '@vkmap+native.glibc.node');
  const addonSources = readdirSync(join(nativeDir, 'src', 'addon')).map((f) => join(nativeDir, 'src', 'addon', f));
  const newestSource = Math.max(...[join(nativeDir, 'binding.gyp'), ...addonSources].map((f) => statSync(f).mtimeMs));
  if (!existsSync(prebuilt) || statSync(prebuilt).mtimeMs < newestSource) {
    execFileSync('bash', [join(nativeDir, 'scripts', 'prebuild.sh'), process.arch], { cwd: nativeDir, stdio: 'pipe' });
  }
  for (const pkg of PUBLISHED) {
    const dir = join(root, 'packages', pkg);
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    execFileSync('npx', ['--yes', 'pnpm@10.34.9', 'pack', '--config.ignore-scripts=true', '--pack-destination', into], {
      cwd: dir,
      stdio: 'pipe',
    });
    tarballs[pkg] = join(into, `vkmap-${pkg}-${version}.tgz`);
  }
  for (const name of THIRD_PARTY) {
    // node_modules/.pnpm/<name>@<version>/node_modules/<name>: the copy the workspace installed.
    const store = join(root, 'node_modules', '.pnpm');
    const entry = readdirSync(store).find((dir) => dir.startsWith(`${name}@`));
    if (!entry) throw new Error(`${name} is not installed in the workspace (node_modules/.pnpm); run pnpm install`);
    const file = execFileSync(
      'npm',
      ['pack', '--silent', '--ignore-scripts', '--pack-destination', into, join(store, entry, 'node_modules', name)],
      { encoding: 'utf8' },
    );
    tarballs[name] = join(into, file.trim().split('\n').at(-1)!);
  }
  for (const path of Object.values(tarballs)) readFileSync(path); // every tarball is there
  project.provide('tarballs', tarballs as never);
  return () => rmSync(into, { recursive: true, force: true });
}
