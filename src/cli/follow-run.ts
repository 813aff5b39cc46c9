import { rmSync, statSync } from 'node:fs';
import type { Subscription } from '../vendor/rxjs.js';
import type { StagedRunOptions } from '../engine/staged-run.js';
import type { RoundRecord } from '../metrics/round-record.js';
import type { SwitchEvent } from '../metrics/run-file-schema.js';
import { lateShift } from '../report/late-shift.js';
import { progressLine } from '../report/progress-line.js';
import { summarizeRun, type RunSummary } from '../report/run-summary.js';
import { stopOnSignals } from './stop-on-signals.js';

/**
 * Runs a staged run as `fedgear run` and `fedgear serve` show it: a start line, one progress line
 * per round (rewritten in place on a terminal), a line per switch, all on stderr; resolves with
 * the run's summary.
 *
 * @example
 * const summary = await followRun({ config, plugin, outFile }, (line) => console.error(line));
 */
export async function followRun(options: StagedRunOptions, logToStderr: (line: string) => void): Promise<RunSummary> {
  const { config } = options;
  const rounds: RoundRecord[] = [];
  const switches: SwitchEvent[] = [];
  const live = process.stderr.isTTY === true;
  logToStderr(`fedgear: recording to ${options.outFile}, every round as it ends; replay it with another policy: fedgear replay ${options.outFile} --policy <policy> [options]`);
  // Imported here, not at the top: TensorFlow.js loads only once there is something to train.
  const { stagedRun } = await import('../engine/staged-run.js');
  let subscription: Subscription | undefined;
  // Ctrl-C / SIGTERM: finish the round, write end: stopped; a second one stops at once.
  const stop = stopOnSignals({
    graceful: (signal) => logToStderr(`${live ? '\n' : ''}${signal}: stopping after the round in progress (again to stop at once)`),
    immediately: () => subscription?.unsubscribe(),
  });
  await new Promise<void>((resolve, reject) => {
    subscription = stagedRun({ ...options, stop: stop.signal }).subscribe({
      next: (event) => {
        if (event.kind === 'start') {
          const spec = config.policy.spec;
          const given = spec === undefined || spec === options.plugin.name ? '' : ` (${spec})`;
          logToStderr(`fedgear: backend ${event.header.backend}, ${event.header.ladder.map((g) => `${g.name} ${g.parameters} params`).join(' -> ')}, policy ${options.plugin.name}${given}`);
        } else if (event.kind === 'round') {
          rounds.push(event.record);
          const line = progressLine(event.record, config.rounds);
          if (live) process.stderr.write(`\r\x1b[2K${line}`);
          else logToStderr(line);
        } else if (event.kind === 'decision' && event.action === 'shift' && event.round >= config.rounds) {
          logToStderr(`${live ? '\n' : ''}${lateShift(event.round)} (${event.reason})`);
        } else if (event.kind === 'switch') {
          switches.push(event);
          const inherited = event.inherited === undefined ? '' : `; val ${(event.inherited.accuracy * 100).toFixed(1)}% before training`;
          logToStderr(`${live ? '\n' : ''}switch after round ${event.afterRound}: gear ${event.from} -> ${event.to} (${config.transfer}${inherited}): ${event.reason}`);
        }
      },
      error: reject,
      complete: resolve,
    });
  })
    .catch((error: unknown) => {
      // Failed before its header (e.g. no data): leave no empty file behind to trip up `report runs/*`.
      if (statSync(options.outFile, { throwIfNoEntry: false })?.size === 0) rmSync(options.outFile);
      throw error;
    })
    .finally(() => {
      stop.dispose();
      if (live) process.stderr.write('\n');
    });
  const last = rounds.at(-1)?.round ?? 0;
  if (stop.exitCode !== undefined && last < config.rounds) {
    logToStderr(`stopped after round ${last} of ${config.rounds}: continue it with --resume ${options.outFile}`);
    process.exitCode = stop.exitCode;
  }
  return summarizeRun(rounds, switches);
}
