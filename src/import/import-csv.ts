import { parse } from 'csv-parse/sync';
import { median } from '../vendor/simple-statistics.js';
import { fedgearVersion } from '../metrics/fedgear-version.js';
import { FileError } from '../metrics/file-error.js';
import { escapeText } from '../metrics/quote-value.js';
import type { RoundRecord } from '../metrics/round-record.js';
import { roundLine, RUN_FILE_FORMAT, RUN_FILE_VERSION, type RunHeader, type SwitchEvent } from '../metrics/run-file-schema.js';
import { checkLine } from '../metrics/schema-issue.js';
import type { LadderSpec } from './ladder-spec.js';
import { mapColumns, type ColumnMap, type MetricField } from './metric-columns.js';

/** What `importCsv` reads. */
export interface ImportCsvOptions {
  /** The file's name, for messages and the header. */
  readonly file: string;
  readonly text: string;
  /** The gears, smallest first. */
  readonly ladder: readonly LadderSpec[];
  /** `--column field=NAME` overrides. */
  readonly columns?: Readonly<Record<string, string>>;
  /** Rounds the run was planned to last (default: the rows). */
  readonly plannedRounds?: number;
}

/** A run made from another tool's metrics: what a run file holds, without decisions. */
export interface ImportedRun {
  readonly header: RunHeader;
  readonly rounds: readonly RoundRecord[];
  /** One per rise of the gear column, between the two rounds. */
  readonly switches: readonly SwitchEvent[];
}

/**
 * Turns per-round metrics another tool logged, one CSV row per round with named columns (see
 * `METRIC_FIELDS`), into a fedgear run: round records that `fedgear replay`, `report` and the
 * policies read like those of fedgear's own runs. Every error names the file, the row's line and
 * the column, e.g. `flower.csv:5: column "val_acc" (validation.accuracy) must be <= 1, but got 1.3.`
 *
 * Bytes given per round in total are split evenly between sent and received; seconds per round
 * are the round's, its phases (training, aggregation, ...) are not known and recorded as 0.
 *
 * @example
 * const run = importCsv({ file: 'flower.csv', text: readFileSync('flower.csv', 'utf8'), ladder: parseLadder('small:70546,large:655802') });
 */
export function importCsv(options: ImportCsvOptions): ImportedRun {
  const { file, ladder } = options;
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(options.text, { info: true, skip_empty_lines: true, relax_column_count: true, trim: true, bom: true }) as unknown as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new Error(`${file}${line === undefined ? '' : `:${line}`}: the file must be CSV with a header row, but ${(error as Error).message}.`);
  }
  const [head, ...body] = rows;
  if (head === undefined || body.length === 0) throw new Error(`${file}: the file must hold a header row and at least one round, but got ${rows.length} rows.`);
  const columns = mapColumns(head.record, options.columns ?? {}, file);

  const rounds: RoundRecord[] = [];
  const switches: SwitchEvent[] = [];
  let sentTotal = 0;
  let receivedTotal = 0;
  let secondsTotal = 0;
  for (const { record: cells, info } of body) {
    const cell = cellReader(file, info.lines, columns, cells);
    const round = cell.number('round');
    const expected = (rounds.at(-1)?.round ?? 0) + 1;
    if (round !== expected) throw cell.error('round', `must be ${expected} (rounds start at 1 and are consecutive)`, cell.text('round'));
    const gear = columns.gear === undefined ? 0 : gearIndex(cell, ladder);
    const previousGear = rounds.at(-1)?.gear;
    if (previousGear !== undefined && gear !== previousGear && gear !== previousGear + 1) {
      throw cell.error('gear', `must be ${previousGear} or ${previousGear + 1} (one gear up at a time, never down)`, cell.text('gear'));
    }
    const bytes = columns.mb !== undefined ? Math.round(cell.number('mb') * 1e6) : cell.number('bytes');
    const sent = Math.floor(bytes / 2);
    const received = bytes - sent;
    const seconds = cell.number('seconds');
    sentTotal += sent;
    receivedTotal += received;
    secondsTotal += seconds;
    const candidate = {
      kind: 'round',
      round,
      gear,
      gearName: ladder[gear]!.name,
      parameters: columns.parameters === undefined ? ladder[gear]!.parameters : cell.number('parameters'),
      validation: { accuracy: cell.number('validation.accuracy'), loss: cell.number('validation.loss') },
      test: { accuracy: cell.number('test.accuracy'), loss: cell.number('test.loss') },
      bytes: { sent, received, sentTotal, receivedTotal },
      seconds: { training: 0, aggregation: 0, distillation: 0, evaluation: 0, round: seconds, total: secondsTotal },
    };
    const checked = checkLine(roundLine, candidate);
    if (!checked.ok) {
      const field = sourceField(checked.issue.field, columns);
      throw cell.error(field, checked.issue.message.slice(checked.issue.field.length + 1).replace(/, but got .*$/, ''), cell.text(field));
    }
    const { kind: _kind, ...record } = checked.value;
    if (previousGear !== undefined && gear > previousGear) {
      switches.push({ kind: 'switch', afterRound: round - 1, from: previousGear, to: gear, reason: `the gear column of ${file} steps up after round ${round - 1}` });
    }
    rounds.push(record);
  }
  return { header: header(options, rounds), rounds, switches };
}

