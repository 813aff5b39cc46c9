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

  describe('binary junk in an input file is not echoed raw into the error', () => {
    // Terminal escapes, C1 controls (U+009B is a one-character CSI), undecodable bytes (shown as U+FFFD), bidi overrides.
    const raw = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\ufffd]/u;
    const junk = Buffer.concat([Buffer.from('\x1b[2J\x1b]0;owned\x07'), Buffer.from([0xc2, 0x9b, 0x33, 0x31, 0x6d, 0xff, 0xfe, 0x00, 0x80]), Buffer.from('\u202e'), Buffer.alloc(5000, 0x41)]);
    const messageOf = (attempt: () => unknown): string => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected an error');
    };

    it('a header line of binary bytes is shown escaped and cut short', () => {
      const path = join(mkdtempSync(join(tmpdir(), 'fedgear-junk-')), 'run.jsonl');
      writeFileSync(path, Buffer.concat([junk, Buffer.from('\n')]));
      const message = messageOf(() => readRun(path));
      expect(message).toContain(`${path}:1: the header must be one JSON object, but got "\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m\\ufffd\\ufffd\\u0000\\ufffd\\u202eAAAA`);
      expect(message).toMatch(/… \(5\d{3} characters\)\.$/);
      expect(message).not.toMatch(raw);
    });

    it('a field holding such a string in valid JSON is shown escaped and cut short', () => {
      const path = join(mkdtempSync(join(tmpdir(), 'fedgear-junk-')), 'run.jsonl');
      const writer = RunWriter.create(path, runHeader([{ name: 'small', parameters: 1, weightLayers: 1, bytesPerTransfer: 4 }], { rounds: 1 }));
      writer.round(madeUpRounds([{ accuracy: 0.3, gear: 0 }])[0]!);
      writer.end({ kind: 'end', status: 'completed' });
      const text = readFileSync(path, 'utf8').replace('"status":"completed"', `"status":${JSON.stringify(junk.toString('utf8'))}`);
      writeFileSync(path, text);
      const message = messageOf(() => readRun(path));
      expect(message).toContain(`${path}:3: status`);
      expect(message).toMatch(/… \(5\d{3} characters\)\.$/);
      expect(message.length).toBeLessThan(400);
      expect(message).not.toMatch(raw);
    });

    it('a manifest field holding it is shown escaped and cut short', () => {
      const directory = makeBundle({ rounds: 4, branches: [2] });
      const manifest = join(directory, 'manifest.json');
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
      writeFileSync(manifest, JSON.stringify({ ...parsed, rounds: junk.toString('utf8') }));
      const message = messageOf(() => readBundle(directory));
      expect(message).toContain(`${manifest}: rounds`);
      expect(message.length).toBeLessThan(400);
      expect(message).not.toMatch(raw);
    });
  });
});

