import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/replay/bundle.js';
import { checkBundle } from '../../src/replay/check-bundle.js';
import { makeBundle } from './make-bundle.js';

/** Rewrites line `line` (1-based) of a run file. */
function editLine(path: string, line: number, edit: (value: Record<string, unknown>) => Record<string, unknown>): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[line - 1] = JSON.stringify(edit(JSON.parse(lines[line - 1]!) as Record<string, unknown>));
  writeFileSync(path, lines.join('\n'));
}

/** Line of round r in a made-up run: header, then a round and a decision line per round (plus a switch line after the switch). */
const lineOf = (round: number) => 2 * round;

describe('checkBundle', () => {
  it('accepts a bundle as fedgear sweep writes it', () => {
    const bundle = readBundle(makeBundle({ rounds: 8, branches: [2, 4] }));
    expect(checkBundle(bundle)).toBe(bundle);
  });

  it('names the file, line and field of a bad value in any run of the bundle (via readBundle)', () => {
    const directory = makeBundle({ rounds: 8, branches: [2, 4] });
    const path = join(directory, 'branch-4.jsonl');
    editLine(path, lineOf(3), (value) => ({ ...value, test: { accuracy: 1.5, loss: 1 } }));
    expect(() => readBundle(directory)).toThrow(`${path}:${lineOf(3)}: test.accuracy`);
    expect(() => readBundle(directory)).toThrow('but got 1.5.');
  });

  it('names the file and line of a small run that is not small throughout', () => {
    const directory = makeBundle({ rounds: 8, branches: [2, 4] });
    const path = join(directory, 'small.jsonl');
    editLine(path, lineOf(5), (value) => ({ ...value, gear: 1 }));
    expect(() => checkBundle(readBundle(directory))).toThrow(`${path}:${lineOf(5)}: gear must be 0 (the small run never switches), but got 1.`);
  });

  it('names the file and line where a branch switches at another round than its manifest says', () => {
    const directory = makeBundle({ rounds: 8, branches: [2, 4] });
    const manifestPath = join(directory, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { branches: { switchAfter: number; file: string }[] };
    manifest.branches[1]!.switchAfter = 3;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const path = join(directory, 'branch-4.jsonl');
    expect(() => checkBundle(readBundle(directory))).toThrow(`${path}:${lineOf(4)}: gear must be 1 (this branch switches after round 3), but got 0.`);
  });

  it('refuses an alternative whose run used another transfer than its manifest names', () => {
    const directory = makeBundle({ rounds: 8, branches: [2, 4] });
    const manifestPath = join(directory, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    manifest.alternatives = [{ switchAfter: 2, transfer: 'kd', file: 'branch-2.jsonl' }];
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const path = join(directory, 'branch-2.jsonl');
    expect(() => checkBundle(readBundle(directory))).toThrow(`${path}:1: config.transfer must be 'kd' (the manifest's alternative), but got 'undefined'.`);
  });

  it('refuses a run that stopped early', () => {
    const directory = makeBundle({ rounds: 8, branches: [2] });
    const path = join(directory, 'large.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').split('\n').slice(0, lineOf(6) + 1).join('\n') + '\n');
    expect(() => checkBundle(readBundle(directory))).toThrow(`${path}: rounds must be 8 (the manifest's rounds; was the run finished?), but got 6.`);
  });

  it('refuses ladders of more than two gears, which one switch cannot splice', () => {
    const ladder = [
      { name: 'tiny', parameters: 1_000, weightLayers: 4, bytesPerTransfer: 4_000 },
      { name: 'small', parameters: 10_000, weightLayers: 6, bytesPerTransfer: 40_000 },
      { name: 'large', parameters: 90_000, weightLayers: 12, bytesPerTransfer: 360_000 },
    ];
    const directory = makeBundle({ rounds: 6, branches: [2], ladder });
    expect(() => checkBundle(readBundle(directory))).toThrow(`${join(directory, 'small.jsonl')}:1: ladder must have 2 gears (replay splices a single switch), but got 3 (tiny, small, large).`);
  });

  it('refuses a directory without a manifest, or with one that is not JSON', () => {
    const directory = makeBundle({ rounds: 6, branches: [2] });
    const manifest = join(directory, 'manifest.json');
    writeFileSync(manifest, '{ not json');
    expect(() => readBundle(directory)).toThrow(`${manifest} must be JSON`);
    rmSync(manifest);
    expect(() => readBundle(directory)).toThrow(`${directory} must be a bundle directory holding manifest.json, but it has none.`);
  });
});
