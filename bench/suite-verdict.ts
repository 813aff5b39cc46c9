/**
 * The verdict of the study: every built-in policy, with default options and tuned leave one
 * scenario out, every fixed switch fraction and the single best fixed fraction in hindsight,
 * scored on every scenario of the suite by every objective, through the same replay pipeline as
 * `fedgear replay` (`compareOnBundle`). Writes Markdown for docs/reproduction.md.
 */
import type { Bundle } from '../src/replay/bundle.js';
import { compareOnBundle, maxTestAccuracy } from '../src/replay/compare.js';
import { parseObjective, type Objective } from '../src/replay/objective.js';
import { totalBytes } from '../src/metrics/round-record.js';
import { contextFromHeader } from '../src/policy/context-from-header.js';
import { loadPolicy } from '../src/policy/load-policy.js';
import { validateOptions } from '../src/policy/options-schema.js';
import type { PolicyPlugin } from '../src/policy/plugin.js';

/** A scenario of the suite: a recorded bundle and how to name it. */
export interface SuiteScenario {
  readonly name: string;
  readonly bundle: Bundle;
}

/** An objective of the suite; budgets are set per scenario from its 12-12 run. */
interface SuiteObjective {
  readonly title: string;
  readonly unit: 's' | 'MB' | 'accuracy';
  /** The objective spec for one scenario. */
  spec(bundle: Bundle): string;
}

const twelveSeconds = (bundle: Bundle) => bundle.large.rounds.at(-1)!.seconds.total;
const twelveMegabytes = (bundle: Bundle) => totalBytes(bundle.large.rounds.at(-1)!) / 1e6;

/**
 * Objectives the small model cannot win alone: targets above its reach (97% and 99% of 12-12's
 * max), and the best accuracy within half of what 12-12 spends, where the large model has time
 * to overtake. Max accuracy by the last round is the run's default objective.
 */
export const SUITE_OBJECTIVES: readonly SuiteObjective[] = [
  { title: 'max test accuracy', unit: 'accuracy', spec: () => 'max-accuracy' },
  { title: 'seconds to 97% of the 12-12 max', unit: 's', spec: () => 'time-to:0.97' },
  { title: 'seconds to 99% of the 12-12 max', unit: 's', spec: () => 'time-to:0.99' },
  { title: 'MB to 97% of the 12-12 max', unit: 'MB', spec: () => 'mb-to:0.97' },
  { title: 'MB to 99% of the 12-12 max', unit: 'MB', spec: () => 'mb-to:0.99' },
  { title: 'best accuracy within half the seconds of 12-12', unit: 'accuracy', spec: (b) => `accuracy-at-seconds:${Math.round(twelveSeconds(b) / 2)}` },
  { title: 'best accuracy within half the MB of 12-12', unit: 'accuracy', spec: (b) => `accuracy-at-mb:${Math.round(twelveMegabytes(b) / 2)}` },
];

/** Built-ins judged with their default options. */
const DEFAULTS = ['forecast', 'fitting-risk', 'plateau', 'budget'] as const;

/** Small grids for tuning leave one scenario out: a few levels of each option that matters. */
const GRIDS: Readonly<Record<string, Readonly<Record<string, readonly (number | string)[]>>>> = {
  forecast: { nextGain: [0.05, 0.1, 0.2, 0.3], recovery: [0, 2, 4], warmup: [3, 5] },
  'fitting-risk': { minGain: [0.002, 0.005, 0.01, 0.02], underfitGap: [0.02, 0.05, 0.1], window: [3, 5] },
  plateau: { patience: [2, 3, 5, 10], minDelta: [0.005, 0.01, 0.02] },
  budget: { largeShare: [0.1, 0.2, 0.3, 0.5, 0.7, 0.9] },
};

