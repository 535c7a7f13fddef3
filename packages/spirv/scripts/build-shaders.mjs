#!/usr/bin/env node
// Compiles the shader corpus (shaders/) to SPIR-V, the form committed next to each source:
//   shaders/NAME.comp  -> shaders/NAME.spv      glslangValidator -V --target-env vulkan1.1
//                      -> shaders/NAME.opt.spv  the same, then spirv-opt -O
//   shaders/NAME.wgsl  -> shaders/NAME.spv      naga (naga-wasm, installed into .cache/ on first use)
// Every output must pass spirv-val (--target-env vulkan1.1).
//
//   node scripts/build-shaders.mjs           rebuild the .spv files in place
//   node scripts/build-shaders.mjs --check   rebuild into a temporary folder and fail if any committed .spv differs
//
// The tools are Debian's glslang-tools and spirv-tools (apt-get install glslang-tools spirv-tools); other
// versions of them may emit different bytes, which --check reports.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const shaders = fileURLToPath(new URL('../shaders/', import.meta.url));
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'vkmap-spirv-shaders-')) : shaders;
const TARGET = 'vulkan1.1';

function run(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error(`${command} is not installed: apt-get install glslang-tools spirv-tools`);
    }
    throw new Error(`${command} ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

/**
 * naga-wasm (naga compiled to WebAssembly, the one npm build of naga) is only needed here, to rebuild the
 * WGSL shaders, so it is no dependency of the workspace: the first rebuild installs the pinned version into
 * .cache/naga-wasm from the npm registry.
 */
const NAGA_WASM = 'naga-wasm@30.1.0';

async function loadNaga() {
  const prefix = fileURLToPath(new URL('../../../.cache/naga-wasm/', import.meta.url));
  const entry = join(prefix, 'node_modules', 'naga-wasm');
  if (!existsSync(entry)) {
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, NAGA_WASM]);
  }
  const { exports } = JSON.parse(readFileSync(join(entry, 'package.json'), 'utf8'));
  const root = exports['.'];
  const file = typeof root === 'string' ? root : (root.node ?? root.import ?? root.default);
  return import(pathToFileURL(join(entry, file)).href);
}

async function naga(source) {
  const module = await loadNaga();
  const words = module.translate({ from: 'wgsl', source, to: 'spirv' });
  return { bytes: new Uint8Array(words.buffer, words.byteOffset, words.byteLength), version: module.nagaVersion };
}

const built = [];
try {
  const sources = readdirSync(shaders)
    .filter((f) => f.endsWith('.comp') || f.endsWith('.wgsl'))
    .sort();
  for (const source of sources) {
    const name = basename(source).replace(/\.(comp|wgsl)$/, '');
    const spv = join(out, `${name}.spv`);
    if (source.endsWith('.comp')) {
      run('glslangValidator', ['-V', '--target-env', TARGET, '-o', spv, join(shaders, source)]);
      const optimized = join(out, `${name}.opt.spv`);
      run('spirv-opt', ['-O', `--target-env=${TARGET}`, spv, '-o', optimized]);
      built.push(`${name}.spv`, `${name}.opt.spv`);
    } else {
      const { bytes } = await naga(readFileSync(join(shaders, source), 'utf8'));
      writeFileSync(spv, bytes);
      built.push(`${name}.spv`);
    }
  }
  for (const file of built) run('spirv-val', ['--target-env', TARGET, join(out, file)]);

  if (check) {
    const differing = built.filter((file) => {
      const committed = join(shaders, file);
      return !existsSync(committed) || !readFileSync(committed).equals(readFileSync(join(out, file)));
    });
    const stale = readdirSync(shaders).filter((f) => f.endsWith('.spv') && !built.includes(f));
    if (differing.length > 0 || stale.length > 0) {
      if (differing.length > 0) console.error(`these .spv files differ from a rebuild: ${differing.join(', ')}`);
      if (stale.length > 0) console.error(`these .spv files have no source: ${stale.join(', ')}`);
      console.error(
        `(${run('glslangValidator', ['--version']).split('\n')[0]}; run node scripts/build-shaders.mjs to rebuild)`,
      );
      process.exitCode = 1;
    } else {
      console.log(`${built.length} SPIR-V files match their sources`);
    }
  } else {
    console.log(`built ${built.length} SPIR-V files, all valid`);
  }
} finally {
  if (check) rmSync(out, { recursive: true, force: true });
}
