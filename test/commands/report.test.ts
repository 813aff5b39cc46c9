import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { fedgear } from '../support/fedgear-cli.js';
import { madeUpRounds, writeBundle, writeRun } from '../report/made-up-runs.js';

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;
const tempDir = () => mkdtempSync(join(tmpdir(), 'fedgear-report-cli-'));
/** The PNG signature, then width and height from the IHDR chunk. */
const pngHeader = (png: Buffer) => ({ signature: png.subarray(0, 8).toString('hex'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('fedgear report', () => {
  describe('on a bundle, with a policy', () => {
    const out = join(tempDir(), 'report');
    let result: Awaited<ReturnType<typeof fedgear>>;
    beforeAll(async () => {
      const bundle = writeBundle(30, [5, 10, 20]);
      result = await fedgear(['report', bundle, '--policy', 'fixed at=10', '--out', out, '--width', '800', '--height', '450']);
    });

    it("prints the paper's rows, then the policy's, each with its scores", () => {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const labels = result.stdout.split('\n').map((line) => /^(12-12|12-6|Gear \d+|fixed at=10 \*)  /.exec(line)?.[1]).filter((label) => label !== undefined);
      expect(labels).toEqual(['12-12', '12-6', 'Gear 5', 'Gear 10', 'Gear 20', 'fixed at=10 *']);
      // Small only: 10 MB and 2 s a round; 90% of 12-12's max (74.3%) is above its own (61.7%).
      expect(result.stdout).toMatch(/^12-6 +61\.7% +10\.00 +2\.00 +- +14\.0 +20\.0 +36\.0 +never +61\.7%$/m);
      expect(result.stdout).toMatch(/^\* fixed at=10: shifted after round 10: /m);
    });

    it('writes the table as Markdown and text', () => {
      const markdown = readFileSync(join(out, 'table.md'), 'utf8');
      expect(count(markdown, /^\| /gm)).toBe(2 + 6);
      expect(readFileSync(join(out, 'table.txt'), 'utf8')).toContain('fixed at=10 *');
    });

    it('draws each chart as well-formed SVG with one line per row and a marker per switch', () => {
      for (const name of ['accuracy-by-round', 'accuracy-by-seconds', 'accuracy-by-mb']) {
        const svg = readFileSync(join(out, `${name}.svg`), 'utf8');
        expect(() => new Resvg(svg)).not.toThrow();
        expect(count(svg, /<path class="series"/g)).toBe(6);
        // Gear 5, Gear 10, Gear 20 and the policy each switch once; 12-12 and 12-6 never.
        expect(count(svg, /<path class="marker"/g)).toBe(4);
        expect(svg).toContain('data-label="fixed at=10"');
      }
    });

    it('renders each chart as PNG at the requested size', () => {
      for (const name of ['accuracy-by-round', 'accuracy-by-seconds', 'accuracy-by-mb']) {
        expect(pngHeader(readFileSync(join(out, `${name}.png`)))).toEqual({ signature: '89504e470d0a1a0a', width: 800, height: 450 });
      }
    });
  });

  it('gives one row per run file, against the first run unless told otherwise, and answers in JSON', async () => {
    const dir = tempDir();
    const a = writeRun(join(dir, 'slow.jsonl'), madeUpRounds([0.2, 0.3, 0.4].map((accuracy) => ({ accuracy, gear: 0 }))));
    const b = writeRun(join(dir, 'fast.jsonl'), madeUpRounds([0.3, 0.5, 0.6].map((accuracy, i) => ({ accuracy, gear: i === 0 ? 0 : 1 }))));
    const { status, stdout } = await fedgear(['report', a, b, '--out', join(dir, 'out'), '--format', 'md', '--json']);
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as { files: string[]; table: { reference: string; referenceMax: number; rows: { label: string; switchRounds: number[] }[] } };
    expect(result.files).toEqual([join(dir, 'out', 'table.md')]);
    expect(result.table.reference).toBe('slow');
    expect(result.table.referenceMax).toBe(0.4);
    expect(result.table.rows.map((row) => [row.label, row.switchRounds])).toEqual([
      ['slow', []],
      ['fast', [1]],
    ]);
  });

  it('refuses a missing input, an unknown format, a policy without a bundle and an unknown reference', async () => {
    const dir = tempDir();
    const run = writeRun(join(dir, 'a.jsonl'), madeUpRounds([{ accuracy: 0.2, gear: 0 }]));
    const cases: [string[], string][] = [
      [['report', join(dir, 'none')], `each input must be a bundle directory or a run file, but ${join(dir, 'none')} does not exist.`],
      [['report', run, '--format', 'md,pdf'], "--format must list some of md, txt, svg, png, but got 'pdf' in 'md,pdf'."],
      [['report', run, '--policy', 'never'], `--policy must come with a bundle to replay it on, but got only run files (${run}).`],
      [['report', run, '--reference', 'b', '--out', join(dir, 'out')], 'the reference must be the label of a row ("a"), but got "b".'],
    ];
    for (const [args, message] of cases) {
      const { status, stderr } = await fedgear(args);
      expect(status).not.toBe(0);
      expect(stderr.replace(/\s+/g, ' ')).toContain(message);
    }
  });

  it('refuses a directory that is not a bundle', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'not a bundle');
    const { status, stderr } = await fedgear(['report', dir]);
    expect(status).not.toBe(0);
    expect(stderr.replace(/\s+/g, ' ')).toContain(`${dir} must be a bundle directory holding manifest.json, but it has none.`);
  });
});
