import { quoteValue } from '../metrics/quote-value.js';
import type { RunHeader } from '../metrics/run-file-schema.js';
import { DEFAULT_OBJECTIVE, parseObjectiveSpec, type ObjectiveSpec } from './objective-spec.js';
import type { PolicyContext } from './policy.js';

/**
 * The policy context of a run, derived from its header alone: live runs and replays build it
 * with this one function, so a policy sees the same facts in both. The objective is the one the
 * header records (`max-accuracy` for runs that recorded none) unless `objective` replaces it, as
 * replay and tuning do with the objective they score.
 *
 * @example
 * const context = contextFromHeader(readRun('runs/a.jsonl').header);
 * const scored = contextFromHeader(header, parseObjectiveSpec('accuracy-at-seconds:600'));
 */
export function contextFromHeader(header: RunHeader, objective?: ObjectiveSpec): PolicyContext {
  const { rounds, clients } = header.config;
  const recorded = header.config['objective'] ?? DEFAULT_OBJECTIVE;
  if (typeof recorded !== 'string') throw new Error(`the run header's config.objective must be an objective spec string, but got ${quoteValue(recorded)}.`);
  if (typeof rounds !== 'number') throw new Error(`the run header's config must hold a numeric rounds, but got ${quoteValue(rounds)}.`);
  return {
    plannedRounds: rounds,
    objective: objective ?? parseObjectiveSpec(recorded),
    ladder: header.ladder.map((gear) => {
      // Runs recorded by `fedgear decide` keep the trainer's own bytes per round.
      const compute = gear.multiplyAdds === undefined ? {} : { multiplyAdds: gear.multiplyAdds };
      if (gear.bytesPerRound !== undefined) return { name: gear.name, parameters: gear.parameters, bytesPerRound: gear.bytesPerRound, ...compute };
      if (typeof clients !== 'number') {
        throw new Error(`the run header's config must hold a numeric clients (to price gear ${gear.name}'s rounds), but got ${quoteValue(clients)}.`);
      }
      // Each round the global model goes to every client and every client's update comes back.
      return { name: gear.name, parameters: gear.parameters, bytesPerRound: 2 * clients * gear.bytesPerTransfer!, ...compute };
    }),
  };
}
