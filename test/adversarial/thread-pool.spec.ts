/**
 * Thread-pool holders of mapped views (crypto.randomFill, fs.read) while the mapping ends: no signal, and no
 * later allocation's bytes change. Native and emulated, validation on and off, both view lifetimes.
 */
import { describe, expect, it } from 'vitest';
import { backends, runCase } from './harness.js';

interface Report {
  rounds: { holderError: string | null; laterChanged: number; laterLength: number }[];
}

for (const { backend, skip, note } of backends) {
  describe.skipIf(skip)(`thread-pool holders of views on ${backend}${note}`, () => {
    for (const views of ['stable', 'detach'] as const) {
      for (const validation of [false, true]) {
        for (const holder of ['randomFill', 'fsRead'] as const) {
          for (const end of ['unmap', 'free', 'deviceDestroy', 'instanceDestroy'] as const) {
            it(`${holder} then ${end} (views ${views}, validation ${validation ? 'on' : 'off'})`, () => {
              const out = runCase<Report>('thread-pool', { backend, views, validation, holder, end, rounds: 3 });
              expect(out.kind, out.detail).toBe('ok');
              const rounds = out.report!.rounds;
              expect(rounds.map((r) => r.laterChanged)).toEqual([0, 0, 0]);
              expect(rounds.map((r) => r.laterLength)).toEqual([4194304, 4194304, 4194304]);
              expect(rounds.map((r) => r.holderError)).toEqual([null, null, null]);
            });
          }
        }
      }
    }
  });
}
