/**
 * Transfers of mapped views: refused or a copy; the live mapping keeps its view and bytes; unmap and free
 * still work afterwards.
 */
import { describe, expect, it } from 'vitest';
import { ALLOWED_ERRORS, backends, runCase } from './harness.js';
import { TRANSFER_METHODS } from './cases/names.js';

interface Report {
  outcome: string;
  secondLength: number | null;
  copy: boolean | null;
  mappedAfter: boolean;
  keptBytes: number | null;
  keptLength: number | null;
  unmap: string;
  free: string;
  destroy: string;
}

for (const { backend, skip, note } of backends) {
  describe.skipIf(skip)(`transfers of mapped views on ${backend}${note}`, () => {
    for (const views of ['stable', 'detach'] as const) {
      for (const validation of [false, true]) {
        for (const method of TRANSFER_METHODS) {
          it(`${method} (views ${views}, validation ${validation ? 'on' : 'off'})`, () => {
            const out = runCase<Report>('transfer', { backend, views, validation, method });
            expect(out.kind, out.detail).toBe('ok');
            const r = out.report!;
            const detail = JSON.stringify(r);
            expect(
              ['ok', 'unsupported', 'DOMException:DataCloneError', 'messageerror:Error', ...ALLOWED_ERRORS],
              detail,
            ).toContain(r.outcome);
            // A second buffer, if any, is a copy.
            if (r.secondLength) expect(r.copy, detail).toBe(true);
            // The live mapping keeps its view and its bytes.
            expect(r.mappedAfter, detail).toBe(true);
            expect(r.keptBytes, detail).toBe(42);
            expect(r.keptLength, detail).toBe(4096);
            // Unmap and free still work.
            expect(r.unmap, detail).toBe(method === 'markAsUntransferable+free' ? 'skipped' : 'ok');
            expect(r.free, detail).toBe('ok');
            expect(r.destroy, detail).toBe('ok');
          });
        }
      }
    }
  });
}
