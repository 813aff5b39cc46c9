import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fedgear-cli.js';

// The libraries src/vendor/ bundles: imported anywhere else in src/, they load unbundled beside the bundle.
const BUNDLED = ['@oclif/core', 'rxjs', 'zod'];
const importOf = new RegExp(`(?:from|import\\()\\s*'(${BUNDLED.join('|')})(?:/[^']*)?'`, 'g');

/** `file:line: import` for every import of a bundled library in the TypeScript sources under `folder`. */
function bundledImports(folder: string): string[] {
  const files = readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) =>
    readFileSync(join(REPO_ROOT, folder, file), 'utf8')
      .split('\n')
      .flatMap((line, index) => [...line.matchAll(importOf)].map((match) => `${folder}/${file}:${index + 1}: ${match[1]}`)),
  );
}

describe('src/vendor/', () => {
  it('is where the bundled libraries are imported (the check below can fail)', () => {
    expect(new Set(bundledImports('src/vendor').map((found) => found.replace(/.*: /, '')))).toEqual(new Set(BUNDLED));
  });

  it('is the only way the rest of src/ reaches them', () => {
    expect(bundledImports('src').filter((found) => !found.startsWith('src/vendor/'))).toEqual([]);
  });
});
