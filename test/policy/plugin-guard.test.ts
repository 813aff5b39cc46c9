import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { decideGears } from '../../src/policy/decide-gears.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { readBundle } from '../../src/replay/bundle.js';
import { parseObjective } from '../../src/replay/objective.js';
import { tune } from '../../src/replay/tune.js';
import { fedgear } from '../support/fedgear-cli.js';
import { makeBundle } from '../replay/make-bundle.js';
import { context, makeRecords } from './records.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');

function plugin(file: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fedgear-guard-')), file);
  writeFileSync(path, text);
  return path;
}

const busy = `export default { name: 'busy', description: 'Never returns.', options: {},
  create: () => ({ decide: (history) => { if (history.length >= 2) for (;;) {} return { action: 'hold', reason: 'warming up' }; } }) };`;

describe('third-party plugins that misbehave (issue 11, case 7)', () => {
  it('a busy-loop decide gets the PolicyError a hang gets, instead of hanging the run', async () => {
    const loaded = await loadPolicy(plugin('busy.mjs', busy));
    const records = makeRecords([0.2, 0.3, 0.4]);
    const started = performance.now();
    await expect(lastValueFrom(from(records).pipe(decideGears(loaded.create({}, context()), context(), { label: 'busy', timeoutMs: 300 })))).rejects.toThrow(
      'policy "busy" failed at round 2: no decision within 300 ms',
    );
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a busy loop inside a combination is stopped as well', async () => {
    const path = plugin('busy.mjs', busy);
    const loaded = await loadPolicy(`any:plateau,${path}`);
    const policy = loaded.create(Object.fromEntries(Object.entries(loaded.options).map(([key, spec]) => [key, spec.default])) as never, context());
    await expect(lastValueFrom(from(makeRecords([0.2, 0.3])).pipe(decideGears(policy, context(), { label: 'any', timeoutMs: 300 })))).rejects.toThrow(
      'no decision within 300 ms',
    );
  });

  it('fedgear replay stops a busy-loop plugin with one line', async () => {
    const path = plugin('busy.mjs', busy);
    const { status, stderr } = await fedgear(['replay', makeBundle({ rounds: 6, branches: [2] }), '--policy', path], { env: { FEDGEAR_POLICY_TIMEOUT_MS: '500' } });
    expect(status).not.toBe(0);
    expect(flat(stderr)).toContain('policy "busy" failed at round 2: no decision within 500 ms');
  });

  it('names the plugin when create() throws', async () => {
    const path = plugin('fussy.mjs', `export default { name: 'fussy', description: 'Refuses.', options: {}, create: () => { throw new Error('needs a GPU'); } };`);
    const loaded = await loadPolicy(path);
    expect(() => loaded.create({}, context())).toThrow(`policy "fussy" (${path}) must be created without errors, but create() threw: needs a GPU`);
  });

  it('reports the line of a syntax error', async () => {
    const path = plugin('broken.mjs', `export default {\n  name: 'broken',\n  create() { return { decide( } }\n};\n`);
    await expect(loadPolicy(path)).rejects.toThrow(`${path}:3: SyntaxError: Unexpected token '}'`);
  });

  it('tune names the setting and the bundle a plugin fails on', async () => {
    const path = plugin(
      'picky.mjs',
      `export default { name: 'picky', description: 'Fails for large n.', options: { n: { type: 'integer', min: 1, max: 8, default: 2, help: 'n' } },
  create: ({ n }) => ({ decide: (history) => { if (n > 4 && history.length === 3) throw new Error('n too large'); return { action: 'hold', reason: '' }; } }) };`,
    );
    const bundle = readBundle(makeBundle({ rounds: 6, branches: [2], name: 'six' }));
    await expect(
      tune({ plugin: await loadPolicy(path), given: {}, tuning: [bundle], holdout: 'leave-one-out', objective: parseObjective('max-accuracy'), search: 'grid', trials: 20, space: { n: '1,8' } }),
    ).rejects.toThrow(/^tune: setting --n 8 on bundle six: policy "picky" failed at round 3: it threw n too large$/);
  });
});
