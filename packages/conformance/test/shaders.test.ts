// The compute scenarios load their SPIR-V from src/shaders.generated.ts: it must hold exactly the committed
// shaders/*.spv (`node scripts/embed-shaders.mjs packages/conformance` at the repository root writes both).
// Where glslangValidator and spirv-val are installed (CI installs them), the sources are recompiled too and
// must give the same bytes (the script's --check).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPIRV_MAGIC_NUMBER } from '@vkmap/core';
import * as generated from '../src/shaders.generated.js';

const packageDir = join(import.meta.dirname, '..');
const shaders = join(packageDir, 'shaders');
const hasTools = ['glslangValidator', 'spirv-val'].every(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
);
const sources = readdirSync(shaders)
  .filter((file) => file.endsWith('.comp'))
  .map((file) => file.replace(/\.comp$/, ''));

describe('embedded shaders', () => {
  it('every .comp has a committed .spv and an embedded copy, and nothing else is embedded', () => {
    expect(sources.length).toBeGreaterThan(0);
    expect(Object.keys(generated).sort()).toEqual(sources.map((name) => `${name}Spirv`).sort());
  });

  it.each(sources)('%s: the embedded words are the committed .spv, SPIR-V 1.0 for Vulkan 1.0', (name) => {
    const bytes = readFileSync(join(shaders, `${name}.spv`));
    const committed = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const embedded = (generated as Record<string, () => Uint32Array>)[`${name}Spirv`]!();
    expect(embedded).toEqual(Uint32Array.from(committed));
    expect(embedded[0]).toBe(SPIRV_MAGIC_NUMBER);
    expect(embedded[1]).toBe(0x0001_0000);
    // A fresh copy per call: a scenario that changed its copy cannot change the next one's.
    embedded[5] = 0;
    expect((generated as Record<string, () => Uint32Array>)[`${name}Spirv`]!()[5]).toBe(committed[5]);
  });

  // CI installs the tools (scripts/setup-shader-tools.sh), so there this never skips.
  const skipRebuild = !hasTools && process.env.CI !== 'true';
  it.skipIf(skipRebuild)(
    `the sources rebuild to the committed bytes${skipRebuild ? ' (skipped: glslangValidator or spirv-val is not installed; bash scripts/setup-shader-tools.sh)' : ''}`,
    () => {
      const script = join(packageDir, '..', '..', 'scripts', 'embed-shaders.mjs');
      const check = spawnSync(process.execPath, [script, packageDir, '--check'], { encoding: 'utf8' });
      expect(`${check.stdout}${check.stderr}`).toContain(`${sources.length} shader`);
      expect(check.status).toBe(0);
    },
  );
});
