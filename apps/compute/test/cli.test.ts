/**
 * The command line: every bad argument is one line naming it, then the usage, and exit status 2; a backend
 * that cannot start is one line and exit status 1; never a stack trace. The built app (dist/main.js, plain
 * Node) is checked too, where it has been built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInProfiles } from '@vkmap/emulated';
import { DEFAULTS, USAGE, parseCommandLine, parseElementCount } from '../src/cli.js';
import { runApp } from './helpers.js';

const BAD_ARGUMENTS: [string[], string][] = [
  [['--bogus'], "unknown option '--bogus'"],
  [['-x'], "unknown option '-x'"],
  [['--size'], '--size needs a value'],
  [['--json=1'], '--json takes no value'],
  [['--size', 'lots'], '--size lots: expected a number of values, such as 1048576, 1Mi or 64Mi'],
  [['--size', '0'], '--size 0: must be from 1 to 1Gi values'],
  [['--size', '2Gi'], '--size 2Gi: must be from 1 to 1Gi values'],
  [['mandelbrot', '--size', '640'], '--size 640: expected WIDTHxHEIGHT, such as 640x400'],
  [['mandelbrot', '--size', '0x10'], '--size 0x10: each side must be from 1 to 32768'],
  [['--backend', 'cuda'], '--backend cuda: emulated or native'],
  [['--profile', 'nope'], "unknown emulated profile 'nope' (--list-profiles lists them)"],
  [
    ['--backend', 'native', '--profile', 'lavapipe'],
    '--profile chooses an emulated GPU; with --backend native, --device chooses the device',
  ],
  [['--device', '1'], '--device chooses a native device (--backend native); --profile chooses an emulated GPU'],
  [['--device', 'one', '--backend', 'native'], '--device one: not a whole number'],
  [['--path', 'sideways'], '--path sideways: direct, staging or auto'],
  [['--upload-type', '40'], '--upload-type 40: must be from 0 to 31'],
  [['--upload-type', '7'], '--upload-type 7: the device has memory types 0 to 1'],
  [['--readback-type', '7'], '--readback-type 7: the device has memory types 0 to 1'],
  [
    ['--profile', 'nvidia-rtx3060-rebar', '--upload-type', '1'],
    '--upload-type 1: memory type 1 (DEVICE_LOCAL) is not HOST_VISIBLE',
  ],
  [['mandelbrot', '--skip-flush'], '--skip-flush applies to prefix-sum, not mandelbrot'],
  [['--iterations', '10'], '--iterations applies to mandelbrot, not prefix-sum'],
  [['--validate', '--no-validate'], '--validate and --no-validate contradict each other'],
  [['transpose'], "unknown command 'transpose' (prefix-sum or mandelbrot)"],
  [['prefix-sum', 'mandelbrot'], 'one command at a time (got prefix-sum, mandelbrot)'],
];

describe('command line', () => {
  it.each(BAD_ARGUMENTS)('%j: one line and the usage, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await runApp(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`vkmap-compute: ${message}\n\n${USAGE}`);
  });

  it('--help prints the usage', async () => {
    const { code, stdout } = await runApp(['--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
    for (const option of [
      '--backend',
      '--profile',
      '--device',
      '--size',
      '--json',
      '--list-profiles',
      '--stats',
      '--skip-flush',
      '--skip-invalidate',
      '--no-barrier',
      '--validate',
    ]) {
      expect(USAGE).toContain(option);
    }
  });

  it('--list-profiles lists every emulated profile, and says which have non-coherent memory', async () => {
    const { code, stdout } = await runApp(['--list-profiles']);
    expect(code).toBe(0);
    for (const profile of builtInProfiles) expect(stdout).toContain(`  ${profile.id} `);
    expect(stdout).toMatch(
      /qualcomm-adreno-turnip +Turnip Adreno \(TM\) 660 \[non-coherent host-visible memory\] \(default\)/,
    );
    const { json } = await runApp(['--list-profiles', '--json']).then((r) => ({
      json: JSON.parse(r.stdout) as { id: string }[],
    }));
    expect(json.map((p) => p.id)).toEqual(builtInProfiles.map((p) => p.id));
  });

  it('defaults: 1 Mi values on the emulated GPU, 64 Mi on a native one', () => {
    expect(parseCommandLine([])).toMatchObject({
      command: 'prefix-sum',
      backend: 'emulated',
      elements: 1 << 20,
      validate: true,
      path: 'auto',
    });
    expect(parseCommandLine(['--backend', 'native']).elements).toBe(64 << 20);
    expect(parseCommandLine(['mandelbrot'])).toMatchObject({
      width: DEFAULTS.emulated.width,
      height: DEFAULTS.emulated.height,
    });
    expect(parseCommandLine(['--no-validate']).validate).toBe(false);
    expect([parseElementCount('4Ki'), parseElementCount('64Mi'), parseElementCount('1000')]).toEqual([
      4096,
      64 << 20,
      1000,
    ]);
  });

  const built = join(import.meta.dirname, '..', 'dist', 'main.js');
  it.skipIf(!existsSync(built))(
    `the built app with plain node: no stack trace for a bad argument${existsSync(built) ? '' : ' (skipped: apps/compute is not built; pnpm build)'}`,
    () => {
      const child = spawnSync(process.execPath, [built, '--size', 'huge'], { encoding: 'utf8' });
      expect(child.status).toBe(2);
      expect(child.stdout).toBe('');
      expect(child.stderr.split('\n')[0]).toBe(
        'vkmap-compute: --size huge: expected a number of values, such as 1048576, 1Mi or 64Mi',
      );
      expect(child.stderr).not.toMatch(/\n\s+at /);
      const run = spawnSync(process.execPath, [built, '--size', '4Ki'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('ok: the prefix sum is verified on the emulated GPU');
      expect(run.status).toBe(0);
    },
  );
});
