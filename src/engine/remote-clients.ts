import type { ClientAttendance } from '../metrics/round-record.js';
import type { RunHeader } from '../metrics/run-file-schema.js';
import { transferBytes, type Architecture } from '../models/architecture.js';
import type { ClientExecutor, RoundAnswers } from './client-executor.js';
import type { ClientJob, ClientResult } from './client-trainer.js';
import { configDigest, parseMessage, updateNotice, type JobOffer, type UpdateNotice, type UpdateReply } from './remote-protocol.js';

/**
 * What the coordinator needs from a transport (NATS: `src/transport/nats/`): somewhere to store
 * weights, a way to offer a job to one client, and a stream of the clients' updates.
 */
export interface CoordinatorLink {
  /** Stores a round's global weights and returns the name clients fetch them by. */
  putGlobal(round: number, weights: Float32Array): Promise<string>;
  /** Offers a job to its client: `absent` when no such client is connected (or it did not reply in time). */
  offer(offer: JobOffer): Promise<{ readonly kind: 'accepted' } | { readonly kind: 'declined'; readonly reason: string } | { readonly kind: 'absent' }>;
  /** Routes every update a client sends (unchecked) to `handler`, whose verdict goes back to that client. */
  onUpdate(handler: (message: unknown) => Promise<UpdateReply>): void;
  /** Fetches stored weights as float32 values (`bytes` is what the client said it stored). */
  fetchWeights(name: string): Promise<Float32Array>;
  /** Drops a finished round's stored weights. */
  endRound(round: number): Promise<void>;
  /** Stops listening; the connection itself belongs to the caller. */
  close(): Promise<void>;
}

/** When a round closes. */
export interface RoundRules {
  /** Seconds after a round opens at which it closes, once `minClients` have answered. */
  readonly roundTimeout: number;
  /** Answers a round needs before it may close at its deadline; it waits beyond it for them. */
  readonly minClients: number;
}

/** How often unanswered clients are offered the round's job again (a client that joins or comes back picks it up). */
const REOFFER_MS = 1000;

/**
 * Runs each round's jobs on clients elsewhere, through a {@link CoordinatorLink}: the federation
 * core is the same as for worker threads, only the executor differs. A round offers its job to
 * every client that has not answered, again every second, and closes when every client has
 * answered, or at the deadline once `minClients` have. An update is averaged in only if it
 * answers an open job of this round with the gear, sample count and weight count that job
 * implies; anything else is refused with a log line. Updates for a closed round are dropped and
 * counted as late in the next round's record.
 *
 * @example
 * const executor = new RemoteClients(link, { header, ladder, shardSizes }, { roundTimeout: 60, minClients: 2 }, console.error);
 */
export class RemoteClients implements ClientExecutor {
  private open: OpenRound | undefined;
  private readonly late = new Set<number>();
  private readonly digest: string;
  private readonly session = Math.random().toString(36).slice(2, 10);

  constructor(
    private readonly link: CoordinatorLink,
    private readonly federation: { readonly header: RunHeader; readonly ladder: readonly Architecture[]; readonly shardSizes: readonly number[] },
    private readonly rules: RoundRules,
    private readonly log: (line: string) => void,
  ) {
    const clients = federation.shardSizes.length;
    if (!Number.isInteger(rules.minClients) || rules.minClients < 1 || rules.minClients > clients) {
      throw new Error(`--min-clients must be an integer in [1, ${clients}] (the run's clients), but got ${rules.minClients}.`);
    }
    if (!(rules.roundTimeout > 0)) throw new Error(`--round-timeout must be > 0 seconds, but got ${rules.roundTimeout}.`);
    this.digest = configDigest(federation.header);
    link.onUpdate((message) => this.receive(message));
  }

