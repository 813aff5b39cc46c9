/**
 * The reproduction study behind docs/reproduction.md: records every run it needs with the
 * `fedgear` CLI (sweeps and one run), then reports, replays and tunes the policies on the recorded
 * bundles with the CLI too, and rewrites the marked sections of docs/reproduction.md and its
 * charts in docs/figures/reproduction/.
 *
 * Every recording step is resumable: a sweep continues where it was killed, a finished run file
 * is kept. Run it in the background (about 80 minutes on a quiet 2-core machine):
 *   nohup npm run study > study.log 2>&1 &
 * `--write-only` skips recording and only rewrites the document from the recorded bundles;
 * `--check` records nothing, writes nothing, and exits 1 if the document differs from what the
 * recorded bundles give (npm test runs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRun, type RecordedRun } from '../src/metrics/read-run.js';
import { totalBytes, type RoundRecord } from '../src/metrics/round-record.js';
import { readBundle, type Bundle } from '../src/replay/bundle.js';
import { checkBundle } from '../src/replay/check-bundle.js';
import type { BundleComparison } from '../src/replay/compare.js';
import type { TuneResult } from '../src/replay/tune.js';
import { replaceMarkedSection } from './replace-marked-section.js';
import { forecastErrorTable } from './curve-forecast-error.js';
import { recoveryTable } from './growth-recovery.js';
import { median } from './markdown-table.js';
import { scenarioTable, suiteVerdict, type SuiteScenario } from './suite-verdict.js';

const STUDY = 'test/fixtures/study';
const DATA = '../shared/data/cifar-10-batches-bin';
const DOC = 'docs/reproduction.md';
const FIGURES = 'docs/figures/reproduction';
/** The scale: the `small` preset's parties, 20 rounds, a 1,000-image test set. */
const SCALE = ['--data-dir', DATA, '--preset', 'small', '--rounds', '20', '--test', '1000'];
/**
 * The paper's Gear 20/40/60/80 of 200 rounds, at 20 rounds (2, 4, 6, 8), then 10 and 12, so that a
 * policy switching later than the paper's gears replays on a recorded branch instead of staying small.
 */
const GEARS = ['--switch-points', '2,4,6,8,10,12'];
/** Traffic budgets for "accuracy at MB": the paper's 500 MB is 9% of its 12-12 traffic; ours is 10x shorter. */
const BUDGETS_MB = '50,150';
const ALL_IMAGES = '12-12-C8000';

interface Scenario {
  readonly name: string;
  readonly directory: string;
  /** `fedgear sweep` arguments after the directory. */
  readonly sweep: readonly string[];
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'cifar10-iid',
    directory: `${STUDY}/cifar10-iid`,
    sweep: [...SCALE, ...GEARS, '--compare-transfers', 'kd,scratch', '--compare-at', '4'],
  },
  {
    name: 'cifar10-dirichlet05',
    directory: `${STUDY}/cifar10-dirichlet05`,
    sweep: [...SCALE, ...GEARS, '--partition', 'dirichlet', '--alpha', '0.5'],
  },
  {
    name: 'synthetic-easy',
    directory: 'test/fixtures/bundles/synthetic-easy-seed0',
    // The tiny preset's sizes when the fixture was first recorded, named so that the scenario stays as it was.
    sweep: ['--dataset', 'synthetic-easy', '--preset', 'tiny', '--width', '8', '--local-epochs', '2', '--rounds', '12', '--switch-points', '3,6,9', '--per-client', '400', '--server', '300', '--validation', '300', '--test', '500'],
  },
];

/**
 * The suite the verdict is given on: the scenarios above, where never switching is best, and
 * scenarios recorded where the large model is worth growing into. `sweep` is set for those only
 * the suite records; `note` says what a reader must know about how a bundle was made.
 */
interface SuiteEntry {
  readonly name: string;
  readonly directory: string;
  readonly note: string;
  readonly sweep?: readonly string[];
}

