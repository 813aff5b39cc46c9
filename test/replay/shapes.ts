import type { BundleShape } from './make-bundle.js';

/**
 * A scenario whose outcomes are easy to compute by hand (with make-bundle's costs: a small round
 * takes 1 s and moves 0.32 MB, a large round 3 s and 2.88 MB, plus 0.5 s of distillation in the
 * first large round). 12 rounds, branches after 2, 4, 6, 8, 10. The small model sits at 0.5 and
 * the 12-12 run at 0.6 from round 1 (reference 0.6, 90% = 0.54). The branch after k jumps from
 * 0.5 to 0.6 after `delay[k]` large rounds, so it first reaches 0.54 at round k + delay[k]:
 * k=2: round 8, 20.5 s; k=4: round 7, 13.5 s; k=6: round 7, 9.5 s (the best); k=8: round 9, 11.5 s;
 * k=10: round 11, 13.5 s. Small only never reaches it.
 */
const delay: Readonly<Record<number, number>> = { 2: 6, 4: 3, 6: 1, 8: 1, 10: 1 };

export const stepped: BundleShape = {
  name: 'stepped',
  rounds: 12,
  branches: [2, 4, 6, 8, 10],
  small: () => 0.5,
  large: () => 0.6,
  grown: (round, k) => (round - k >= delay[k]! ? 0.6 : 0.5),
  validation: (test) => test,
};

/**
 * A scenario made to tune plateau's patience on: 20 rounds, a branch after every round. Small
 * validation (and test) accuracy climbs 0.08 a round to 0.48 at round 6 and stays there exactly,
 * so plateau (detector best, min-delta 0) with patience p shifts after round 6 + p. The branch
 * after k ends at 0.65 - 0.002 (k - best)^2: the best switch is after round `best`.
 */
export function plateauAt6(best: number, name = `plateau-best-${best}`): BundleShape {
  return {
    name,
    rounds: 20,
    branches: Array.from({ length: 19 }, (_, index) => index + 1),
    small: (round) => 0.08 * Math.min(round, 6),
    large: () => 0.65,
    grown: (_, k) => 0.65 - 0.002 * (k - best) ** 2,
    validation: (test) => test,
  };
}
