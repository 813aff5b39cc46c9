import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoundRecord } from '../../src/metrics/round-record.js';
import type { RunHeader } from '../../src/metrics/run-file-schema.js';
import { runHeader } from '../support/run-header.js';
import { RunWriter } from '../../src/metrics/run-writer.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, MANIFEST_FILE, type BundleManifest } from '../../src/replay/bundle.js';

/** What one made-up round measured; the gear decides bytes and seconds. */
export interface MadeUpRound {
  readonly accuracy: number;
  readonly gear: number;
}

/** Bytes moved per round in each direction, and seconds per round, of the small and large gear. */
export const PER_ROUND = [
  { bytes: 5_000_000, seconds: 2 },
  { bytes: 20_000_000, seconds: 5 },
] as const;

// Two clients: each round moves bytesPerTransfer twice in each direction (PER_ROUND).
const header: RunHeader = runHeader(
  [
    { name: 'small', parameters: 625_000, weightLayers: 6, bytesPerTransfer: 2_500_000 },
    { name: 'large', parameters: 2_500_000, weightLayers: 12, bytesPerTransfer: 10_000_000 },
  ],
  { clients: 2 },
);

/**
 * Round records with cumulative totals: each round moves PER_ROUND[gear].bytes each way and takes
 * PER_ROUND[gear].seconds.
 *
 * @example
 * madeUpRounds([{ accuracy: 0.3, gear: 0 }, { accuracy: 0.5, gear: 1 }])[1]!.bytes.sentTotal; // 25e6
 */
export function madeUpRounds(steps: readonly MadeUpRound[]): RoundRecord[] {
  let bytes = 0;
  let seconds = 0;
  return steps.map(({ accuracy, gear }, index) => {
    const cost = PER_ROUND[gear]!;
    bytes += cost.bytes;
    seconds += cost.seconds;
    return {
      round: index + 1,
      gear,
      gearName: header.ladder[gear]!.name,
      parameters: header.ladder[gear]!.parameters,
      validation: { accuracy, loss: 1 - accuracy },
      test: { accuracy, loss: 1 - accuracy },
      bytes: { sent: cost.bytes, received: cost.bytes, sentTotal: bytes, receivedTotal: bytes },
      seconds: { training: cost.seconds, aggregation: 0, distillation: 0, evaluation: 0, round: cost.seconds, total: seconds },
    };
  });
}

/**
 * Writes a run file of the given rounds, with a switch line at each change of gear.
 *
 * @example
 * writeRun(join(dir, 'a.jsonl'), madeUpRounds(steps));
 */
export function writeRun(path: string, rounds: readonly RoundRecord[]): string {
  const writer = RunWriter.create(path, { ...header, config: { ...header.config, rounds: rounds.length } });
  rounds.forEach((record, index) => {
    const previous = rounds[index - 1];
    if (previous !== undefined && previous.gear !== record.gear) {
      writer.switch({ kind: 'switch', afterRound: previous.round, from: previous.gear, to: record.gear, reason: 'made up', inherited: previous.test });
    }
    writer.round(record);
  });
  writer.end({ kind: 'end', status: 'completed' });
  return path;
}

/** Small-model accuracy: climbs quickly to 62%. */
export function smallAccuracy(round: number): number {
  return round2(0.1 + 0.52 * (1 - Math.exp(-round / 6)));
}

/** Large-model accuracy: starts slower, reaches 80%. */
export function largeAccuracy(round: number): number {
  return round2(0.1 + 0.7 * (1 - Math.exp(-round / 12)));
}

/** After a switch the grown model keeps what the small one knew and climbs towards 80%. */
export function branchAccuracy(round: number, switchAfter: number): number {
  if (round <= switchAfter) return smallAccuracy(round);
  const start = smallAccuracy(switchAfter);
  return round2(start + (0.8 - start) * (1 - Math.exp(-(round - switchAfter) / 8)));
}

/**
 * A bundle directory in the layout `readBundle` reads: small, large, and one branch per switch
 * round, with the made-up curves above.
 *
 * @example
 * const dir = writeBundle(40, [10, 20, 30]);
 */
export function writeBundle(rounds: number, switchAfter: readonly number[], directory = mkdtempSync(join(tmpdir(), 'fedgear-bundle-'))): string {
  const range = Array.from({ length: rounds }, (_, i) => i + 1);
  writeRun(join(directory, 'small.jsonl'), madeUpRounds(range.map((r) => ({ accuracy: smallAccuracy(r), gear: 0 }))));
  writeRun(join(directory, 'large.jsonl'), madeUpRounds(range.map((r) => ({ accuracy: largeAccuracy(r), gear: 1 }))));
  for (const k of switchAfter) {
    writeRun(join(directory, `gear-${k}.jsonl`), madeUpRounds(range.map((r) => ({ accuracy: branchAccuracy(r, k), gear: r <= k ? 0 : 1 }))));
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    name: 'made-up',
    command: 'made up by test/report/made-up-runs.ts',
    rounds,
    small: 'small.jsonl',
    large: 'large.jsonl',
    branches: switchAfter.map((k) => ({ switchAfter: k, file: `gear-${k}.jsonl` })),
  };
  writeFileSync(join(directory, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return directory;
}

function round2(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
