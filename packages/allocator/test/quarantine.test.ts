/**
 * Stale views of freed allocations (issue 15): a freed allocation whose bytes were handed out as a view is
 * quarantined until the view is garbage collected. Needs a real gc(), so each case runs in a child process
 * under --expose-gc (fixtures/quarantine-case.ts, bundled from the sources; @vkmap/core and @vkmap/native
 * come from their builds, so the native addon loads from its own package).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNativeAvailable } from '@vkmap/native';

const bundle = fileURLToPath(new URL('../build/quarantine-case.bundle.mjs', import.meta.url));

beforeAll(async () => {
  const aliases = new URL('../../../scripts/workspace-aliases.mjs', import.meta.url).href;
  const { workspaceSourceAliases } = (await import(aliases)) as { workspaceSourceAliases: Record<string, string> };
  const { '@vkmap/core': _core, '@vkmap/native': _native, ...alias } = workspaceSourceAliases;
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/quarantine-case.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    alias,
    // One copy of core for everything, the one @vkmap/native's build imports.
    external: ['@vkmap/core', '@vkmap/native'],
    logLevel: 'warning',
  });
}, 60_000);
afterAll(() => rmSync(bundle, { force: true }));

function runCase(backend: string, views: string): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--expose-gc', bundle, backend, views], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`quarantine case failed (${child.status}):\n${child.stderr}`);
  const checks: Record<string, unknown> = {};
  for (const line of child.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const { check, value } = JSON.parse(line) as { check: string; value: unknown };
    checks[check] = value;
  }
  return checks;
}

const native = isNativeAvailable();
const backends = [
  { backend: 'emulated', skip: false, note: '' },
  {
    backend: 'native',
    // VKMAP_REQUIRE_NATIVE=1 (CI) runs the native cases anyway, so that a missing backend fails instead.
    skip: !native.available && process.env.VKMAP_REQUIRE_NATIVE !== '1',
    note: native.available ? '' : ` (skipped: ${native.reason ?? 'native backend unavailable'})`,
  },
];

describe('quarantine of freed allocations with views handed out', () => {
  for (const { backend, skip, note } of backends) {
    for (const views of ['stable', 'detach']) {
      it.skipIf(skip)(`${backend}, views '${views}': a stale view never reaches the next allocation${note}`, () => {
        const checks = runCase(backend, views);
        expect(checks.sameBlock).toBe(true);
        // Never viewed: freed at once, its range reused by the next allocation.
        expect(checks.unviewedQuarantine).toEqual({ count: 0, bytes: 0 });
        expect(checks.unviewedReused).toBe(true);
        // Viewed, unmapped and freed while the block stays mapped: the view is still attached...
        expect(checks.staleLength).toBe(4096);
        expect(checks.quarantineAfterFree).toEqual({ count: 1, bytes: 4096 });
        expect(checks.jsonQuarantineCount).toBe(1);
        // ...but the next allocation in the same block is placed elsewhere, and writes through the view
        // leave its bytes alone.
        expect(checks.nextSameBlock).toBe(true);
        expect(checks.nextOverlapsFreed).toBe(false);
        expect(checks.nextUntouched).toBe(true);
        // Once the view is collected, the range is free again.
        expect(checks.quarantineAfterGc).toEqual({ count: 0, bytes: 0 });
        expect(checks.reusedAfterGc).toBe(true);
        expect(checks.done).toBe(true);
      });
    }
  }
});
