import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyRecord } from '../../src/metrics/round-record.js';
import { roundLine } from '../../src/metrics/run-file-schema.js';
import { hold, shift } from '../../src/policy/decision.js';
import type { Policy } from '../../src/policy/policy.js';
import { curveArb, ladderArb, realArb, recordedRunArb, runScenarioArb, withIncompleteRounds } from '../../src/testing/arbitraries.js';
import { followDecisions } from '../../src/testing/follow-decisions.js';
import { isIncompleteRecord } from '../../src/policy/incomplete-record.js';
import { gearsFromShifts, recordRun, roundMeter, type RunScenario } from '../../src/testing/run-scenario.js';

const megabytes = (record: PolicyRecord) => (record.bytes.sent + record.bytes.received) / 1e6;

/** A noiseless two-gear scenario with round numbers: accuracy 0.8 (1 - e^(-r/5)) on gear 0. */
function plainScenario(overrides: Partial<RunScenario> = {}): RunScenario {
  return {
    context: {
      plannedRounds: 10,
      ladder: [
        { name: 'small', parameters: 1_000, bytesPerRound: 2_000_000 },
        { name: 'large', parameters: 4_000, bytesPerRound: 8_000_000 },
      ],
      objective: { kind: 'max-accuracy', spec: 'max-accuracy' },
    },
    start: 0,
    lossScale: 1,
    curves: [
      { ceiling: 0.8, tau: 5, drop: 0, stalls: [], dips: [] },
      { ceiling: 0.9, tau: 2, drop: 0.1, stalls: [], dips: [] },
    ],
    costs: { trainingSeconds: 10, aggregationSeconds: 1, evaluationSeconds: 1, distillationSeconds: 3 },
    noise: Array.from({ length: 10 }, () => ({ accuracy: 0, loss: 0, seconds: 0, bytesLost: 0 })),
    ...overrides,
  };
}

