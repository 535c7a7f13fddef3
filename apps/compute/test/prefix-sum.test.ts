/**
 * The prefix sum end to end through the command line, on emulated GPUs: a non-coherent phone GPU (the
 * default, qualcomm-adreno-turnip) and a discrete one with only coherent host-visible memory and VRAM the host
 * cannot map (nvidia-rtx3060-rebar, both paths); the stale-data switches on every profile with non-coherent
 * memory; and the --json output's shape.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInProfiles, createEmulatedInstance } from '@vkmap/emulated';
import { memoryTypes, nonCoherentMask } from '../src/memory.js';
import { runApp, runJson } from './helpers.js';

interface TypeJson {
  memoryTypeIndex: number;
  properties: string;
  heapIndex: number;
  coherent: boolean;
}
interface RunJson {
  path: 'direct' | 'staging';
  upload: TypeJson;
  readback: TypeJson;
  deviceLocal: TypeJson | null;
  timings: { uploadMs: number; dispatchMs: number; readbackMs: number };
  throughput: { uploadGBps: number; dispatchGBps: number; readbackGBps: number };
  verified: boolean;
  mismatch: { wrongElements: number; index: number; expected: number; actual: number } | null;
  hazards: { command: string; vuid: string; message: string }[];
  diagnosis: string[];
}
interface PrefixSumJson {
  command: 'prefix-sum';
  ok: boolean;
  device: {
    backend: string;
    name: string;
    profile: string | null;
    deviceIndex: number | null;
    apiVersion: string;
    nonCoherentAtomSize: number;
  };
  validation: boolean;
  skipped: { flush: boolean; invalidate: boolean; barrier: boolean };
  elements: number;
  bytes: number;
  workgroupSize: number;
  dispatches: number;
  levels: number;
  cpuScanMs: number;
  runs: RunJson[];
  skippedPaths: { path: string; reason: string }[];
}

const NON_COHERENT_PROFILES = builtInProfiles
  .filter((profile) => {
    const instance = createEmulatedInstance({ profiles: [profile] });
    try {
      return nonCoherentMask(memoryTypes(instance.enumeratePhysicalDevices()[0]!)) !== 0;
    } finally {
      instance.destroy();
    }
  })
  .map((profile) => profile.id);

const scratch = mkdtempSync(join(tmpdir(), 'vkmap-compute-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('prefix sum on the emulated GPU', () => {
  it('the default run: 1 Mi values on qualcomm-adreno-turnip through non-coherent memory, verified, printed in words', async () => {
    const { code, stdout, stderr } = await runApp([]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain("prefix sum on the emulated GPU 'qualcomm-adreno-turnip'");
    expect(stdout).toContain('1,048,576 u32 values (4.0 MiB)');
    expect(stdout).toContain('(non-coherent: flushed)');
    expect(stdout).toContain('(non-coherent: invalidated)');
    expect(stdout).toContain('verified: all 1,048,576 prefix sums match');
    expect(stdout).toMatch(/upload +\d+\.\d ms +\d+\.\d\d GB\/s/);
    expect(stdout).toMatch(/\nok: the prefix sum is verified on the emulated GPU/);
  });

  it('--json: the shape of the results', async () => {
    const { code, json } = await runJson<PrefixSumJson>(['--size', '64Ki', '--seed', '7']);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      command: 'prefix-sum',
      ok: true,
      device: { backend: 'emulated', profile: 'qualcomm-adreno-turnip', deviceIndex: null, nonCoherentAtomSize: 64 },
      validation: true,
      skipped: { flush: false, invalidate: false, barrier: false },
      elements: 65536,
      bytes: 262144,
      workgroupSize: 256,
    });
    expect(typeof json.device.name).toBe('string');
    expect(json.device.apiVersion).toMatch(/^1\.\d+\.\d+$/);
    expect(json.levels).toBe(2); // 65536 values in 256 workgroups, whose totals are one workgroup
    expect(json.dispatches).toBe(3);
    expect(json.runs).toHaveLength(1);
    const [run] = json.runs;
    expect(run).toMatchObject({
      path: 'direct',
      deviceLocal: null,
      verified: true,
      mismatch: null,
      hazards: [],
      diagnosis: [],
    });
    for (const type of [run!.upload, run!.readback]) {
      expect(type).toEqual({
        memoryTypeIndex: 1,
        properties: 'DEVICE_LOCAL|HOST_VISIBLE|HOST_CACHED',
        heapIndex: 0,
        coherent: false,
      });
    }
    for (const value of [...Object.values(run!.timings), ...Object.values(run!.throughput)]) {
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(json.skippedPaths).toEqual([{ path: 'staging', reason: expect.stringContaining('host-visible') }]);
  });

  it('a discrete GPU (nvidia-rtx3060-rebar): the direct path through the BAR and the staging path through VRAM', async () => {
    const stats = join(scratch, 'stats.svg');
    const { code, json } = await runJson<PrefixSumJson>([
      '--profile',
      'nvidia-rtx3060-rebar',
      '--size',
      '300000',
      '--stats',
      stats,
    ]);
    expect(code).toBe(0);
    expect(json.runs.map((run) => [run.path, run.verified])).toEqual([
      ['direct', true],
      ['staging', true],
    ]);
    const [direct, staging] = json.runs;
    // No non-coherent type here: the allocator's choice, DEVICE_LOCAL | HOST_VISIBLE for a storage buffer.
    expect(direct!.upload.properties).toBe('DEVICE_LOCAL|HOST_VISIBLE|HOST_COHERENT');
    expect(direct!.readback.properties).toContain('HOST_CACHED');
    expect(staging!.deviceLocal?.properties).toBe('DEVICE_LOCAL');
    expect(staging!.upload.properties).not.toContain('DEVICE_LOCAL');
    expect(json.skippedPaths).toEqual([]);
    expect(readFileSync(stats, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it('apple-m1-moltenvk: workgroups of 128, as its limits allow', async () => {
    const { code, json } = await runJson<PrefixSumJson>([
      '--profile',
      'apple-m1-moltenvk',
      '--size',
      '40000',
      '--path',
      'direct',
    ]);
    expect(code).toBe(0);
    expect(json.workgroupSize).toBe(128);
    expect(json.runs[0]!.verified).toBe(true);
  });

  it('--upload-type and --readback-type pick the memory types', async () => {
    const { code, json } = await runJson<PrefixSumJson>([
      '--size',
      '4Ki',
      '--upload-type',
      '0',
      '--readback-type',
      '0',
    ]);
    expect(code).toBe(0);
    expect(json.runs[0]!.upload.memoryTypeIndex).toBe(0);
    expect(json.runs[0]!.readback.memoryTypeIndex).toBe(0);
    expect(json.runs[0]!.upload.coherent).toBe(true);
  });
});

describe('the stale-data switches on non-coherent memory: a wrong result, detected and explained, and named by the validation layer', () => {
  it('profiles with non-coherent host-visible memory exist', () => {
    expect(NON_COHERENT_PROFILES).toContain('qualcomm-adreno-turnip');
    expect(NON_COHERENT_PROFILES.length).toBeGreaterThanOrEqual(2);
  });

  it.each(NON_COHERENT_PROFILES)('%s: --skip-flush', async (profile) => {
    const { code, json } = await runJson<PrefixSumJson>([
      '--profile',
      profile,
      '--size',
      '64Ki',
      '--path',
      'direct',
      '--skip-flush',
    ]);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.skipped.flush).toBe(true);
    const [run] = json.runs;
    expect(run!.upload.coherent).toBe(false);
    expect(run!.verified).toBe(false);
    expect(run!.mismatch).toMatchObject({ index: 0, actual: 0 });
    expect(run!.hazards.map((h) => [h.command, h.vuid])).toEqual([['vkQueueSubmit', 'VKMAP-HOST-unflushed-write']]);
    expect(run!.diagnosis[0]).toMatch(/^--skip-flush: the input was written to non-coherent memory .* never flushed/);
  });

  it.each(NON_COHERENT_PROFILES)('%s: --skip-invalidate', async (profile) => {
    const { code, json } = await runJson<PrefixSumJson>([
      '--profile',
      profile,
      '--size',
      '64Ki',
      '--path',
      'direct',
      '--skip-invalidate',
    ]);
    expect(code).toBe(1);
    const [run] = json.runs;
    expect(run!.readback.coherent).toBe(false);
    expect(run!.verified).toBe(false);
    expect(run!.mismatch?.wrongElements).toBe(65536);
    expect(run!.hazards.map((h) => [h.command, h.vuid])).toEqual([
      ['MappedMemory.data', 'VKMAP-HOST-read-without-invalidate'],
    ]);
    expect(run!.diagnosis[0]).toMatch(/^--skip-invalidate: the results came back in non-coherent memory/);
  });

  it('--no-barrier: the emulated GPU runs the passes in order, and the layer names the missing barrier to the host', async () => {
    const { code, json } = await runJson<PrefixSumJson>(['--size', '64Ki', '--no-barrier']);
    expect(code).toBe(1);
    const [run] = json.runs;
    expect(run!.verified).toBe(true);
    expect(run!.hazards.map((h) => [h.command, h.vuid])).toEqual([
      ['vkInvalidateMappedMemoryRanges', 'VKMAP-HOST-read-without-host-barrier'],
    ]);
    expect(run!.diagnosis[0]).toContain('runs commands one after another');
  });

  it('in words: what went wrong, why, and what the layer said', async () => {
    const { code, stdout } = await runApp(['--size', '4Ki', '--skip-invalidate']);
    expect(code).toBe(1);
    expect(stdout).toContain('(non-coherent: NOT invalidated)');
    expect(stdout).toMatch(
      /WRONG: 4,096 of 4,096 prefix sums differ from the CPU's; the first at \[0\]: expected \d+, got 0/,
    );
    expect(stdout).toContain('allocator.invalidateAllocation');
    expect(stdout).toContain('validation layer, at MappedMemory.data: [VKMAP-HOST-read-without-invalidate]');
    expect(stdout).toMatch(/\nFAILED: a wrong result on 1 path and 1 validation report\n$/);
  });

  it('without the validation layer the wrong result is still detected, and the app says the layer would name it', async () => {
    const { code, json } = await runJson<PrefixSumJson>(['--size', '4Ki', '--skip-flush', '--no-validate']);
    expect(code).toBe(1);
    expect(json.validation).toBe(false);
    expect(json.runs[0]!.verified).toBe(false);
    expect(json.runs[0]!.hazards).toEqual([]);
    expect(json.runs[0]!.diagnosis.at(-1)).toContain('validation is off');
  });
});

describe('the stale-data switches on coherent memory pass silently, and the app says so', () => {
  it('nvidia-rtx3060-rebar: --skip-flush --skip-invalidate verify, with nothing for the layer to report', async () => {
    const { code, json } = await runJson<PrefixSumJson>([
      '--profile',
      'nvidia-rtx3060-rebar',
      '--size',
      '4Ki',
      '--path',
      'direct',
      '--skip-flush',
      '--skip-invalidate',
    ]);
    expect(code).toBe(0);
    const [run] = json.runs;
    expect(run!.verified).toBe(true);
    expect(run!.hazards).toEqual([]);
    expect(run!.diagnosis[0]).toContain('is HOST_COHERENT');
    expect(run!.diagnosis[0]).toContain('CI machines with only coherent memory never see this bug');
    expect(run!.diagnosis.at(-1)).toContain('nothing to report');
  });
});
