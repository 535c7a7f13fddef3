#!/usr/bin/env node
// Install script of @vkmap/native. It never fails the install: the native backend is optional (the
// emulated one needs no native code), so where no addon can be had it prints one warning line and exits 0.
//
//   1. A binary node-gyp-build finds (prebuilds/<platform>-<arch>/ or build/Release) that loads here: done.
//   2. Otherwise, in this monorepo or where a C++ compiler, make and python3 are found: node-gyp rebuild,
//      against Node's own headers (npm_config_nodedir, else the include/node next to this node, e.g.
//      /usr), so that nothing is downloaded. The output goes to build/node-gyp.log.
//   3. If that is impossible or fails: the warning line (why, and what to do), exit 0.
//
// `--build` (the build:addon script, run by `pnpm build`) always compiles and shows node-gyp's output. A
// failure fails the build only where the native backend is required (VKMAP_REQUIRE_NATIVE=1, as on CI);
// elsewhere it prints the warning line and the native tests skip with that reason.
// `npm_config_build_from_source=true` (npm's --build-from-source) skips step 1.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const strict = process.argv.includes('--build');
const required = process.env.VKMAP_REQUIRE_NATIVE === '1';
const fromSource = strict || process.env.npm_config_build_from_source === 'true';
const target = `${process.platform}-${process.arch}`;
const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
const libc = glibc ? `glibc ${glibc}` : process.platform === 'linux' ? 'not glibc' : '';
const here = libc ? `${target} (${libc})` : target;

function warn(why) {
  console.warn(
    `@vkmap/native: warning: the native Vulkan backend is unavailable on ${here}: ${why}. ` +
      'Prebuilt binaries cover linux-x64 and linux-arm64 with glibc >= 2.17; elsewhere install a C++20 ' +
      'compiler, make and python3 and run `npm rebuild @vkmap/native`. The emulated backend ' +
      '(@vkmap/emulated) needs no native code.',
  );
}

/** Why `file` does not load in a fresh node (undefined when it loads). */
function loadFailure(file) {
  const child = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status === 0) return undefined;
  const line = (child.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? `exit status ${child.status}`;
  return line.trim();
}

/** The absolute path of `command` on PATH (or as given, when it has a slash), or undefined. */
function which(command) {
  if (!command) return undefined;
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return isAbsolute(file) ? file : join(process.cwd(), file);
    } catch {}
  }
  return undefined;
}

/** The build tools node-gyp needs that cannot be found. */
function missingTools() {
  const missing = [];
  const cxx = process.env.CXX?.trim().split(/\s+/)[0];
  if (cxx ? !which(cxx) : !['c++', 'g++', 'clang++'].some(which)) {
    missing.push(cxx ? `the C++ compiler CXX=${cxx}` : 'a C++ compiler (c++, g++ or clang++)');
  }
  if (process.platform !== 'win32' && !which('make')) missing.push('make');
  const python = process.env.npm_config_python || process.env.PYTHON;
  if (python ? !which(python) : !['python3', 'python'].some(which)) missing.push('python3');
  return missing;
}

function nodeGyp() {
  try {
    return [process.execPath, require.resolve('node-gyp/bin/node-gyp.js')];
  } catch {}
  if (process.env.npm_config_node_gyp) return [process.execPath, process.env.npm_config_node_gyp];
  return ['node-gyp'];
}

/** --nodedir: npm_config_nodedir, else the Node installation running this (its include/node). */
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** A short reason from node-gyp's output: the first compiler diagnostic, else what failed. */
function buildError(output, status) {
  const lines = output.split('\n').map((l) => l.trim());
  const own = (l) => !l.startsWith('gyp ') && !l.startsWith('make');
  const diagnostic =
    lines.find((l) => own(l) && /\berror\b/i.test(l)) ?? lines.find((l) => own(l) && /not found|No such file/i.test(l));
  if (diagnostic) return diagnostic.slice(0, 240);
  const object = /obj\.target\/[^/]+\/(\S+)\.o\] Error/.exec(output);
  if (object) return `compiling ${object[1]}.cc with ${process.env.CXX || 'the C++ compiler'} failed`;
  const gyp = lines.find((l) => l.startsWith('gyp ERR! stack Error'));
  return gyp ? gyp.replace(/^gyp ERR! stack /, '').slice(0, 240) : `node-gyp exited with status ${status}`;
}

function build() {
  const [command, ...args] = nodeGyp();
  const dir = nodeDir();
  args.push('rebuild', '--jobs=max');
  if (dir) args.push(`--nodedir=${dir}`);
  if (strict) {
    const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (result.status === 0) process.exit(0);
    const missing = missingTools();
    const why = missing.length ? `missing ${missing.join(', ')}` : `node-gyp exited with status ${result.status}`;
    if (required) {
      console.error(`@vkmap/native: build:addon failed (${why}); VKMAP_REQUIRE_NATIVE=1 makes that fatal`);
      process.exit(result.status ?? 1);
    }
    warn(`building it from source failed (${why})`);
    process.exit(0);
  }
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  const log = join(root, 'build', 'node-gyp.log');
  try {
    mkdirSync(dirname(log), { recursive: true });
    writeFileSync(log, `$ ${[command, ...args].join(' ')}\n${output}`);
  } catch {}
  if (result.status === 0) {
    const built = join(root, 'build', 'Release', 'vkmap_native.node');
    const failure = existsSync(built) ? loadFailure(built) : 'node-gyp wrote no build/Release/vkmap_native.node';
    return failure && `the addon was built but does not load (${failure})`;
  }
  const missing = missingTools();
  const why = missing.length ? `missing ${missing.join(', ')}` : buildError(output, result.status);
  return `building it from source failed (${why}; log: ${log})`;
}

function main() {
  if (strict) return build();
  let prebuiltFailure;
  if (!fromSource) {
    let found;
    try {
      found = require('node-gyp-build').resolve(root);
    } catch {}
    if (found) {
      prebuiltFailure = loadFailure(found);
      if (!prebuiltFailure) return; // a prebuilt or earlier build loads: nothing to do
      prebuiltFailure = `${relative(root, found)} does not load (${prebuiltFailure})`;
    }
  }
  const prebuilds = existsSync(join(root, 'prebuilds')) ? readdirSync(join(root, 'prebuilds')) : [];
  const noPrebuilt =
    prebuiltFailure ?? `no prebuilt binary for ${target} (this package has: ${prebuilds.join(', ') || 'none'})`;
  const inMonorepo = existsSync(join(root, '..', '..', 'pnpm-workspace.yaml'));
  const missing = missingTools();
  if (!inMonorepo && missing.length)
    return warn(`${noPrebuilt}, and it cannot be built here: missing ${missing.join(', ')}`);
  if (!existsSync(join(root, 'binding.gyp'))) return warn(`${noPrebuilt}, and the addon sources are missing`);
  const failure = build();
  if (failure) warn(`${noPrebuilt}; ${failure}`);
}

try {
  main();
} catch (error) {
  if (strict) throw error;
  warn(`the install script failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
}
process.exitCode = strict ? process.exitCode : 0;