const SUITE: readonly SuiteEntry[] = [
  { name: 'cifar10-iid', directory: `${STUDY}/cifar10-iid`, note: 'all 50,000 training images available' },
  { name: 'cifar10-dirichlet05', directory: `${STUDY}/cifar10-dirichlet05`, note: 'all 50,000 training images available' },
  { name: 'synthetic-easy', directory: 'test/fixtures/bundles/synthetic-easy-seed0', note: 'the offline synthetic-easy set, where the small model is the better one' },
  {
    name: 'synthetic-iid',
    directory: `${STUDY}/synthetic-iid`,
    note: 'the offline synthetic set at the tiny preset',
    sweep: ['--dataset', 'synthetic', '--preset', 'tiny', '--switch-points', '3,6,9,12,15,18,21,24,27'],
  },
  {
    name: 'synthetic-dirichlet-4-clients',
    directory: `${STUDY}/synthetic-dirichlet-4-clients`,
    note: 'another seed and client count, non-IID',
    sweep: ['--dataset', 'synthetic', '--preset', 'tiny', '--clients', '4', '--partition', 'dirichlet', '--alpha', '0.5', '--seed', '1', '--switch-points', '3,6,9,12,15,18,21,24,27'],
  },
  {
    name: 'cifar10-w4-5k',
    directory: `${STUDY}/cifar10-w4-5k`,
    note: 'all 50,000 training images available',
    sweep: ['--data-dir', DATA, '--preset', 'small', '--width', '4', '--per-client', '5000', '--server', '5000', '--validation', '1000', '--test', '2000', '--rounds', '30', '--switch-points', '3,6,9,12,15,18,21,24,27'],
  },
];

/** The two CIFAR-10 runs of a screening scale, 12-12 and 12-6 (their files are then named 12-12.jsonl and 12-6.jsonl). */
function screeningRuns(scale: string, out: string): string[] {
  return ['--start large --policy never', '--policy never'].map((policy) => `fedgear run --dataset cifar10 --data-dir ${DATA} ${scale} ${policy} --out ${out}`);
}

/**
 * Short runs that measured where 12-12 pulls away from 12-6: run files of 12-12 and 12-6, made by
 * the commands in `screening` (the suite's own sweeps' small and large runs count too).
 */
const SCREENING: readonly { readonly label: string; readonly large: string; readonly small: string; readonly commands?: readonly string[] }[] = [
  {
    label: 'CIFAR-10, width 4, 3 x 2,000 images, 30 rounds',
    large: 'docs/screening/cifar10-w4-2k/12-12.jsonl',
    small: 'docs/screening/cifar10-w4-2k/12-6.jsonl',
    commands: screeningRuns('--preset small --width 4 --rounds 30', 'docs/screening/cifar10-w4-2k'),
  },
  { label: 'synthetic, tiny preset: width 4, 3 x 2,000 16x16 images, 30 rounds (the suite sweep synthetic-iid)', large: `${STUDY}/synthetic-iid/large.jsonl`, small: `${STUDY}/synthetic-iid/small.jsonl` },
  { label: 'CIFAR-10, width 4, 3 x 5,000 images, 30 rounds (the suite sweep cifar10-w4-5k)', large: `${STUDY}/cifar10-w4-5k/large.jsonl`, small: `${STUDY}/cifar10-w4-5k/small.jsonl` },
  {
    label: 'CIFAR-10, width 4, 3 x 5,000 images, 50 rounds',
    large: 'docs/screening/cifar10-w4-5k-50/12-12.jsonl',
    small: 'docs/screening/cifar10-w4-5k-50/12-6.jsonl',
    commands: screeningRuns('--preset small --width 4 --per-client 5000 --server 5000 --validation 1000 --test 2000 --rounds 50', 'docs/screening/cifar10-w4-5k-50'),
  },
  {
    label: 'CIFAR-10, width 4, 3 x 8,000 images, 30 rounds',
    large: 'docs/screening/cifar10-w4-8k/12-12.jsonl',
    small: 'docs/screening/cifar10-w4-8k/12-6.jsonl',
    commands: screeningRuns('--preset small --width 4 --per-client 8000 --server 5000 --validation 1000 --test 2000 --rounds 30', 'docs/screening/cifar10-w4-8k'),
  },
];

