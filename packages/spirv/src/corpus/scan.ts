// The multi-pass inclusive prefix sum over u32 values that the corpus and the benchmarks run: pass 1
// (scan_workgroup) scans each workgroup of 256 in place and writes each workgroup's total; the totals are
// scanned the same way, recursively; pass 2 (scan_add) adds the scanned totals of earlier workgroups.
import { bytesOf } from './inputs.js';
import type { CorpusDispatch } from './plan.js';

/** scan_workgroup's and scan_add's local size. */
export const SCAN_GROUP = 256;

/** The buffers and dispatches of a prefix sum of `data`, in place in the buffer `data`. */
export interface PrefixSumPlan {
  /** `data` (a copy of the input), then `sums0`, `sums1`, ...: each level's workgroup totals. */
  readonly buffers: Record<string, Uint8Array>;
  readonly dispatches: CorpusDispatch[];
}

export function prefixSumPlan(data: Uint32Array): PrefixSumPlan {
  const buffers: Record<string, Uint8Array> = { data: bytesOf(data.slice()) };
  const dispatches: CorpusDispatch[] = [];
  const scan = (buffer: string, length: number, level: number) => {
    const groups = Math.ceil(length / SCAN_GROUP);
    const sums = `sums${level}`;
    buffers[sums] = new Uint8Array(4 * Math.max(groups, 1));
    const bindings = { '0.0': buffer, '0.1': sums };
    dispatches.push({ shader: 'scan_workgroup', bindings, groupCount: [groups, 1, 1] });
    if (groups > 1) {
      scan(sums, groups, level + 1);
      dispatches.push({ shader: 'scan_add', bindings, groupCount: [groups, 1, 1] });
    }
  };
  scan('data', data.length, 0);
  return { buffers, dispatches };
}

/** The inclusive prefix sum of `data` modulo 2^32, on the CPU. */
export function prefixSumReference(data: Uint32Array): Uint32Array {
  const out = new Uint32Array(data.length);
  let sum = 0;
  for (let i = 0; i < data.length; i++) out[i] = sum = (sum + data[i]!) >>> 0;
  return out;
}
