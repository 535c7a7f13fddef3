/**
 * Both subcommands on a real Vulkan driver (lavapipe in CI), through the same code and SPIR-V as on the
 * emulated GPU: the prefix sum verified, the stale-data switches passing silently on coherent memory (and the
 * app saying so), and the Mandelbrot counts equal to the emulated GPU's, pixel for pixel. Skipped with the
 * reason where no Vulkan device loads, except under VKMAP_REQUIRE_NATIVE=1 (CI), where they fail instead.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { native, nativeSkipNote, runJson } from './helpers.js';

const required = process.env.VKMAP_REQUIRE_NATIVE === '1';
const scratch = mkdtempSync(join(tmpdir(), 'vkmap-compute-native-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface RunJson {
  path: string;
  verified: boolean;
  upload: { coherent: boolean };
  readback: { coherent: boolean };
  hazards: { command: string; vuid: string }[];
  diagnosis: string[];
}

describe.skipIf(!native.available && !required)(`the app on the native backend${nativeSkipNote}`, () => {
  it(`prefix sum, both paths, verified${nativeSkipNote}`, async () => {
    for (const path of ['direct', 'staging']) {
      const { code, json } = await runJson<{
        ok: boolean;
        device: { backend: string; deviceIndex: number };
        runs: RunJson[];
      }>(['--backend', 'native', '--size', '1Mi', '--path', path]);
      expect(json.device).toMatchObject({ backend: 'native', deviceIndex: 0 });
      expect(json.runs.map((run) => [run.path, run.verified, run.hazards])).toEqual([[path, true, []]]);
      expect(code).toBe(0);
    }
  });

  it(`--skip-flush --skip-invalidate on coherent memory: verified, and the app says why${nativeSkipNote}`, async () => {
    const { code, json } = await runJson<{ runs: RunJson[] }>([
      '--backend',
      'native',
      '--size',
      '64Ki',
      '--path',
      'direct',
      '--skip-flush',
      '--skip-invalidate',
    ]);
    const [run] = json.runs;
    if (run!.upload.coherent && run!.readback.coherent) {
      expect(code).toBe(0);
      expect(run!.verified).toBe(true);
      expect(run!.diagnosis.join('\n')).toContain('goes unnoticed here');
      expect(run!.diagnosis.join('\n')).toContain('CI machines with only coherent memory never see this bug');
    } else {
      // A device with non-coherent host-visible memory: the stale data shows, as on the emulated phone GPUs.
      expect(code).toBe(1);
    }
  });

  it(`mandelbrot: the same iteration counts as the emulated GPU${nativeSkipNote}`, async () => {
    const args = ['mandelbrot', '--size', '320x200', '--iterations', '200'];
    const real = await runJson<{ ok: boolean; iterationsSha256: string; output: string }>([
      ...args,
      '--backend',
      'native',
      '--output',
      join(scratch, 'native.png'),
    ]);
    const emulated = await runJson<{ iterationsSha256: string }>([...args, '--output', join(scratch, 'emulated.png')]);
    expect(real.code).toBe(0);
    expect(real.json.iterationsSha256).toBe(emulated.json.iterationsSha256);
    expect(readFileSync(join(scratch, 'native.png'))).toEqual(readFileSync(join(scratch, 'emulated.png')));
  });
});
