/**
 * Speed of `tune`: settings x bundles replayed per second, on made-up bundles of paper scale
 * (200 rounds, a branch every 10 rounds), and of judging one policy on one bundle (what
 * `fedgear replay` does after start-up). Prints a markdown table. Single-threaded: run it while
 * the machine is otherwise idle.
 *
 * @example
 * // npm run build && node dist/bench/tune-speed.js
 */
import { performance } from 'node:perf_hooks';
import { contextFromHeader } from '../src/policy/context-from-header.js';
import { loadPolicy } from '../src/policy/load-policy.js';
import { validateOptions } from '../src/policy/options-schema.js';
import { readBundle } from '../src/replay/bundle.js';
import { checkBundle } from '../src/replay/check-bundle.js';
import { compareOnBundle } from '../src/replay/compare.js';
import { parseObjective } from '../src/replay/objective.js';
import { tune } from '../src/replay/tune.js';
import { makeBundle } from '../test/replay/make-bundle.js';

const ROUNDS = 200;
const BUNDLES = 10;

const bundles = Array.from({ length: BUNDLES }, (_, index) => {
  // Scenarios differ in how fast the small model saturates and where it levels off.
  const pace = 15 + 3 * index;
  const level = 0.5 + 0.01 * index;
  const directory = makeBundle({
    name: `made-up-${index}`,
    rounds: ROUNDS,
    branches: Array.from({ length: ROUNDS / 10 - 1 }, (_, k) => 10 * (k + 1)),
    small: (round) => level * (1 - Math.exp(-round / pace)) + 0.004 * Math.sin(round),
    large: (round) => 0.65 * (1 - Math.exp(-round / (1.5 * pace))),
  });
  return checkBundle(readBundle(directory));
});
const objective = parseObjective('time-to:0.9');
const plateau = await loadPolicy('plateau');

const rows: string[] = [];
for (const [label, given] of [
  ['plateau, detector best given (every setting valid)', { detector: 'best' }],
  ['plateau, whole space (about half refused)', {}],
] as const) {
  const started = performance.now();
  const result = await tune({ plugin: plateau, given, tuning: bundles, holdout: 'leave-one-out', objective, search: 'random', trials: 1000, seed: 1 });
  const seconds = (performance.now() - started) / 1000;
  const replays = (result.settings - result.invalid) * BUNDLES;
  rows.push(`| ${label} | ${result.settings} | ${result.settings - result.invalid} | ${BUNDLES} | ${seconds.toFixed(2)} | ${((1000 * seconds) / replays).toFixed(3)} |`);
}

const bundle = bundles[0]!;
const policy = plateau.create(validateOptions('plateau', plateau.options, { patience: 5 }), contextFromHeader(bundle.small.header));
await compareOnBundle(bundle, policy, 'plateau', { objective });
const started = performance.now();
await compareOnBundle(bundle, policy, 'plateau', { objective });
const compareMs = performance.now() - started;

console.log(`Made-up bundles: ${ROUNDS} rounds, ${ROUNDS / 10 - 1} branches each; objective ${objective.spec}; random search, 1000 settings tried.\n`);
console.log('| search | settings tried | valid | bundles | seconds | ms per setting and bundle |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
console.log(`\nOne policy judged on one bundle (replay, oracle, every row scored): ${compareMs.toFixed(1)} ms.`);
