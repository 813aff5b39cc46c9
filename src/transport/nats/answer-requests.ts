import type { Msg } from '@nats-io/transport-node';

/**
 * A subscription callback that answers each request with `handler`'s reply as JSON. The request
 * is parsed as JSON; a body that is not JSON reaches the handler as its first 80 characters, so
 * the handler's schema check rejects it with a readable value.
 *
 * @example
 * nc.subscribe(subjects.update, { callback: answerRequests((message) => check(message)) });
 */
export function answerRequests(handler: (message: unknown) => Promise<unknown>): (error: Error | null, message: Msg) => void {
  return (_error, message) => {
    let value: unknown;
    try {
      value = JSON.parse(message.string());
    } catch {
      value = message.string().slice(0, 80);
    }
    void handler(value).then((reply) => message.respond(JSON.stringify(reply)));
  };
}
