import { describe, expect, it } from 'vitest';
import forecast from '../../policies/forecast.js';
import type { Decision } from '../../src/policy/decision.js';
import { parseObjectiveSpec } from '../../src/policy/objective-spec.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import type { GearInfo, PolicyContext } from '../../src/policy/policy.js';
import { context, makeRecords } from '../policy/records.js';

/** Small and large as in the paper's ladder: the large gear moves 9x the bytes and computes 6x. */
const ladder: readonly GearInfo[] = [
  { name: 'small', parameters: 18_000, bytesPerRound: 430_000, multiplyAdds: 500_000 },
  { name: 'large', parameters: 165_000, bytesPerRound: 3_960_000, multiplyAdds: 3_000_000 },
];

/** A small gear that saturates at 50%: 0.5 - 0.3 e^(-r/3). */
const saturating = (rounds: number) => Array.from({ length: rounds }, (_, index) => 0.5 - 0.3 * Math.exp(-(index + 1) / 3));

function firstShift(objective: string, raw: Record<string, unknown> = {}, plannedRounds = 30): { after: number; decisions: Decision[] } {
  const scenario: PolicyContext = context({ plannedRounds, ladder, objective: parseObjectiveSpec(objective) });
  const policy = forecast.create(validateOptions('forecast', forecast.options, raw), scenario);
  const history = makeRecords(saturating(plannedRounds), ladder);
  const decisions = history.map((_, index) => policy.decide(history.slice(0, index + 1), scenario) as Decision);
  return { after: decisions.findIndex((decision) => decision.action === 'shift') + 1, decisions };
}

describe('the forecast policy', () => {
  it('grows early when only the final accuracy counts: waiting gains nothing under either hypothesis', () => {
    const after = firstShift('max-accuracy').after;
    expect(after).toBeGreaterThanOrEqual(3);
    expect(after).toBeLessThanOrEqual(8);
    // Without the recovery a growth costs, growing at once loses nothing even if the gear gains nothing.
    expect(firstShift('max-accuracy', { recovery: 0 }).after).toBe(3);
  });

  it('never grows for a target the small gear is projected to reach, since its rounds are cheaper', () => {
    // 90% of the large gear's expected 55% is 49.5%, under the small gear's 50% ceiling.
    expect(firstShift('time-to:0.9').after).toBe(0);
    expect(firstShift('mb-to:0.9').after).toBe(0);
  });

  it('grows for a target only the larger gear can reach, and for traffic later than for time', () => {
    const time = firstShift('time-to:0.99').after;
    const traffic = firstShift('mb-to:0.99').after;
    expect(time).toBeGreaterThan(0);
    expect(traffic).toBeGreaterThanOrEqual(time);
  });

  it('grows toward a target no plan is projected to reach in time: coming closest beats missing by more', () => {
    // In 12 rounds not even growing at once reaches 99.9% of the large gear's expected ceiling.
    const { after, decisions } = firstShift('time-to:0.999', {}, 12);
    expect(after).toBeGreaterThan(0);
    expect(decisions[after - 1]!.reason).toMatch(/worst-case projected regret the target may be missed by \d+\.\d points more than by the best plan\)$|worst-case projected regret [\d.]+ s\)$/);
    expect(firstShift('mb-to:0.999', {}, 12).after).toBeGreaterThan(0);
  });

  it('grows no later for a larger time budget, and never when the budget leaves no room to pay the growth back', () => {
    // A small round takes 1 s here; a large one ~6 s.
    const tight = firstShift('accuracy-at-seconds:12').after;
    const loose = firstShift('accuracy-at-seconds:80').after;
    expect(tight).toBe(0);
    expect(loose).toBeGreaterThan(0);
    expect(firstShift('accuracy-at-seconds:150').after).toBeLessThanOrEqual(loose);
  });

  it('expects nothing from growing with next-gain 0, and then never grows', () => {
    expect(firstShift('max-accuracy', { nextGain: 0 }).after).toBe(0);
  });

  it('states its forecast in the reason', () => {
    const { decisions } = firstShift('time-to:0.99');
    const reason = decisions.find((decision) => decision.action === 'shift')!.reason;
    expect(reason).toMatch(
      /^small projected to reach \d+\.\d% ± \d+\.\d by round 30 \(ceiling \d+\.\d%\); large would approach \d+\.\d% \(or stay at \d+\.\d%\) at ~[\d.]+ s and [\d.]+ MB per round: growing now is the safest plan for time-to:0\.99 \(target \d+\.\d% or \d+\.\d%\) \(worst-case projected regret [\d.]+ s\)$/,
    );
    expect(decisions[3]!.reason).toMatch(/: growing after round \d+ is the safest plan for time-to:0.99/);
  });

  it('estimates seconds by multiply-adds, and by parameters when a trainer does not report them', () => {
    const { decisions } = firstShift('accuracy-at-seconds:80');
    expect(decisions[3]!.reason).toContain('at ~6 s');
    const scenario = context({ plannedRounds: 30, ladder: ladder.map(({ multiplyAdds: _, ...gear }) => gear), objective: parseObjectiveSpec('max-accuracy') });
    const policy = forecast.create(validateOptions('forecast', forecast.options, {}), scenario);
    const history = makeRecords(saturating(4), scenario.ladder);
    expect((policy.decide(history, scenario) as Decision).reason).toContain('at ~9.17 s');
  });

  it('holds before its warm-up, on the last planned round, and on a broken measurement', () => {
    const { decisions } = firstShift('max-accuracy', { warmup: 5 });
    expect(decisions.slice(0, 4).map((decision) => decision.reason)).toEqual([1, 2, 3, 4].map((round) => `warm-up: round ${round} of 5 of small`));
    const scenario = context({ plannedRounds: 4, ladder, objective: parseObjectiveSpec('max-accuracy') });
    const policy = forecast.create(validateOptions('forecast', forecast.options, {}), scenario);
    expect((policy.decide(makeRecords(saturating(4), ladder), scenario) as Decision).reason).toBe('round 4 is the last planned round: no rounds left to grow into');
    const broken = makeRecords([...saturating(4), NaN], ladder);
    expect((policy.decide(broken, scenario) as Decision).reason).toBe('round 5 has incomplete validation metrics: no decision on a broken measurement');
  });

  it('refuses options out of range, naming the option', () => {
    expect(() => validateOptions('forecast', forecast.options, { warmup: 2 })).toThrow(/forecast: warmup must be an integer >= 3, but got 2/);
    expect(() => validateOptions('forecast', forecast.options, { nextGain: 1.5 })).toThrow(/forecast: nextGain must be/);
    expect(() => validateOptions('forecast', forecast.options, { recovery: -1 })).toThrow(/forecast: recovery must be/);
  });
});
