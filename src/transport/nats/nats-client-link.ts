import type { NatsConnection } from '@nats-io/transport-node';
import type { ClientLink } from '../../engine/remote-client.js';
import { parseMessage, updateReply, type OfferReply, type UpdateNotice, type UpdateReply } from '../../engine/remote-protocol.js';
import { answerRequests } from './answer-requests.js';
import type { RunSubjects } from './run-subjects.js';
import { WeightObjects } from './weight-objects.js';

/** How long a client waits for the coordinator's verdict on an update (it fetches the weights first). */
const UPDATE_TIMEOUT_MS = 60_000;

/**
 * A client's side of a run over NATS (subjects in `run-subjects.ts`): asks for the run header
 * until a coordinator answers, answers job offers, stores updates in the run's object store.
 *
 * @example
 * const link = new NatsClientLink(nc, runSubjects('lab'));
 */
export class NatsClientLink implements ClientLink {
  readonly ended: Promise<string>;
  private store: WeightObjects | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: RunSubjects,
  ) {
    this.ended = new Promise((resolve) => {
      nc.subscribe(subjects.end, {
        callback: (_error, message) => {
          let status = 'ended';
          try {
            status = String((JSON.parse(message.string()) as { status?: unknown }).status ?? status);
          } catch {
            // A malformed announcement still ends the run.
          }
          resolve(status);
        },
      });
    });
  }

  async header(): Promise<unknown> {
    for (;;) {
      try {
        const reply = await this.nc.request(this.subjects.header, '', { timeout: 2000 });
        return JSON.parse(reply.string());
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  onOffer(client: number, handler: (message: unknown) => Promise<OfferReply>): () => void {
    const subscription = this.nc.subscribe(this.subjects.job(client), { callback: answerRequests(handler) });
    return () => subscription.unsubscribe();
  }

  async fetchWeights(name: string): Promise<Float32Array> {
    return (await this.objects()).get(name);
  }

  async putUpdate(round: number, client: number, weights: Float32Array): Promise<string> {
    const name = this.subjects.updateObject(round, client);
    await (await this.objects()).put(name, weights);
    return name;
  }

  async sendUpdate(notice: UpdateNotice): Promise<UpdateReply | undefined> {
    let text: string;
    try {
      text = (await this.nc.request(this.subjects.update, JSON.stringify(notice), { timeout: UPDATE_TIMEOUT_MS })).string();
    } catch {
      return undefined;
    }
    return parseMessage(updateReply, 'update reply', JSON.parse(text));
  }

  private async objects(): Promise<WeightObjects> {
    this.store ??= await WeightObjects.open(this.nc, this.subjects.bucket);
    return this.store;
  }
}
