/**
 * Bundles the child runner (runner.ts and the cases) from the workspace sources with esbuild, so that the
 * children run exactly the code under test without a build of every package, and provides its path to the
 * tests (`inject('adversarialRunner')`). The addon is loaded at run time from packages/native
 * (build/Release or prebuilds/), as the package itself does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { workspaceSourceAliases } from '../../vitest.shared.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adversarialRunner: string;
  }
}

/**
 * Where the children load @vkmap/native's addon from: packages/native (build/Release or prebuilds/), or a copy
 * of that package laid out the same way, VKMAP_ADVERSARIAL_NATIVE_DIR (with its node_modules), for runs that
 * must not see the addon being rebuilt under them.
 */
const nativeRoot = process.env.VKMAP_ADVERSARIAL_NATIVE_DIR
  ? resolve(process.env.VKMAP_ADVERSARIAL_NATIVE_DIR)
  : fileURLToPath(new URL('../../packages/native', import.meta.url));
const nativeBinding = join(nativeRoot, 'src', 'binding.ts');

/** packages/native/src/binding.ts finds the package (and node-gyp-build) from its own import.meta.url. */
const keepNativeLocation: Plugin = {
  name: 'keep-native-location',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/]native[\\/]src[\\/]binding\.ts$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      const url = JSON.stringify(pathToFileURL(nativeBinding).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'vkmap-adversarial-'));
  const outfile = join(dir, 'runner.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./runner.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    alias: workspaceSourceAliases,
    plugins: [keepNativeLocation],
    external: ['*.node'],
    banner: {
      js: "import { createRequire as __advCreateRequire } from 'node:module';\nconst require = __advCreateRequire(import.meta.url);",
    },
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  project.provide('adversarialRunner', outfile);
  return () => rmSync(dir, { recursive: true, force: true });
}