/** The fixed switch fractions: the paper's Gear k at every tenth of the run. */
const FRACTIONS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** One policy on one scenario. */
interface Cell {
  readonly switchAfter: number | null;
  readonly value: number;
  readonly regret: number;
  /** Regret in the unit the summary averages: % of 12-12's cost, or accuracy points. */
  readonly normalised: number;
  /** The objective was a target some fixed switch reached, and this did not. */
  readonly missed: boolean;
  /** Where the oracle switched (null: never) on this scenario for this objective. */
  readonly oracleSwitch: number | null;
  readonly setting?: string;
}

interface Row {
  readonly label: string;
  readonly kind: 'auto' | 'tuned' | 'fixed' | 'best-fixed';
  readonly cells: readonly Cell[];
}

/** What the study writes: a table per objective and a summary with the verdict. */
export interface Verdict {
  readonly tables: string;
  readonly summary: string;
  /** When `plateau` (waiting for convergence) switched against the oracle. */
  readonly timing: string;
}

/**
 * Scores every policy on every scenario by every objective.
 *
 * @example
 * const { tables, summary } = await suiteVerdict([{ name: 'cifar10-iid', bundle }]);
 */
export async function suiteVerdict(scenarios: readonly SuiteScenario[]): Promise<Verdict> {
  const plugins = new Map<string, PolicyPlugin>();
  for (const name of [...DEFAULTS, 'fixed']) plugins.set(name, await loadPolicy(name));
  const tables: string[] = [];
  const summary: string[] = [];
  const timing: { policy: string; later: number; earlier: number; same: number; delays: number[] }[] = [];
  for (const objective of SUITE_OBJECTIVES) {
    const objectives = scenarios.map((scenario) => parseObjective(objective.spec(scenario.bundle)));
    const score = (name: string, options: Record<string, unknown>) =>
      Promise.all(scenarios.map((scenario, index) => judge(plugins.get(name)!, options, scenario.bundle, objectives[index]!, objective)));
    const fixed: Row[] = [];
    for (const fraction of FRACTIONS) fixed.push({ label: `fixed --fraction ${fraction}`, kind: 'fixed', cells: await score('fixed', { fraction }) });
    const bestFixed = [...fixed].sort((a, b) => compareRows(a.cells, b.cells))[0]!;
    const reachable = scenarios.map((_, index) => fixed.some((row) => Number.isFinite(row.cells[index]!.value)));
    const mark = (cells: readonly Cell[]): Cell[] => cells.map((cell, index) => ({ ...cell, missed: reachable[index]! && !Number.isFinite(cell.value) }));
    const rows: Row[] = [];
    for (const name of DEFAULTS) rows.push({ label: `${name} (default)`, kind: 'auto', cells: mark(await score(name, {})) });
    for (const name of DEFAULTS) rows.push({ label: `${name} (tuned on the other scenarios)`, kind: 'tuned', cells: mark(await tunedLeaveOneOut(plugins.get(name)!, GRIDS[name]!, scenarios, objectives, objective)) });
    rows.push({ label: `best fixed fraction in hindsight (${bestFixed.label.replace('fixed --fraction ', '')})`, kind: 'best-fixed', cells: mark(bestFixed.cells) });
    rows.push(...fixed.map((row) => ({ ...row, cells: mark(row.cells) })));
    tables.push(table(objective, scenarios, objectives, rows));
    for (const row of rows.filter((candidate) => candidate.kind === 'auto')) {
      let entry = timing.find((t) => t.policy === row.label);
      if (entry === undefined) timing.push((entry = { policy: row.label, later: 0, earlier: 0, same: 0, delays: [] }));
      for (const [index, cell] of row.cells.entries()) {
        // Never switching counts as switching after the last round.
        const at = (after: number | null, scenario: number) => after ?? Number((scenarios[scenario]!.bundle.small.header.config as Record<string, unknown>).rounds);
        const delay = at(cell.switchAfter, index) - at(cell.oracleSwitch, index);
        if (delay > 0) entry.later += 1;
        else if (delay < 0) entry.earlier += 1;
        else entry.same += 1;
        entry.delays.push(delay);
      }
    }
    summary.push(verdictLines(objective, rows));
  }
  const timingLines = timing.map(({ policy, later, earlier, same, delays }) => {
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
    return `- ${policy.replace(' (default)', '')}: later than the oracle in ${later}, earlier in ${earlier}, at the same round in ${same} of ${delays.length} (scenario, objective) pairs; mean ${mean >= 0 ? '+' : ''}${mean.toFixed(1)} rounds (never switching counts as the last round).`;
  });
  return { tables: tables.join('\n\n'), summary: summary.join('\n'), timing: timingLines.join('\n') };
}

