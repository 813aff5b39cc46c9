import { definePolicy, hold } from 'fedgear/policy';

/**
 * never: trains the first gear for the whole run, i.e. the paper's small-model-only "12-6" baseline.
 *
 * Rule: always hold. Takes no options.
 *
 * @example
 * fedgear run --policy never
 */
export default definePolicy({
  name: 'never',
  description: "Never shifts: the first gear trains for the whole run (the paper's 12-6 baseline).",
  options: {},
  create: () => ({
    decide: () => hold('never shifts'),
  }),
});