/** 12-12 with every image the scenario uses (server share + clients) spread over the clients: 3 x 2,667. */
const ALL_IMAGES_RUN = [...SCALE, '--start', 'large', '--policy', 'never', '--server', '0', '--server-epochs', '0', '--per-client', '2667'];

/** Policies scored, as `fedgear replay`/`tune` flags: defaults, and the paper's hand-picked Gear 40. */
const POLICIES: readonly { readonly label: string; readonly flags: readonly string[]; readonly tune: readonly string[] }[] = [
  { label: 'plateau', flags: ['--policy', 'plateau'], tune: ['--policy', 'plateau'] },
  { label: 'budget', flags: ['--policy', 'budget'], tune: ['--policy', 'budget'] },
  // Fewer random settings than tune's 500: their decisions fit a curve every round.
  { label: 'forecast', flags: ['--policy', 'forecast'], tune: ['--policy', 'forecast', '--trials', '60'] },
  { label: 'fitting-risk', flags: ['--policy', 'fitting-risk'], tune: ['--policy', 'fitting-risk', '--trials', '60'] },
  { label: 'fixed --fraction 0.2', flags: ['--policy', 'fixed', '--fraction', '0.2'], tune: ['--policy', 'fixed', '--space', 'fraction=0.05..0.5'] },
];
interface StudyObjective {
  readonly spec: string;
  /** Names the document's section: policies-<section>. */
  readonly section: string;
  readonly title: string;
  /** An objective value as shown (values are minimised: accuracy comes negated). */
  readonly value: (value: number) => string;
  /** A regret (positive: worse than the oracle) as shown. */
  readonly regret: (regret: number) => string;
}

const OBJECTIVES: readonly StudyObjective[] = [
  { spec: 'time-to:0.9', section: 's', title: 'seconds to 90% of the 12-12 max', value: (v) => `${v.toFixed(0)} s`, regret: (r) => `${r.toFixed(0)} s` },
  { spec: 'mb-to:0.9', section: 'MB', title: 'MB to 90% of the 12-12 max', value: (v) => `${v.toFixed(1)} MB`, regret: (r) => `${r.toFixed(1)} MB` },
  { spec: 'max-accuracy', section: 'acc', title: 'max test accuracy', value: (v) => `${(-v * 100).toFixed(1)}%`, regret: (r) => `${(r * 100).toFixed(1)} pts` },
];

/** This checkout's CLI; paths in arguments are relative to the working directory (the repo root). */
const CLI = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const commands: string[] = [];
const check = process.argv.includes('--check');
const writeOnly = check || process.argv.includes('--write-only');
/** Where the report's tables and charts go: the docs, or a scratch directory when checking. */
const figures = check ? mkdtempSync(join(tmpdir(), 'fedgear-study-check-')) : FIGURES;

