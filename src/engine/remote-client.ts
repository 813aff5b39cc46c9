import type { BackendChoice } from '../backend/backend-choice.js';
import { headerLine, type RunHeader } from '../metrics/run-file-schema.js';
import { createClientExecutor, type ClientExecutor } from './client-executor.js';
import type { ClientSetup } from './client-trainer.js';
import { loadRunData } from './load-run-data.js';
import { configDigest, jobOffer, parseMessage, type JobOffer, type OfferReply, type UpdateNotice, type UpdateReply } from './remote-protocol.js';
import type { RunConfig } from './run-config.js';

/** What a remote client needs from a transport (NATS: `src/transport/nats/`). */
export interface ClientLink {
  /** The run's header as the coordinator serves it; waits until a coordinator answers. */
  header(): Promise<unknown>;
  /** Routes the coordinator's job offers for `client` to `handler`; returns a function that stops them. */
  onOffer(client: number, handler: (message: unknown) => Promise<OfferReply>): () => void;
  fetchWeights(name: string): Promise<Float32Array>;
  /** Stores this client's update for a round and returns the name it is stored under. */
  putUpdate(round: number, client: number, weights: Float32Array): Promise<string>;
  /** Sends an update's notice; the coordinator's verdict, or undefined when no coordinator listens. */
  sendUpdate(notice: UpdateNotice): Promise<UpdateReply | undefined>;
  /** Settles when the coordinator announces the end of the run. */
  readonly ended: Promise<string>;
}

/** Who this client is and how it trains. */
export interface RemoteClientOptions {
  /** The shard index this process trains. */
  readonly client: number;
  readonly dataDir?: string | undefined;
  readonly backend: BackendChoice;
  readonly log: (line: string) => void;
  /** Where jobs run; default: one worker thread training with {@link ClientTrainer} (benchmarks swap in a stand-in to time the transport alone). */
  readonly startExecutor?: (setup: ClientSetup) => Promise<ClientExecutor>;
}

/**
 * One federated client on its own machine: fetches the run's header from the coordinator, loads
 * its shard as the coordinator does (same config, same seeded partition), then trains every job
 * it is offered in a worker thread with the same {@link ClientTrainer} as local runs, and returns
 * each update. One job at a time: an offer for another round while it trains is declined. When a
 * job comes for another config (a new run under the same id), it reloads. Returns when the
 * coordinator announces the end of the run.
 *
 * @example
 * await runRemoteClient(link, { client: 0, backend: 'auto', log: console.error });
 */
export async function runRemoteClient(link: ClientLink, options: RemoteClientOptions): Promise<string> {
  const { client, log } = options;
  let ended: string | undefined;
  void link.ended.then((status) => (ended = status));
  while (ended === undefined) {
    log(`client ${client}: waiting for the coordinator's run header`);
    const header = await Promise.race([link.header().then(parseHeader), link.ended.then(() => undefined)]);
    if (header === undefined) break;
    const config = header.config as unknown as RunConfig;
    if (!(client < config.clients)) throw new Error(`--client-id must be in [0, ${config.clients}) for this run, but got ${client}.`);
    const { data, ladder } = await loadRunData(config, options.dataDir);
    log(`client ${client}: ${config.dataset}, ${data.clients[client]!.count} images, ${ladder.map((g) => g.name).join(' -> ')}; ready`);
    const setup: ClientSetup = { ladder, shards: data.clients, normalization: data.normalization };
    const executor = await (options.startExecutor ?? ((s) => createClientExecutor(s, { workers: 1, backend: options.backend })))(setup);
    const changed = await serveJobs(link, executor, configDigest(header), options);
    await executor.close();
    if (changed) log(`client ${client}: the coordinator now runs another config: reloading`);
  }
  log(`client ${client}: the run ended (${ended ?? 'unknown'})`);
  return ended ?? 'unknown';
}

/** Trains offered jobs until the run ends (false) or an offer comes for another config (true). */
async function serveJobs(link: ClientLink, executor: ClientExecutor, digest: string, options: RemoteClientOptions): Promise<boolean> {
  const { client, log } = options;
  let current: JobOffer | undefined;
  let otherConfig: () => void = () => {};
  const reload = new Promise<boolean>((resolve) => (otherConfig = () => resolve(true)));
  const train = async (offer: JobOffer) => {
    log(`client ${client}: round ${offer.round}: training gear ${offer.gear}`);
    try {
      const global = await link.fetchWeights(offer.weights);
      const { results } = await executor.run([{ gear: offer.gear, client: offer.client, weights: global, sgd: offer.sgd }], offer.round);
      const result = results[0]!;
      const weights = await link.putUpdate(offer.round, client, result.weights);
      const notice: UpdateNotice = {
        jobId: offer.jobId,
        round: offer.round,
        client,
        gear: offer.gear,
        weights,
        bytes: result.weights.byteLength,
        samples: result.samples,
        loss: Number.isFinite(result.loss) ? result.loss : null,
        accuracy: Number.isFinite(result.accuracy) ? result.accuracy : null,
        seconds: result.seconds,
      };
      const reply = await link.sendUpdate(notice);
      const verdict = reply === undefined ? 'no coordinator listening: dropped' : `${reply.status} (${reply.reason})`;
      log(`client ${client}: round ${offer.round}: trained gear ${offer.gear} on ${result.samples} samples in ${result.seconds.toFixed(1)} s, loss ${result.loss.toFixed(4)}: ${verdict}`);
    } catch (error) {
      log(`client ${client}: round ${offer.round}: failed: ${(error as Error).message}`);
    } finally {
      current = undefined;
    }
  };
  const stop = link.onOffer(client, async (message) => {
    let offer: JobOffer;
    try {
      offer = parseMessage(jobOffer, 'job offer', message);
    } catch (error) {
      log(`client ${client}: refused an offer: ${(error as Error).message}`);
      return { accepted: false, reason: (error as Error).message };
    }
    if (offer.configDigest !== digest) {
      otherConfig();
      return { accepted: false, reason: 'the client is loading the run' };
    }
    if (current !== undefined) {
      return current.jobId === offer.jobId ? { accepted: true } : { accepted: false, reason: `busy with round ${current.round}` };
    }
    current = offer;
    void train(offer);
    return { accepted: true };
  });
  try {
    return await Promise.race([reload, link.ended.then(() => false)]);
  } finally {
    stop();
  }
}

function parseHeader(value: unknown): RunHeader {
  const parsed = headerLine.safeParse(value);
  if (!parsed.success) throw new Error(`the coordinator's run header must be a valid run header, but ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}.`);
  return parsed.data;
}
