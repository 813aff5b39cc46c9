/**
 * How fast the CLI starts: `fedgear --version`, `--help`, `policies` and `replay` of a fixture
 * bundle, each against `node -e ''` (starting Node and doing nothing) run just before it in the
 * same round, so that the ratios hold while the shared machine's speed drifts. Also times
 * importing oclif alone, as fedgear loads it (bundled, the floor under every command) and as Node
 * resolves the @oclif/core package, and importing the TensorFlow.js bundle the training commands
 * load. Rewrites the start-up section of docs/benchmarks.md and prints it.
 *
 * Flags: `--runs N` (rounds after one warm-up round, default 9).
 *
 * @example
 * // npm run build && node dist/bench/start-up-speed.js --runs 5
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { machineLines, rerunCommand, ROOT, writeSection } from './benchmarks-doc.js';
import { fixed, median, table } from './markdown-table.js';
import { progress } from './process-timing.js';

const FIXTURE = 'test/fixtures/bundles/cifar10-iid-seed0';
const YARDSTICK = { label: "node -e ''", argv: ['-e', ''] };

interface Subject {
  readonly label: string;
  readonly argv: readonly string[];
  /** Set in the command's environment, beside this process's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** The target, as the issue states it: a ratio to the yardstick, or seconds on a quiet machine. */
  readonly target?: { readonly ratio: number } | { readonly seconds: number };
}

const SUBJECTS: readonly Subject[] = [
  { label: 'fedgear --version', argv: ['bin/run.js', '--version'], target: { ratio: 1.5 } },
  { label: 'fedgear --help', argv: ['bin/run.js', '--help'] },
  { label: 'fedgear policies', argv: ['bin/run.js', 'policies'], target: { ratio: 1.5 } },
  { label: 'NODE_ENV=development fedgear policies', argv: ['bin/run.js', 'policies'], env: { NODE_ENV: 'development' } },
  { label: `fedgear replay ${FIXTURE} --policy plateau`, argv: ['bin/run.js', 'replay', FIXTURE, '--policy', 'plateau'], target: { seconds: 0.5 } },
  { label: "oclif alone, bundled as fedgear loads it: node -e \"import('./dist/src/vendor/oclif-core.js')\"", argv: ['-e', "import('./dist/src/vendor/oclif-core.js')"] },
  { label: "@oclif/core alone, the package's own files: node -e \"require('@oclif/core')\"", argv: ['-e', "require('@oclif/core')"] },
  { label: "TensorFlow.js, bundled as each training process and worker thread loads it: node -e \"import('./dist/src/vendor/tfjs.js')\"", argv: ['-e', "import('./dist/src/vendor/tfjs.js')"] },
];

/** Wall seconds and CPU seconds (user + system) of one finished process. */
interface Sample {
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
}

/** User + system CPU seconds of this process's reaped children so far (Linux), else undefined. */
function childrenCpuSeconds(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // Fields 16 and 17 of stat(5), cutime and cstime, in clock ticks (100 a second on Linux).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function sample(argv: readonly string[], env: Readonly<Record<string, string>> = {}): Sample {
  const cpu = childrenCpuSeconds();
  const start = performance.now();
  const run = spawnSync(process.execPath, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`node ${argv.join(' ')} must exit with status 0, but got ${run.status ?? run.signal}: ${run.stderr}`);
  const after = childrenCpuSeconds();
  return { seconds, cpuSeconds: cpu === undefined || after === undefined ? undefined : after - cpu };
}

