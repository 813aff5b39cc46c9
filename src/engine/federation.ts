import { Observable, Subject, type OperatorFunction } from '../vendor/rxjs.js';
import type { FederatedData } from '../data/partition.js';
import type { Architecture } from '../models/architecture.js';
import { buildModel } from '../models/build-model.js';
import { flattenWeights, loadWeights } from '../models/weights.js';
import { toPolicyRecord, type Metrics, type PolicyRecord, type RoundRecord } from '../metrics/round-record.js';
import type { Decision } from '../policy/decision.js';
import { decisionQueue } from '../policy/decision-queue.js';
import type { SwitchEvent } from '../metrics/run-file-schema.js';
import { createClientExecutor, type ClientExecutor } from './client-executor.js';
import type { ClientJob } from './client-trainer.js';
import { deriveSeed } from './derive-seed.js';
import { distill, type DistillationOptions } from './distillation.js';
import { evaluate } from './evaluate.js';
import { averageTrainingMetrics, federatedAverage } from './federated-average.js';
import { transferGear } from './gear-transfer.js';
import { trainOnLabels } from './local-training.js';
import type { RunConfig } from './run-config.js';
import type { SgdOptions } from './sgd.js';

/** Everything a federation needs: the config, the parties' data, the models and the policy. */
export interface FederationSetup {
  readonly config: RunConfig;
  readonly data: FederatedData;
  readonly ladder: readonly Architecture[];
  /** The gear policy as an operator: one decision per round record (see `decideGears`). */
  readonly decide: OperatorFunction<PolicyRecord, Decision>;
  /** Continue a run from its finished rounds instead of starting afresh. */
  readonly resume?: ResumePoint;
  /** Rounds after which to emit a `checkpoint` event with the global weights. */
  readonly checkpointAfter?: (round: number) => boolean;
  /** Where client jobs run (e.g. other machines over NATS); default: worker threads as `config.workers` says. Closed when the run ends. */
  readonly executor?: ClientExecutor;
  /** Once aborted, the run finishes the round in progress (and its decision), then completes. */
  readonly stop?: AbortSignal;
}

/**
 * Where a run continues from: its finished rounds (and the switches among them) and the global
 * weights after the last one. The finished rounds are fed through the policy again, so it decides
 * the next step with the same history a live run would have given it; every seed in a run
 * depends only on the round, so a resumed run trains exactly as an uninterrupted one.
 */
export interface ResumePoint {
  readonly rounds: readonly RoundRecord[];
  readonly switches: readonly SwitchEvent[];
  readonly weights: Float32Array;
}

/** The phases of a round, for progress display. */
export type Phase = 'pre-training' | 'training' | 'aggregation' | 'distillation' | 'evaluation';

/** What a running federation reports, in order. */
export type FederationEvent =
  | { readonly kind: 'phase'; readonly round: number; readonly phase: Phase }
  | { readonly kind: 'round'; readonly record: RoundRecord }
  | { readonly kind: 'decision'; readonly round: number; readonly action: Decision['action']; readonly reason: string }
  | {
      readonly kind: 'switch';
      /** The last round of the old gear. */
      readonly afterRound: number;
      readonly from: number;
      readonly to: number;
      readonly reason: string;
      /**
       * Validation metrics of the new gear's model before any federated round (measured on every
       * live switch; absent on a resumed switch whose file lacks it).
       */
      readonly inherited?: Metrics;
    }
  | {
      readonly kind: 'checkpoint';
      readonly round: number;
      readonly gear: number;
      /** The global weights after this round. */
      readonly weights: Float32Array;
    };

/**
 * Runs staged federated learning and streams its events. Each round: the server sends the global
 * weights to every client; clients train in parallel (worker threads); the server averages their
 * weights by sample count (FedAvg), evaluates, and asks the policy whether to grow the model; on
 * a shift it builds the next gear's model by the configured transfer before the next round.
 *
 * Unsubscribing stops the run after the round in progress. The caller must have selected the
 * tfjs backend of the main thread (server-side work); workers select their own.
 *
 * @example
 * federate(setup).subscribe((event) => event.kind === 'round' && console.log(event.record));
 */
export function federate(setup: FederationSetup): Observable<FederationEvent> {
  return new Observable<FederationEvent>((subscriber) => {
    const stop = { requested: false };
    runFederation(setup, (event) => subscriber.next(event), stop).then(
      () => subscriber.complete(),
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      stop.requested = true;
    };
  });
}

