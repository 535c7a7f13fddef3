import { defineProject } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceSourceAliases },
  test: {
    name: '@vkmap/bench',
    include: ['test/**/*.test.ts'],
    // The smoke run starts every side's process (Vulkan devices on lavapipe, Dawn, a C build) once.
    testTimeout: 60_000,
  },
});
