import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@vkmap/spirv',
    include: ['test/**/*.test.ts'],
  },
});
