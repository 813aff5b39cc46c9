import type { GearInfo, PolicyContext } from '../../src/policy/policy.js';
import type { PolicyRecord } from '../../src/metrics/round-record.js';

/** A made-up ladder: each gear four times the parameters and bytes of the one below. */
export const threeGears: readonly GearInfo[] = [
  { name: 'tiny', parameters: 1_000, bytesPerRound: 1_000_000 },
  { name: 'small', parameters: 4_000, bytesPerRound: 4_000_000 },
  { name: 'large', parameters: 16_000, bytesPerRound: 16_000_000 },
];

/** The two-gear (small -> large) ladder the paper uses, with made-up sizes. */
export const twoGears: readonly GearInfo[] = threeGears.slice(1);

/**
 * A policy context for tests.
 *
 * @example
 * context({ plannedRounds: 50, ladder: threeGears });
 */
export function context(overrides: Partial<PolicyContext> = {}): PolicyContext {
  return { plannedRounds: 200, ladder: twoGears, objective: { kind: 'max-accuracy', spec: 'max-accuracy' }, ...overrides };
}

/** What one made-up round measured; everything but the accuracy has a default. */
export interface Step {
  readonly accuracy: number;
  readonly loss?: number;
  readonly gear?: number;
  /** Bytes moved this round; defaults to the gear's `bytesPerRound`. */
  readonly bytes?: number;
  readonly seconds?: number;
  /** The clients' training accuracy; no `training` metrics when absent. */
  readonly training?: number;
}

/**
 * Consecutive policy records from round `firstRound` (default 1), with cumulative byte and second
 * totals. Plain numbers are accuracies of gear 0.
 *
 * @example
 * makeRecords([0.1, 0.2, { accuracy: 0.3, gear: 1 }]);
 */
export function makeRecords(steps: readonly (number | Step)[], ladder: readonly GearInfo[] = twoGears, firstRound = 1): PolicyRecord[] {
  let bytesTotal = 0;
  let secondsTotal = 0;
  return steps.map((raw, index) => {
    const step = typeof raw === 'number' ? { accuracy: raw } : raw;
    const gear = step.gear ?? 0;
    const bytes = step.bytes ?? ladder[gear]!.bytesPerRound;
    const seconds = step.seconds ?? 1;
    bytesTotal += bytes;
    secondsTotal += seconds;
    return {
      round: firstRound + index,
      gear,
      gearName: ladder[gear]!.name,
      parameters: ladder[gear]!.parameters,
      validation: { accuracy: step.accuracy, loss: step.loss ?? 1 - step.accuracy },
      ...(step.training === undefined ? {} : { training: { accuracy: step.training, loss: 1 - step.training } }),
      bytes: { sent: bytes / 2, received: bytes / 2, sentTotal: bytesTotal / 2, receivedTotal: bytesTotal / 2 },
      seconds: { training: seconds, aggregation: 0, distillation: 0, evaluation: 0, round: seconds, total: secondsTotal },
    };
  });
}
