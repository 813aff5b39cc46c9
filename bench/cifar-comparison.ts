/**
 * The real-CIFAR-10 evidence in docs/method.md, regenerated from a recorded bundle:
 * 1. fedgear's 12-12, 12-6 and gear curves beside the independent PyTorch reference run of the
 *    same protocol at the same client data size (../shared/reference/runs-2k);
 * 2. accuracy just before and just after the switch for each growth transfer, resuming the
 *    bundle's saved small-model state (so the three differ only in the transfer).
 *
 * Usage (after `fedgear sweep` has recorded the bundle):
 *   node dist/bench/cifar-comparison.js test/fixtures/bundles/cifar10-iid-seed0 [--switch 10] [--after 3]
 * Rewrites the marked sections of docs/method.md and docs/figures/cifar10-vs-reference.{svg,png}.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { stagedRun } from '../src/engine/staged-run.js';
import type { RunConfig, TransferKind } from '../src/engine/run-config.js';
import { readRun } from '../src/metrics/read-run.js';
import type { RoundRecord } from '../src/metrics/round-record.js';
import { loadPolicy } from '../src/policy/load-policy.js';
import { readBundle } from '../src/replay/bundle.js';
import { lineChartSvg, type LineSeries } from '../src/report/line-chart.js';
import { svgToPng } from '../src/report/svg-to-png.js';

const args = process.argv.slice(2);
const bundleDir = args.find((a) => !a.startsWith('--')) ?? 'test/fixtures/bundles/cifar10-iid-seed0';
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const switchAfter = flag('switch', 10);
const after = flag('after', 3);
const referenceDir = '../shared/reference/runs-2k';
const methodFile = 'docs/method.md';

interface Curve {
  readonly label: string;
  readonly accuracy: readonly number[];
  readonly switchAfter?: number;
}

const bundle = readBundle(bundleDir);
const branch = bundle.branches.find((b) => b.switchAfter === switchAfter);
if (branch === undefined) throw new Error(`--switch must be one of the bundle's switch points (${bundle.branches.map((b) => b.switchAfter).join(', ')}), but got ${switchAfter}.`);
const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(1)}`);
const ours = (label: string, rounds: readonly RoundRecord[], at?: number): Curve => ({ label, accuracy: rounds.map((r) => r.test.accuracy), ...(at === undefined ? {} : { switchAfter: at }) });

// 1. Transfers at one switch point, from the saved small state.
const transferRows: string[] = [];
const config = bundle.small.header.config as unknown as RunConfig;
const fixed = await loadPolicy('fixed');
const statePath = join(bundleDir, 'state', `small-after-${switchAfter}.f32`);
if (!existsSync(statePath)) throw new Error(`${statePath} must exist (the sweep's saved small state), but it does not: run the bundle's sweep command first.`);
const stateBytes = readFileSync(statePath);
const weights = new Float32Array(stateBytes.buffer.slice(stateBytes.byteOffset, stateBytes.byteOffset + stateBytes.byteLength));
const before = bundle.small.rounds[switchAfter - 1]!;
for (const transfer of ['stack', 'kd', 'scratch'] as TransferKind[]) {
  let rounds: readonly RoundRecord[];
  let inherited: number;
  if (transfer === config.transfer) {
    rounds = branch.run.rounds;
    inherited = branch.run.switches[0]!.inherited.accuracy;
  } else {
    const outFile = join('tmp', 'cifar-comparison', `${transfer}-after-${switchAfter}.jsonl`);
    mkdirSync(join('tmp', 'cifar-comparison'), { recursive: true });
    process.stderr.write(`transfer ${transfer}: ${after} large rounds after round ${switchAfter}\n`);
    await lastValueFrom(
      stagedRun({
        config: { ...config, transfer, rounds: switchAfter + after, policy: { name: 'fixed', options: { at: switchAfter } } },
        plugin: fixed,
        outFile,
        dataDir: '../shared/data/cifar-10-batches-bin',
        resume: { rounds: bundle.small.rounds.slice(0, switchAfter), switches: [], weights },
      }).pipe(toArray()),
    );
    const run = readRun(outFile);
    rounds = run.rounds;
    inherited = run.switches[0]!.inherited.accuracy;
  }
  const next = rounds.slice(switchAfter, switchAfter + after).map((r) => pct(r.test.accuracy));
  const seconds = rounds[switchAfter]!.seconds.distillation;
  transferRows.push(`| ${transfer} | ${pct(before.validation.accuracy)} -> ${pct(inherited)} | ${pct(before.test.accuracy)} | ${next.join(' / ')} | ${seconds.toFixed(1)} |`);
}

// 2. Curves beside the PyTorch reference.
const reference = (file: string, label: string, at?: number): Curve | undefined => {
  const path = join(referenceDir, file);
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { test_acc: number });
  return { label, accuracy: lines.map((l) => l.test_acc), ...(at === undefined ? {} : { switchAfter: at }) };
};
const fedgearCurves: Curve[] = [
  ours('fedgear 12-12', bundle.large.rounds),
  ours('fedgear 12-6', bundle.small.rounds),
  ...bundle.branches.map((b) => ours(`fedgear Gear ${b.switchAfter} (${config.transfer})`, b.run.rounds, b.switchAfter)),
];
const referenceCurves = [
  reference('12-12.jsonl', 'PyTorch 12-12'),
  reference('12-6.jsonl', 'PyTorch 12-6'),
  reference('gear15-kd.jsonl', 'PyTorch Gear 15 (kd)', 15),
].filter((c): c is Curve => c !== undefined);
const rounds = bundle.manifest.rounds;
const maxOf = (c: Curve, upTo = rounds) => Math.max(...c.accuracy.slice(0, upTo));
const curveRows = [...fedgearCurves, ...referenceCurves].map((c) => {
  const sw = c.switchAfter;
  const around = sw === undefined ? '' : `${pct(c.accuracy[sw - 1])} -> ${pct(c.accuracy[sw])}`;
  return `| ${c.label} | ${pct(maxOf(c))} | ${pct(c.accuracy[rounds - 1])} | ${pct(c.accuracy[9])} | ${around} |`;
});

const series: LineSeries[] = [...fedgearCurves, ...referenceCurves].map((c, i) => ({
  label: c.label,
  points: c.accuracy.slice(0, rounds).map((y, k) => ({ x: k + 1, y })),
  markers: c.switchAfter === undefined ? [] : [{ x: c.switchAfter, y: c.accuracy[c.switchAfter - 1]!, label: String(c.switchAfter) }],
  dashed: i >= fedgearCurves.length,
}));
mkdirSync('docs/figures', { recursive: true });
const svg = lineChartSvg({
  title: `CIFAR-10, 3 clients x ${config.perClient} images: fedgear (solid) and the PyTorch reference (dashed)`,
  xLabel: 'round',
  yLabel: 'test accuracy',
  series,
  xInteger: true,
  formatY: (y) => `${Math.round(y * 100)}%`,
  markerLegend: 'switch after round n',
});
writeFileSync('docs/figures/cifar10-vs-reference.svg', svg);
writeFileSync('docs/figures/cifar10-vs-reference.png', svgToPng(svg, { width: 900 }));

const command = `node dist/bench/cifar-comparison.js ${bundleDir} --switch ${switchAfter} --after ${after}`;
const curvesSection = [
  `Test accuracy (%) of the bundle \`${bundleDir}\` (recorded by \`${bundle.manifest.command}\`) and of the`,
  `PyTorch reference's \`runs-2k\` (server 4,000, 3 x 2,000 client images, width 16; see ../shared/reference).`,
  `The first ${rounds} rounds of the reference are used. Generated by \`${command}\`.`,
  '',
  '| run | max | at round ' + rounds + ' | at round 10 | just before -> just after the switch |',
  '|---|---|---|---|---|',
  ...curveRows,
  '',
  '![fedgear and PyTorch on CIFAR-10](figures/cifar10-vs-reference.png)',
].join('\n');
const transferSection = [
  `Each transfer resumed from the same saved small model after round ${switchAfter} (validation accuracy before -> the grown`,
  `model's before any federated round; then test accuracy of the next ${after} large rounds). Generated by \`${command}\`.`,
  '',
  `| transfer | validation % before -> inherited | test % at round ${switchAfter} | test % rounds ${switchAfter + 1}..${switchAfter + after} | transfer seconds |`,
  '|---|---|---|---|---|',
  ...transferRows,
].join('\n');

let method = readFileSync(methodFile, 'utf8');
const replaceSection = (text: string, name: string, body: string) => {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${methodFile} must hold the markers ${start} and ${end}, but does not.`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
};
method = replaceSection(method, 'cifar-curves', curvesSection);
method = replaceSection(method, 'cifar-transfers', transferSection);
writeFileSync(methodFile, method);
console.log(curvesSection);
console.log();
console.log(transferSection);
