import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import { fedgear } from '../support/fedgear-cli.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');
/** For tests of the command's plumbing, not of learning: few images keep every round short. */
const FEW_IMAGES = ['--per-client', '40', '--server', '20', '--validation', '20', '--test', '20'];

function outDir(): string {
  return mkdtempSync(join(tmpdir(), 'fedgear-cli-run-'));
}

/** Writes a plugin module into a fresh directory outside the repository and returns its path. */
function writePlugin(name: string, source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fedgear-plugin-')), `${name}.mjs`);
  writeFileSync(file, source);
  return file;
}

function onlyRun(directory: string) {
  const files = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return readRun(join(directory, files[0]!));
}

describe('fedgear run', () => {
  it('says first where it records and how to replay, and shows a shift after the last round the way replay does', async () => {
    // --at at the last round is refused (the run would end before its switch); a plugin may still shift there.
    const file = writePlugin('at-the-end', `export default {
  name: 'at-the-end',
  description: 'Shifts after the last planned round.',
  options: {},
  create: (_, context) => ({ decide: (history) => history.at(-1).round >= context.plannedRounds ? { action: 'shift', reason: 'the end' } : { action: 'hold', reason: '' } }),
};
`);
    const out = outDir();
    const { status, stderr } = await fedgear(['run', '--dataset', 'synthetic-easy', '--preset', 'tiny', ...FEW_IMAGES, '--rounds', '2', '--policy', file, '--out', out]);
    expect(status, stderr).toBe(0);
    const run = onlyRun(out);
    expect(stderr.split('\n')[0]).toBe(`fedgear: recording to ${run.path}, every round as it ends; replay it with another policy: fedgear replay ${run.path} --policy <policy> [options]`);
    const late = 'shift after round 2, the last planned round: no round left to grow (the end)';
    expect(stderr).toContain(late);
    expect(run.switches).toEqual([]);
    expect(run.header.config['policy']).toEqual({ name: 'at-the-end', spec: file, options: {} });
    const replay = await fedgear(['replay', run.path, '--policy', file]);
    expect(replay.stdout).toContain(`  recorded: ${late}`);
    expect(replay.stdout).toContain(`  replayed: ${late}`);
  });

  it('switches at the requested round and leaves a valid JSONL whose totals add up', async () => {
    const out = outDir();
    const { status, stdout, stderr } = await fedgear(['run', '--dataset', 'synthetic', '--preset', 'tiny', ...FEW_IMAGES, '--rounds', '4', '--policy', 'fixed', '--at', '2', '--out', out]);
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/^fedgear: backend wasm, small \d+ params -> large \d+ params, policy fixed/m);
    expect(stderr).toContain('switch after round 2: gear 0 -> 1 (stack');
    expect(stdout).toMatch(/^switches +after round 2$/m);
    const run = onlyRun(out);
    expect(run.rounds.map((r) => r.gear)).toEqual([0, 0, 1, 1]);
    const sum = run.rounds.reduce((total, r) => total + r.bytes.sent + r.bytes.received, 0);
    expect(run.rounds.at(-1)!.bytes.sentTotal + run.rounds.at(-1)!.bytes.receivedTotal).toBe(sum);
    expect(run.end?.status).toBe('completed');
  });

  it('lets the plateau policy shift by itself and prints the round and the reason', async () => {
    const out = outDir();
    // Noise on 300 validation images moves accuracy by a point or two: count only 2-point gains.
    const { status, stderr } = await fedgear([
      // The old tiny sizes: too few images to learn in 6 rounds, so the small model plateaus.
      'run', '--dataset', 'synthetic', '--preset', 'tiny', '--rounds', '6', '--per-client', '400', '--server', '300',
      '--validation', '300', '--test', '500', '--policy', 'plateau', '--patience', '3',
      '--min-delta', '0.02', '--threshold-mode', 'abs', '--out', out,
    ]);
    expect(status, stderr).toBe(0);
    const run = onlyRun(out);
    expect(run.switches).toHaveLength(1);
    const { afterRound, reason } = run.switches[0]!;
    expect(flat(stderr)).toContain(flat(`switch after round ${afterRound}: gear 0 -> 1 (stack`));
    expect(flat(stderr)).toContain(flat(reason));
    expect(reason).toMatch(/validation accuracy has not improved/);
  });

  it('lets the budget policy shift without overspending its MB budget', async () => {
    const out = outDir();
    // Small rounds move 0.13 MB, large ones 1.60 MB: the policy keeps 3.2 MB for 2 large rounds, so it
    // shifts after round 5 and the run ends at 2.27 MB.
    const { status, stderr } = await fedgear(['run', '--dataset', 'synthetic', '--preset', 'tiny', ...FEW_IMAGES, '--rounds', '6', '--policy', 'budget', '--budget-mb', '3.8', '--large-rounds', '2', '--out', out]);
    expect(status, stderr).toBe(0);
    const run = onlyRun(out);
    expect(run.switches).toHaveLength(1);
    expect(stderr).toContain(`switch after round ${run.switches[0]!.afterRound}`);
    const last = run.rounds.at(-1)!;
    expect(last.bytes.sentTotal + last.bytes.receivedTotal).toBeLessThanOrEqual(3.8e6);
  });

  it('runs a policy plugin written outside the repository', async () => {
    const file = writePlugin('after-two', `export default {
  name: 'after-two',
  description: 'Shifts after round two.',
  options: {},
  create: () => ({ decide: (history) => history.at(-1).round >= 2 ? { action: 'shift', reason: 'two rounds done' } : { action: 'hold', reason: '' } }),
};
`);
    const out = outDir();
    const { status, stderr } = await fedgear(['run', '--dataset', 'synthetic', '--preset', 'tiny', ...FEW_IMAGES, '--rounds', '3', '--policy', file, '--out', out]);
    expect(status, stderr).toBe(0);
    expect(stderr).toContain('switch after round 2: gear 0 -> 1 (stack; val');
    expect(stderr).toContain('two rounds done');
  });

  it('names the flag and the accepted values when a flag is wrong', async () => {
    const transfer = await fedgear(['run', '--transfer', 'copy']);
    expect(transfer.status).not.toBe(0);
    expect(flat(transfer.stderr)).toContain('Expected --transfer=copy to be one of: stack, kd, scratch');
    const option = await fedgear(['run', '--policy', 'fixed', '--at', '3', '--patience', '2']);
    expect(option.status).not.toBe(0);
    expect(flat(option.stderr)).toContain('--patience is not an option of policy "fixed"');
  });

  it('stops a run whose plugin throws, naming plugin and round, and keeps the finished rounds', async () => {
    const file = writePlugin('breaks', `export default { name: 'breaks', description: 'Throws at round 2.', options: {},
  create: () => ({ decide: (history) => { if (history.at(-1).round === 2) throw new Error('boom'); return { action: 'hold', reason: '' }; } }) };
`);
    const out = outDir();
    const { status, stderr } = await fedgear(['run', '--dataset', 'synthetic', '--preset', 'tiny', ...FEW_IMAGES, '--rounds', '4', '--policy', file, '--out', out]);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain('policy "breaks" failed at round 2: it threw boom');
    const run = onlyRun(out);
    expect(run.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(run.end?.status).toBe('failed');
  });
});
