import { Flags } from '../vendor/oclif-core.js';
import { policyFlags } from '../policy/policy-flags.js';
import type { RunConfig } from '../engine/run-config.js';
import { scenarioFlags } from './scenario-flags.js';

/**
 * The flags of a staged run — the scenario, the start gear, the output folder, the objective and
 * the gear policy with its options — shared by `fedgear run` and `fedgear serve`, which record the same
 * runs and differ only in where clients train.
 *
 * @example
 * static override flags = { ...runFlags, ...natsFlags };
 */
export const runFlags = {
  ...scenarioFlags,
  start: Flags.string({ helpGroup: 'SCENARIO', summary: 'Gear to start in: large gives plain large-model FL (12-12).', options: ['small', 'large'], default: 'small' }),
  out: Flags.string({ helpGroup: 'OUTPUT', summary: 'Output directory for the JSONL recording.', default: 'runs' }),
  policy: Flags.string({ helpGroup: 'POLICY', summary: 'Gear policy: a built-in name, any:a,b / all:a,b, a .js/.mjs file, or a package.', default: 'plateau' }),
  objective: Flags.string({
    helpGroup: 'POLICY',
    summary: 'What the run is judged by, told to the policy: max-accuracy (by the last planned round), time-to:F, mb-to:F (seconds/MB to F x the large model\'s accuracy), accuracy-at-mb:M or accuracy-at-seconds:S.',
    default: 'max-accuracy',
  }),
  ...policyFlags,
};

/**
 * Refuses a switch round (`--at`, the `at` option) at or beyond the run's last round: the run
 * would end before its switch and look like a deliberate small-only run. Says where the rounds
 * came from (the flag or the preset).
 *
 * @example
 * refuseSwitchAfterLastRound(options['at'], flags.rounds, config); // at 10 of 8 rounds: "--at must be less than --rounds (8), but got 10: …"
 */
export function refuseSwitchAfterLastRound(at: unknown, roundsFlag: number | undefined, config: RunConfig): void {
  if (typeof at !== 'number' || at < config.rounds) return;
  const rounds = roundsFlag === undefined ? `${config.rounds}, from the preset ${config.preset}` : `${config.rounds}`;
  throw new Error(`--at must be less than --rounds (${rounds}), but got ${at}: the run would end before the gear switches. Give more --rounds, an earlier --at, or --policy never for a small-only run.`);
}
