/**
 * The Mandelbrot subcommand on two emulated GPUs (non-coherent Adreno, coherent NVIDIA): the PNG it writes
 * decodes to the requested size, sampled pixels match the CPU's float32 arithmetic, and the iteration counts
 * are the same on both, pixel for pixel.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { colour, cpuIterations } from '../src/mandelbrot.js';
import { runApp, runJson } from './helpers.js';

interface MandelbrotJson {
  command: 'mandelbrot';
  ok: boolean;
  device: { backend: string; profile: string | null };
  validation: boolean;
  width: number;
  height: number;
  maxIterations: number;
  output: string;
  pngBytes: number;
  iterationsSha256: string;
  pngSha256: string;
  insidePixels: number;
  view: { memoryTypeIndex: number; coherent: boolean };
  storage: { memoryTypeIndex: number; coherent: boolean };
  timings: { dispatchMs: number; readbackMs: number; encodeMs: number };
  sampled: number;
  sampleMismatches: number;
  verified: boolean;
  hazards: unknown[];
}

const scratch = mkdtempSync(join(tmpdir(), 'vkmap-compute-mandelbrot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('mandelbrot on the emulated GPU', () => {
  const results = new Map<string, MandelbrotJson>();

  it.each(['qualcomm-adreno-turnip', 'nvidia-rtx3060-rebar'])('%s: a verified PNG', async (profile) => {
    const output = join(scratch, `${profile}.png`);
    const { code, json } = await runJson<MandelbrotJson>([
      'mandelbrot',
      '--profile',
      profile,
      '--size',
      '200x120',
      '--output',
      output,
    ]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      command: 'mandelbrot',
      ok: true,
      device: { backend: 'emulated', profile },
      validation: true,
      width: 200,
      height: 120,
      maxIterations: 256,
      output,
      sampled: 256,
      sampleMismatches: 0,
      verified: true,
      hazards: [],
    });
    expect(json.iterationsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.insidePixels).toBeGreaterThan(0);
    expect(json.insidePixels).toBeLessThan(200 * 120);
    const png = decode(readFileSync(output));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([200, 120, 3, 8]);
    expect(json.pngBytes).toBe(readFileSync(output).byteLength);
    results.set(profile, json);
  });

  it('the two GPUs computed the same iteration counts and wrote the same PNG', () => {
    const [a, b] = [...results.values()];
    expect(a?.iterationsSha256).toBeDefined();
    expect(b?.iterationsSha256).toBe(a?.iterationsSha256);
    expect(b?.pngSha256).toBe(a?.pngSha256);
    // Non-coherent memory on Adreno (flushed and invalidated), coherent on the NVIDIA profile.
    expect(results.get('qualcomm-adreno-turnip')?.storage.coherent).toBe(false);
    expect(results.get('nvidia-rtx3060-rebar')?.storage.coherent).toBe(true);
  });

  it('in words', async () => {
    const output = join(scratch, 'words.png');
    const { code, stdout } = await runApp(['mandelbrot', '--size', '64x48', '--iterations', '64', '--output', output]);
    expect(code).toBe(0);
    expect(stdout).toContain('64x48 pixels, up to 64 iterations each');
    expect(stdout).toContain('verified: 256 sampled pixels match');
    expect(stdout).toContain(`ok: ${output} written on the emulated GPU`);
  });

  it('the CPU reference and the palette', () => {
    const view = { originX: -2, originY: -1, step: 0.01 };
    expect(cpuIterations(view, 150, 100, 100)).toBe(100); // c = (-0.5, 0): inside
    expect(cpuIterations(view, 0, 0, 100)).toBe(1); // c = (-2, -1): |z1|^2 = 5 > 4
    expect(colour(100, 100)).toEqual([0, 0, 0]);
    expect(colour(0, 100)).toEqual([0, 7, 100]);
    for (let i = 0; i < 100; i++) for (const c of colour(i, 100)) expect(c >= 0 && c <= 255).toBe(true);
  });
});