describe('recordedRunArb', () => {
  it('generates records that are valid lines of a run file', () => {
    fc.assert(
      fc.property(recordedRunArb(), ({ records }) => {
        for (const record of records) expect(() => roundLine.parse({ kind: 'round', ...record, test: record.validation })).not.toThrow();
      }),
      { numRuns: 50 },
    );
  });

  it('numbers rounds from 1 and steps the gear up by at most one, following the ladder', () => {
    fc.assert(
      fc.property(recordedRunArb({ gears: 3, rounds: { min: 1, max: 80 } }), ({ context, records }) => {
        expect(context.plannedRounds).toBe(records.length);
        records.forEach((record, index) => {
          expect(record.round).toBe(index + 1);
          expect(record.gear - (records[index - 1]?.gear ?? 0)).toBeGreaterThanOrEqual(0);
          expect(record.gear - (records[index - 1]?.gear ?? 0)).toBeLessThanOrEqual(1);
          expect(record.gearName).toBe(context.ladder[record.gear]!.name);
          expect(record.parameters).toBe(context.ladder[record.gear]!.parameters);
        });
      }),
      { numRuns: 50 },
    );
  });

  it('keeps cumulative totals that add up the rounds and never decrease', () => {
    fc.assert(
      fc.property(recordedRunArb(), ({ records }) => {
        let [sent, received, seconds] = [0, 0, 0];
        for (const record of records) {
          [sent, received, seconds] = [sent + record.bytes.sent, received + record.bytes.received, seconds + record.seconds.round];
          expect(record.bytes.sentTotal).toBe(sent);
          expect(record.bytes.receivedTotal).toBe(received);
          expect(record.seconds.total).toBeCloseTo(seconds, 9);
          const { training, aggregation, distillation, evaluation } = record.seconds;
          expect(record.seconds.round).toBeCloseTo(training + aggregation + distillation + evaluation, 9);
          expect(record.seconds.round).toBeGreaterThan(0);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('moves at most the bytes of its gear per round: the model down to every client, at most all updates back', () => {
    fc.assert(
      fc.property(recordedRunArb(), ({ context, records }) => {
        for (const record of records) {
          expect(record.bytes.sent).toBe(context.ladder[record.gear]!.bytesPerRound / 2);
          expect(record.bytes.received).toBeLessThanOrEqual(record.bytes.sent);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('gives a lower loss to a clearly more accurate round', () => {
    fc.assert(
      fc.property(recordedRunArb(), ({ records }) => {
        for (const a of records) {
          for (const b of records) {
            if (a.validation.accuracy >= b.validation.accuracy + 0.05) expect(a.validation.loss).toBeLessThan(b.validation.loss);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('shifts some runs once, some twice and leaves some on the first gear', () => {
    const runs = fc.sample(recordedRunArb({ gears: 3 }), { numRuns: 200, seed: 7 });
    const tops = new Set(runs.map(({ records }) => records.at(-1)!.gear));
    expect([...tops].sort()).toEqual([0, 1, 2]);
  });
});

describe('ladderArb', () => {
  it('makes every gear larger than the one below, in parameters and in bytes per round', () => {
    fc.assert(
      fc.property(ladderArb({ gears: { min: 1, max: 5 } }), (ladder) => {
        ladder.slice(1).forEach((gear, index) => {
          expect(gear.parameters).toBeGreaterThan(ladder[index]!.parameters);
          expect(gear.bytesPerRound).toBeGreaterThan(ladder[index]!.bytesPerRound);
        });
      }),
    );
  });

  it('refuses a ladder of no gears', () => {
    expect(() => ladderArb({ gears: 0 })).toThrow('gears must be an integer >= 1 or a range { min, max } of them with min <= max, but got 0.');
  });
});

describe('runScenarioArb', () => {
  it('on a flat signal measures the same validation accuracy and loss every round, whatever the gears do', async () => {
    const shiftEveryThird: Policy = { decide: (history) => (history.length % 3 === 0 ? shift('third round') : hold()) };
    await fc.assert(
      fc.asyncProperty(runScenarioArb({ signal: 'flat' }), async (scenario) => {
        const { records } = await followDecisions(shiftEveryThird, scenario);
        expect(new Set(records.map((record) => record.validation.accuracy)).size).toBe(1);
        expect(new Set(records.map((record) => record.validation.loss)).size).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  it('with exact costs charges every round exactly its gear: the ladder bytes, and seconds in proportion to parameters', () => {
    fc.assert(
      fc.property(runScenarioArb({ costs: 'exact' }), (scenario) => {
        const { ladder } = scenario.context;
        const records = recordRun(scenario, gearsFromShifts(scenario.noise.length, [Math.ceil(scenario.noise.length / 2)]));
        const perParameter = records[0]!.seconds.round / ladder[0]!.parameters;
        for (const record of records) {
          expect(megabytes(record)).toBe(ladder[record.gear]!.bytesPerRound / 1e6);
          expect(record.seconds.round / record.parameters).toBeCloseTo(perParameter, 12);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('curveArb', () => {
  it('gives accuracies in [0, 1], one per round', () => {
    fc.assert(
      fc.property(curveArb({ rounds: 30 }), (accuracies) => {
        expect(accuracies).toHaveLength(30);
        for (const accuracy of accuracies) expect(accuracy >= 0 && accuracy <= 1).toBe(true);
      }),
    );
  });
});

describe('withIncompleteRounds', () => {
  it('breaks the validation metrics of some rounds and leaves everything else as it was', () => {
    const runs = recordedRunArb();
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const [clean] = fc.sample(runs, { numRuns: 1, seed });
        const [broken] = fc.sample(withIncompleteRounds(runs), { numRuns: 1, seed });
        expect(broken!.records.some(isIncompleteRecord)).toBe(true);
        broken!.records.forEach((record, index) => {
          const { validation: _broken, ...rest } = record;
          const { validation: _clean, ...original } = clean!.records[index]!;
          expect(rest).toEqual(original);
        });
      }),
      { numRuns: 30 },
    );
  });
});

describe('realArb', () => {
  it('stays within its bounds', () => {
    fc.assert(fc.property(realArb(-0.2, 0.4), (value) => value >= -0.2 && value <= 0.4));
  });

  it('refuses bounds in the wrong order', () => {
    expect(() => realArb(1, 0)).toThrow("realArb's bounds must be finite with min <= max, but got 1 and 0.");
  });
});

describe('the learning model of a scenario', () => {
  it('saturates as ceiling - (ceiling - start) e^(-r/tau)', () => {
    const accuracies = recordRun(plainScenario(), Array(10).fill(0)).map((record) => record.validation.accuracy);
    accuracies.forEach((accuracy, index) => expect(accuracy).toBeCloseTo(0.8 * (1 - Math.exp(-(index + 1) / 5)), 12));
  });

  it('gives cross-entropy of the accuracy as the loss', () => {
    const [record] = recordRun(plainScenario(), [0]);
    expect(record!.validation.loss).toBeCloseTo(-Math.log(record!.validation.accuracy), 12);
  });

  it('stops learning during a stall and picks up where it left off', () => {
    const scenario = plainScenario({ curves: [{ ceiling: 0.8, tau: 5, drop: 0, stalls: [{ at: 3, rounds: 4 }], dips: [] }, plainScenario().curves[1]!] });
    const accuracies = recordRun(scenario, Array(8).fill(0)).map((record) => record.validation.accuracy);
    expect(accuracies.slice(1, 6).every((accuracy) => accuracy === accuracies[1])).toBe(true);
    expect(accuracies[6]).toBeCloseTo(0.8 * (1 - Math.exp(-3 / 5)), 12);
  });

  it('drops in a dip and recovers', () => {
    const scenario = plainScenario({ curves: [{ ceiling: 0.8, tau: 1, drop: 0, stalls: [], dips: [{ at: 5, depth: 0.5, recovery: 1 }] }, plainScenario().curves[1]!] });
    const accuracies = recordRun(scenario, Array(10).fill(0)).map((record) => record.validation.accuracy);
    expect(accuracies[4]! / accuracies[3]!).toBeCloseTo(0.5, 1);
    expect(accuracies[9]).toBeGreaterThan(0.79);
  });

  it('starts a new gear from where the last one was, minus its drop, and charges the growth transfer to its first round', () => {
    const records = recordRun(plainScenario(), [0, 0, 0, 1, 1]);
    const level = 0.8 * (1 - Math.exp(-3 / 5));
    expect(records[3]!.validation.accuracy).toBeCloseTo(0.9 - (0.9 - (level - 0.1)) * Math.exp(-1 / 2), 12);
    expect(records.map((record) => record.seconds.distillation)).toEqual([0, 0, 0, 12, 0]);
    expect(records.map((record) => record.seconds.training)).toEqual([10, 10, 10, 40, 40]);
  });

  it('refuses a gear that skips a rung or goes down', () => {
    const next = roundMeter(plainScenario());
    next(0);
    expect(() => next(2)).toThrow('the gear of round 2 must be 0 or 1, but got 2.');
  });
});

describe('followDecisions', () => {
  it('trains the next gear from the round after each shift, and holds at the top gear', async () => {
    const always: Policy = { decide: () => shift('always') };
    const run = await followDecisions(always, plainScenario({ context: { ...plainScenario().context, plannedRounds: 4 }, noise: plainScenario().noise.slice(0, 4) }));
    expect(run.records.map((record) => record.gear)).toEqual([0, 1, 1, 1]);
    expect(run.decisions.map((decision) => decision.action)).toEqual(['shift', 'hold', 'hold', 'hold']);
    expect(run.shiftsAfter).toEqual([1]);
  });
});
