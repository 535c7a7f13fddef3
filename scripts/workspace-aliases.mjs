import { fileURLToPath } from 'node:url';

const sourceOf = (pkg, entry = 'index') =>
  fileURLToPath(new URL(`../packages/${pkg}/src/${entry}.ts`, import.meta.url));

/**
 * Workspace packages resolved to their TypeScript sources, so one copy of every module (and of every error
 * class) is loaded however a test reaches it. Used by the vitest projects and the GPU test bundles;
 * packaged builds are tested separately (test/packaging).
 */
export const workspaceSourceAliases = {
  '@vkmap/core': sourceOf('core'),
  '@vkmap/emulated': sourceOf('emulated'),
  '@vkmap/native': sourceOf('native'),
  '@vkmap/allocator': sourceOf('allocator'),
  '@vkmap/conformance': sourceOf('conformance'),
  // Subpath exports before their package: the first matching alias wins.
  '@vkmap/spirv/corpus': sourceOf('spirv', 'corpus/index'),
  '@vkmap/spirv': sourceOf('spirv'),
};
