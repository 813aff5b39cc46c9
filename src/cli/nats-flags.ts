import { Flags } from '../vendor/oclif-core.js';

/**
 * The flags that say how to reach a distributed run, shared by `fedgear serve` and `fedgear
 * client`. Secrets never go in a flag (they would show in `ps`): a credentials file, or the
 * FEDGEAR_NATS_TOKEN / FEDGEAR_NATS_USER and FEDGEAR_NATS_PASSWORD variables.
 *
 * @example
 * static override flags = { ...natsFlags, 'client-id': Flags.integer({ required: true }) };
 */
export const natsFlags = {
  nats: Flags.string({
    summary: 'NATS server URL (nats:// or tls://); outside localhost it needs credentials.',
    env: 'FEDGEAR_NATS_URL',
    default: 'nats://127.0.0.1:4222',
    helpGroup: 'NATS',
  }),
  run: Flags.string({
    summary: 'Run id: the namespace of this run on the server, the same for the coordinator and its clients.',
    env: 'FEDGEAR_RUN_ID',
    default: 'fedgear',
    helpGroup: 'NATS',
  }),
  'nats-creds': Flags.string({
    summary: 'NATS credentials file: a .creds file (JWT and NKey seed) or an NKey seed. Tokens and passwords go in FEDGEAR_NATS_TOKEN or FEDGEAR_NATS_USER/FEDGEAR_NATS_PASSWORD.',
    env: 'FEDGEAR_NATS_CREDS',
    helpGroup: 'NATS',
  }),
};
