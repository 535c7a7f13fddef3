/**
 * Getters on command arguments that free the memory, destroy the device or the instance, or call the device
 * again: never a live mapping of freed memory, never memory from a destroyed device, and a nested call never
 * clears the outer call's own failure.
 */
import { describe, expect, it } from 'vitest';
import { ALLOWED_ERRORS, backends, runCase } from './harness.js';
import { SITES } from './cases/names.js';

interface Report {
  outcome: string;
  fired: number;
  violations: string[];
  returned: string;
}

const ACTIONS = ['free', 'destroyDevice', 'destroyInstance', 'nestedFailure', 'nestedSuccess'];

for (const { backend, skip, note } of backends) {
  describe.skipIf(skip)(`re-entrant getters on ${backend}${note}`, () => {
    for (const validation of [false, true]) {
      for (const site of SITES) {
        it(`${site} (validation ${validation ? 'on' : 'off'}): every action, with and without a misuse`, () => {
          const runs = ACTIONS.flatMap((action) =>
            (site.startsWith('mapMemory') ? [false, true] : [false]).map((misuse) => ({ action, misuse })),
          );
          // One child runs every action of the site, each with its own instance and device.
          const out = runCase<{ results: (Report & { action: string; misuse: boolean })[] }>('reentrancy-batch', {
            backend,
            validation,
            site,
            runs,
          });
          expect(out.kind, out.detail).toBe('ok');
          const results = out.report!.results;
          expect(results).toHaveLength(runs.length);
          const problems: string[] = [];
          for (const r of results) {
            const label = `${r.action}${r.misuse ? ' + misuse' : ''}`;
            if (![...ALLOWED_ERRORS, 'ok'].includes(r.outcome as never)) problems.push(`${label}: threw ${r.outcome}`);
            for (const v of r.violations) problems.push(`${label}: ${v} (outcome ${r.outcome})`);
          }
          expect(problems).toEqual([]);
        });
      }
    }
  });
}
