import { fileURLToPath } from 'node:url';

/**
 * Tests run against each workspace package's TypeScript sources, so one copy of every module (and of
 * every error class) is loaded however a test reaches it. Packaged builds are tested separately
 * (test/packaging).
 */
const sourceOf = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export const workspaceSourceAliases = {
  '@vkmap/core': sourceOf('core'),
  '@vkmap/emulated': sourceOf('emulated'),
  '@vkmap/native': sourceOf('native'),
  '@vkmap/allocator': sourceOf('allocator'),
  '@vkmap/conformance': sourceOf('conformance'),
};
