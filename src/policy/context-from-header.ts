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
  if (typeof rounds !== 'number' || typeof clients !== 'number') {
    throw new Error(`the run header's config must hold numeric rounds and clients, but got ${JSON.stringify({ rounds, clients })}.`);
  }
  return {
    plannedRounds: rounds,
    ladder: header.ladder.map((gear) => ({
      name: gear.name,
      parameters: gear.parameters,
      // Each round the global model goes to every client and every client's update comes back.
      bytesPerRound: 2 * clients * gear.bytesPerTransfer,
    })),
  };
}
