/** The allocator: a stale view of a freed allocation never reaches a later allocation. */
import { describe, expect, it } from 'vitest';
import { backends, runCase } from './harness.js';

interface Report {
  rounds: number;
  reached: number;
  checked: number;
  staleWriteErrors: number;
}

for (const { backend, skip, note } of backends) {
  describe.skipIf(skip)(`allocator stale views on ${backend}${note}`, () => {
    for (const views of ['stable', 'detach'] as const) {
      for (const validation of [false, true]) {
        it(`never reach the next allocation (views ${views}, validation ${validation ? 'on' : 'off'})`, () => {
          const out = runCase<Report>('allocator-stale', { backend, views, validation, rounds: 48 });
          expect(out.kind, out.detail).toBe('ok');
          expect(out.report!.rounds).toBe(48);
          expect(out.report!.checked).toBeGreaterThan(48 * 256 - 1);
          expect(out.report!.reached).toBe(0);
        });
      }
    }
  });
}
