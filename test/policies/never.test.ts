import { describe, expect, it } from 'vitest';
import never from '../../policies/never.js';
import { context, makeRecords } from '../policy/records.js';

describe('the never policy', () => {
  it('holds after every round, whatever the records say', () => {
    const policy = never.create({}, context());
    const history = makeRecords([0.1, 0.5, 0.5, 0.5, Number.NaN, 0.5]);
    for (let end = 1; end <= history.length; end += 1) {
      expect(policy.decide(history.slice(0, end), context())).toEqual({ action: 'hold', reason: 'never shifts' });
    }
  });
});
