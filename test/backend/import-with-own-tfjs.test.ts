import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importWithOwnTfjs } from '../../src/backend/import-with-own-tfjs.js';

/** A module that warns as a second copy of tfjs does while it loads, and once more about something else. */
function noisyModule(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fedgear-own-tfjs-')), 'second-copy.mjs');
  writeFileSync(
    file,
    [
      "console.warn('Platform node has already been set. Overwriting the platform with node.');",
      "console.warn('cpu backend was already registered. Reusing existing backend factory.');",
      "console.warn(\"The kernel '_FusedMatMul' for backend 'cpu' is already registered\");",
      "console.warn(\"The kernel 'Abs' for backend 'cpu' is already registered\");",
      "console.warn('the native library is older than expected');",
      'export const loaded = true;',
    ].join('\n'),
  );
  return pathToFileURL(file).href;
}

describe('importWithOwnTfjs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('drops the warnings about backends and kernels registered again, and prints every other one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await importWithOwnTfjs(noisyModule());
    expect(warn.mock.calls).toEqual([['the native library is older than expected']]);
  });

  it('puts console.warn back, also when the import fails', async () => {
    const original = console.warn;
    await expect(importWithOwnTfjs('fedgear-no-such-package')).rejects.toThrow(/fedgear-no-such-package/);
    expect(console.warn).toBe(original);
  });
});
