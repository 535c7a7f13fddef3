#!/usr/bin/env node
// Development script: the app as one .mjs that runs with plain Node and no node_modules (the lent GPU machine
// has none), with the workspace packages bundled from their sources and fast-png with them:
//
//   node apps/compute/scripts/bundle.mjs [out-dir]        (default apps/compute/gpu-run)
//
// writes
//   <out-dir>/dist/compute.mjs                        the bundle: node <out-dir>/dist/compute.mjs --help
//   <out-dir>/prebuilds/<platform>/*.node             the prebuilt @vkmap/native addons, copied from packages/native/prebuilds
//   <out-dir>/node_modules/node-gyp-build             what @vkmap/native loads its addon with
//
// The addon stays outside the bundle, as in scripts/gpu/bundle-tests.mjs: @vkmap/native asks node-gyp-build for
// the addon of the folder above its own module, which in the bundle is <out-dir>, so it finds the prebuilds
// copied there. Build them first: bash packages/native/scripts/prebuild.sh x64. Carry <out-dir> to the machine.
import { build } from 'esbuild';
import { cpSync, existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceSourceAliases } from '../../../scripts/workspace-aliases.mjs';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const root = resolve(appDir, '..', '..');
const outDir = resolve(process.argv[2] ?? join(appDir, 'gpu-run'));
const prebuilds = join(root, 'packages', 'native', 'prebuilds');

if (!existsSync(prebuilds) || readdirSync(prebuilds).length === 0) {
  console.error(
    `bundle: ${relative(process.cwd(), prebuilds)} is empty: build the addon first (bash packages/native/scripts/prebuild.sh x64)`,
  );
  process.exit(1);
}

rmSync(outDir, { recursive: true, force: true });
const outfile = join(outDir, 'dist', 'compute.mjs');
await build({
  entryPoints: [join(appDir, 'src', 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  alias: workspaceSourceAliases,
  // The addon is loaded at run time through node-gyp-build, never bundled.
  external: ['*.node'],
  banner: {
    js: [
      "import { createRequire as __vkmapCreateRequire } from 'node:module';",
      'const require = __vkmapCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  logLevel: 'warning',
});

cpSync(prebuilds, join(outDir, 'prebuilds'), { recursive: true });
const nodeGypBuild = dirname(
  realpathSync(
    createRequire(import.meta.url).resolve('node-gyp-build/package.json', {
      paths: [join(root, 'packages', 'native')],
    }),
  ),
);
cpSync(nodeGypBuild, join(outDir, 'node_modules', 'node-gyp-build'), { recursive: true, dereference: true });
console.log(
  `bundled the app into ${relative(process.cwd(), outfile)}, with the addons of ${readdirSync(prebuilds).join(', ')}`,
);