async function judge(plugin: PolicyPlugin, raw: Record<string, unknown>, bundle: Bundle, objective: Objective, suite: SuiteObjective): Promise<Cell> {
  const options = validateOptions(plugin.name, plugin.options, raw);
  const policy = plugin.create(options, contextFromHeader(bundle.small.header, objective.goal));
  const { policy: row, rows } = await compareOnBundle(bundle, policy, plugin.name, { objective });
  const regret = row.regret!;
  const oracleSwitch = rows.find((candidate) => candidate.oracle)!.switchAfter;
  const scale = suite.unit === 's' ? 100 / twelveSeconds(bundle) : suite.unit === 'MB' ? 100 / twelveMegabytes(bundle) : 100;
  return { switchAfter: row.switchAfter, value: row.value, regret, normalised: regret * scale, missed: false, oracleSwitch };
}

/** For each scenario, the grid setting with the best regret on the others, judged on it. */
async function tunedLeaveOneOut(
  plugin: PolicyPlugin,
  grid: Readonly<Record<string, readonly (number | string)[]>>,
  scenarios: readonly SuiteScenario[],
  objectives: readonly Objective[],
  suite: SuiteObjective,
): Promise<Cell[]> {
  const settings = Object.entries(grid).reduce<Record<string, number | string>[]>((all, [key, levels]) => all.flatMap((setting) => levels.map((level) => ({ ...setting, [key]: level }))), [{}]);
  const results = await Promise.all(settings.map((setting) => Promise.all(scenarios.map((scenario, index) => judge(plugin, setting, scenario.bundle, objectives[index]!, suite)))));
  return scenarios.map((_, heldOut) => {
    const others = (cells: readonly Cell[]) => cells.filter((__, index) => index !== heldOut);
    let best = 0;
    for (let index = 1; index < settings.length; index++) if (compareRows(others(results[index]!), others(results[best]!)) < 0) best = index;
    const setting = Object.entries(settings[best]!).map(([key, value]) => `${key}=${value}`).join(' ');
    return { ...results[best]![heldOut]!, setting };
  });
}

/** Fewer scenarios never reaching the objective first, then the lower mean normalised regret. */
function compareRows(a: readonly Cell[], b: readonly Cell[]): number {
  const misses = (cells: readonly Cell[]) => cells.filter((cell) => !Number.isFinite(cell.regret)).length;
  return misses(a) - misses(b) || meanNormalised(a) - meanNormalised(b);
}

function meanNormalised(cells: readonly Cell[]): number {
  const finite = cells.filter((cell) => Number.isFinite(cell.normalised));
  return finite.length === 0 ? 0 : finite.reduce((sum, cell) => sum + cell.normalised, 0) / finite.length;
}

function table(suite: SuiteObjective, scenarios: readonly SuiteScenario[], objectives: readonly Objective[], rows: readonly Row[]): string {
  const unit = suite.unit === 'accuracy' ? 'points' : `% of 12-12's ${suite.unit}`;
  const header = ['policy', ...scenarios.map((scenario, index) => `${scenario.name} (\`${objectives[index]!.spec}\`)`), `mean regret (${unit})`, 'misses'];
  const cell = (entry: Cell) => {
    const where = entry.switchAfter === null ? 'never' : `after ${entry.switchAfter}`;
    const regret = Number.isFinite(entry.regret) ? `${entry.normalised >= 0 ? '+' : ''}${entry.normalised.toFixed(1)}` : 'never reached';
    return `${where}: ${regret}${entry.missed ? ' (missed)' : ''}${entry.setting === undefined ? '' : ` (${entry.setting})`}`;
  };
  const lines = rows.map((row) => {
    const misses = row.cells.filter((entry) => entry.missed).length;
    return `| ${[row.label, ...row.cells.map(cell), meanNormalised(row.cells).toFixed(2), String(misses)].join(' | ')} |`;
  });
  return [`#### ${suite.title}`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines].join('\n');
}