function header(options: ImportCsvOptions, rounds: readonly RoundRecord[]): RunHeader {
  const ladder = options.ladder.map((gear, index) => {
    if (gear.bytesPerRound !== undefined) return { name: gear.name, parameters: gear.parameters, bytesPerRound: gear.bytesPerRound };
    const trained = rounds.filter((record) => record.gear === index).map((record) => record.bytes.sent + record.bytes.received);
    if (trained.length === 0) {
      throw new Error(`--ladder must give the bytes per round of gear ${gear.name} (name:parameters:bytesPerRound), since no row of ${options.file} trains it, but got '${gear.name}:${gear.parameters}'.`);
    }
    return { name: gear.name, parameters: gear.parameters, bytesPerRound: Math.round(median(trained)) };
  });
  return {
    kind: 'header',
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    createdAt: new Date().toISOString(),
    backend: 'external',
    versions: { fedgear: fedgearVersion(), node: process.versions.node },
    ladder,
    config: { trainer: 'external, through fedgear import', source: options.file, rounds: options.plannedRounds ?? rounds.length },
  };
}

/** Reads the cells of one row by field, with errors naming the line and the column. */
function cellReader(file: string, line: number, columns: ColumnMap, cells: readonly string[]) {
  const column = (field: MetricField) => columns[field]!;
  const reader = {
    text: (field: MetricField): string => cells[column(field).index] ?? '',
    error: (field: MetricField, constraint: string, got: string): Error =>
      new FileError(`${file}:${line}: column "${column(field).name}" (${field}) ${constraint}, but got '${escapeText(got)}'.`, { file, line, field: column(field).name }),
    number(field: MetricField): number {
      const text = reader.text(field);
      if (/^nan$/i.test(text)) return Number.NaN;
      if (/^\+?inf(inity)?$/i.test(text)) return Number.POSITIVE_INFINITY;
      const value = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(value)) throw reader.error(field, 'must be a number', text);
      return value;
    },
  };
  return reader;
}

function gearIndex(cell: ReturnType<typeof cellReader>, ladder: readonly LadderSpec[]): number {
  const text = cell.text('gear');
  const byName = ladder.findIndex((gear) => gear.name === text);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(text) && Number(text) < ladder.length) return Number(text);
  throw cell.error('gear', `must be a gear of --ladder, by index (0 to ${ladder.length - 1}) or name (${ladder.map((gear) => gear.name).join(', ')})`, text);
}

/** The CSV field a run-file field was made from. */
function sourceField(field: string, columns: ColumnMap): MetricField {
  if (field.startsWith('bytes')) return columns.mb === undefined ? 'bytes' : 'mb';
  if (field.startsWith('seconds')) return 'seconds';
  return field as MetricField;
}
