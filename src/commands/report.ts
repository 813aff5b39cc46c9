import { existsSync, statSync } from 'node:fs';
import { Args, Flags } from '../vendor/oclif-core.js';
import { FedgearCommand } from '../cli/fedgear-command.js';
import { ensureOutputDirectory } from '../cli/output-directory.js';
import { readRun } from '../metrics/read-run.js';
import { readBundle, type Bundle } from '../replay/bundle.js';
import { checkBundle } from '../replay/check-bundle.js';
import { formatText, PAPER_BUDGETS_MB, type ComparisonTable } from '../report/comparison-table.js';
import type { ReportRow } from '../report/report-row.js';
import { bundleRows, LARGE_LABEL, policyRow, runRow } from '../report/report-rows.js';
import { REPORT_FORMATS, writeReport, type ReportFormat } from '../report/write-report.js';

/** `fedgear report`: the paper-style comparison table and accuracy charts of bundles and runs. */
export default class Report extends FedgearCommand {
  static override summary = 'Compare runs as the paper does: a table of accuracy, cost and time-to-target, and accuracy charts.';

  static override description = `For each bundle (a directory written by "fedgear sweep"): the rows 12-12 (large model only), 12-6 (small model only) and "Gear k" for each recorded switch after round k, then one row per --policy, replayed on the bundle. For each run file (.jsonl): one row.

The table gives each row's max test accuracy, mean MB (sent + received) and seconds per round, where it switched, the wall seconds until its test accuracy first reached 60/70/80/90% of the reference row's max, and its best test accuracy within each --budget-mb. The charts plot test accuracy against the round, the cumulative seconds and the cumulative MB, one line per row, each switch marked with a triangle labelled with its round.

Writes table.md, table.txt, accuracy-by-round, accuracy-by-seconds and accuracy-by-mb (.svg and .png) into --out, and prints the text table.`;

  static override examples = [
    { description: "The paper's table and charts of a bundle:", command: '<%= config.bin %> <%= command.id %> bundles/cifar10-iid' },
    { description: 'Add two policies, replayed on the bundle:', command: `<%= config.bin %> <%= command.id %> bundles/cifar10-iid --policy 'plateau patience=5' --policy 'budget budget-mb=300'` },
    { description: 'Compare recorded runs, against the first one, as Markdown only:', command: '<%= config.bin %> <%= command.id %> runs/a.jsonl runs/b.jsonl --format md --out report' },
  ];

  static override strict = false;

  static override enableJsonFlag = true;

  static override args = {
    inputs: Args.string({ description: 'Bundle directories and run files (.jsonl), one or more.', required: true }),
  };

  static override flags = {
    policy: Flags.string({
      summary: "A policy to replay on each bundle, then its options as key=value words, e.g. 'plateau patience=5'; repeatable.",
      description:
        'Each --policy carries its own options (unlike "fedgear replay", which takes one policy and its option flags), so two settings of one policy can stand side by side. The policy is a built-in name, any:a,b / all:a,b, a .js/.mjs file, or a package.',
      multiple: true,
      // One value per --policy: a bundle given after it stays an input.
      multipleNonGreedy: true,
    }),
    out: Flags.string({ summary: 'Directory to write the table and charts into.', default: 'docs/report' }),
    format: Flags.string({ summary: `What to write, comma-separated: ${REPORT_FORMATS.join(', ')}.`, default: REPORT_FORMATS.join(',') }),
    reference: Flags.string({
      summary: `Label of the row whose max test accuracy the targets are fractions of. Default: the first bundle's ${LARGE_LABEL}, else the first run.`,
    }),
    'budget-mb': Flags.string({ summary: 'Traffic budgets in MB to read accuracy at, comma-separated.', default: PAPER_BUDGETS_MB.join(',') }),
    width: Flags.integer({ summary: 'Chart width in pixels.', min: 300, default: 900 }),
    height: Flags.integer({ summary: 'Chart height in pixels.', min: 200, default: 500 }),
  };

  async run(): Promise<{ files: string[]; table: ComparisonTable }> {
    const { argv, flags } = await this.parse(Report);
    ensureOutputDirectory(flags.out, '--out');
    const inputs = argv as string[];
    const formats = parseFormats(flags.format);
    const budgetsMb = parseBudgets(flags['budget-mb']);
    const policies = flags.policy ?? [];
    const sources = inputs.map(readInput);
    const bundles = sources.filter((source): source is Bundle => 'manifest' in source);
    if (policies.length > 0 && bundles.length === 0) {
      throw new Error(`--policy must come with a bundle to replay it on, but got only run files (${inputs.join(', ')}).`);
    }
    const rows: ReportRow[] = [];
    let bundleReference: string | undefined;
    for (const source of sources) {
      if (!('manifest' in source)) {
        rows.push(runRow(source));
        continue;
      }
      const prefix = bundles.length > 1 ? `${source.manifest.name}: ` : '';
      bundleReference ??= `${prefix}${LARGE_LABEL}`;
      rows.push(...bundleRows(source, prefix));
      for (const spec of policies) rows.push(await policyRow(source, spec, prefix));
    }
    const reference = flags.reference ?? bundleReference ?? rows[0]!.label;
    const { table, files } = writeReport(rows, { out: flags.out, formats, reference, budgetsMb, size: { width: flags.width, height: flags.height } });
    this.log(formatText(table));
    this.log(`wrote ${files.join(', ')}`);
    return { files, table };
  }
}

function readInput(path: string) {
  if (!existsSync(path)) throw new Error(`each input must be a bundle directory or a run file, but ${path} does not exist.`);
  return statSync(path).isDirectory() ? checkBundle(readBundle(path)) : readRun(path);
}

function parseFormats(text: string): ReportFormat[] {
  const formats = text.split(',').map((part) => part.trim());
  for (const format of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new Error(`--format must list some of ${REPORT_FORMATS.join(', ')}, but got '${format}' in '${text}'.`);
    }
  }
  return formats as ReportFormat[];
}

function parseBudgets(text: string): number[] {
  return text.split(',').map((part) => {
    const value = Number(part);
    if (part.trim() === '' || !(value > 0 && Number.isFinite(value))) throw new Error(`--budget-mb must list numbers of MB > 0, but got '${part}' in '${text}'.`);
    return value;
  });
}
