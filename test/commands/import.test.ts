import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import { fedgear } from '../support/fedgear-cli.js';

const csv = [
  'round,gear,val_acc,val_loss,test_acc,test_loss,MB,seconds',
  '1,small,0.21,1.9,0.2,1.95,1.69,3.1',
  '2,small,0.35,1.6,0.33,1.62,1.69,3.0',
  '3,small,0.36,1.5,0.35,1.52,1.69,3.2',
  '4,large,0.45,1.4,0.44,1.42,15.74,9.1',
  '5,large,0.52,1.3,0.50,1.33,15.74,9.0',
].join('\n');

describe('fedgear import', () => {
  it('writes a run file that fedgear reads, and replay shows what a policy would have decided on it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'fedgear-import-'));
    writeFileSync(join(directory, 'flower.csv'), csv);
    const imported = await fedgear(['import', 'flower.csv', '--ladder', 'small:70546,large:655802', '--rounds', '8'], { cwd: directory });
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe('imported 5 rounds from flower.csv to runs/flower.jsonl, growing after round 3\nreplay a policy on it: fedgear replay runs/flower.jsonl --policy plateau\n');
    const run = readRun(join(directory, 'runs/flower.jsonl'));
    expect(run.rounds.map((record) => record.gear)).toEqual([0, 0, 0, 1, 1]);
    expect(run.switches.map((event) => event.afterRound)).toEqual([3]);
    expect(run.end).toEqual({ kind: 'end', status: 'stopped' });

    const replay = await fedgear(['replay', 'runs/flower.jsonl', '--policy', 'fixed', '--at', '2'], { cwd: directory });
    expect(replay.stdout).toBe(
      [
        'runs/flower.jsonl: 5 of 8 planned rounds, no recorded policy; replayed with fixed {"at":2}',
        '  replayed: shift after round 2 (small has trained 2 rounds (fixed schedule: 2 per gear))',
        '  the run recorded no decisions (an imported run): nothing to compare with.',
        '',
      ].join('\n'),
    );
  });

  it('names the row and the column of a bad cell', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'fedgear-import-'));
    writeFileSync(join(directory, 'flower.csv'), csv.replace('0.35,1.6', '35,1.6'));
    const { status, stdout } = await fedgear(['import', 'flower.csv', '--ladder', 'small:70546,large:655802', '--json'], { cwd: directory });
    expect(status).not.toBe(0);
    expect(JSON.parse(stdout)).toEqual({ error: { message: `flower.csv:3: column "val_acc" (validation.accuracy) Too big: expected number to be <=1, but got '35'.`, file: 'flower.csv', line: 3, field: 'val_acc' } });
  });
});
