import { describe, expect, it } from 'vitest';
import { currentGearRecords } from '../../src/policy/current-gear.js';
import { makeRecords, threeGears } from './records.js';

describe('currentGearRecords', () => {
  it('keeps the records since the last shift', () => {
    const history = makeRecords([0.1, 0.2, { accuracy: 0.3, gear: 1 }, { accuracy: 0.4, gear: 1 }], threeGears);
    expect(currentGearRecords(history).map((record) => record.round)).toEqual([3, 4]);
  });

  it('keeps everything before the first shift, and nothing of an empty history', () => {
    expect(currentGearRecords(makeRecords([0.1, 0.2]))).toHaveLength(2);
    expect(currentGearRecords([])).toEqual([]);
  });
});