function parseRuns(): number {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, but got ${JSON.stringify(values.runs)}.`);
  return runs;
}

function main(): void {
  const runs = parseRuns();
  const started = new Date();
  const loadStart = os.loadavg();
  const yardstick: Sample[] = [];
  const samples = SUBJECTS.map((): Sample[] => []);
  // Each round runs the yardstick just before each subject: a ratio compares neighbours in time.
  const pairs = SUBJECTS.map((): { wall: number; cpu: number | undefined }[] => []);
  for (let round = 0; round <= runs; round++) {
    progress(round === 0 ? 'warm-up round' : `round ${round} of ${runs}`);
    for (const [index, subject] of SUBJECTS.entries()) {
      const base = sample(YARDSTICK.argv);
      const measured = sample(subject.argv, subject.env);
      if (round === 0) continue;
      yardstick.push(base);
      samples[index]!.push(measured);
      pairs[index]!.push({
        wall: measured.seconds / base.seconds,
        cpu: measured.cpuSeconds === undefined || base.cpuSeconds === undefined || base.cpuSeconds === 0 ? undefined : measured.cpuSeconds / base.cpuSeconds,
      });
    }
  }
  const cpuMedian = (list: readonly Sample[]) => {
    const values = list.map((s) => s.cpuSeconds).filter((value): value is number => value !== undefined);
    return values.length === 0 ? 'n/a' : fixed(median(values), 3);
  };
  const ratioMedian = (values: readonly (number | undefined)[]) => {
    const known = values.filter((value): value is number => value !== undefined);
    return known.length === 0 ? undefined : median(known);
  };
  const verdict = (subject: Subject, wallRatio: number, wallSeconds: number): string => {
    if (subject.target === undefined) return '';
    if ('ratio' in subject.target) return `<= ${subject.target.ratio}x: ${wallRatio <= subject.target.ratio ? 'met' : `**not met** (${fixed(wallRatio / subject.target.ratio, 2)}x the target)`}`;
    return `< ${subject.target.seconds} s on a quiet machine: ${wallSeconds < subject.target.seconds ? 'met' : '**not met** in this run'}`;
  };
  const rows = SUBJECTS.map((subject, index) => {
    const wallRatio = ratioMedian(pairs[index]!.map((pair) => pair.wall))!;
    const cpuRatio = ratioMedian(pairs[index]!.map((pair) => pair.cpu));
    const wallSeconds = median(samples[index]!.map((s) => s.seconds));
    return [
      `\`${subject.label}\``,
      fixed(wallSeconds, 3),
      cpuMedian(samples[index]!),
      `**${fixed(wallRatio, 2)}x**`,
      cpuRatio === undefined ? 'n/a' : `${fixed(cpuRatio, 2)}x`,
      verdict(subject, wallRatio, wallSeconds),
    ];
  });
  const body = `## CLI start-up

Generated by \`${rerunCommand('dist/bench/start-up-speed.js')}\` (\`bench/start-up-speed.ts\`).

${machineLines({ started, loadStart, versions: `Node ${process.versions.node}` })}

Each of ${runs} rounds (after one warm-up round) runs every command once, each right after
\`${YARDSTICK.label}\` (starting Node and doing nothing): the ratios are the median of those
neighbouring pairs, so they hold while the machine's speed drifts. "CPU s" is the process's user +
system time (Linux accounting of reaped children, in hundredths of a second). Yardstick medians:
${fixed(median(yardstick.map((s) => s.seconds)), 3)} s wall, ${cpuMedian(yardstick)} CPU-s.

${table(['command', 'wall s (median)', 'CPU s (median)', 'wall / node', 'CPU / node', 'target'], rows)}

None of these commands loads TensorFlow.js (\`test/cli/start-up.test.ts\` checks it), and with the
command manifest (\`oclif.manifest.json\`) each imports only its own command module. @oclif/core,
rxjs, zod and simple-statistics are loaded as one bundled module each (\`src/vendor/\`, written by
\`npm run build\`): the package @oclif/core, as Node resolves it, is about 160 CommonJS files ("the
package's own files"), its bundle one ("bundled as fedgear loads it": the floor under every
command, before any fedgear code runs); what is left of it is oclif running its own modules and
the Node built-ins they need (tty, net, stream, readline). \`fedgear --version\` adds oclif reading
package.json and the command manifest; \`policies\` adds the built-in policies and the plugin API
they import (some 30 ES modules); \`replay\` the bundled rxjs and zod, and reading and checking the
bundle's run files. Two things oclif did on every start are gone (commits 1e8d0ee and f7a3610):
sorting the command list with \`localeCompare\`, which loads ICU's collation tables (about a tenth
of \`node -e ''\`; the bundle compares code units instead), and, with \`NODE_ENV\` set to
\`development\` or \`test\` (vitest sets the latter for every command the tests start), reading
\`tsconfig.json\` with TypeScript's own parser to look for TypeScript sources, which made a command
2.7 times slower (fedgear's commands are always compiled; the NODE_ENV row shows it stays off).

The TensorFlow.js row is what \`run\`, \`sweep\`, \`serve\`, \`client\` and \`worker\` add, in the process
and in each of its worker threads, before they train: TensorFlow.js's core (with its gradients and
chained ops), layers API and cpu and wasm backends, bundled from their ES modules into one file.
Up to commit 0012778 fedgear imported the \`@tensorflow/tfjs\` package instead, which also loads the
converter, tf.data and the WebGL backend, each as one large CommonJS file that Node scans for named
exports: on this machine \`farm-bench -n 5 --vs "node -e ''" -- node -e "import('@tensorflow/tfjs')"\`
in a checkout of that commit gave 4.9x \`node -e ''\` (about 0.4 s more per process and per thread).`;
  writeSection('start-up', body);
  console.log(body);
}

main();
