import { describe, expect, it } from 'vitest';
import { switchRounds } from '../../src/report/report-row.js';

const gears = (...list: number[]) => list.map((gear, i) => ({ round: i + 1, gear }));

describe('switchRounds', () => {
  it('finds the round after which the gear changed', () => {
    expect(switchRounds(gears(0, 0, 0, 1, 1))).toEqual([3]);
  });

  it('finds every switch of a three-gear run, and none in a run that stays in one gear', () => {
    expect(switchRounds(gears(0, 1, 1, 2))).toEqual([1, 3]);
    expect(switchRounds(gears(1, 1, 1))).toEqual([]);
    expect(switchRounds([])).toEqual([]);
  });
});
