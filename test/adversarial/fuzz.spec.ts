/**
 * The bounded random-call fuzzer, per mode {native, emulated} x {validation on, off}: 10^4 calls per mode
 * (CI), 10^5 with VKMAP_FUZZ_CALLS=100000 (the nightly size), in children of 10^4 calls each, seeds
 * VKMAP_FUZZ_SEED (default 15) + child index. A finding prints the seed, the call index and the call: rerun
 * it with `node <runner> fuzz '{"backend":...,"validation":...,"seed":S,"calls":N}'` (the test's message has
 * the command line).
 */
import { describe, expect, it } from 'vitest';
import { ALLOWED_ERRORS, backends, runCase } from './harness.js';

interface Report {
  seed: number;
  calls: number;
  counts: Record<string, number>;
  findings: { seed: number; index: number; call: string; problem: string }[];
}

const TOTAL = Number(process.env.VKMAP_FUZZ_CALLS ?? 10_000);
const PER_CHILD = 10_000;
const BASE_SEED = Number(process.env.VKMAP_FUZZ_SEED ?? 15);

for (const { backend, skip, note } of backends) {
  describe.skipIf(skip)(`random calls on ${backend}${note}`, () => {
    for (const validation of [false, true]) {
      it(`${TOTAL} calls (validation ${validation ? 'on' : 'off'}): only allowed errors, no signal, no hang, no state change after a throw`, {
        timeout: Math.max(300_000, (TOTAL / PER_CHILD) * 200_000),
      }, () => {
        let calls = 0;
        const counts: Record<string, number> = {};
        const findings: string[] = [];
        for (let child = 0; child * PER_CHILD < TOTAL; child++) {
          const seed = BASE_SEED + child + (validation ? 1000 : 0) + (backend === 'native' ? 0 : 2000);
          const n = Math.min(PER_CHILD, TOTAL - child * PER_CHILD);
          const out = runCase<Report>('fuzz', { backend, validation, seed, calls: n }, { timeoutMs: 180_000 });
          if (out.kind !== 'ok') {
            findings.push(`seed ${seed}: the child ended '${out.kind}'\n${out.detail}`);
            continue;
          }
          calls += out.report!.calls;
          for (const [k, v] of Object.entries(out.report!.counts)) counts[k] = (counts[k] ?? 0) + v;
          for (const f of out.report!.findings) {
            findings.push(
              `seed ${f.seed} call #${f.index} ${f.call}: ${f.problem}\n  rerun: ${out.detail.split('\n')[0]}`,
            );
          }
        }
        console.log(
          `fuzz ${backend} validation ${validation ? 'on' : 'off'} on node ${process.versions.node}: ${calls} calls, outcomes ${JSON.stringify(counts)}`,
        );
        expect(findings).toEqual([]);
        expect(calls).toBe(TOTAL);
        // Something was refused, and only with the allowed classes (plus the arguments' own errors).
        const kinds = Object.keys(counts).filter((k) => k !== 'ok');
        expect(kinds.length).toBeGreaterThan(0);
        for (const k of kinds) expect([...ALLOWED_ERRORS, 'ArgumentOwnError']).toContain(k);
        expect(counts.ok ?? 0).toBeGreaterThan(TOTAL / 10);
      });
    }
  });
}
