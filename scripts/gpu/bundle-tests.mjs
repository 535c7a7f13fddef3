#!/usr/bin/env node
// Development script (not part of CI): bundles test files into one .mjs that runs with plain Node, for the
// lent GPU machine where there is no node_modules. Usage:
//   node scripts/gpu/bundle-tests.mjs <out.mjs> <test files...>
// then there: node --test-reporter=spec <out.mjs>
import { build } from 'esbuild';
import { cpSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceSourceAliases } from '../workspace-aliases.mjs';

const [out, ...entries] = process.argv.slice(2);
if (!out || entries.length === 0) {
  console.error('usage: bundle-tests.mjs <out.mjs> <test files...>');
  process.exit(2);
}
const entry = entries
  .map((file) => `import ${JSON.stringify(fileURLToPath(new URL(file, `file://${process.cwd()}/`)))};`)
  .join('\n');
await build({
  stdin: { contents: entry, resolveDir: process.cwd(), loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: out,
  alias: { vitest: fileURLToPath(new URL('./vitest-shim.mjs', import.meta.url)), ...workspaceSourceAliases },
  // The addon is loaded at run time through node-gyp-build from the package folder, never bundled.
  external: ['*.node'],
  banner: {
    js: [
      "import { createRequire as __vkmapCreateRequire } from 'node:module';",
      "import { fileURLToPath as __vkmapFileURLToPath } from 'node:url';",
      'const require = __vkmapCreateRequire(import.meta.url);',
      'const __filename = __vkmapFileURLToPath(import.meta.url);',
      "const __dirname = __vkmapFileURLToPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
  // Test files are entries for their side effects, whatever their package.json says.
  ignoreAnnotations: true,
  logLevel: 'warning',
});
// @vkmap/native loads its addon through node-gyp-build at run time; it goes beside the bundle.
const nodeGypBuild = dirname(
  realpathSync(
    createRequire(import.meta.url).resolve('node-gyp-build/package.json', {
      paths: [join(process.cwd(), 'packages/native')],
    }),
  ),
);
cpSync(nodeGypBuild, join(dirname(out), 'node_modules', 'node-gyp-build'), { recursive: true, dereference: true });
console.log(`bundled ${entries.length} test file(s) into ${out}`);
