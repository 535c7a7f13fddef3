/**
 * The fault guard of placed windows (src/addon/fault-guard.cc) only comes into play on drivers with
 * VK_EXT_map_memory_placed whose mappings cannot be aliased (the NVIDIA H200, where view-lifetime.test.ts
 * runs it for real). Here it is compiled into a small program, test/addon/fault-guard.cc, that races a
 * writer thread against windows whose pages come and go as a driver's do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const driver = fileURLToPath(new URL('./addon/fault-guard.cc', import.meta.url));
const addonSources = fileURLToPath(new URL('../src/addon', import.meta.url));
const compiler = process.env.CXX ?? 'g++';
const hasCompiler = spawnSync(compiler, ['--version']).status === 0;
const required = process.env.VKMAP_REQUIRE_NATIVE === '1';
const skip = !hasCompiler && !required;

describe.skipIf(skip)(
  `the fault guard of placed windows${skip ? ` (skipped: no C++ compiler, ${compiler})` : ''}`,
  () => {
    let dir = '';
    let program = '';
    beforeAll(() => {
      expect(hasCompiler, 'CI (VKMAP_REQUIRE_NATIVE=1) needs a C++ compiler').toBe(true);
      dir = mkdtempSync(join(tmpdir(), 'vkmap-fault-guard-'));
      program = join(dir, 'fault-guard');
      const built = spawnSync(
        compiler,
        [
          '-std=c++20',
          '-O2',
          '-pthread',
          `-I${addonSources}`,
          driver,
          join(addonSources, 'fault-guard.cc'),
          '-o',
          program,
        ],
        { encoding: 'utf8' },
      );
      expect(built.status, built.stderr).toBe(0);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = (mode: string) => spawnSync(program, [mode], { encoding: 'utf8', timeout: 60_000 });

    it('lets a writer thread through every moment a window has no pages', () => {
      const result = run('guarded');
      expect(result.signal, result.stderr).toBeNull();
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^survived \d+ sweeps/);
    });

    it('without it the same writer faults: the race the guard covers is real', () => {
      expect(run('unguarded').signal).toBe('SIGSEGV');
    });

    it('hands a fault outside every window to the handler before it (here the default: SIGSEGV)', () => {
      expect(run('foreign').signal).toBe('SIGSEGV');
    });
  },
);
