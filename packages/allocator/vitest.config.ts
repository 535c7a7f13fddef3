import { defineProject } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceSourceAliases },
  test: {
    name: '@vkmap/allocator',
    include: ['test/**/*.test.ts'],
  },
});