  async run(jobs: readonly ClientJob[], round: number): Promise<RoundAnswers> {
    const global = jobs[0]?.weights;
    if (global === undefined || jobs.some((job) => job.weights !== global)) {
      throw new Error(`a round's jobs must share one global model, but round ${round} has ${jobs.length} jobs with differing weights.`);
    }
    const weights = await this.link.putGlobal(round, global);
    const open: OpenRound = {
      round,
      offers: new Map(jobs.map((job) => [job.client, this.offerFor(job, round, weights)])),
      asked: new Set(),
      answered: new Map(),
      said: new Map(),
      closed: false,
      wake: () => {},
    };
    this.open = open;
    const deadline = performance.now() + this.rules.roundTimeout * 1000;
    let waitedPastDeadline = false;
    for (;;) {
      const done = open.answered.size === jobs.length;
      const pastDeadline = performance.now() >= deadline;
      if (done || (pastDeadline && open.answered.size >= this.rules.minClients)) break;
      if (pastDeadline && !waitedPastDeadline) {
        waitedPastDeadline = true;
        this.log(`round ${round}: ${open.answered.size} of ${jobs.length} clients answered by the ${this.rules.roundTimeout} s deadline; waiting for --min-clients ${this.rules.minClients}`);
      }
      for (const client of open.offers.keys()) if (!open.answered.has(client)) this.offer(open, client);
      const wait = pastDeadline ? REOFFER_MS : Math.min(REOFFER_MS, deadline - performance.now());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, wait));
        open.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    open.closed = true;
    const late = [...this.late].sort((a, b) => a - b);
    this.late.clear();
    await this.link.endRound(round - 1);
    const results = jobs.flatMap((job) => {
      const result = open.answered.get(job.client);
      return result === undefined ? [] : [result];
    });
    const clients: ClientAttendance = {
      asked: [...open.asked].sort((a, b) => a - b),
      answered: results.map((result) => result.client),
      late,
    };
    return { results, clients };
  }

  async close(): Promise<void> {
    if (this.open !== undefined) this.open.closed = true;
    await this.link.close();
  }

  private offerFor(job: ClientJob, round: number, weights: string): JobOffer {
    return {
      jobId: `${this.session}:${round}:${job.client}`,
      configDigest: this.digest,
      round,
      client: job.client,
      gear: job.gear,
      weights,
      sgd: job.sgd,
    };
  }

  /** Offers the job once more; logs each client's state the first time it changes in a round. */
  private offer(open: OpenRound, client: number): void {
    this.link.offer(open.offers.get(client)!).then(
      (outcome) => {
        if (open.closed) return;
        if (outcome.kind === 'accepted') open.asked.add(client);
        const state = outcome.kind === 'declined' ? `declined: ${outcome.reason}` : outcome.kind;
        if (open.said.get(client) !== state && outcome.kind !== 'accepted') {
          this.log(`round ${open.round}: client ${client} ${outcome.kind === 'absent' ? 'is not connected' : state}`);
        }
        open.said.set(client, state);
      },
      (error: unknown) => this.log(`round ${open.round}: offering client ${client} its job failed: ${(error as Error).message}`),
    );
  }

  /** Checks one update and, if it answers an open job as that job implies, keeps it. */
  private async receive(message: unknown): Promise<UpdateReply> {
    let notice: UpdateNotice;
    try {
      notice = parseMessage(updateNotice, 'update', message);
    } catch (error) {
      return this.refuse('an update', (error as Error).message);
    }
    const who = `client ${notice.client}'s update for round ${notice.round}`;
    const open = this.open;
    const current = open?.offers.get(notice.client);
    if (open === undefined || current === undefined || notice.jobId !== current.jobId || open.closed) {
      // A job id of this round and client from an earlier coordinator (killed, then resumed), or
      // of an earlier round, or of this round after it closed: a real job that came too late.
      const [session, round, client] = notice.jobId.split(':');
      const real = round === String(notice.round) && client === String(notice.client) && open?.offers.has(notice.client) === true;
      const past = open !== undefined && (notice.round < open.round || (notice.round === open.round && (open.closed || session !== this.session)));
      if (real && past) {
        this.late.add(notice.client);
        this.log(`${who} came after that round closed: dropped (late)`);
        return { status: 'late', reason: `round ${notice.round} had closed` };
      }
      return this.refuse(who, `it must answer an open job of this run, but job ${notice.jobId} is not one`);
    }
    if (open.answered.has(notice.client)) return this.refuse(who, 'the client has already answered this round');
    const architecture = this.federation.ladder[current.gear]!;
    const expectedBytes = transferBytes(architecture);
    const expectedSamples = this.federation.shardSizes[notice.client]! * current.sgd.epochs;
    if (notice.gear !== current.gear) return this.refuse(who, `gear must be ${current.gear} (${architecture.name}), but got ${notice.gear}`);
    if (notice.samples !== expectedSamples) {
      return this.refuse(who, `samples must be ${expectedSamples} (its shard times ${current.sgd.epochs} epochs), but got ${notice.samples}`);
    }
    if (notice.bytes !== expectedBytes) {
      return this.refuse(who, `weights must be ${expectedBytes} bytes (gear ${current.gear}, ${architecture.name}), but got ${notice.bytes}`);
    }
    let weights: Float32Array;
    try {
      weights = await this.link.fetchWeights(notice.weights);
    } catch (error) {
      return this.refuse(who, `its weights must be readable from ${notice.weights}, but fetching them failed: ${(error as Error).message}`);
    }
    if (weights.byteLength !== expectedBytes) {
      return this.refuse(who, `weights must be ${expectedBytes} bytes (gear ${current.gear}, ${architecture.name}), but the stored object has ${weights.byteLength}`);
    }
    if (open.closed || this.open !== open) {
      this.late.add(notice.client);
      return { status: 'late', reason: `round ${notice.round} closed while its weights were fetched` };
    }
    const result: ClientResult = { client: notice.client, weights, samples: notice.samples, loss: notice.loss ?? Number.NaN, accuracy: notice.accuracy ?? Number.NaN, seconds: notice.seconds };
    open.answered.set(notice.client, result);
    open.asked.add(notice.client);
    open.wake();
    return { status: 'accepted', reason: `averaged into round ${notice.round}` };
  }

  private refuse(who: string, why: string): UpdateReply {
    const reason = `${why.replace(/\.$/, '')}.`;
    this.log(`${who} rejected: ${reason}`);
    return { status: 'rejected', reason };
  }
}

interface OpenRound {
  readonly round: number;
  readonly offers: Map<number, JobOffer>;
  readonly asked: Set<number>;
  readonly answered: Map<number, ClientResult>;
  /** The last state logged per client, so each change is logged once. */
  readonly said: Map<number, string>;
  closed: boolean;
  wake: () => void;
}