function verdictLines(suite: SuiteObjective, rows: readonly Row[]): string {
  const unit = suite.unit === 'accuracy' ? 'points' : `% of 12-12's ${suite.unit}`;
  const best = rows.find((row) => row.kind === 'best-fixed')!;
  const bestMean = meanNormalised(best.cells);
  const auto = rows.filter((row) => row.kind === 'auto');
  const describe = (row: Row) => `${row.label.replace(' (default)', '')} ${meanNormalised(row.cells).toFixed(2)}${row.cells.some((c) => c.missed) ? ` (${row.cells.filter((c) => c.missed).length} missed)` : ''}`;
  const winners = auto.filter((row) => !row.cells.some((c) => c.missed) && meanNormalised(row.cells) <= bestMean + 1e-9);
  const verdict =
    winners.length > 0
      ? `met by ${winners.map((row) => row.label.replace(' (default)', '')).join(', ')}`
      : `not met: the closest default is ${describe([...auto].sort((a, b) => compareRows(a.cells, b.cells))[0]!)} against ${bestMean.toFixed(2)}`;
  return `- **${suite.title}** (mean regret, ${unit}): ${auto.map(describe).join('; ')}; best fixed fraction in hindsight ${best.label.match(/\(([^)]+)\)/)![1]} ${bestMean.toFixed(2)}. Target (a default at or below the best fixed fraction, missing no reachable target): ${verdict}.`;
}

/**
 * The suite's scenarios in a table: scale, the capacity gap (12-12 over 12-6 in max test accuracy,
 * with the binomial standard error of one accuracy), and the oracle of each objective.
 *
 * @example
 * scenarioTable(scenarios, notes);
 */
export async function scenarioTable(scenarios: readonly SuiteScenario[], notes: readonly string[]): Promise<string> {
  const never = await loadPolicy('never');
  const header = ['scenario', 'data and scale', '12-12 max', '12-6 max', 'gap (± s.e.)', ...SUITE_OBJECTIVES.map((objective) => `oracle: ${objective.title}`)];
  const lines: string[] = [];
  for (const [index, { name, bundle }] of scenarios.entries()) {
    const config = bundle.small.header.config as Record<string, unknown>;
    const large = maxTestAccuracy(bundle);
    const small = Math.max(...bundle.small.rounds.map((record) => record.test.accuracy));
    const test = Number(config.test);
    const standardError = Math.sqrt((large * (1 - large)) / test) * Math.SQRT2;
    const partition = config.partition as { kind: string; alpha?: number };
    const scale = `${String(config.dataset)}${partition.kind === 'dirichlet' ? ` Dirichlet(${partition.alpha})` : ''}, ${String(config.clients)} x ${Number(config.perClient).toLocaleString('en-US')} images, width ${String(config.width)}, ${String(config.rounds)} rounds, seed ${String(config.seed)}, test ${test.toLocaleString('en-US')}${notes[index] ? `; ${notes[index]}` : ''}`;
    const oracles: string[] = [];
    for (const suite of SUITE_OBJECTIVES) {
      const objective = parseObjective(suite.spec(bundle));
      const comparison = await compareOnBundle(bundle, never.create({}, contextFromHeader(bundle.small.header, objective.goal)), 'never', { objective });
      const oracle = comparison.rows.find((row) => row.oracle)!;
      oracles.push(Number.isFinite(oracle.value) ? (oracle.switchAfter === null ? 'never' : `after ${oracle.switchAfter}`) : 'no gear reaches it');
    }
    lines.push(`| ${[name, scale, pct(large), pct(small), `${((large - small) * 100).toFixed(1)} ± ${(standardError * 100).toFixed(1)}`, ...oracles].join(' | ')} |`);
  }
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines].join('\n');
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
