/**
 * What a view sees once its mapping or memory ended, per views mode ('stable', 'detach'), on the Node
 * version running the tests. Each case runs in a child process (fixtures/view-lifetime.mjs) so that a crash
 * shows as a signal instead of ending the test run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { skipNote, unavailable } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/view-lifetime.mjs', import.meta.url));

function runCase(name: string, views: 'stable' | 'detach'): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--expose-gc', fixture, name, views], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const detail = `node ${process.versions.node}, ${views} '${name}': status ${child.status}, signal ${child.signal}\n${child.stderr}`;
  expect(child.signal, detail).toBeNull();
  expect(child.status, detail).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

const ENDS = ['free', 'device destroy', 'instance destroy'] as const;
// Each case starts a process and a Vulkan instance, and the thread-pool cases write 72 MiB.
vi.setConfig({ testTimeout: 120_000 });

describe.skipIf(unavailable)(`native view lifetime on Node ${process.versions.node}${skipNote}`, () => {
  // The strategy a driver gets (NativeDevice.viewStrategy): lavapipe's shared memory is aliased ('alias');
  // device memory is placed in a window of the addon's where VK_EXT_map_memory_placed allows ('placed'; in
  // 'stable' mode the driver's map stays there across unmaps, so both windows show the memory object's bytes
  // until it is freed), else the view is the driver's pointer ('driver'), detached when the mapping ends in
  // both modes.
  const kept = (strategy: unknown, views: 'stable' | 'detach', bytes: number) =>
    views === 'stable' && strategy !== 'driver' ? bytes : 0;

  describe("views: 'stable'", () => {
    it('keeps the view after unmap, hands out the same Uint8Array again, and never detaches', () => {
      const result = runCase('unmap and map again', 'stable');
      if (result.strategy === 'driver') {
        expect(result).toMatchObject({ viewLength: 0, sameView: false, dataThrows: 'VkmapStateError' });
        return;
      }
      expect(result).toMatchObject({
        viewLength: 65536,
        staleReads: 42,
        sameView: true,
        seesStaleWrite: true,
        allSame: true,
        otherRange: true,
        dataThrows: 'VkmapStateError',
      });
    });

    for (const end of ['unmap', ...ENDS]) {
      it(`does not detach the view at ${end}`, () => {
        const result = runCase(`detached after ${end}`, 'stable');
        const length = kept(result.strategy, 'stable', 4096);
        expect(result).toMatchObject({ viewLength: length, bufferLength: length, mapped: false });
      });
    }
  });

  describe("views: 'detach'", () => {
    it('detaches at unmap: a map hands out a new view', () => {
      expect(runCase('unmap and map again', 'detach')).toMatchObject({
        viewLength: 0,
        sameView: false,
        dataThrows: 'VkmapStateError',
      });
    });

    for (const end of ['unmap', ...ENDS]) {
      it(`detaches the view at ${end}`, () => {
        expect(runCase(`detached after ${end}`, 'detach')).toMatchObject({
          viewLength: 0,
          bufferLength: 0,
          mapped: false,
        });
      });
    }
  });

  for (const views of ['stable', 'detach'] as const) {
    describe(`views: '${views}', stale views`, () => {
      for (const end of ENDS) {
        it(`read zeros after ${end}, and what they write never reaches a later allocation`, () => {
          const result = runCase(`stale after ${end}`, views);
          expect(result.viewLength).toBe(kept(result.strategy, views, 65536));
          expect(result).toMatchObject({ zeros: true, ownWrites: true, reachedLater: false });
        });

        for (const work of ['randomFill', 'fs.read']) {
          it(`survive ${work} from the thread pool racing ${end}, and later allocations keep their bytes`, () => {
            const result = runCase(`${work} then ${end}`, views);
            expect(result.untouched).toBe(true);
            expect(result.viewLength).toBe(kept(result.strategy, views, 8 << 20));
          });
        }
      }

      it('give their windows back once the memory is freed and the views are collected', () => {
        const result = runCase('windows released after collection', views);
        if (result.strategy === 'driver') return; // no window
        // 8 x 64 MiB: the windows go when the views are collected; an alias's driver mappings at free.
        expect(result.windowsHeldMiB as number).toBeGreaterThanOrEqual(480);
        if (result.strategy === 'alias') expect(result.driverFreedMiB as number).toBeGreaterThanOrEqual(480);
      });
    });
  }
});
