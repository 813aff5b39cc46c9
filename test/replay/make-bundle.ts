import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoundRecord } from '../../src/metrics/round-record.js';
import type { RunHeader } from '../../src/metrics/run-file-schema.js';
import { runHeader } from '../support/run-header.js';
import { RunWriter } from '../../src/metrics/run-writer.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, MANIFEST_FILE, type BundleManifest } from '../../src/replay/bundle.js';

/** The made-up two-gear ladder: the large model has 9x the parameters and bytes of the small one. */
export const LADDER: RunHeader['ladder'] = [
  { name: 'small', parameters: 10_000, weightLayers: 6, bytesPerTransfer: 40_000 },
  { name: 'large', parameters: 90_000, weightLayers: 12, bytesPerTransfer: 360_000 },
];

/** Wall seconds of one round of each gear; the first round after a switch adds `DISTILL_SECONDS`. */
export const SECONDS_PER_ROUND = [1, 3] as const;
export const DISTILL_SECONDS = 0.5;

/** The scenario to write; every field has a plausible default. */
export interface BundleShape {
  readonly name?: string;
  /** Rounds of every run; default 20. */
  readonly rounds?: number;
  /** Rounds after which branches switch; default every 2 rounds (2, 4, ..., rounds - 2). */
  readonly branches?: readonly number[];
  /** Clients; each round moves bytesPerTransfer to and from each of them. Default 4. */
  readonly clients?: number;
  /** Test accuracy of the small model after round r; default saturating at 0.55. */
  readonly small?: (round: number) => number;
  /** Test accuracy of the 12-12 run after round r; default saturating at 0.65. */
  readonly large?: (round: number) => number;
  /** Test accuracy after round r of the branch that switched after round k; default: from small(k) towards 0.65 - 0.002 k. */
  readonly grown?: (round: number, switchAfter: number) => number;
  /** Validation accuracy from test accuracy and round; default test + 0.01. */
  readonly validation?: (test: number, round: number) => number;
  /** Overrides of the header's ladder, e.g. three gears to see them refused. */
  readonly ladder?: RunHeader['ladder'];
}

const defaults = {
  small: (round: number) => 0.55 * (1 - Math.exp(-round / 4)),
  large: (round: number) => 0.65 * (1 - Math.exp(-round / 6)),
  validation: (test: number) => Math.min(1, test + 0.01),
};

/**
 * Writes a bundle directory as `fedgear sweep` would: manifest.json, small.jsonl, large.jsonl and
 * branch-<k>.jsonl, each a complete run with headers, decisions, switches and end lines; branch k
 * copies rounds 1..k of the small run exactly. Returns the directory.
 *
 * @example
 * const dir = makeBundle({ rounds: 12, branches: [3, 6] });
 * readBundle(dir).branches.map((b) => b.switchAfter); // [3, 6]
 */
export function makeBundle(shape: BundleShape = {}, directory = mkdtempSync(join(tmpdir(), 'fedgear-bundle-'))): string {
  const rounds = shape.rounds ?? 20;
  const clients = shape.clients ?? 4;
  const switchPoints = shape.branches ?? Array.from({ length: Math.max(0, Math.ceil((rounds - 1) / 2) - 1) }, (_, index) => 2 * (index + 1));
  const small = shape.small ?? defaults.small;
  const large = shape.large ?? defaults.large;
  const smallAt = (round: number) => small(round);
  const grown = shape.grown ?? ((round: number, k: number) => {
    const start = smallAt(k);
    const plateau = 0.65 - 0.002 * k;
    return plateau - (plateau - 0.95 * start) * Math.exp(-(round - k) / 4);
  });
  const validation = shape.validation ?? defaults.validation;
  const ladder = shape.ladder ?? LADDER;
  const header = (policy: string): RunHeader => runHeader(ladder, { rounds, clients, policy: { name: policy, options: {} } });

  const smallRounds = records(rounds, clients, () => 0, smallAt, validation, ladder);
  const write = (file: string, policy: string, runRounds: readonly RoundRecord[]) => {
    const writer = RunWriter.create(join(directory, file), header(policy));
    runRounds.forEach((record, index) => {
      writer.round(record);
      const next = runRounds[index + 1];
      const shifts = next !== undefined && next.gear !== record.gear;
      writer.decision({ kind: 'decision', round: record.round, action: shifts ? 'shift' : 'hold', reason: shifts ? 'made-up switch' : 'made-up hold' });
      if (shifts) writer.switch({ kind: 'switch', afterRound: record.round, from: record.gear, to: next.gear, reason: 'made-up switch', inherited: record.validation });
    });
    writer.end({ kind: 'end', status: 'completed' });
  };
  write('small.jsonl', 'never', smallRounds);
  write('large.jsonl', 'never', records(rounds, clients, () => 1, large, validation, ladder));
  for (const k of switchPoints) {
    const branch = records(rounds, clients, (round) => (round <= k ? 0 : 1), (round) => (round <= k ? smallAt(round) : grown(round, k)), validation, ladder);
    write(`branch-${k}.jsonl`, 'fixed', [...smallRounds.slice(0, k), ...branch.slice(k)]);
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    name: shape.name ?? 'made-up',
    command: 'made up by test/replay/make-bundle.ts',
    rounds,
    small: 'small.jsonl',
    large: 'large.jsonl',
    branches: switchPoints.map((k) => ({ switchAfter: k, file: `branch-${k}.jsonl` })),
  };
  writeFileSync(join(directory, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return directory;
}

function records(
  rounds: number,
  clients: number,
  gearOf: (round: number) => number,
  accuracy: (round: number) => number,
  validation: (test: number, round: number) => number,
  ladder: RunHeader['ladder'],
): RoundRecord[] {
  let sentTotal = 0;
  let secondsTotal = 0;
  const result: RoundRecord[] = [];
  for (let round = 1; round <= rounds; round++) {
    const gear = gearOf(round);
    const spec = ladder[Math.min(gear, ladder.length - 1)]!;
    const bytes = clients * spec.bytesPerTransfer!;
    const distillation = round > 1 && gearOf(round - 1) !== gear ? DISTILL_SECONDS : 0;
    const seconds = SECONDS_PER_ROUND[gear === 0 ? 0 : 1] + distillation;
    sentTotal += bytes;
    secondsTotal += seconds;
    const test = clamp(accuracy(round));
    result.push({
      round,
      gear,
      gearName: spec.name,
      parameters: spec.parameters,
      validation: { accuracy: clamp(validation(test, round)), loss: 2 * (1 - test) },
      test: { accuracy: test, loss: 2 * (1 - test) },
      bytes: { sent: bytes, received: bytes, sentTotal, receivedTotal: sentTotal },
      seconds: { training: seconds - distillation, aggregation: 0, distillation, evaluation: 0, round: seconds, total: secondsTotal },
    });
  }
  return result;
}

function clamp(accuracy: number): number {
  return Math.min(1, Math.max(0, accuracy));
}