async function runFederation(
  setup: FederationSetup,
  emit: (event: FederationEvent) => void,
  stop: { requested: boolean },
): Promise<void> {
  const { config, data, ladder, resume } = setup;
  const top = ladder.length - 1;
  const sgd = (seed: number, epochs: number): SgdOptions => ({
    epochs,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    momentum: config.momentum,
    weightDecay: config.weightDecay,
    seed,
    augment: config.augment,
  });
  const distillation = (seed: number): DistillationOptions => ({
    ...sgd(seed, config.kdEpochs),
    temperature: config.kdTemperature,
    softWeight: config.kdSoftWeight,
  });

  const executor =
    setup.executor ??
    (await createClientExecutor(
      { ladder, shards: data.clients, normalization: data.normalization },
      { workers: config.workers, backend: config.backend },
    ));
  const records = new Subject<PolicyRecord>();
  const decisions = decisionQueue(records, setup.decide);
  const last = resume?.rounds.at(-1);
  let gear = last?.gear ?? (config.start === 'large' ? top : 0);
  let model = buildModel(ladder[gear]!, deriveSeed(config.seed, 'init', gear));
  let pendingDistillSeconds = 0;
  let sentTotal = last?.bytes.sentTotal ?? 0;
  let receivedTotal = last?.bytes.receivedTotal ?? 0;
  let secondsTotal = last?.seconds.total ?? 0;

  /** Asks the policy about a finished round and grows the model if it says shift. */
  const decideAfter = async (record: RoundRecord): Promise<void> => {
    records.next(toPolicyRecord(record));
    const decision = await decisions.next();
    emit({ kind: 'decision', round: record.round, action: decision.action, reason: decision.reason });
    if (decision.action !== 'shift' || record.round >= config.rounds) return;
    emit({ kind: 'phase', round: record.round + 1, phase: 'distillation' });
    const started = performance.now();
    const grown = transferGear(config.transfer, model, ladder[gear]!, ladder[gear + 1]!, {
      serverShare: data.server,
      normalization: data.normalization,
      distillation: distillation(deriveSeed(config.seed, 'transfer', record.round)),
      seed: deriveSeed(config.seed, 'init', gear + 1),
    });
    model.dispose();
    model = grown;
    pendingDistillSeconds = seconds(started);
    const inherited = evaluate(model, data.validation, data.normalization);
    emit({ kind: 'switch', afterRound: record.round, from: gear, to: gear + 1, reason: decision.reason, inherited });
    gear += 1;
  };

  try {
    if (resume !== undefined && last !== undefined) {
      // Replay the finished rounds through the live policy pipeline, so the policy holds the
      // same history it would have had, then continue from the saved weights.
      loadWeights(model, resume.weights);
      for (const record of resume.rounds) {
        emit({ kind: 'round', record });
        if (record.round < last.round) {
          records.next(toPolicyRecord(record));
          const decision = await decisions.next();
          emit({ kind: 'decision', round: record.round, action: decision.action, reason: decision.reason });
          for (const event of resume.switches) if (event.afterRound === record.round) emit(event);
        }
      }
      await decideAfter(last);
    } else if (config.serverEpochs > 0 && gear < top) {
      // The paper's "12-6": the server trains the large model on its share, then distils it into
      // the small model the clients start from.
      emit({ kind: 'phase', round: 1, phase: 'pre-training' });
      const started = performance.now();
      const teacher = buildModel(ladder[top]!, deriveSeed(config.seed, 'init', top));
      trainOnLabels(teacher, data.server, data.normalization, sgd(deriveSeed(config.seed, 'pre-train'), config.serverEpochs));
      distill(teacher, model, data.server, data.normalization, distillation(deriveSeed(config.seed, 'warm-start')));
      teacher.dispose();
      pendingDistillSeconds = seconds(started);
    }
    for (let round = (last?.round ?? 0) + 1; round <= config.rounds && !stop.requested && setup.stop?.aborted !== true; round++) {
      const roundStarted = performance.now();
      emit({ kind: 'phase', round, phase: 'training' });
      const global = flattenWeights(model);
      const jobs: ClientJob[] = data.clients.map((_, client) => ({
        gear,
        client,
        weights: global,
        sgd: sgd(deriveSeed(config.seed, 'client', round, client), config.localEpochs),
      }));
      let started = performance.now();
      const { results, clients } = await executor.run(jobs, round);
      const trainingSeconds = seconds(started);

      emit({ kind: 'phase', round, phase: 'aggregation' });
      started = performance.now();
      const averaged = federatedAverage(results);
      loadWeights(model, averaged);
      const training = averageTrainingMetrics(results);
      const aggregation = seconds(started);

      emit({ kind: 'phase', round, phase: 'evaluation' });
      started = performance.now();
      const validation = evaluate(model, data.validation, data.normalization);
      const test = evaluate(model, data.test, data.normalization);
      const evaluation = seconds(started);

      const sent = global.byteLength * (clients?.asked.length ?? jobs.length);
      const received = results.reduce((sum, result) => sum + result.weights.byteLength, 0);
      sentTotal += sent;
      receivedTotal += received;
      const distillationSeconds = pendingDistillSeconds;
      pendingDistillSeconds = 0;
      const roundSeconds = seconds(roundStarted) + distillationSeconds;
      secondsTotal += roundSeconds;
      const record: RoundRecord = {
        round,
        gear,
        gearName: ladder[gear]!.name,
        parameters: model.countParams(),
        validation,
        test,
        training,
        bytes: { sent, received, sentTotal, receivedTotal },
        seconds: { training: trainingSeconds, aggregation, distillation: distillationSeconds, evaluation, round: roundSeconds, total: secondsTotal },
        ...(clients === undefined ? {} : { clients }),
      };
      emit({ kind: 'round', record });
      if (setup.checkpointAfter?.(round) === true) emit({ kind: 'checkpoint', round, gear, weights: averaged });
      await decideAfter(record);
    }
  } finally {
    records.complete();
    model.dispose();
    await executor.close();
  }
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}
