import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { RunHeader } from '../../metrics/run-file-schema.js';
import type { CoordinatorLink } from '../../engine/remote-clients.js';
import { offerReply, parseMessage, type JobOffer, type UpdateReply } from '../../engine/remote-protocol.js';
import { answerRequests } from './answer-requests.js';
import type { RunSubjects } from './run-subjects.js';
import { WeightObjects } from './weight-objects.js';

/** How long a connected client has to answer an offer (it trains in a worker, so it answers at once). */
const OFFER_TIMEOUT_MS = 5000;

/**
 * The coordinator's side of a run over NATS (subjects in `run-subjects.ts`): serves the run
 * header, offers jobs by request/reply, receives update notices, and keeps weights in the run's
 * object store. Refuses to start when another coordinator already serves the same run id.
 *
 * @example
 * const link = await NatsCoordinatorLink.start(nc, runSubjects('lab'), header);
 */
export class NatsCoordinatorLink implements CoordinatorLink {
  private readonly subscriptions: Subscription[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: RunSubjects,
    private readonly weights: WeightObjects,
  ) {}

  static async start(nc: NatsConnection, subjects: RunSubjects, header: RunHeader): Promise<NatsCoordinatorLink> {
    const other = await nc.request(subjects.header, '', { timeout: 1000 }).then(
      () => true,
      () => false,
    );
    if (other) {
      throw new Error(`--run must name a run no other coordinator serves, but ${subjects.header} already answers (pick another --run).`);
    }
    const link = new NatsCoordinatorLink(nc, subjects, await WeightObjects.create(nc, subjects.bucket));
    const text = JSON.stringify(header);
    link.subscriptions.push(nc.subscribe(subjects.header, { callback: (_error, message) => void message.respond(text) }));
    return link;
  }

  async putGlobal(round: number, weights: Float32Array): Promise<string> {
    const name = this.subjects.globalObject(round);
    await this.weights.put(name, weights);
    return name;
  }

  async offer(offer: JobOffer) {
    let text: string;
    try {
      const reply = await this.nc.request(this.subjects.job(offer.client), JSON.stringify(offer), { timeout: OFFER_TIMEOUT_MS });
      text = reply.string();
    } catch {
      return { kind: 'absent' } as const;
    }
    try {
      const answer = parseMessage(offerReply, 'offer reply', JSON.parse(text));
      return answer.accepted ? ({ kind: 'accepted' } as const) : ({ kind: 'declined', reason: answer.reason ?? 'no reason given' } as const);
    } catch (error) {
      return { kind: 'declined', reason: `its reply was malformed: ${(error as Error).message}` } as const;
    }
  }

  onUpdate(handler: (message: unknown) => Promise<UpdateReply>): void {
    this.subscriptions.push(this.nc.subscribe(this.subjects.update, { callback: answerRequests(handler) }));
  }

  fetchWeights(name: string): Promise<Float32Array> {
    return this.weights.get(name);
  }

  async endRound(round: number): Promise<void> {
    if (round >= 1) await this.weights.deletePrefix(this.subjects.roundPrefix(round));
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  /** Tells every client the run is over and deletes its stored weights. */
  async announceEnd(status: string): Promise<void> {
    this.nc.publish(this.subjects.end, JSON.stringify({ status }));
    await this.nc.flush();
    await this.weights.destroy();
  }
}
