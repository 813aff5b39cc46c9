// Tests are compiled by tsc first (so worker_threads can load real .js files) and run from dist/.
import { defineConfig } from 'vitest/config';
import { BaseSequencer } from 'vitest/node';

/**
 * Files whose outcome depends on timing (round deadlines over NATS, signals sent mid-round): they
 * run one at a time, after the other files, so nothing competes with them.
 */
const TIMING = ['dist/test/transport/nats/**/*.test.js', 'dist/test/commands/interrupted-*.test.js'];

/**
 * Unit tests that leave no global state behind (no TensorFlow.js backend chosen, no environment,
 * working directory, listeners or mocks changed): each lane runs them in one process instead of
 * starting vitest afresh for each file, which costs more than most of them take to run.
 */
const SHARED_PROCESS = ['data', 'import', 'metrics', 'policies', 'policy', 'replay', 'report', 'testing', 'vendor'].map((folder) => `dist/test/${folder}/**/*.test.js`);

/**
 * Files of half a minute or more. Vitest orders files by their last timings, which a clean clone
 * lacks: there, one of these started last keeps one lane busy while the other idles.
 */
const SLOW = ['docs/reproduction.test.js', 'docs/writing-a-policy.test.js', 'engine/staged-run.test.js', 'commands/run.test.js'];

/** Vitest's own order (last timings first, else size), with the {@link SLOW} files moved to the front. */
class SlowFilesFirst extends BaseSequencer {
  async sort(files) {
    const sorted = await super.sort(files);
    const slow = (file) => SLOW.some((name) => file.moduleId.endsWith(`/dist/test/${name}`));
    return [...sorted.filter(slow), ...sorted.filter((file) => !slow(file))];
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: SlowFilesFirst },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'two at a time', include: ['dist/test/**/*.test.js'], exclude: [...TIMING, ...SHARED_PROCESS], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'two at a time, one process a lane', include: SHARED_PROCESS, isolate: false, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'one at a time', include: TIMING, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
