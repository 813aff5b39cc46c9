/**
 * The fields `fedgear import` reads from a CSV file, and the column names it recognises for each
 * (compared in lower case, every run of other characters than letters and digits read as `_`:
 * "Val Acc" is `val_acc`). `--column field=NAME` names any other column.
 */
export const METRIC_FIELDS = {
  round: { required: true, names: ['round', 'server_round', 'fl_round'], meaning: '1-based round number' },
  gear: { required: false, names: ['gear', 'gear_name', 'model'], meaning: 'the gear trained: its index in --ladder or its name (default: the first gear throughout)' },
  parameters: { required: false, names: ['parameters', 'params', 'num_parameters'], meaning: "trainable parameters (default: the gear's, from --ladder)" },
  'validation.accuracy': { required: true, names: ['validation_accuracy', 'val_accuracy', 'val_acc', 'valid_accuracy', 'valid_acc'], meaning: 'validation accuracy in [0, 1]' },
  'validation.loss': { required: true, names: ['validation_loss', 'val_loss', 'valid_loss'], meaning: 'validation loss' },
  'test.accuracy': { required: true, names: ['test_accuracy', 'test_acc'], meaning: 'test accuracy in [0, 1] (reports score runs on it)' },
  'test.loss': { required: true, names: ['test_loss'], meaning: 'test loss' },
  bytes: { required: false, names: ['bytes', 'bytes_per_round', 'traffic_bytes'], meaning: "bytes moved this round, both directions, all clients (or 'mb')" },
  mb: { required: false, names: ['mb', 'megabytes', 'traffic_mb'], meaning: "megabytes (1e6 bytes) moved this round (or 'bytes')" },
  seconds: { required: true, names: ['seconds', 'round_seconds', 'duration', 'duration_seconds'], meaning: 'wall seconds of the round' },
} as const;

/** A field of the imported round records. */
export type MetricField = keyof typeof METRIC_FIELDS;

/** Each field's column index in the CSV header, for the fields it has. */
export type ColumnMap = Partial<Record<MetricField, { readonly index: number; readonly name: string }>>;

/**
 * A column name as it is compared.
 *
 * @example
 * normalizeColumn(' Val Acc (%)'); // 'val_acc'
 */
export function normalizeColumn(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/**
 * Finds every field's column in a CSV header: a `--column field=NAME` override first, else the
 * first column with a recognised name. Throws, naming the file and what is missing or unknown.
 *
 * @example
 * mapColumns(['round', 'val_acc', ...], { 'test.accuracy': 'acc' }, 'metrics.csv');
 */
export function mapColumns(header: readonly string[], overrides: Readonly<Record<string, string>>, file: string): ColumnMap {
  const normalized = header.map(normalizeColumn);
  const fields = Object.keys(METRIC_FIELDS) as MetricField[];
  const columns: ColumnMap = {};
  for (const [field, name] of Object.entries(overrides)) {
    if (!fields.includes(field as MetricField)) throw new Error(`--column must name a field (${fields.join(', ')}), but got '${field}'.`);
    const index = normalized.indexOf(normalizeColumn(name));
    if (index < 0) throw new Error(`--column ${field}=${name} must name a column of ${file} (${header.join(', ')}), but it has none called '${name}'.`);
    columns[field as MetricField] = { index, name: header[index]! };
  }
  for (const field of fields) {
    if (columns[field] !== undefined) continue;
    const index = normalized.findIndex((name) => (METRIC_FIELDS[field].names as readonly string[]).includes(name));
    if (index >= 0) columns[field] = { index, name: header[index]! };
  }
  const missing = fields.filter((field) => METRIC_FIELDS[field].required && columns[field] === undefined);
  if (columns.bytes === undefined && columns.mb === undefined) missing.push('bytes');
  if (columns.bytes !== undefined && columns.mb !== undefined) {
    throw new Error(`${file}:1: the header must give the traffic once, as bytes or as MB, but got both '${columns.bytes.name}' and '${columns.mb.name}'.`);
  }
  if (missing.length > 0) {
    const wanted = missing.map((field) => `${field} (${METRIC_FIELDS[field].meaning}; e.g. ${METRIC_FIELDS[field].names.slice(0, 2).join(' or ')})`).join(', ');
    throw new Error(`${file}:1: the header must have a column for ${wanted}, but got ${header.join(', ')}. Name another column with --column ${missing[0]}=NAME.`);
  }
  return columns;
}
