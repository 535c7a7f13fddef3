import { defineProject } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceSourceAliases },
  test: {
    name: '@vkmap/compute',
    include: ['test/**/*.test.ts'],
    // The runs are CPU-bound (the emulated GPU runs SPIR-V in JavaScript; lavapipe runs it on the CPU).
    testTimeout: 60_000,
  },
});
