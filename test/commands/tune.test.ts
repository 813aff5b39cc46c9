import { exec } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import type { TuneResult } from '../../src/replay/tune.js';
import { FEDGEAR_BIN, fedgear } from '../support/fedgear-cli.js';
import { makeBundle } from '../replay/make-bundle.js';
import { plateauAt6 } from '../replay/shapes.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');
// Plateau as Keras counts it: patience p shifts after round 6 + p on these bundles.
const keras = ['--policy', 'plateau', '--detector', 'best', '--monitor', 'validation-accuracy', '--mode', 'max', '--min-delta', '0', '--threshold-mode', 'abs', '--warmup', '0'];

describe('fedgear tune', () => {
  it('finds the best patience, prints its command line, and judges it on the held-out bundle', async () => {
    const bundles = [makeBundle(plateauAt6(8, 'a')), makeBundle(plateauAt6(8, 'b')), makeBundle(plateauAt6(11, 'late'))];
    const { status, stdout, stderr } = await fedgear(['tune', ...bundles, ...keras, '--objective', 'max-accuracy', '--search', 'grid', '--holdout', '1']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('plateau on 2 tuning bundles (a, b), objective max test accuracy');
    expect(stdout).toContain('grid search: 7 settings');
    expect(stdout).toContain('searched:     patience over unset, 1, 2, 3, 6, 11, 19');
    expect(stdout).toContain("not searched: window: setting it makes plateau refuse the given options, whatever the other choices");
    expect(stdout).toMatch(/^1 +--patience 2 +65\.0% +0\.0 pts +0\/2 +65\.0%$/m);
    expect(stdout).toContain('best: --policy plateau --monitor validation-accuracy --mode max --min-delta 0 --threshold-mode abs --patience 2 --warmup 0 --detector best');
    expect(stdout).toContain('held out: the best setting judged on bundles it was not tuned on');
    expect(stdout).toMatch(/^late +--patience 2 +after 8 +63\.2% +fixed --at 11: 65\.0% +1\.8 pts$/m);
  });

  it('answers in JSON, and says nothing is held out when tuning on one bundle', async () => {
    const { status, stdout } = await fedgear(['tune', makeBundle(plateauAt6(8)), ...keras, '--objective', 'max-accuracy', '--trials', '20', '--json']);
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as TuneResult;
    expect(result.search).toBe('random');
    expect(result.best.setting).toEqual({ patience: 2 });
    expect(result.heldOut.mode).toBe('none');
  });

  it("gives a plugin as it was given in its best line, which pasted after fedgear run runs; random search reports the ranges it drew from", async () => {
    const plugin = fileURLToPath(new URL('../../examples/target-accuracy.js', import.meta.url));
    const bundles = [makeBundle(plateauAt6(8, 'a')), makeBundle(plateauAt6(11, 'b'))];
    const { status, stdout, stderr } = await fedgear(['tune', ...bundles, '--policy', plugin, '--trials', '30', '--objective', 'max-accuracy']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('random search: 30 settings');
    expect(stdout).toContain('searched:     target over 0.05..1, log-uniform, to 3 significant digits (from default / 10)');
    expect(stdout).toMatch(/^searched: +confirm over integers 1\.\.\d+, (log-)?uniform \(up to planned rounds - 1\)$/m);
    const best = /^best: (.*)$/m.exec(stdout)![1]!;
    expect(best.startsWith(`--policy ${plugin} `)).toBe(true);

    const out = mkdtempSync(join(tmpdir(), 'fedgear-best-line-'));
    await promisify(exec)(`"${process.execPath}" "${FEDGEAR_BIN}" run --dataset synthetic-easy --preset tiny --rounds 2 --out "${out}" ${best}`);
    const run = readRun(join(out, readdirSync(out).find((name) => name.endsWith('.jsonl'))!));
    const pasted: Record<string, number> = {};
    for (const [, option, flag, value] of best.matchAll(/--(?:policy-opt (\w+)=|(warmup) )(\S+)/g)) pasted[(option ?? flag)!] = Number(value);
    expect(run.header.config['policy']).toEqual({ name: 'target-accuracy', spec: plugin, options: pasted });
    expect(run.end?.status).toBe('completed');
  });

  it('refuses to hold out every bundle', async () => {
    const { status, stderr } = await fedgear(['tune', makeBundle(plateauAt6(8)), ...keras, '--holdout', '1']);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain('--holdout must be less than the number of bundles (1), so that one is left to tune on, but got 1.');
  });

  it('refuses --holdout together with --holdout-bundles', async () => {
    const bundle = makeBundle(plateauAt6(8));
    const { status, stderr } = await fedgear(['tune', bundle, bundle, ...keras, '--holdout', '1', '--holdout-bundles', bundle]);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain('--holdout-bundles=');
    expect(flat(stderr)).toContain('cannot also be provided when using --holdout');
  });
});
