import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fedgear-cli.js';

// The libraries src/vendor/ bundles: imported anywhere else in src/, they load unbundled beside the bundle.
const BUNDLED = ['@oclif/core', 'rxjs', 'zod', 'simple-statistics', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'];
// TensorFlow.js imported from its packages is a second copy, whose tensors and kernels are not the
// bundle's: the tests and benchmarks must use the bundle too (they may import rxjs for themselves).
const TFJS = BUNDLED.filter((name) => name.startsWith('@tensorflow/'));

/** `file:line: import` for every import of one of `libraries` in the TypeScript sources under `folder`. */
function importsOf(libraries: string[], folder: string): string[] {
  const importOf = new RegExp(`(?:from|import\\(?)\\s*'(${libraries.join('|')})(?:/[^']*)?'`, 'g');
  const files = readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) =>
    readFileSync(join(REPO_ROOT, folder, file), 'utf8')
      .split('\n')
      .flatMap((line, index) => [...line.matchAll(importOf)].map((match) => `${folder}/${file}:${index + 1}: ${match[1]}`)),
  );
}

describe('src/vendor/', () => {
  it('is where the bundled libraries are imported (the checks below can fail)', () => {
    expect(new Set(importsOf(BUNDLED, 'src/vendor').map((found) => found.replace(/.*: /, '')))).toEqual(new Set(BUNDLED));
  });

  it('is the only way the rest of src/ and the built-in policies reach them', () => {
    expect([...importsOf(BUNDLED, 'src').filter((found) => !found.startsWith('src/vendor/')), ...importsOf(BUNDLED, 'policies')]).toEqual([]);
  });

  it('is the only way the tests and the benchmarks reach TensorFlow.js', () => {
    expect([...importsOf(TFJS, 'test'), ...importsOf(TFJS, 'bench')]).toEqual([]);
  });
});
