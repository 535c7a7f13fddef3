/**
 * A mapped view must never escape into a second ArrayBuffer over the mapped memory, and in detach mode must
 * not outlive its mapping, on every Node version CI runs (each leg runs this file under its own `node`). Each case runs in a child
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
  zerosAfter?: boolean;
  bufferLength: number;
  mappedBefore: boolean;
  firstByte: number | null;
  node: string;
}

function runCase(name: string, views: 'stable' | 'detach'): CaseResult {
  const child = spawnSync(process.execPath, [fixture, name, views], { encoding: 'utf8', timeout: 60_000 });
  const detail = `node ${process.versions.node}, ${views} case '${name}': status ${child.status}, signal ${child.signal}\n${child.stderr}`;
  expect(child.signal, detail).toBeNull();
  expect(child.status, detail).toBe(0);
  expect(child.stderr, detail).not.toMatch(/FATAL ERROR/);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
}

for (const views of ['stable', 'detach'] as const) {
  // What a view of an ended mapping keeps: everything in stable mode, nothing in detach mode.
  const endedLength = views === 'stable' ? 4096 : 0;

  describe.skipIf(unavailable)(`native views ('${views}') on Node ${process.versions.node}${skipNote}`, () => {
    for (const end of ['unmap', 'free', 'device destroy', 'instance destroy']) {
      it(`are ${views === 'stable' ? 'kept' : 'detached'} after ${end}`, () => {
        const result = runCase(end, views);
        expect(result.mappedBefore).toBe(false);
        expect(result.viewLength).toBe(endedLength);
        expect(result.bufferLength).toBe(endedLength);
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
        const result = runCase(move, views);
        if (result.threw) expect(refusals).toContain(result.threw);
        // Whatever the runtime did (refuse, copy, or nothing), the second buffer is never the mapped memory.
        if (result.second) expect(result.second.copy).toBe(true);
        // The mapping keeps its view and its bytes; when it ends the view is detached (detach) or kept.
        expect(result.mappedBefore).toBe(true);
        expect(result.firstByte).toBe(42);
        expect(result.viewLength).toBe(endedLength);
      });
    }

    it('unmap a view whose detach key markAsUntransferable replaced, or refuse to rather than abort', () => {
      const result = runCase('markAsUntransferable then unmap', views);
      if (result.threw) {
        // Detach mode on Node 24: markAsUntransferable keys the buffer itself; the memory stays mapped.
        expect(views).toBe('detach');
        expect(result.threw).toBe('VkmapStateError');
        expect(result.mappedBefore).toBe(true);
        expect(result.firstByte).toBe(42);
        expect(result.viewLength).toBe(4096);
      } else {
        // Stable mode never detaches, so the key does not matter. In detach mode on Node 24 the application's
        // key keeps the view attached: over an alias window the addon turns the window to zero pages instead.
        expect(result.mappedBefore).toBe(false);
        expect(result.viewLength === endedLength || result.zerosAfter === true).toBe(true);
      }
    });
  });
}

describe.skipIf(unavailable)(`native views on Node ${process.versions.node}${skipNote}`, () => {
  for (const views of ['stable', 'detach']) {
    it(`exit cleanly with a live mapping and a stale view ('${views}')`, () => {
      const child = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createNativeInstance } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
         const pd = createNativeInstance().enumeratePhysicalDevices()[0];
         const device = pd.createDevice();
         const type = pd.getMemoryProperties().memoryTypes.findIndex((t) => (t.propertyFlags & 2) !== 0);
         const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
         globalThis.kept = device.mapMemory(memory, 0, 4096).data;
         const other = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type });
         globalThis.stale = device.mapMemory(other, 0, 4096).data;
         device.unmapMemory(other);`,
        ],
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, VKMAP_VIEWS: views } },
      );
      expect(child.signal, child.stderr).toBeNull();
      expect(child.status, child.stderr).toBe(0);
    });
  }
});
