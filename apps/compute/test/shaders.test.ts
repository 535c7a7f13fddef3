/**
 * The app loads its SPIR-V from src/shaders.generated.ts: it must hold exactly the committed shaders/*.spv.
 * Where glslangValidator and spirv-val are installed, the sources are recompiled too and must give the same
 * bytes (`node scripts/embed-shaders.mjs apps/compute --check` at the repository root).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPIRV_MAGIC_NUMBER } from '@vkmap/core';
import * as generated from '../src/shaders.generated.js';

const appDir = join(import.meta.dirname, '..');
const shaders = join(appDir, 'shaders');
const sources = readdirSync(shaders)
  .filter((file) => file.endsWith('.comp'))
  .map((file) => file.replace(/\.comp$/, ''));
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const hasTools = ['glslangValidator', 'spirv-val'].every(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
);

describe('embedded shaders', () => {
  it('every .comp has an embedded copy, and nothing else is embedded', () => {
    expect(sources.sort()).toEqual(['mandelbrot', 'scan_add', 'scan_workgroup']);
    expect(Object.keys(generated).sort()).toEqual(sources.map((name) => `${camel(name)}Spirv`).sort());
  });

  it.each(sources)('%s: the embedded words are the committed .spv, SPIR-V 1.0', (name) => {
    const bytes = readFileSync(join(shaders, `${name}.spv`));
    const committed = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const embedded = (generated as Record<string, () => Uint32Array>)[`${camel(name)}Spirv`]!();
    expect(embedded).toEqual(Uint32Array.from(committed));
    expect(embedded[0]).toBe(SPIRV_MAGIC_NUMBER);
    expect(embedded[1]).toBe(0x0001_0000);
  });

  // CI installs the tools (scripts/setup-shader-tools.sh), so there this never skips.
  const skipRebuild = !hasTools && process.env.CI !== 'true';
  it.skipIf(skipRebuild)(
    `the sources rebuild to the committed bytes${skipRebuild ? ' (skipped: glslangValidator or spirv-val is not installed; bash scripts/setup-shader-tools.sh)' : ''}`,
    () => {
      const script = join(appDir, '..', '..', 'scripts', 'embed-shaders.mjs');
      const check = spawnSync(process.execPath, [script, appDir, '--check'], { encoding: 'utf8' });
      expect(`${check.stdout}${check.stderr}`).toContain('3 shaders up to date');
      expect(check.status).toBe(0);
    },
  );
});
