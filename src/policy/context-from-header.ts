import type { RunHeader } from '../metrics/run-file-schema.js';
import type { PolicyContext } from './policy.js';

/**
 * The policy context of a run, derived from its header alone: live runs and replays build it
 * with this one function, so a policy sees the same facts in both.
 *
 * @example
 * const context = contextFromHeader(readRun('runs/a.jsonl').header);
 */
export function contextFromHeader(header: RunHeader): PolicyContext {
  const { rounds, clients } = header.config;
  if (typeof rounds !== 'number') throw new Error(`the run header's config must hold a numeric rounds, but got ${JSON.stringify(rounds)}.`);
  return {
    plannedRounds: rounds,
    ladder: header.ladder.map((gear) => {
      // Runs recorded by `fedgear decide` keep the trainer's own bytes per round.
      if (gear.bytesPerRound !== undefined) return { name: gear.name, parameters: gear.parameters, bytesPerRound: gear.bytesPerRound };
      if (typeof clients !== 'number') {
        throw new Error(`the run header's config must hold a numeric clients (to price gear ${gear.name}'s rounds), but got ${JSON.stringify(clients)}.`);
      }
      // Each round the global model goes to every client and every client's update comes back.
      return { name: gear.name, parameters: gear.parameters, bytesPerRound: 2 * clients * gear.bytesPerTransfer! };
    }),
  };
}
