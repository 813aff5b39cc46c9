import { describe, expect, it } from 'vitest';
import { importCsv } from '../../src/import/import-csv.js';
import { parseLadder } from '../../src/import/ladder-spec.js';
import { contextFromHeader } from '../../src/policy/context-from-header.js';

const ladder = parseLadder('small:70546,large:655802');
const flower = [
  'Round,Model,Val Acc,Val Loss,Test Acc,Test Loss,MB,Seconds',
  '1,small,0.21,1.9,0.2,1.95,1.69,3.1',
  '2,small,0.35,1.6,0.33,1.62,1.69,3',
  '',
  '3,small,0.41,nan,0.40,1.52,1.69,3.2',
  '4,large,0.45,1.4,0.44,1.42,15.74,9.1',
  '5,large,0.52,1.3,0.50,1.33,15.74,9',
].join('\n');
const importText = (text: string, options: { columns?: Record<string, string>; ladder?: string } = {}) =>
  importCsv({ file: 'flower.csv', text, ladder: options.ladder === undefined ? ladder : parseLadder(options.ladder), ...(options.columns === undefined ? {} : { columns: options.columns }) });
const withRow = (line: number, row: string) => flower.split('\n').map((text, index) => (index === line - 1 ? row : text)).join('\n');

describe('importCsv', () => {
  it('reads rounds by column name, with cumulative totals, a switch where the gear steps up, and the ladder priced from the rows', () => {
    const run = importText(flower);
    expect(run.rounds.map((record) => [record.round, record.gearName, record.validation.accuracy])).toEqual([
      [1, 'small', 0.21],
      [2, 'small', 0.35],
      [3, 'small', 0.41],
      [4, 'large', 0.45],
      [5, 'large', 0.52],
    ]);
    expect(run.rounds[2]!.validation.loss).toBeNaN();
    expect(run.rounds[4]!.bytes).toEqual({ sent: 7_870_000, received: 7_870_000, sentTotal: 2_535_000 + 15_740_000, receivedTotal: 2_535_000 + 15_740_000 });
    expect(run.rounds[4]!.seconds).toEqual({ training: 0, aggregation: 0, distillation: 0, evaluation: 0, round: 9, total: 27.4 });
    expect(run.switches).toEqual([{ kind: 'switch', afterRound: 3, from: 0, to: 1, reason: 'the gear column of flower.csv steps up after round 3' }]);
    expect(contextFromHeader(run.header)).toEqual({
      plannedRounds: 5,
      objective: { kind: 'max-accuracy', spec: 'max-accuracy' },
      ladder: [
        { name: 'small', parameters: 70546, bytesPerRound: 1_690_000 },
        { name: 'large', parameters: 655802, bytesPerRound: 15_740_000 },
      ],
    });
  });

  it('takes columns of other names with --column, and gear indices', () => {
    const text = ['step,g,eval_acc,eval_loss,acc,loss,bytes,wall', '1,0,0.2,1.9,0.2,1.9,1000,1', '2,1,0.3,1.8,0.3,1.8,9000,2'].join('\n');
    const run = importText(text, {
      columns: { round: 'step', gear: 'g', 'validation.accuracy': 'eval_acc', 'validation.loss': 'eval_loss', 'test.accuracy': 'acc', 'test.loss': 'loss', seconds: 'wall' },
    });
    expect(run.rounds.map((record) => [record.gear, record.bytes.sent + record.bytes.received, record.seconds.total])).toEqual([
      [0, 1000, 1],
      [1, 9000, 3],
    ]);
  });

  it.each([
    [withRow(3, '2,small,1.35,1.6,0.33,1.62,1.69,3'), `flower.csv:3: column "Val Acc" (validation.accuracy) Too big: expected number to be <=1, but got '1.35'.`],
    [withRow(3, '2,small,0.35,1.6,0.33,1.62,lots,3'), `flower.csv:3: column "MB" (mb) must be a number, but got 'lots'.`],
    [withRow(3, '2,small,0.35,1.6,0.33,1.62,1.69'), `flower.csv:3: column "Seconds" (seconds) must be a number, but got ''.`],
    [withRow(3, '3,small,0.35,1.6,0.33,1.62,1.69,3'), `flower.csv:3: column "Round" (round) must be 2 (rounds start at 1 and are consecutive), but got '3'.`],
    [withRow(6, '4,huge,0.45,1.4,0.44,1.42,15.74,9.1'), `flower.csv:6: column "Model" (gear) must be a gear of --ladder, by index (0 to 1) or name (small, large), but got 'huge'.`],
    [withRow(7, '5,small,0.52,1.3,0.50,1.33,15.74,9'), `flower.csv:7: column "Model" (gear) must be 1 or 2 (one gear up at a time, never down), but got 'small'.`],
    [withRow(2, '1,small,0.21,-1.9,0.2,1.95,1.69,3.1'), `flower.csv:2: column "Val Loss" (validation.loss) Too small: expected number to be >=0, but got '-1.9'.`],
  ])('names the row and the column of a bad cell (%#)', (text, message) => {
    expect(() => importText(text)).toThrow(message);
  });

  it('shows a cell of binary junk escaped and cut short, never raw (issue 11, case 9)', () => {
    const junk = `\u001b[2J\u009b31m\ufffd\u0000${'9'.repeat(500)}`;
    const message = (() => {
      try {
        importText(withRow(3, `2,small,0.35,1.6,0.33,1.62,"${junk}",3`));
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    })();
    expect(message).toContain(`flower.csv:3: column "MB" (mb) must be a number, but got '\\u001b[2J\\u009b31m\\ufffd\\u00009999`);
    expect(message).toMatch(/… \(510 characters\)'\.$/);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\ufffd]/u);
  });

  it('names the columns it needs and the header it got', () => {
    const text = flower.replace('Val Loss', 'Loss (val)').replace('Test Loss', 'Loss (test)');
    expect(() => importText(text)).toThrow(
      'flower.csv:1: the header must have a column for validation.loss (validation loss; e.g. validation_loss or val_loss), test.loss (test loss; e.g. test_loss), but got Round, Model, Val Acc, Loss (val), Test Acc, Loss (test), MB, Seconds. Name another column with --column validation.loss=NAME.',
    );
    expect(() => importText(flower, { columns: { 'validation.loss': 'vl' } })).toThrow("--column validation.loss=vl must name a column of flower.csv (Round, Model, Val Acc, Val Loss, Test Acc, Test Loss, MB, Seconds), but it has none called 'vl'.");
    expect(() => importText(flower, { columns: { accuracy: 'Val Acc' } })).toThrow("--column must name a field (round, gear, parameters, validation.accuracy, validation.loss, test.accuracy, test.loss, bytes, mb, seconds), but got 'accuracy'.");
  });

  it('needs the bytes per round of a gear no row trains', () => {
    const smallOnly = flower.split('\n').slice(0, 5).join('\n');
    expect(() => importText(smallOnly)).toThrow("--ladder must give the bytes per round of gear large (name:parameters:bytesPerRound), since no row of flower.csv trains it, but got 'large:655802'.");
    expect(importText(smallOnly, { ladder: 'small:70546,large:655802:15739248' }).header.ladder[1]).toEqual({ name: 'large', parameters: 655802, bytesPerRound: 15739248 });
  });

  it('says where the CSV itself is broken', () => {
    expect(() => importText(`${flower}\n6,"large,0.5`)).toThrow(/^flower\.csv:8: the file must be CSV with a header row, but Quote Not Closed/);
  });
});

describe('parseLadder', () => {
  it.each(['small', 'small:many', 'small:1:2:3', ':5'])('refuses %j', (text) => {
    expect(() => parseLadder(text)).toThrow(`--ladder must be gears smallest first, each name:parameters or name:parameters:bytesPerRound, separated by commas, but got '${text}' in '${text}'.`);
  });

  it('refuses a gear named twice', () => {
    expect(() => parseLadder('a:1,a:2')).toThrow("--ladder must name each gear once, but got 'a' twice in 'a:1,a:2'.");
  });
});
