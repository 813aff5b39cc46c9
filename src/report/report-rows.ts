import { basename, extname } from 'node:path';
import type { RecordedRun } from '../metrics/read-run.js';
import { contextFromHeader } from '../policy/context-from-header.js';
import { loadPolicy } from '../policy/load-policy.js';
import { validateOptions } from '../policy/options-schema.js';
import type { Bundle } from '../replay/bundle.js';
import { replayPolicy } from '../replay/replay-policy.js';
import type { ReportRow } from './report-row.js';

/** The label of a bundle's large-only run, the paper's baseline and default reference. */
export const LARGE_LABEL = '12-12';

/** The label of a bundle's small-only run. */
export const SMALL_LABEL = '12-6';

/**
 * The paper's rows of a bundle: 12-12 (large only), 12-6 (small only), then "Gear k" for each
 * branch that switches after round k, in that order, and "Gear k (kd)" for each alternative
 * transfer. `prefix` tells bundles apart in one report.
 *
 * @example
 * bundleRows(bundle).map((row) => row.label); // ['12-12', '12-6', 'Gear 20', 'Gear 40', 'Gear 20 (kd)']
 */
export function bundleRows(bundle: Bundle, prefix = ''): ReportRow[] {
  return [
    { label: `${prefix}${LARGE_LABEL}`, rounds: bundle.large.rounds },
    { label: `${prefix}${SMALL_LABEL}`, rounds: bundle.small.rounds },
    ...bundle.branches.map((branch) => ({ label: `${prefix}Gear ${branch.switchAfter}`, rounds: branch.run.rounds })),
    ...bundle.alternatives.map((branch) => ({ label: `${prefix}Gear ${branch.switchAfter} (${branch.transfer})`, rounds: branch.run.rounds })),
  ];
}

/**
 * A recorded run as one row, labelled with its file name without the extension. A run that did
 * not complete is marked with a note saying how it ended and how far it got, so a stopped, failed
 * or killed run is never read as a finished one.
 *
 * @example
 * runRow(readRun('runs/plateau-seed0.jsonl')).label; // 'plateau-seed0'
 * runRow(readRun('runs/stopped.jsonl')).note; // 'unfinished: stopped (SIGINT) after round 7 of 20'
 */
export function runRow(run: RecordedRun): ReportRow {
  const label = basename(run.path, extname(run.path));
  if (run.end?.status === 'completed') return { label, rounds: run.rounds };
  const how = run.end === undefined ? 'no end line (killed?)' : `${run.end.status}${run.end.message === undefined ? '' : ` (${run.end.message})`}`;
  const planned = run.header.config['rounds'];
  const of = typeof planned === 'number' ? ` of ${planned}` : '';
  return { label, rounds: run.rounds, note: `unfinished: ${how} after round ${run.rounds.at(-1)?.round ?? 0}${of}` };
}

/**
 * A policy replayed on a bundle, as a row: the run it would have produced (see `replayPolicy`),
 * labelled with `spec`, and a note saying when and why it shifted.
 *
 * `spec` is a policy as `fedgear run --policy` takes it, then its options as key=value words:
 * `plateau patience=5 min-delta=0.01`. Each policy of a report carries its own options, so two
 * settings of one policy can stand side by side.
 *
 * @example
 * (await policyRow(bundle, 'fixed at=30')).note; // 'shifted after round 30: fixed: round 30 reached'
 */
export async function policyRow(bundle: Bundle, spec: string, prefix = ''): Promise<ReportRow> {
  const [name, ...pairs] = spec.trim().split(/\s+/);
  if (name === undefined || name === '') throw new Error(`a policy must be a name followed by key=value options, but got '${spec}'.`);
  const raw: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new Error(`each option of a policy must be key=value, but got '${pair}' in '${spec}'.`);
    raw[camelCase(pair.slice(0, equals))] = pair.slice(equals + 1);
  }
  const plugin = await loadPolicy(name);
  const options = validateOptions(plugin.name, plugin.options, raw);
  const label = [name, ...pairs].join(' ');
  const policy = plugin.create(options, contextFromHeader(bundle.small.header));
  const { run, reason } = await replayPolicy(bundle, policy, label);
  const last = bundle.small.rounds.length;
  const shifted =
    run.switchAfter === undefined
      ? 'never shifted'
      : run.switchAfter >= last
        ? `shifted after the last round (${last}), too late to train the larger model: ${reason}`
        : `shifted after round ${run.switchAfter}: ${reason}`;
  return { label: `${prefix}${label}`, rounds: run.rounds, note: run.note === undefined ? shifted : `${shifted}; ${run.note}`, replayed: true };
}

function camelCase(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
