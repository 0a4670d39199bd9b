import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites start real kubectl processes and local servers: two workers fit a 2-core machine.
    maxWorkers: 2,
  },
});
