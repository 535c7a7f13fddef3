/**
 * Cyclic and endless pNext chains on every command that takes pNext: a bounded answer (accepted, or refused
 * with an allowed class), quickly, and a refusal changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { ALLOWED_ERRORS, backends, runCase } from './harness.js';
import { PNEXT_COMMANDS } from './cases/names.js';

interface Report {
  results: Record<string, { outcome: string; ms: number; stateKept: boolean | null }>;
}

for (const { backend, skip, note } of backends) {
  describe.skipIf(skip)(`cyclic pNext on ${backend}${note}`, () => {
    for (const validation of [false, true]) {
      for (const kind of ['self', 'pair', 'nullThenCycle', 'endless', 'long'] as const) {
        it(`${kind} chain on every pNext command (validation ${validation ? 'on' : 'off'})`, () => {
          const out = runCase<Report>('cyclic-pnext', { backend, validation, kind }, { timeoutMs: 60_000 });
          expect(out.kind, out.detail).toBe('ok');
          const results = out.report!.results;
          expect(Object.keys(results)).toEqual(PNEXT_COMMANDS);
          for (const [command, r] of Object.entries(results)) {
            const where = `${command}: ${JSON.stringify(r)}`;
            expect(['ok', ...ALLOWED_ERRORS], where).toContain(r.outcome);
            expect(r.ms, where).toBeLessThan(5000);
            if (r.outcome !== 'ok') expect(r.stateKept, where).toBe(true);
          }
          // A chain that never ends, or that loops, is never accepted: only 'nullThenCycle' may be (it reads null once).
          if (kind === 'self' || kind === 'pair' || kind === 'endless') {
            for (const [command, r] of Object.entries(results)) expect(r.outcome, command).not.toBe('ok');
          }
        });
      }
    }
  });
}