function fedgear(args: readonly string[], capture = false): string {
  commands.push(`fedgear ${args.map(quote).join(' ')}`);
  const output = execFileSync(process.execPath, [CLI, ...args], { stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', maxBuffer: 1 << 28 });
  return capture ? output.toString() : '';
}

function quote(arg: string): string {
  return /^[\w./:,=@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function log(message: string): void {
  process.stderr.write(`[study ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function completed(path: string): boolean {
  try {
    return readRun(path).end?.status === 'completed';
  } catch {
    return false;
  }
}

// 1. Record.
for (const scenario of SCENARIOS) {
  const args = ['sweep', scenario.directory, ...scenario.sweep];
  if (writeOnly) commands.push(`fedgear ${args.map(quote).join(' ')}`);
  else {
    log(`sweep ${scenario.name}`);
    fedgear(args);
  }
}
for (const entry of SUITE) {
  if (entry.sweep === undefined) continue;
  const args = ['sweep', entry.directory, ...entry.sweep];
  if (writeOnly) commands.push(`fedgear ${args.map(quote).join(' ')}`);
  else {
    log(`sweep ${entry.name} (suite)`);
    fedgear(args);
  }
}
// Bundles only in the study's folder: the lone run lives with the other plain runs.
const allImagesFile = `test/fixtures/runs/${ALL_IMAGES}.jsonl`;
const allImagesOut = 'tmp/study/all-images';
const allImagesArgs = ['run', ...ALL_IMAGES_RUN, '--out', allImagesOut];
if (writeOnly || completed(allImagesFile)) commands.push(`fedgear ${allImagesArgs.map(quote).join(' ')}`);
else {
  log(`run ${ALL_IMAGES} (restarts from round 1 if it was killed)`);
  rmSync(allImagesOut, { recursive: true, force: true });
  fedgear(allImagesArgs);
  const [file] = readdirSync(allImagesOut).filter((name) => name.endsWith('.jsonl'));
  mkdirSync(dirname(allImagesFile), { recursive: true });
  renameSync(join(allImagesOut, file!), allImagesFile);
}
commands.push(`mv ${allImagesOut}/*.jsonl ${allImagesFile}`);

// 2. Report, replay, tune.
const bundles = SCENARIOS.map((scenario) => readBundle(scenario.directory));
const iid = bundles[0]!;
const allImages = readRun(allImagesFile);
log('report');
mkdirSync(figures, { recursive: true });
const formats = check ? 'md' : 'md,svg,png';
const report = (inputs: readonly string[], name: string, extra: readonly string[] = []) => {
  const args = ['report', ...inputs, ...extra, '--budget-mb', BUDGETS_MB, '--policy', 'plateau', '--policy', 'budget', '--format', formats, '--out', `${figures}/${name}`];
  fedgear(args, check);
  commands[commands.length - 1] = commands.at(-1)!.replace(figures, FIGURES).replace(`--format ${formats}`, '--format md,svg,png');
};
report([iid.directory, allImagesFile], 'cifar10-iid', ['--reference', ALL_IMAGES]);
report([bundles[1]!.directory], 'cifar10-dirichlet05');

log('replay and tune');
const directories = bundles.map((bundle) => bundle.directory);
interface Scored {
  readonly label: string;
  /** Per bundle; `undefined` where the bundle has no such row (fewer switch points). */
  readonly perBundle: readonly ({ readonly switchAfter: number | null; readonly value: number | null; readonly regret: number | null; readonly note?: string } | undefined)[];
}
const scored = new Map<string, { oracle: Scored; gears: Scored[]; never: Scored; policies: Scored[] }>();
for (const objective of OBJECTIVES) {
  const policies: Scored[] = [];
  let comparisons: BundleComparison[] = [];
  for (const policy of POLICIES) {
    const replay = JSON.parse(fedgear(['replay', ...directories, ...policy.flags, '--objective', objective.spec, '--json'], true)) as { bundles: BundleComparison[] };
    comparisons = replay.bundles;
    policies.push({
      label: `${policy.label} (default)`,
      perBundle: replay.bundles.map((b) => ({ switchAfter: b.policy.switchAfter, value: b.policy.value, regret: b.policy.regret, ...(b.policy.note === null ? {} : { note: b.policy.note }) })),
    });
    const tuned = JSON.parse(fedgear(['tune', ...directories, ...policy.tune, '--objective', objective.spec, '--json'], true)) as TuneResult;
    policies.push({
      label: `${policy.label.split(' ')[0]} (tuned on the others)`,
      perBundle: tuned.heldOut.results.map((r) => ({ switchAfter: r.switchAfter, value: r.value, regret: r.regret, note: settingText(r.setting) })),
    });
  }
  const rowOf = (pick: (b: BundleComparison) => BundleComparison['rows'][number] | undefined, label: string): Scored => ({
    label,
    perBundle: comparisons.map((b) => {
      const row = pick(b);
      return row === undefined ? undefined : { switchAfter: row.switchAfter, value: row.value, regret: row.regret };
    }),
  });
  const oracle = rowOf((b) => b.rows.find((row) => row.oracle), 'oracle (best in hindsight)');
  const gearCount = Math.max(...comparisons.map((b) => b.rows.filter((row) => row.kind === 'branch').length));
  const gears = Array.from({ length: gearCount }, (_, index) => rowOf((b) => b.rows.filter((row) => row.kind === 'branch')[index], `fixed, switch point #${index + 1}`));
  const never = rowOf((b) => b.rows.find((row) => row.kind === 'never'), '12-6 (never switch)');
  scored.set(objective.spec, { oracle, gears, never, policies });
}

function settingText(setting: Readonly<Record<string, number | boolean | string>>): string {
  return Object.entries(setting)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? Number(value.toPrecision(3)) : value}`)
    .join(' ');
}

// 3. Write the document's sections.
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
const sections: Record<string, string> = {};

sections.scale = scaleTable(iid, allImages);
sections.screening = screeningTable();
for (const screen of SCREENING) commands.push(...(screen.commands ?? []));
sections.commands = ['```sh', ...commands, '```'].join('\n');
sections['iid-table'] = readFileSync(`${figures}/cifar10-iid/table.md`, 'utf8').trim();
sections['dirichlet-table'] = readFileSync(`${figures}/cifar10-dirichlet05/table.md`, 'utf8').trim();
sections.orderings = orderings(iid, allImages);
for (const objective of OBJECTIVES) sections[`policies-${objective.section}`] = policyTable(objective);
sections.losses = losses();
sections.transfers = transferTable(iid);
sections.runtime = runtime();
log('suite verdict');
const suite: SuiteScenario[] = [];
const notes: string[] = [];
const pending: string[] = [];
for (const entry of SUITE) {
  const bundle = finishedBundle(entry.directory);
  if (bundle === undefined) pending.push(`- ${entry.name} (\`${entry.directory}\`): not finished yet; \`npm run study\` resumes it.`);
  else {
    suite.push({ name: entry.name, bundle });
    notes.push(entry.note);
  }
}
sections['suite-scenarios'] = [await scenarioTable(suite, notes), ...(pending.length === 0 ? [] : ['', 'Still being recorded:', ...pending])].join('\n');
const verdict = await suiteVerdict(suite);
sections.verdict = verdict.tables;
sections['verdict-summary'] = verdict.summary;
sections['verdict-timing'] = verdict.timing;
sections.recovery = recoveryTable(suite);
sections['forecast-error'] = forecastErrorTable(suite);

const current = readFileSync(DOC, 'utf8');
let doc = current;
for (const [name, body] of Object.entries(sections)) doc = replaceMarkedSection(doc, DOC, `study:${name}`, body);
if (check) {
  rmSync(figures, { recursive: true, force: true });
  if (doc !== current) {
    const changed = Object.keys(sections).filter((name) => !current.includes(`<!-- study:${name}:start -->\n${sections[name]}\n<!-- study:${name}:end -->`));
    log(`${DOC} is out of date in sections ${changed.join(', ')}: run node dist/bench/study.js --write-only`);
    process.exit(1);
  }
  log(`${DOC} matches the recorded bundles`);
} else {
  writeFileSync(DOC, doc);
  log(`rewrote ${DOC}`);
}

/** 12-12 against 12-6 in max test accuracy for every screening pair, with the noise of the gap. */
function screeningTable(): string {
  const header = ['scale', 'rounds recorded (12-12 / 12-6)', '12-12 max (round)', '12-6 max (round)', 'gap ± s.e.', 'median s per round (12-12 / 12-6)'];
  const rows = SCREENING.map(({ label, large, small }) => {
    const runs = [large, small].map((path) => {
      try {
        return readRun(path);
      } catch {
        return undefined;
      }
    });
    if (runs.some((run) => run === undefined || run.rounds.length === 0)) return [label, 'not recorded yet', '–', '–', '–', '–'];
    const [l, sm] = runs as [RecordedRun, RecordedRun];
    const best = (run: RecordedRun) => run.rounds.reduce((a, b) => (b.test.accuracy > a.test.accuracy ? b : a));
    const roundSeconds = (run: RecordedRun) => median(run.rounds.map((r) => r.seconds.round - r.seconds.distillation));
    const test = Number((l.header.config as Record<string, unknown>).test);
    const [bl, bs] = [best(l), best(sm)];
    const se = Math.SQRT2 * Math.sqrt((bl.test.accuracy * (1 - bl.test.accuracy)) / test);
    const planned = Number((l.header.config as Record<string, unknown>).rounds);
    return [
      `${label}; ${test.toLocaleString('en-US')} test images`,
      `${l.rounds.length} / ${sm.rounds.length} of ${planned}`,
      `${pct(bl.test.accuracy)} (${bl.round})`,
      `${pct(bs.test.accuracy)} (${bs.round})`,
      `${((bl.test.accuracy - bs.test.accuracy) * 100).toFixed(1)} ± ${(se * 100).toFixed(1)}`,
      `${roundSeconds(l).toFixed(1)} / ${roundSeconds(sm).toFixed(1)}`,
    ];
  });
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** The bundle in `directory` when its sweep has finished (a manifest that checks), else undefined. */
function finishedBundle(directory: string): Bundle | undefined {
  try {
    return checkBundle(readBundle(directory));
  } catch {
    return undefined;
  }
}

function scaleTable(bundle: Bundle, all: RecordedRun): string {
  const config = bundle.small.header.config as Record<string, number>;
  const ladder = bundle.small.header.ladder;
  const allConfig = all.header.config as Record<string, number>;
  const rows = [
    ['', 'paper', 'fedgear here'],
    ['server share (distillation only)', '20,000', `${config.server!.toLocaleString('en-US')}`],
    ['validation (what policies see)', '–', `${config.validation!.toLocaleString('en-US')} (from the training set)`],
    ['clients x images', '3 x 10,000', `3 x ${config.perClient!.toLocaleString('en-US')}`],
    ['12-12 "all images" run', 'C50000: 3 x 16,667', `${ALL_IMAGES}: 3 x ${allConfig.perClient!.toLocaleString('en-US')} (server share + clients)`],
    ['test images', '10,000', `${config.test!.toLocaleString('en-US')}`],
    ['rounds', '200', `${config.rounds}`],
    ['switch points (Gear k)', '20, 40, 60, 80', bundle.branches.map((b) => b.switchAfter).join(', ')],
    ['small / large model', '6 / 12 layers', `${ladder[0]!.weightLayers} / ${ladder[1]!.weightLayers} weight layers, width ${config.width}: ${ladder[0]!.parameters.toLocaleString('en-US')} / ${ladder[1]!.parameters.toLocaleString('en-US')} parameters`],
    ['MB per round (sent + received)', '3.03 / 28.63', `${mbPerRound(bundle.small).toFixed(2)} / ${mbPerRound(bundle.large).toFixed(2)}`],
    ['local training', '–', `${config.localEpochs} epoch, batch ${config.batchSize}, SGD lr ${config.learningRate}, momentum 0.9`],
    ['growth at the switch', 'not stated in the slides', `${String((config as unknown as Record<string, string>).transfer)} (function-preserving; see "Growth transfers")`],
  ];
  return rows.map((row, index) => `| ${row.join(' | ')} |${index === 0 ? '\n|---|---|---|' : ''}`).join('\n');
}

function mbPerRound(run: RecordedRun): number {
  const record = run.rounds[0]!;
  return (record.bytes.sent + record.bytes.received) / 1e6;
}

/** Orderings by max accuracy and by seconds to 90% of the all-images max, computed from the runs. */
function orderings(bundle: Bundle, all: RecordedRun): string {
  const runs: { label: string; rounds: readonly RoundRecord[] }[] = [
    { label: ALL_IMAGES, rounds: all.rounds },
    { label: '12-12', rounds: bundle.large.rounds },
    { label: '12-6', rounds: bundle.small.rounds },
    ...bundle.branches.map((b) => ({ label: `Gear ${b.switchAfter}`, rounds: b.run.rounds })),
  ];
  const max = (rounds: readonly RoundRecord[]) => Math.max(...rounds.map((r) => r.test.accuracy));
  const reference = max(all.rounds);
  const to = (rounds: readonly RoundRecord[], fraction: number) => rounds.find((r) => r.test.accuracy >= fraction * reference);
  const byMax = [...runs].sort((a, b) => max(b.rounds) - max(a.rounds));
  const testImages = (bundle.small.header.config as Record<string, number>).test!;
  const standardError = Math.sqrt((reference * (1 - reference)) / testImages);
  const lines = [
    `- By max test accuracy: ${byMax.map((r) => `${r.label} ${pct(max(r.rounds))}`).join(' > ')}.`,
    `- Noise: one test accuracy near ${pct(reference)} on ${testImages.toLocaleString('en-US')} images has a binomial standard error of ${(100 * standardError).toFixed(1)} points, and a maximum over ${bundle.manifest.rounds} noisy rounds is biased upwards; gaps below about ${(200 * standardError).toFixed(0)} points between two runs are not evidence of an ordering.`,
  ];
  for (const fraction of [0.8, 0.9]) {
    const reached = runs.map((r) => ({ label: r.label, record: to(r.rounds, fraction) }));
    const sorted = reached.filter((r) => r.record !== undefined).sort((a, b) => a.record!.seconds.total - b.record!.seconds.total);
    const never = reached.filter((r) => r.record === undefined).map((r) => r.label);
    lines.push(
      `- By seconds to ${fraction * 100}% of ${ALL_IMAGES}'s max (${pct(fraction * reference)}): ${sorted.map((r) => `${r.label} ${Math.round(r.record!.seconds.total)} s (${(totalBytes(r.record!) / 1e6).toFixed(0)} MB)`).join(' < ')}${never.length > 0 ? `; never: ${never.join(', ')}` : ''}.`,
    );
  }
  return lines.join('\n');
}

function policyTable(objective: StudyObjective): string {
  const data = scored.get(objective.spec)!;
  const header = ['', ...SCENARIOS.map((scenario) => scenario.name)];
  const cell = (entry: Scored['perBundle'][number], withRegret: boolean) => {
    if (entry === undefined) return '–';
    const where = entry.switchAfter === null ? 'never' : `after ${entry.switchAfter}`;
    const value = entry.value === null ? 'not reached' : objective.value(entry.value);
    const regret = !withRegret || entry.regret === null ? '' : `, regret **${entry.regret >= 0 ? '+' : ''}${objective.regret(entry.regret)}**`;
    return `${where}: ${value}${regret}${entry.note !== undefined && entry.note.includes('=') ? ` (${entry.note})` : ''}`;
  };
  const rows = [
    [data.oracle.label, ...data.oracle.perBundle.map((e) => cell(e, false))],
    ...data.gears.map((gear) => [gear.label, ...gear.perBundle.map((e) => cell(e, true))]),
    [data.never.label, ...data.never.perBundle.map((e) => cell(e, true))],
    ...data.policies.map((policy) => [policy.label, ...policy.perBundle.map((e) => cell(e, true))]),
  ];
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** Every (policy, scenario) with a positive regret, plainly. */
function losses(): string {
  const lines: string[] = [];
  for (const objective of OBJECTIVES) {
    const data = scored.get(objective.spec)!;
    for (const policy of data.policies) {
      policy.perBundle.forEach((entry, index) => {
        const oracle = data.oracle.perBundle[index]!;
        if (entry === undefined || entry.regret === null || entry.regret <= 0) return;
        const where = entry.switchAfter === null ? 'never switched' : `switched after round ${entry.switchAfter}`;
        const best = oracle.switchAfter === null ? 'never switching' : `switching after round ${oracle.switchAfter}`;
        lines.push(`- ${policy.label}, ${SCENARIOS[index]!.name}, ${objective.title}: ${where}, ${objective.regret(entry.regret)} behind ${best}.`);
      });
    }
  }
  return lines.length === 0 ? '- No policy lost to the oracle on any scenario.' : lines.join('\n');
}

function transferTable(bundle: Bundle): string {
  const branch = bundle.branches.find((b) => b.switchAfter === bundle.alternatives[0]?.switchAfter);
  if (branch === undefined) throw new Error(`${bundle.directory} must record alternative transfers at one of its switch points (sweep --compare-transfers).`);
  const k = branch.switchAfter;
  const stackTransfer = String((bundle.small.header.config as Record<string, unknown>).transfer);
  const runs = [{ transfer: stackTransfer, run: branch.run }, ...bundle.alternatives.map((a) => ({ transfer: a.transfer, run: a.run }))];
  const header = [
    'transfer',
    `validation: small after round ${k} -> grown model, before training`,
    `test: round ${k} (small)`,
    `round ${k + 1}`,
    `round ${k + 2}`,
    `round ${k + 4}`,
    `end (round ${bundle.manifest.rounds})`,
    'max',
    'seconds of the switch',
  ];
  const rows = runs.map(({ transfer, run }) => {
    const acc = (round: number) => pct(run.rounds[round - 1]?.test.accuracy);
    return [
      transfer,
      `${pct(run.rounds[k - 1]!.validation.accuracy)} -> ${pct(run.switches[0]?.inherited?.accuracy)}`,
      acc(k),
      acc(k + 1),
      acc(k + 2),
      acc(k + 4),
      acc(bundle.manifest.rounds),
      pct(Math.max(...run.rounds.map((r) => r.test.accuracy))),
      run.rounds[k]!.seconds.distillation.toFixed(1),
    ];
  });
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function runtime(): string {
  const rounds = (bundle: Bundle) => [
    ...bundle.small.rounds,
    ...bundle.large.rounds,
    ...[...bundle.branches, ...bundle.alternatives].flatMap((b) => b.run.rounds.filter((r) => r.round > b.switchAfter)),
  ];
  const sum = (records: readonly RoundRecord[]) => records.reduce((total, r) => total + r.seconds.round, 0);
  // Rounds at their gear's median duration: what the recording takes without the load spikes of a shared machine.
  const typical = (records: readonly RoundRecord[]) =>
    [0, 1].reduce((total, gear) => {
      const times = records.filter((r) => r.gear === gear).map((r) => r.seconds.round);
      return total + (times.length === 0 ? 0 : times.length * median(times));
    }, 0);
  const minutes = (seconds: number) => `${(seconds / 60).toFixed(0)} min`;
  const recorded: { name: string; records: readonly RoundRecord[] }[] = [
    ...bundles.map((bundle, index) => ({ name: SCENARIOS[index]!.name, records: rounds(bundle) })),
    { name: ALL_IMAGES, records: allImages.rounds },
    ...SUITE.filter((entry) => entry.sweep !== undefined).flatMap((entry) => {
      const bundle = finishedBundle(entry.directory);
      return bundle === undefined ? [] : [{ name: entry.name, records: rounds(bundle) }];
    }),
  ];
  const all = recorded.flatMap((entry) => entry.records);
  return [
    `Recorded training time (the sum of the recorded round seconds; in brackets, every round at its gear's median duration in that recording, which leaves out the load of a shared machine): ${recorded.map((entry) => `${entry.name} ${minutes(sum(entry.records))} (${minutes(typical(entry.records))})`).join(', ')}.`,
    `In all ${minutes(sum(all))} (${minutes(recorded.reduce((total, entry) => total + typical(entry.records), 0))}), backend ${iid.small.header.backend}. Report, replay and tune take seconds.`,
  ].join(' ');
}
