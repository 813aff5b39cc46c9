import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/policy/decision.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import { followDecisions } from './follow-decisions.js';
import { context, makeRecords, threeGears } from './records.js';

// The example is loaded the way a user runs it: by the path of its compiled module.
const examplePath = fileURLToPath(new URL('../../examples/target-accuracy.js', import.meta.url));
const plugin = await loadPolicy(examplePath);
const create = (raw: Record<string, unknown>, ladder = context().ladder) => plugin.create(validateOptions(plugin.name, plugin.options, raw), context({ ladder }));

describe('the example plugin target-accuracy', () => {
  it('loads from its module path as a complete plugin', () => {
    expect(plugin.name).toBe('target-accuracy');
    expect(Object.keys(plugin.options)).toEqual(['target', 'confirm', 'warmup']);
  });

  it('shifts once the target has held for confirm rounds in a row, not on one lucky round', () => {
    const history = makeRecords([0.3, 0.61, 0.5, 0.6, 0.62, 0.65]);
    const policy = create({ target: '0.6', confirm: '2' });
    const actions = history.map((_, index) => (policy.decide(history.slice(0, index + 1), context()) as Decision).action);
    expect(actions).toEqual(['hold', 'hold', 'hold', 'hold', 'shift', 'shift']);
    expect((policy.decide(history.slice(0, 5), context()) as Decision).reason).toBe('validation accuracy 62.0%: at or above 60% for 2 rounds in a row');
  });

  it('waits for the warm-up and shifts once per gear on a three-gear ladder', async () => {
    const ladder = threeGears;
    const run = await followDecisions(create({ target: 0.5, confirm: 1, warmup: 5 }, ladder), context({ ladder }), 20, () => ({ accuracy: 0.9 }));
    expect(run.shiftsAfter).toEqual([5, 10]);
  });

  it.each([
    [{ target: '0' }, "target-accuracy: target must be a number > 0 and <= 1, but got '0'."],
    [{ confirm: '0' }, "target-accuracy: confirm must be an integer >= 1, but got '0'."],
    [{ warmup: 'soon' }, "target-accuracy: warmup must be an integer >= 0, but got 'soon'."],
  ])('refuses %j', (raw, message) => {
    expect(() => create(raw)).toThrow(message);
  });
});
