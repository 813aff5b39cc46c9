import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideGears } from '../../src/policy/decide-gears.js';
import { PolicyError } from '../../src/policy/policy-error.js';
import { listBuiltinPolicies, loadBuiltinPolicies, loadPolicy } from '../../src/policy/load-policy.js';
import { context, makeRecords } from './records.js';

// Plugins written by "third parties", outside the repository: they need nothing from fedgear.
const plugins: Record<string, string> = {
  'every-two.mjs': `export default {
    name: 'every-two',
    description: 'Shifts every two rounds.',
    options: { offset: { type: 'integer', min: 0, default: 0, help: 'rounds to add' } },
    create: ({ offset }) => ({ decide: (history) => (history.length + offset) % 2 === 0 ? { action: 'shift', reason: 'even' } : { action: 'hold', reason: 'odd' } }),
  };`,
  'named.mjs': `export const plugin = { name: 'named', description: 'Named export.', options: {}, create: () => ({ decide: () => ({ action: 'hold', reason: '' }) }) };`,
  'common.cjs': `module.exports = { name: 'common', description: 'CommonJS.', options: {}, create: () => ({ decide: () => ({ action: 'hold', reason: '' }) }) };`,
  'half.mjs': `export default { name: 'half' };`,
  'bad-options.mjs': `export default {
    name: 'bad-options', description: 'Bad option specs.', create: () => ({}),
    options: { n: { type: 'int', help: '' }, k: { type: 'integer', min: 1, default: 0, help: '' }, 'two-words': { type: 'string', help: '' } },
  };`,
  'nothing.mjs': `export const helper = 1;`,
  'crashes.mjs': `throw new Error('boom at import');`,
  'throws.mjs': `export default { name: 'throws', description: 'Throws.', options: {}, create: () => ({ decide: () => { throw new Error('no idea'); } }) };`,
  'at-as-text.mjs': `export default { name: 'at-as-text', description: 'Clashes with fixed.', options: { at: { type: 'string', help: '' } }, create: () => ({ decide: () => ({ action: 'hold', reason: '' }) }) };`,
  'node_modules/fedgear-policy-demo/package.json': JSON.stringify({ name: 'fedgear-policy-demo', type: 'module', main: 'index.js' }),
  'node_modules/fedgear-policy-demo/index.js': `export default { name: 'demo', description: 'From a package.', options: {}, create: () => ({ decide: () => ({ action: 'shift', reason: 'demo' }) }) };`,
};

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'fedgear-plugins-'));
  for (const [file, text] of Object.entries(plugins)) {
    mkdirSync(join(directory, file, '..'), { recursive: true });
    writeFileSync(join(directory, file), text);
  }
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('loadPolicy', () => {
  it('loads every built-in by name', async () => {
    const names = await listBuiltinPolicies();
    expect(names).toEqual(['all', 'any', 'budget', 'fitting-risk', 'fixed', 'forecast', 'never', 'plateau']);
    const { plugins: builtins, combinators } = await loadBuiltinPolicies();
    expect(builtins.map((plugin) => plugin.name)).toEqual(['budget', 'fitting-risk', 'fixed', 'forecast', 'never', 'plateau']);
    expect(combinators.map((combinator) => combinator.name)).toEqual(['all', 'any']);
    expect((await loadPolicy('plateau')).name).toBe('plateau');
  });

  it('loads a plugin module by path, relative to the working directory', async () => {
    const plugin = await loadPolicy('./every-two.mjs', directory);
    expect(plugin.name).toBe('every-two');
    const policy = plugin.create({ offset: 0 }, context());
    expect(policy.decide(makeRecords([0.1, 0.2]), context())).toEqual({ action: 'shift', reason: 'even' });
    expect((await loadPolicy(join(directory, 'every-two.mjs'))).name).toBe('every-two');
  });

  it('accepts a named plugin export and CommonJS modules', async () => {
    expect((await loadPolicy('./named.mjs', directory)).name).toBe('named');
    expect((await loadPolicy('./common.cjs', directory)).name).toBe('common');
  });

  it('loads an installed package by name, from the working directory', async () => {
    expect((await loadPolicy('fedgear-policy-demo', directory)).name).toBe('demo');
  });

  it('combines policies with any: and all:, their options united', async () => {
    const plugin = await loadPolicy('any:plateau,./every-two.mjs', directory);
    expect(plugin.name).toBe('any:plateau,every-two');
    expect(Object.keys(plugin.options)).toEqual(['monitor', 'mode', 'minDelta', 'thresholdMode', 'patience', 'warmup', 'detector', 'window', 'offset']);
  });

  it('gives a plugin that breaks its contract while running to decideGears, which names it and the round', async () => {
    const plugin = await loadPolicy('./throws.mjs', directory);
    const decisions = from(makeRecords([0.1])).pipe(decideGears(plugin.create({}, context()), context(), { label: plugin.name, timeoutMs: 1_000 }));
    const error = await lastValueFrom(decisions).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toBe('policy "throws" failed at round 1: it threw no idea');
  });

  describe('refuses', () => {
    it('an unknown name, listing the built-ins', async () => {
      await expect(loadPolicy('platau', directory)).rejects.toThrow(
        "a policy must be a built-in (all, any, budget, fitting-risk, fixed, forecast, never, plateau), a .js/.mjs file or an installed package, but got 'platau'.",
      );
    });

    it('a path to no file, saying where it looked', async () => {
      await expect(loadPolicy('./missing.mjs', directory)).rejects.toThrow(`a policy file must exist, but got ./missing.mjs (no file at ${join(directory, 'missing.mjs')}).`);
    });

    it('a TypeScript file', async () => {
      await expect(loadPolicy('./policy.ts', directory)).rejects.toThrow(
        'a policy file must be a JavaScript module (.js, .mjs, .cjs; compile TypeScript first), but got ./policy.ts.',
      );
    });

    it('a module without a plugin export, listing what it exports', async () => {
      await expect(loadPolicy('./nothing.mjs', directory)).rejects.toThrow('./nothing.mjs must export a policy plugin as default or as plugin, but got exports helper.');
    });

    it('a plugin with missing fields, naming each', async () => {
      await expect(loadPolicy('./half.mjs', directory)).rejects.toThrow(
        './half.mjs: the plugin must have description as a one-line string; create as a function; options as an object of option specs, but got description undefined; create undefined; options undefined.',
      );
    });

    it('a plugin with malformed option specs, naming each', async () => {
      await expect(loadPolicy('./bad-options.mjs', directory)).rejects.toThrow(
        "./bad-options.mjs: the plugin must have options.n.type as one of integer, number, boolean, string, enum; options.k.default within its own constraint; option 'two-words' named in camelCase, but got options.n.type 'int'; options.k.default 0; option 'two-words' that name.",
      );
    });

    it('a module that fails to load', async () => {
      await expect(loadPolicy('./crashes.mjs', directory)).rejects.toThrow('policy module ./crashes.mjs must load without errors, but got Error: boom at import.');
    });

    it('a combinator without the policies it combines', async () => {
      await expect(loadPolicy('any')).rejects.toThrow("any combines policies named after a colon, so the policy must be like 'any:plateau,budget', but got 'any'.");
      await expect(loadPolicy('any:plateau,')).rejects.toThrow("any must be followed by policies separated by commas, e.g. 'any:plateau,budget', but got 'any:plateau,'.");
    });

    it('a policy that is not a combinator before the colon', async () => {
      await expect(loadPolicy('plateau:fixed')).rejects.toThrow("a policy before ':' must be a combinator (all, any), but got 'plateau' in 'plateau:fixed'.");
    });

    it('combining a policy with itself', async () => {
      await expect(loadPolicy('all:fixed,fixed')).rejects.toThrow("all:fixed,fixed: combined policies must be distinct, but got 'fixed' twice.");
    });

    it('combining policies that declare one option name differently', async () => {
      await expect(loadPolicy('any:fixed,./at-as-text.mjs', directory)).rejects.toThrow(
        'any:fixed,at-as-text: option at must be declared alike by fixed and at-as-text, but got {"min":1,"type":"integer","unit":"rounds"} and {"type":"string"}.',
      );
    });
  });
});
