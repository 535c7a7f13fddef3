/**
 * flush / invalidate ranges outside the mapping or misaligned: refused (validation off too) on both backends
 * alike, changing nothing; an address range released twice: the same answer on both backends.
 */
import { describe, expect, it } from 'vitest';
import { ALLOWED_ERRORS, backends, runCase, skipNative, nativeSkipNote } from './harness.js';

interface FlushReport {
  atom: number;
  coherent: boolean;
  results: Record<string, { outcome: string; stateKept: boolean }>;
}

const OUTSIDE = [
  'before',
  'straddleStart',
  'atEnd',
  'straddleEnd',
  'past',
  'pastAllocation',
  'wholeFromBefore',
  'hugeSize',
];

for (const { backend, skip, note } of backends) {
  describe.skipIf(skip)(`flush/invalidate ranges on ${backend}${note}`, () => {
    for (const validation of [false, true]) {
      for (const command of ['flush', 'invalidate'] as const) {
        it(`${command}: outside or misaligned ranges are refused (validation ${validation ? 'on' : 'off'})`, () => {
          const out = runCase<FlushReport>('flush-ranges', { backend, validation, command });
          expect(out.kind, out.detail).toBe('ok');
          const { results, atom } = out.report!;
          expect(results.inside!.outcome).toBe('ok');
          expect(results.insideWhole!.outcome).toBe('ok');
          const refused = [...OUTSIDE, ...(atom > 1 ? ['misalignedOffset', 'misalignedSize'] : [])];
          for (const name of refused) {
            const r = results[name]!;
            expect([...ALLOWED_ERRORS], `${name}: ${JSON.stringify(r)}`).toContain(r.outcome);
            expect(r.stateKept, `${name}: ${JSON.stringify(r)}`).toBe(true);
          }
        });
      }
    }
  });
}

describe.skipIf(skipNative)(`the same answers on both backends${nativeSkipNote}`, () => {
  for (const validation of [false, true]) {
    for (const command of ['flush', 'invalidate'] as const) {
      it(`${command} of each range outside the mapping (validation ${validation ? 'on' : 'off'})`, () => {
        const native = runCase<FlushReport>('flush-ranges', { backend: 'native', validation, command });
        const emulated = runCase<FlushReport>('flush-ranges', { backend: 'emulated', validation, command });
        expect(native.kind, native.detail).toBe('ok');
        expect(emulated.kind, emulated.detail).toBe('ok');
        const outcomes = (r: FlushReport) =>
          Object.fromEntries(OUTSIDE.map((name) => [name, r.results[name]!.outcome]));
        expect(outcomes(native.report!)).toEqual(outcomes(emulated.report!));
      });
    }
    it(`an address range released twice, and after its device is destroyed (validation ${validation ? 'on' : 'off'})`, () => {
      const native = runCase('release-twice', { backend: 'native', validation });
      const emulated = runCase('release-twice', { backend: 'emulated', validation });
      expect(native.kind, native.detail).toBe('ok');
      expect(emulated.kind, emulated.detail).toBe('ok');
      expect(native.report).toEqual(emulated.report);
      expect(native.report).toMatchObject({ reservedBefore: true, first: 'ok', reservedAfter: false });
    });
  }
});
