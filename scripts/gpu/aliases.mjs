import { fileURLToPath } from 'node:url';

const sourceOf = (pkg) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));

/** Workspace packages resolve to their sources, as in the vitest projects (vitest.shared.ts). */
export const workspaceSourceAliases = {
  '@vkmap/core': sourceOf('core'),
  '@vkmap/emulated': sourceOf('emulated'),
  '@vkmap/native': sourceOf('native'),
  '@vkmap/allocator': sourceOf('allocator'),
  '@vkmap/conformance': sourceOf('conformance'),
};
