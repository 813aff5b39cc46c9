/**
 * docs/benchmarks.md and the facts every section of it starts with. Each bench script rewrites
 * its own marked section (`<!-- name:start -->` … `<!-- name:end -->`) and leaves the others.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { fixed } from './markdown-table.js';
import { replaceMarkedSection } from './replace-marked-section.js';

/** The repository root (bench scripts run from dist/bench/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const DOC = `${ROOT}docs/benchmarks.md`;

/** Whether Linux shares CPU between sessions (autogroup) rather than threads; undefined off Linux. */
export function autogroupEnabled(): boolean | undefined {
  const flag = '/proc/sys/kernel/sched_autogroup_enabled';
  return existsSync(flag) ? readFileSync(flag, 'utf8').trim() === '1' : undefined;
}

/**
 * The bullet lines that date a section and say what machine it ran on and how busy that was.
 *
 * @example
 * const loadStart = os.loadavg(); const started = new Date();
 * // … measure …
 * machineLines({ started, loadStart, versions: 'Node 20.20.2' });
 */
export function machineLines(run: { readonly started: Date; readonly loadStart: readonly number[]; readonly versions: string }): string {
  const cpus = os.cpus();
  const minutes = (Date.now() - run.started.getTime()) / 60000;
  const loads = (load: readonly number[]) => load.map((value) => fixed(value, 2)).join(', ');
  const autogroup = autogroupEnabled();
  const scheduler = autogroup === undefined ? '' : `\n- Linux autogroup scheduling: ${autogroup ? 'on (CPU is shared between sessions, not threads)' : 'off'}`;
  return `- Date: ${run.started.toISOString()} (the run took ${fixed(minutes)} min)
- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fixed(os.totalmem() / 2 ** 30)} GiB memory, ${os.platform()} ${os.release()}
- ${run.versions}
- Load average (1, 5, 15 min) at start: ${loads(run.loadStart)}; at end: ${loads(os.loadavg())}${scheduler}`;
}

/**
 * Replaces one marked section of docs/benchmarks.md with `body`.
 *
 * @example
 * writeSection('start-up', '## CLI start-up\n…');
 */
export function writeSection(name: string, body: string): void {
  writeFileSync(DOC, replaceMarkedSection(readFileSync(DOC, 'utf8'), DOC, name, body.trimEnd()));
}

/**
 * The command that reran a script, for the section's first line: `npm run bench` when run by
 * it, else the script itself with its flags.
 *
 * @example
 * rerunCommand('dist/bench/start-up-speed.js'); // 'node dist/bench/start-up-speed.js --runs 5'
 */
export function rerunCommand(script: string): string {
  const args = process.argv.slice(2);
  if (process.env['npm_lifecycle_event'] === 'bench' && args.length === 0) return 'npm run bench';
  return `node ${script}${args.length > 0 ? ` ${args.join(' ')}` : ''}`;
}
