import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Makes sure `path` is a directory fedgear can write into, creating it and its missing parents,
 * so that a bad output location fails at once with one line instead of after training (or
 * inside tfjs). `what` names the flag or argument, e.g. `--out`.
 *
 * Parents are created one at a time: `mkdirSync(…, { recursive: true })` never returns on some
 * paths below /proc.
 *
 * @example
 * ensureOutputDirectory(flags.out, '--out'); // throws "--out must be a directory fedgear can write into, but runs is a file."
 */
export function ensureOutputDirectory(path: string, what: string): void {
  const refuse = (why: string) => new Error(`${what} must be a directory fedgear can write into, but ${why}.`);
  const missing: string[] = [];
  let existing = resolve(path);
  for (;;) {
    const kind = kindOf(existing);
    if (kind === 'directory') break;
    if (kind === 'other') throw refuse(`${existing === resolve(path) ? path : existing} is a file`);
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  for (const directory of missing) {
    try {
      mkdirSync(directory);
    } catch (error) {
      throw refuse(`creating ${directory} failed (${codeOf(error)})`);
    }
  }
  const probe = join(path, `.fedgear-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw refuse(`writing into ${path} failed (${codeOf(error)})`);
  }
}

function kindOf(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
