import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../vendor/zod.js';
import { TRANSFER_KINDS, type TransferKind } from '../engine/run-config.js';
import { FileError } from '../metrics/file-error.js';
import { quoteValue } from '../metrics/quote-value.js';
import { readRun, type RecordedRun } from '../metrics/read-run.js';

/** Format name of a sweep bundle's manifest. */
export const BUNDLE_FORMAT = 'fedgear-bundle';

/** Version of the bundle schema this code writes and reads. */
export const BUNDLE_VERSION = 1;

/** File name of the manifest inside a bundle directory. */
export const MANIFEST_FILE = 'manifest.json';

/**
 * A bundle's manifest: one recorded scenario. `small` ran the smallest gear for all rounds,
 * `large` the top gear for all rounds (the 12-12 baseline), and each branch is the run that
 * switches after round `switchAfter` — rounds 1..switchAfter copied from `small`, then the grown
 * model to the last round — exactly what `fedgear run --policy fixed --at switchAfter` records.
 * Optional `alternatives` switch at one of those rounds with another growth transfer (kd,
 * stack, scratch), to compare transfers; replay and the oracle use `branches` only.
 */
export const bundleManifest = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  /** A short name of the scenario, e.g. "cifar10-iid-seed0". */
  name: z.string(),
  /** The command that recorded it. */
  command: z.string(),
  rounds: z.number().int().min(1),
  small: z.string(),
  large: z.string(),
  branches: z.array(z.object({ switchAfter: z.number().int().min(1), file: z.string() })),
  alternatives: z
    .array(z.object({ switchAfter: z.number().int().min(1), transfer: z.enum(TRANSFER_KINDS as [TransferKind, ...TransferKind[]]), file: z.string() }))
    .optional(),
});

/** The manifest's type. */
export type BundleManifest = z.infer<typeof bundleManifest>;

/** A bundle with all of its runs read and checked. */
export interface Bundle {
  readonly directory: string;
  readonly manifest: BundleManifest;
  readonly small: RecordedRun;
  readonly large: RecordedRun;
  /** Branches by ascending switch round. */
  readonly branches: readonly { readonly switchAfter: number; readonly run: RecordedRun }[];
  /** Branches grown with another transfer than the scenario's, for comparing transfers. */
  readonly alternatives: readonly { readonly switchAfter: number; readonly transfer: TransferKind; readonly run: RecordedRun }[];
}

/**
 * Reads a bundle directory: its manifest and every run it names. Errors name the file, the line
 * and the field.
 *
 * @example
 * const bundle = readBundle('test/fixtures/bundles/synthetic-iid-seed0');
 */
export function readBundle(directory: string): Bundle {
  const path = join(directory, MANIFEST_FILE);
  if (!existsSync(path)) throw new FileError(`${directory} must be a bundle directory holding ${MANIFEST_FILE}, but it has none.`, { file: directory });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new FileError(`${path} must be JSON, but parsing failed: ${(error as Error).message}`, { file: path });
  }
  const parsed = bundleManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const got = issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], raw);
    throw new FileError(`${path}: ${field || 'manifest'} ${issue.message.replace(/^Invalid input: /, '')}, but got ${quoteValue(got)}.`, {
      file: path,
      ...(field === '' ? {} : { field }),
    });
  }
  const manifest = parsed.data;
  const run = (file: string) => readRun(join(directory, file));
  const branches = [...manifest.branches]
    .sort((a, b) => a.switchAfter - b.switchAfter)
    .map((branch) => ({ switchAfter: branch.switchAfter, run: run(branch.file) }));
  const alternatives = (manifest.alternatives ?? []).map((alternative) => ({
    switchAfter: alternative.switchAfter,
    transfer: alternative.transfer,
    run: run(alternative.file),
  }));
  return { directory, manifest, small: run(manifest.small), large: run(manifest.large), branches, alternatives };
}
