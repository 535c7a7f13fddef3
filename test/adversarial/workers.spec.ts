/**
 * worker.terminate() while the worker is inside addon calls (and, on emulated, inside the backend's calls):
 * 10 tries per operation, each terminated after a random delay; the process must never die of a signal
 * (SIGABRT from an error thrown while the environment stops, SIGSEGV from code unloaded under live views).
 */
import { describe, expect, it } from 'vitest';
import { backends, runCase } from './harness.js';

interface Report {
  tries: { exitCode: number; delayMs: number; ready: boolean }[];
}

const OPS = ['waitForFences', 'allocate', 'map', 'createDevice', 'throwing', 'addonThrowing'] as const;

for (const { backend, skip, note } of backends) {
  describe.skipIf(skip)(`worker.terminate() mid-call on ${backend}${note}`, () => {
    for (const views of ['stable', 'detach'] as const) {
      for (const op of OPS) {
        if (op === 'addonThrowing' && backend !== 'native') continue;
        it(`${op} loop, terminated 10 times (views ${views})`, () => {
          const out = runCase<Report>('worker-terminate', { backend, views, op, tries: 10 }, { timeoutMs: 120_000 });
          expect(out.kind, out.detail).toBe('ok');
          expect(out.signal).toBeNull();
          const tries = out.report!.tries;
          expect(tries).toHaveLength(10);
          // Every worker started its loop and was stopped by terminate() (exit code 1).
          expect(tries.map((t) => t.ready)).toEqual(Array(10).fill(true));
          expect(tries.map((t) => t.exitCode)).toEqual(Array(10).fill(1));
        });
      }
    }
  });
}
