/**
 * The C peer: c/baseline.c, compiled at bench time (`$CC` or cc, -O2) into .cache/, then run as a side process
 * speaking the line protocol on the same loader (dlopen libvulkan.so.1) and driver as @vkmap/native.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineProcess } from '../line-process.js';

const source = fileURLToPath(new URL('../../c/baseline.c', import.meta.url));
const header = fileURLToPath(new URL('../../c/vk_bench.h', import.meta.url));
const cacheDir = fileURLToPath(new URL('../../.cache/', import.meta.url));
const binary = `${cacheDir}baseline`;

export type Built = { readonly binary: string; readonly compiler: string } | { readonly unavailable: string };

const mtime = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

/** Compiles the baseline where the binary is older than its sources; says why not where it cannot. */
export function buildBaseline(): Built {
  const compiler = process.env.CC || 'cc';
  const version = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
  const upToDate = mtime(binary) > Math.max(mtime(source), mtime(header));
  // Without a compiler, a binary built earlier (say, carried to a GPU machine that has none) is used as it is.
  if ((version.error || version.status !== 0) && mtime(binary) >= 0) {
    return { binary, compiler: 'built earlier (no compiler here)' };
  }
  if (version.error || version.status !== 0)
    return { unavailable: `no C compiler (${compiler}: ${version.error?.message ?? `exit ${version.status}`})` };
  const compilerName = `${compiler} (${version.stdout.split('\n')[0]?.trim()})`;
  if (upToDate) return { binary, compiler: compilerName };
  mkdirSync(cacheDir, { recursive: true });
  const build = spawnSync(compiler, ['-O2', '-Wall', '-o', binary, source, '-ldl'], { encoding: 'utf8' });
  if (build.status !== 0)
    return {
      unavailable: `${compiler} -O2 c/baseline.c failed: ${(build.stderr || build.error?.message || '').trim()}`,
    };
  return { binary, compiler: compilerName };
}

export function startBaseline(built: { binary: string }, deviceIndex: number): LineProcess {
  return new LineProcess('C baseline', built.binary, ['--device', String(deviceIndex)]);
}
