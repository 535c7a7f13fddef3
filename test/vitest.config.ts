import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'packaging',
    include: ['**/*.test.ts'],
    globalSetup: ['./tarballs.setup.ts'],
    testTimeout: 240_000,
  },
});
