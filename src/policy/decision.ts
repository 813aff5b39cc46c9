/**
 * A policy's answer after a round: keep the current model (`hold`) or move up one gear (`shift`),
 * with the reason a user will read.
 *
 * @example
 * const decision: Decision = shift('validation accuracy flat for 5 rounds');
 */
export interface Decision {
  readonly action: 'hold' | 'shift';
  readonly reason: string;
}

/**
 * Keep training the current gear.
 *
 * @example
 * return hold('warm-up: round 3 of 10');
 */
export function hold(reason = ''): Decision {
  return { action: 'hold', reason };
}

/**
 * Grow to the next gear before the next round.
 *
 * @example
 * return shift('reached round 40');
 */
export function shift(reason: string): Decision {
  return { action: 'shift', reason };
}

/**
 * Whether a value a plugin returned is a well-formed decision.
 *
 * @example
 * isDecision({ action: 'hold', reason: '' }); // true
 */
export function isDecision(value: unknown): value is Decision {
  if (typeof value !== 'object' || value === null) return false;
  const { action, reason } = value as Record<string, unknown>;
  return (action === 'hold' || action === 'shift') && typeof reason === 'string';
}
