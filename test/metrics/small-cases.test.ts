import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import { RunWriter } from '../../src/metrics/run-writer.js';
import { readBundle } from '../../src/replay/bundle.js';
import { madeUpRounds } from '../report/made-up-runs.js';
import { makeBundle } from '../replay/make-bundle.js';
import { runHeader } from '../support/run-header.js';

describe('smaller cases of issue 11 (case 9)', () => {
  it('a round line after the end line is an error', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fedgear-after-end-')), 'run.jsonl');
    const [first, second] = madeUpRounds([{ accuracy: 0.3, gear: 0 }, { accuracy: 0.4, gear: 0 }]);
    const writer = RunWriter.create(path, runHeader([{ name: 'small', parameters: 1, weightLayers: 1, bytesPerTransfer: 4 }], { rounds: 2 }));
    writer.round(first!);
    writer.end({ kind: 'end', status: 'completed' });
    appendFileSync(path, `${JSON.stringify({ kind: 'round', ...second })}\n`);
    expect(() => readRun(path)).toThrow(`${path}:4: a run file must end with its end line (line 3), but got a round line after it.`);
  });

  it('a manifest version error says what it got', () => {
    const directory = makeBundle({ rounds: 4, branches: [2] });
    const manifest = join(directory, 'manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"version": 1', '"version": 7'));
    expect(() => readBundle(directory)).toThrow(`${manifest}: version expected 1, but got 7.`);
  });

  it('a UTF-8 byte order mark before the header is accepted', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fedgear-bom-')), 'run.jsonl');
    const writer = RunWriter.create(path, runHeader([{ name: 'small', parameters: 1, weightLayers: 1, bytesPerTransfer: 4 }], { rounds: 1 }));
    writer.round(madeUpRounds([{ accuracy: 0.3, gear: 0 }])[0]!);
    writeFileSync(path, `\uFEFF${readFileSync(path, 'utf8')}`);
    expect(readRun(path).rounds).toHaveLength(1);
  });
});
