import type { PolicyRecord } from '../../src/metrics/round-record.js';
import { currentGearRecords } from '../../src/policy/current-gear.js';
import { hold, shift } from '../../src/policy/decision.js';
import { definePolicy } from '../../src/policy/plugin.js';

// Deliberately broken policies, each with a mistake a plugin author could make, to show that the
// matching law catches it. Each would pass the laws its mistake does not concern.

const accuracy = (record: PolicyRecord) => record.validation.accuracy;

/** Shifts at random, one round in ten: breaks `deterministic`. */
export const coinFlip = definePolicy({
  name: 'coin-flip',
  description: 'Shifts at random.',
  options: {},
  create: () => ({ decide: () => (Math.random() < 0.1 ? shift('heads') : hold('tails')) }),
});

// Keyed by the first round, which identifies a run: survives between policies, like a module cache.
const longestSeen = new Map<string, readonly PolicyRecord[]>();

/**
 * Remembers the longest history it was shown of each run and shifts at the round where that run's
 * accuracy peaked: replayed again, it uses the future. Breaks `causal`.
 */
export const peeksAhead = definePolicy({
  name: 'peeks-ahead',
  description: 'Shifts at the best round of the run, as far as it has seen the run.',
  options: {},
  create: () => ({
    decide(history) {
      const key = JSON.stringify(history[0]);
      const seen = longestSeen.get(key) ?? [];
      if (history.length > seen.length) longestSeen.set(key, history);
      const known = longestSeen.get(key)!;
      const peak = known.reduce((best, record) => (accuracy(record) > accuracy(best) ? record : best));
      return history.at(-1)!.round === peak.round ? shift(`round ${peak.round} is the best round of the run`) : hold('not the best round');
    },
  }),
});

/**
 * A plateau rule over the whole history instead of the current gear's rounds: the plateau that
 * made it leave one gear makes it leave the next one too. Breaks `oneShiftPerGear`.
 */
export const wholeHistoryPlateau = definePolicy({
  name: 'whole-history-plateau',
  description: 'Shifts when validation accuracy has not improved for patience rounds, over the whole run.',
  options: { patience: { type: 'integer', min: 1, default: 3, unit: 'rounds', help: 'rounds without improvement' } },
  create: ({ patience }) => ({
    decide(history) {
      const best = Math.max(...history.map(accuracy));
      const since = history.length - 1 - history.findLastIndex((record) => accuracy(record) === best);
      return since >= patience ? shift(`no improvement for ${since} rounds`) : hold(`${since} rounds without improvement`);
    },
  }),
});

/**
 * Counts a round without improvement as `!(accuracy > best)`, which NaN satisfies: it shifts right
 * after a diverged round. Breaks `holdsOnIncompleteRecords`.
 */
export const nanPlateau = definePolicy({
  name: 'nan-plateau',
  description: 'Shifts after a round that did not beat the best accuracy of the gear.',
  options: {},
  create: () => ({
    decide(history) {
      const gear = currentGearRecords(history);
      if (gear.length < 2) return hold('first round of the gear');
      const best = Math.max(...gear.slice(0, -1).map(accuracy));
      return !(accuracy(gear.at(-1)!) > best) ? shift('accuracy did not beat the best') : hold('accuracy improved');
    },
  }),
});

/**
 * Declares a warm-up per gear but counts it from the start of the run, so later gears get none.
 * Breaks `noShiftBeforeWarmup`.
 */
export const runWideWarmup = definePolicy({
  name: 'run-wide-warmup',
  description: 'Shifts once validation accuracy reaches 0.3, after a warm-up.',
  options: { warmup: { type: 'integer', min: 0, default: 0, unit: 'rounds', help: 'rounds of each gear before any decision' } },
  create: ({ warmup }) => ({
    decide(history) {
      if (history.length < warmup) return hold(`warm-up: round ${history.length} of ${warmup}`);
      return accuracy(history.at(-1)!) >= 0.3 ? shift('reached 0.3') : hold('below 0.3');
    },
  }),
});

/**
 * Counts a round as flat only when it is worse than the best, so a perfectly flat signal looks
 * like an improvement every round and it never shifts. Breaks `shiftsOnFlatSignal`.
 */
export const strictPlateau = definePolicy({
  name: 'strict-plateau',
  description: 'Shifts after patience rounds below the best validation accuracy of the gear.',
  options: { patience: { type: 'integer', min: 1, default: 3, unit: 'rounds', help: 'rounds below the best' } },
  create: ({ patience }) => ({
    decide(history) {
      let best = -Infinity;
      let flat = 0;
      for (const record of currentGearRecords(history)) {
        if (accuracy(record) >= best) [best, flat] = [accuracy(record), 0];
        else flat += 1;
      }
      return flat >= patience ? shift(`${flat} rounds below the best`) : hold(`${flat} of ${patience} rounds below the best`);
    },
  }),
});

/**
 * Shifts once 90% of an MB budget is spent, whatever the next gear costs: a larger gear's first
 * round takes the run past the budget. Breaks `neverOverspends`.
 */
export const ninetyPercentBudget = definePolicy({
  name: 'ninety-percent-budget',
  description: 'Shifts when 90% of the MB budget is spent.',
  options: { budgetMb: { type: 'number', greaterThan: 0, unit: 'MB', help: 'megabytes the run may move' } },
  create: ({ budgetMb }) => ({
    decide(history) {
      const last = history.at(-1)!;
      const spent = (last.bytes.sentTotal + last.bytes.receivedTotal) / 1e6;
      return budgetMb !== undefined && spent >= 0.9 * budgetMb ? shift(`${spent} of ${budgetMb} MB spent`) : hold(`${spent} MB spent`);
    },
  }),
});

/**
 * Decides only every `interval` rounds, shifting when the accuracy did not rise in that round:
 * with a longer interval its checks fall on other rounds, so it can shift earlier. Declared
 * monotone in `interval`, it breaks `monotoneIn`.
 */
export const intervalChecks = definePolicy({
  name: 'interval-checks',
  description: 'Every interval rounds, shifts if validation accuracy did not rise in that round.',
  options: { interval: { type: 'integer', min: 1, default: 5, unit: 'rounds', help: 'rounds between checks' } },
  create: ({ interval }) => ({
    decide(history) {
      const gear = currentGearRecords(history);
      if (gear.length < 2 || gear.length % interval !== 0) return hold('not a check round');
      return accuracy(gear.at(-1)!) > accuracy(gear.at(-2)!) ? hold('accuracy rose') : shift('accuracy did not rise');
    },
  }),
});
