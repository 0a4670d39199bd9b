import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The build links validators generated from the schemas; tests compile the same schemas on load.
    alias: [
      {
        find: /^\.\/validators\.generated\.js$/,
        replacement: resolve(import.meta.dirname, 'src/course/validators-dev.ts'),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites start real kubectl processes and local servers: two workers fit a 2-core machine.
    maxWorkers: 2,
  },
});
