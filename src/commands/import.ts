import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Args, Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { RunWriter } from '../metrics/run-writer.js';
import { importCsv } from '../import/import-csv.js';
import { parseLadder } from '../import/ladder-spec.js';
import { METRIC_FIELDS } from '../import/metric-columns.js';

/** `fedgear import`: another tool's per-round metrics (CSV) as a fedgear run file. */
export default class Import extends FedgearCommand {
  static override summary = "Turn another tool's per-round metrics (CSV with named columns) into a fedgear run file.";

  static override description = `One CSV row per round, with a header row naming the columns. Recognised names (case and punctuation aside, "Val Acc" is val_acc):
${Object.entries(METRIC_FIELDS)
  .map(([field, spec]) => `  ${field.padEnd(19)} ${spec.names.join(', ')}${spec.required ? '' : ' (optional)'}: ${spec.meaning}`)
  .join('\n')}
Give the traffic as bytes or as MB. Name any other column with --column field=NAME.

The run file has the rounds (bytes split evenly between sent and received; the round's seconds, its phases unknown and 0), a switch wherever the gear column steps up, and no decisions: "fedgear replay FILE --policy ..." shows what a policy would have decided on it, and "fedgear report FILE" tables and charts it. Errors name the file, the row's line and the column.`;

  static override examples = [
    { description: 'Metrics a Flower server logged, from a small model that grew into a large one:', command: '<%= config.bin %> <%= command.id %> flower.csv --ladder small:70546,large:655802 --out runs/flower.jsonl' },
    { description: 'Columns of other names, the large gear never trained (so its bytes per round are given):', command: '<%= config.bin %> <%= command.id %> log.csv --ladder small:70546,large:655802:15739248 --column validation.accuracy=eval_acc --column seconds=wall' },
    { description: 'Then ask what a policy would have done:', command: '<%= config.bin %> replay runs/flower.jsonl --policy plateau --patience 5' },
  ];

  static override args = {
    csv: Args.string({ description: 'The CSV file: a header row, then one row per round.', required: true }),
  };

  static override enableJsonFlag = true;

  static override flags = {
    ladder: Flags.string({ summary: 'The gears, smallest first: name:parameters or name:parameters:bytesPerRound, comma-separated.', required: true }),
    column: Flags.string({ summary: 'The column of a field, as field=NAME (repeatable), e.g. validation.accuracy=eval_acc.', multiple: true }),
    rounds: Flags.integer({ summary: 'Rounds the run was planned to last (what policies see as plannedRounds). Default: the rows.', min: 1 }),
    out: Flags.string({ summary: 'The run file to write. Default: runs/<csv name>.jsonl.' }),
  };

  async run(): Promise<{ file: string; rounds: number; switches: number[] }> {
    const { args, flags } = await this.parse(Import);
    const text = readCsv(args.csv);
    const run = importCsv({
      file: args.csv,
      text,
      ladder: parseLadder(flags.ladder),
      columns: parseColumns(flags.column ?? []),
      ...(flags.rounds === undefined ? {} : { plannedRounds: flags.rounds }),
    });
    if (flags.rounds !== undefined && flags.rounds < run.rounds.length) {
      throw new Error(`--rounds must be at least the ${run.rounds.length} rounds of ${args.csv}, but got ${flags.rounds}.`);
    }
    const file = flags.out ?? join('runs', `${basename(args.csv, extname(args.csv))}.jsonl`);
    const writer = RunWriter.create(file, run.header);
    for (const record of run.rounds) {
      for (const event of run.switches) if (event.afterRound === record.round - 1) writer.switch(event);
      writer.round(record);
    }
    writer.end({ kind: 'end', status: run.rounds.length >= (flags.rounds ?? 0) ? 'completed' : 'stopped' });
    const switches = run.switches.map((event) => event.afterRound);
    this.log(`imported ${run.rounds.length} rounds from ${args.csv} to ${file}${switches.length === 0 ? '' : `, growing after round ${switches.join(', ')}`}`);
    this.log(`replay a policy on it: fedgear replay ${file} --policy plateau`);
    return { file, rounds: run.rounds.length, switches };
  }
}

function readCsv(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path} must be a readable CSV file, but reading it failed: ${(error as Error).message}`);
  }
}

function parseColumns(pairs: readonly string[]): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0 || equals === pair.length - 1) throw new Error(`--column must be field=NAME, but got '${pair}'.`);
    columns[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return columns;
}
