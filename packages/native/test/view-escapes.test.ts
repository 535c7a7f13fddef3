/**
 * A mapped view must never outlive its mapping or escape into a second ArrayBuffer over the mapped memory,
 * on every Node version CI runs (each leg runs this file under its own `node`). Each case runs in a child
 * process (fixtures/view-escape.mjs) so that an abort shows as a signal instead of ending the test run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { skipNote, unavailable } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/view-escape.mjs', import.meta.url));

interface CaseResult {
  threw?: string | null;
  second?: { length: number; copy: boolean } | null;
  destroyThrew?: string;
  viewLength: number;
  bufferLength: number;
  mappedBefore: boolean;
  firstByte: number | null;
  node: string;
}

function runCase(name: string): CaseResult {
  const child = spawnSync(process.execPath, [fixture, name], { encoding: 'utf8', timeout: 60_000 });
  const detail = `node ${process.versions.node}, case '${name}': status ${child.status}, signal ${child.signal}\n${child.stderr}`;
  expect(child.signal, detail).toBeNull();
  expect(child.status, detail).toBe(0);
  expect(child.stderr, detail).not.toMatch(/FATAL ERROR/);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
}

describe.skipIf(unavailable)(`native views on Node ${process.versions.node}${skipNote}`, () => {
  for (const end of ['unmap', 'free', 'device destroy', 'instance destroy']) {
    it(`are detached after ${end}`, () => {
      const result = runCase(end);
      expect(result.mappedBefore).toBe(false);
      expect(result.viewLength).toBe(0);
      expect(result.bufferLength).toBe(0);
    });
  }

  const refusals = ['TypeError', 'DataCloneError', 'VkmapStateError'];
  for (const move of [
    'structuredClone transfer',
    'MessageChannel transfer',
    'worker postMessage transfer',
    'prototype transfer',
    'prototype transfer(16)',
    'prototype transferToFixedLength',
    'own transfer',
  ]) {
    it(`never leave a second ArrayBuffer over mapped memory after ${move}`, () => {
      const result = runCase(move);
      if (result.threw) expect(refusals).toContain(result.threw);
      // Whatever the runtime did (refuse, copy, or nothing), the second buffer is never the mapped memory.
      if (result.second) expect(result.second.copy).toBe(true);
      // The mapping keeps its view and its bytes, and is detached when it ends.
      expect(result.mappedBefore).toBe(true);
      expect(result.firstByte).toBe(42);
      expect(result.viewLength).toBe(0);
    });
  }

  it('refuse to unmap, rather than abort, a view whose detach key markAsUntransferable replaced', () => {
    const result = runCase('markAsUntransferable then unmap');
    if (result.threw) {
      // Node 24: markAsUntransferable keys the buffer itself; the memory stays mapped and readable.
      expect(result.threw).toBe('VkmapStateError');
      expect(result.mappedBefore).toBe(true);
      expect(result.firstByte).toBe(42);
      expect(result.viewLength).toBe(4096);
    } else {
      expect(result.mappedBefore).toBe(false);
      expect(result.viewLength).toBe(0);
    }
  });

  it('exit cleanly with a live mapping', () => {
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createNativeInstance } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
         const pd = createNativeInstance().enumeratePhysicalDevices()[0];
         const device = pd.createDevice();
         const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: 0 });
         globalThis.kept = device.mapMemory(memory, 0, 4096).data;`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(0);
  });
});
