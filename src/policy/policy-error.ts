/**
 * A policy broke its contract: threw, answered something else, or did not answer in time.
 * `decideGears` throws it, naming the policy and the round.
 *
 * @example
 * if (error instanceof PolicyError) console.error(`${error.label} failed at round ${error.round}`);
 */
export class PolicyError extends Error {
  constructor(
    readonly label: string,
    readonly round: number,
    message: string,
  ) {
    super(`policy "${label}" failed at round ${round}: ${message}`);
    this.name = 'PolicyError';
  }
}
