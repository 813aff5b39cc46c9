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
    /** What the policy threw, when it threw: its stack leads into the plugin. */
    cause?: unknown,
  ) {
    super(`policy "${label}" failed at round ${round}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'PolicyError';
  }
}
