// The committed .spv files are what the build script makes from their sources with this machine's
// glslangValidator, spirv-opt and naga: `node scripts/build-shaders.mjs --check` rebuilds them all (spirv-val
// must pass) and compares the bytes. Skipped, saying why, where Debian's glslang-tools and spirv-tools are
// not installed, except on CI (CI=true), which installs them (scripts/setup-shader-tools.sh) and must run it.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/build-shaders.mjs', import.meta.url));
const tools = ['glslangValidator', 'spirv-opt', 'spirv-val'].filter(
  (tool) => spawnSync(tool, ['--version']).error !== undefined,
);
const skip = tools.length > 0 && process.env.CI !== 'true';

describe('shader corpus', () => {
  it.skipIf(skip)(
    `rebuilds byte for byte from its sources${skip ? ` (skipped: ${tools.join(', ')} not installed; apt-get install glslang-tools spirv-tools)` : ''}`,
    () => {
      const output = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
      expect(output).toMatch(/\d+ SPIR-V files match their sources/);
    },
    60_000,
  );
});
