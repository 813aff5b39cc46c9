// Tests are compiled by tsc first (so worker_threads can load real .js files) and run from dist/.
import { defineConfig } from 'vitest/config';

/**
 * Files whose outcome depends on timing (round deadlines over NATS, signals sent mid-round): they
 * run one at a time, after the other files, so nothing competes with them.
 */
const TIMING = ['dist/test/transport/nats/**/*.test.js', 'dist/test/commands/interrupted-*.test.js'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'two at a time', include: ['dist/test/**/*.test.js'], exclude: TIMING, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'one at a time', include: TIMING, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
