import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleComparison } from '../../src/replay/compare.js';
import { fedgear } from '../support/fedgear-cli.js';
import { makeBundle } from '../replay/make-bundle.js';
import { plateauAt6, stepped } from '../replay/shapes.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('fedgear replay', () => {
  it('prints, per bundle, the policy next to every fixed switch, small only and 12-12, with the oracle marked', async () => {
    const directory = makeBundle(stepped);
    const { status, stdout, stderr } = await fedgear(['replay', directory, '--policy', 'fixed', '--at', '6']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`stepped (${directory}): reference 60.0% (12-12's max test accuracy); objective seconds to reach 90% of the reference accuracy`);
    expect(lines[1]).toMatch(/^ +run +switch +max acc +60% \(s \/ MB\) +70% \(s \/ MB\) +80% \(s \/ MB\) +90% \(s \/ MB\) +acc @ 3\.84 MB +time-to:0\.9 +regret +reason \/ note$/);
    const rows = lines.slice(3, 11).map((line) => line.slice(3).split(/ {2,}/)[0]);
    expect(rows).toEqual(['fixed', 'fixed --at 2', 'fixed --at 4', 'fixed --at 6', 'fixed --at 8', 'fixed --at 10', 'never (small only)', '12-12 (large only)']);
    expect(lines.filter((line) => line.startsWith('*  '))).toEqual([expect.stringMatching(/^\* {2}fixed --at 6 +after 6 /)]);
    expect(stdout).toContain('* oracle: fixed --at 6, 9.5 s; fixed regret 0 s');
  });

  it('takes the policy options exactly as fedgear run does, and answers in JSON', async () => {
    const a = makeBundle(plateauAt6(8, 'a'));
    const b = makeBundle(plateauAt6(11, 'b'));
    const { status, stdout } = await fedgear(['replay', a, b, '--policy', 'plateau', '--patience', '3', '--min-delta', '0', '--threshold-mode', 'abs', '--objective', 'max-accuracy', '--json']);
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as { objective: string; policy: string; bundles: BundleComparison[]; meanRegret: number };
    expect(result).toMatchObject({ objective: 'max-accuracy', policy: 'plateau' });
    expect(result.bundles.map((bundle) => [bundle.bundle, bundle.policy.switchAfter])).toEqual([
      ['a', 9],
      ['b', 9],
    ]);
    expect(result.bundles[0]!.policy.reason).toBe('validation accuracy has not improved by more than 0 for 3 rounds (best 0.48 at round 6)');
    // After 9 instead of 8, and instead of 11: 0.002 and 0.008 of accuracy lost.
    expect(result.meanRegret).toBeCloseTo(0.005, 9);
  });

  it('refuses an option the chosen policy does not have', async () => {
    const { status, stderr } = await fedgear(['replay', makeBundle(stepped), '--policy', 'fixed', '--patience', '3']);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain('--patience is not an option of policy "fixed" (its options: at, fraction).');
  });

  it('refuses an unknown objective', async () => {
    const { status, stderr } = await fedgear(['replay', makeBundle(stepped), '--policy', 'never', '--objective', 'fastest']);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain("the objective must be one of max-accuracy, time-to:<fraction>, mb-to:<fraction>, accuracy-at-mb:<MB> or accuracy-at-seconds:<seconds>, but got 'fastest'.");
  });

  it('names the file, line and field of a malformed run in the bundle', async () => {
    const directory = makeBundle(stepped);
    const path = join(directory, 'branch-6.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('"gearName":"small"', '"gearName":7');
    writeFileSync(path, lines.join('\n'));
    const { status, stderr } = await fedgear(['replay', directory, '--policy', 'never']);
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain(`${path}:4: gearName expected string, received number, but got 7.`);
  });
});
