import { Observable, type Subscription } from '../vendor/rxjs.js';
import * as tf from '../vendor/tfjs.js';
import { selectBackend } from '../backend/select-backend.js';
import { countParameters, countWeightLayers, multiplyAdds, transferBytes, type Architecture } from '../models/architecture.js';
import type { RunHeader } from '../metrics/run-file-schema.js';
import { RUN_FILE_FORMAT, RUN_FILE_VERSION } from '../metrics/run-file-schema.js';
import { RunWriter } from '../metrics/run-writer.js';
import { fedgearVersion } from '../metrics/fedgear-version.js';
import { decideGears } from '../policy/decide-gears.js';
import { validateOptions } from '../policy/options-schema.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import { contextFromHeader } from '../policy/context-from-header.js';
import type { ClientExecutor } from './client-executor.js';
import { federate, type FederationEvent, type FederationSetup, type ResumePoint } from './federation.js';
import { loadRunData, type RunData } from './load-run-data.js';
import { checkpointDir, saveCheckpoint } from './run-checkpoints.js';
import { checkRecordedData, type RecordedData } from './recorded-data.js';
import type { RunConfig } from './run-config.js';
import { policyTimeoutMs } from '../policy/plugin-guard.js';

/** What a staged run needs beyond its config. */
export interface StagedRunOptions {
  readonly config: RunConfig;
  /** The gear policy's plugin; `config.policy.options` are its validated options. */
  readonly plugin: PolicyPlugin;
  /** Where the JSONL recording goes. */
  readonly outFile: string;
  /** CIFAR-10 directory (else FEDGEAR_DATA_DIR, else the per-user cache). */
  readonly dataDir?: string;
  /** The data an earlier recording this run continues was made with: other data is refused before any training. */
  readonly recordedData?: RecordedData;
  /** Longest one policy decision may take. */
  readonly policyTimeoutMs?: number;
  /**
   * Continue from finished rounds (see `ResumePoint`); they are written to the new file first,
   * which replaces `outFile` only once it holds a newly trained round.
   */
  readonly resume?: ResumePoint;
  /** Rounds after which to emit `checkpoint` events carrying the global weights. */
  readonly checkpointAfter?: (round: number) => boolean;
  /** Save the global weights after every round beside the run file (`checkpointDir`), so `resumePointOf` can continue it. */
  readonly keepCheckpoints?: boolean;
  /**
   * Once aborted, the run finishes the round in progress, writes `end: stopped` (its message is
   * the abort reason, e.g. "SIGINT") and completes. Unsubscribing instead stops at once, and
   * writes the same line.
   */
  readonly stop?: AbortSignal;
  /** Starts where client jobs run, once the header is known (e.g. NATS clients); default: worker threads. */
  readonly startClients?: (run: RunData & { readonly header: RunHeader }) => Promise<ClientExecutor>;
}

/** Everything a staged run reports: its header first, then the federation's events. */
export type RunEvent = { readonly kind: 'start'; readonly header: RunHeader; readonly file: string } | FederationEvent;

/**
 * The one way fedgear runs an experiment, for the CLI, the library API and the tests alike:
 * selects the tfjs backend, loads and partitions the data, builds the model ladder and the
 * policy, records every event to a JSONL file as it happens, and streams the events.
 *
 * @example
 * stagedRun({ config, plugin, outFile: 'runs/a.jsonl' }).subscribe((e) => console.log(e.kind));
 */
export function stagedRun(options: StagedRunOptions): Observable<RunEvent> {
  return new Observable<RunEvent>((subscriber) => {
    let inner: Subscription | undefined;
    let writer: RunWriter | undefined;
    let finished = false;
    let cancelled = false;
    prepare(options).then(
      ({ header, setup }) => {
        if (cancelled) {
          void setup.executor?.close();
          return;
        }
        const recording = RunWriter.create(options.outFile, header);
        writer = recording;
        // A resumed (or restarted) recording replaces the old file only once it has a new round.
        const firstNewRound = (options.resume?.rounds.at(-1)?.round ?? 0) + 1;
        let lastRound = 0;
        subscriber.next({ kind: 'start', header, file: options.outFile });
        inner = federate(setup).subscribe({
          next: (event) => {
            if (event.kind === 'round') {
              lastRound = event.record.round;
              recording.round(event.record);
              if (event.record.round >= firstNewRound) recording.publish();
            }
            if (event.kind === 'decision') recording.decision(event);
            if (event.kind === 'switch') recording.switch(event);
            if (event.kind === 'checkpoint' && options.keepCheckpoints === true) saveCheckpoint(checkpointDir(options.outFile), event.round, event.weights);
            subscriber.next(event);
          },
          error: (error: unknown) => {
            finished = true;
            if (recording.isPublished) recording.end({ kind: 'end', status: 'failed', message: error instanceof Error ? error.message : String(error) });
            else recording.discard();
            subscriber.error(error);
          },
          complete: () => {
            finished = true;
            const stop = options.stop;
            const stopped = stop?.aborted === true && lastRound < options.config.rounds;
            recording.end(stopped ? { kind: 'end', status: 'stopped', message: String(stop.reason) } : { kind: 'end', status: 'completed' });
            recording.publish();
            subscriber.complete();
          },
        });
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      cancelled = true;
      inner?.unsubscribe();
      if (finished || writer === undefined) return;
      // Stopped at once: say so in the file, or, before a new round, leave the earlier recording as it was.
      if (writer.isPublished) writer.end({ kind: 'end', status: 'stopped', message: 'stopped at once, during a round' });
      else writer.discard();
    };
  });
}

async function prepare(options: StagedRunOptions) {
  const { config } = options;
  const backend = await selectBackend(config.backend);
  const { data, ladder, digest } = await loadRunData(config, options.dataDir);
  if (options.recordedData !== undefined) checkRecordedData(options.recordedData, digest);
  // Library callers pass raw options: validate them (and fill in defaults) exactly as the CLI
  // does, and record what the policy really ran with.
  const policyOptions = validateOptions(options.plugin.name, options.plugin.options, config.policy.options);
  const header: RunHeader = {
    kind: 'header',
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    createdAt: new Date().toISOString(),
    backend,
    versions: versions(),
    ladder: ladder.map((gear: Architecture) => ({
      name: gear.name,
      parameters: countParameters(gear),
      weightLayers: countWeightLayers(gear),
      bytesPerTransfer: transferBytes(gear),
      multiplyAdds: multiplyAdds(gear),
    })),
    config: { ...config, policy: { ...config.policy, options: policyOptions } },
    data: { sha256: digest.sha256, parts: [...digest.parts] },
  };
  const context = contextFromHeader(header);
  const policy = options.plugin.create(policyOptions, context);
  const decide = decideGears(policy, context, { label: options.plugin.name, timeoutMs: options.policyTimeoutMs ?? policyTimeoutMs() });
  const executor = await options.startClients?.({ header, data, ladder, digest });
  const setup: FederationSetup = {
    config,
    data,
    ladder,
    decide,
    ...(options.resume === undefined ? {} : { resume: options.resume }),
    ...(options.keepCheckpoints === true
      ? { checkpointAfter: () => true }
      : options.checkpointAfter === undefined
        ? {}
        : { checkpointAfter: options.checkpointAfter }),
    ...(executor === undefined ? {} : { executor }),
    ...(options.stop === undefined ? {} : { stop: options.stop }),
  };
  return { header, setup };
}

function versions(): Record<string, string> {
  return { fedgear: fedgearVersion(), tfjs: tf.version_core, node: process.versions.node };
}
