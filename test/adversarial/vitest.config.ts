import { defineProject } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.js';

// The adversarial suite (issue 15): every case runs in a child process (harness.ts) over a bundle of the
// workspace sources (bundle.setup.ts), so that a crash is observed as a signal and a hang as a timeout.
export default defineProject({
  resolve: { alias: workspaceSourceAliases },
  test: {
    name: 'adversarial',
    // *.spec.ts: the packaging project (test/vitest.config.ts) takes every *.test.ts under test/.
    include: ['*.spec.ts'],
    globalSetup: ['./bundle.setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Children do the work; one file at a time keeps a 2-core machine usable for everyone else.
    fileParallelism: false,
  },
});
