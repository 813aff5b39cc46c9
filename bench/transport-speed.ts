/**
 * What moving weights over NATS costs per round, against the in-process engine's worker threads,
 * for each gear of the paper's ladder. Rewrites the `transport` section of docs/benchmarks.md.
 *
 *   node dist/bench/transport-speed.js [--rounds 5] [--preset small] [--nats nats://127.0.0.1:4222]
 *
 * NATS side: the real coordinator (`RemoteClients` over `NatsCoordinatorLink`) and three real
 * clients (`runRemoteClient` over `NatsClientLink`, each with its own connection), whose only
 * stand-in is the training: each client returns the weights it was sent, so the timing is the
 * protocol and the object store alone (offers, global weights out, updates back, checks).
 * Yardstick, in the same run: the same weights copied to three worker threads and back, as the
 * in-process engine's pool does (a copy per job, transferred, and the result transferred back).
 * Without --nats it starts its own nats-server (JetStream, loopback, a free port).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { buildRunConfig } from '../src/engine/build-run-config.js';
import type { ClientExecutor } from '../src/engine/client-executor.js';
import type { ClientJob } from '../src/engine/client-trainer.js';
import { loadRunData } from '../src/engine/load-run-data.js';
import { RemoteClients } from '../src/engine/remote-clients.js';
import { runRemoteClient } from '../src/engine/remote-client.js';
import { RUN_FILE_FORMAT, RUN_FILE_VERSION, type RunHeader } from '../src/metrics/run-file-schema.js';
import { countParameters, countWeightLayers, transferBytes } from '../src/models/architecture.js';
import { connectNats } from '../src/transport/nats/connect-nats.js';
import { NatsClientLink } from '../src/transport/nats/nats-client-link.js';
import { NatsCoordinatorLink } from '../src/transport/nats/nats-coordinator-link.js';
import { runSubjects } from '../src/transport/nats/run-subjects.js';
import { testNats } from '../test/support/nats-server.js';
import { machineLines, rerunCommand, writeSection } from './benchmarks-doc.js';
import { fixed, table } from './markdown-table.js';

const CLIENTS = 3;
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, preset: { type: 'string', default: 'small' }, nats: { type: 'string' } } });
const rounds = Number(values.rounds);
const started = new Date();
const loadStart = loadavg();

// Clients need only their shard sizes from the data: keep the images few (the weights are what is timed).
const config = buildRunConfig(values.preset!, { dataset: 'synthetic-easy', clients: CLIENTS, perClient: 32, server: 32, validation: 32, test: 32, workers: 0 });
const { data, ladder } = await loadRunData(config, undefined);
const header: RunHeader = {
  kind: 'header',
  format: RUN_FILE_FORMAT,
  version: RUN_FILE_VERSION,
  createdAt: started.toISOString(),
  backend: 'none',
  versions: {},
  ladder: ladder.map((gear) => ({ name: gear.name, parameters: countParameters(gear), weightLayers: countWeightLayers(gear), bytesPerTransfer: transferBytes(gear) })),
  config: { ...config },
} as RunHeader;

interface Row {
  readonly gear: string;
  readonly parameters: number;
  readonly mbPerRound: number;
  readonly natsSeconds: number;
  readonly workerSeconds: number;
}

const server = values.nats === undefined ? await testNats() : { url: values.nats, stop: async () => {} };
const rows: Row[] = [];
try {
  for (const [gear, architecture] of ladder.entries()) {
    const weights = new Float32Array(transferBytes(architecture) / 4).map((_, i) => Math.sin(i));
    const jobs: ClientJob[] = data.clients.map((_, client) => ({
      gear,
      client,
      weights,
      sgd: { epochs: 1, batchSize: 32, learningRate: 0.01, momentum: 0.9, weightDecay: 0, seed: client, augment: false },
    }));
    const natsSeconds = await timeNats(gear, jobs);
    const workerSeconds = await timeWorkers(weights);
    rows.push({ gear: architecture.name, parameters: countParameters(architecture), mbPerRound: (2 * CLIENTS * weights.byteLength) / 1e6, natsSeconds, workerSeconds });
    console.error(`${architecture.name}: NATS ${natsSeconds.toFixed(3)} s/round, worker threads ${workerSeconds.toFixed(4)} s/round`);
  }
} finally {
  await server.stop();
}

/** Median seconds of one round through the real coordinator and clients over NATS. */
async function timeNats(gear: number, jobs: readonly ClientJob[]): Promise<number> {
  const runId = `bench-${process.pid}-${gear}`;
  const subjects = runSubjects(runId);
  const coordinatorConnection = await connectNats(server.url, undefined, 'bench coordinator');
  const link = await NatsCoordinatorLink.start(coordinatorConnection, subjects, header);
  const shardSizes = data.clients.map((shard) => shard.count);
  const coordinator = new RemoteClients(link, { header, ladder, shardSizes }, { roundTimeout: 600, minClients: CLIENTS }, () => {});
  const clientConnections = await Promise.all(jobs.map((job) => connectNats(server.url, undefined, `bench client ${job.client}`)));
  const clients = clientConnections.map((nc, client) =>
    runRemoteClient(new NatsClientLink(nc, subjects), { client, backend: 'cpu', log: () => {}, startExecutor: async () => echoExecutor(shardSizes) }),
  );
  const times: number[] = [];
  for (let round = 1; round <= rounds + 1; round++) {
    const before = performance.now();
    const { results } = await coordinator.run(jobs, round);
    if (results.length !== CLIENTS) throw new Error(`every client must answer, but ${results.length} of ${CLIENTS} did.`);
    // Round 1 includes the clients' start (header, data): a warm-up, not timed.
    if (round > 1) times.push((performance.now() - before) / 1000);
  }
  await coordinator.close();
  await link.announceEnd('completed');
  await Promise.all(clients);
  await Promise.all([coordinatorConnection, ...clientConnections].map((nc) => nc.close()));
  return median(times);
}

/** A client whose "training" hands back the weights it was sent, with the sample count the coordinator checks. */
function echoExecutor(shardSizes: readonly number[]): ClientExecutor {
  return {
    run: async (jobs) => ({
      results: jobs.map((job) => ({ client: job.client, weights: job.weights, samples: shardSizes[job.client]! * job.sgd.epochs, loss: 0, accuracy: 0, seconds: 0 })),
    }),
    close: async () => {},
  };
}

/** Median seconds to copy the weights to three worker threads and back, as the in-process pool does. */
async function timeWorkers(weights: Float32Array): Promise<number> {
  const echo = 'const { parentPort } = require("node:worker_threads"); parentPort.on("message", (w) => { const back = w.slice(); parentPort.postMessage(back, [back.buffer]); });';
  const workers = Array.from({ length: CLIENTS }, () => new Worker(echo, { eval: true }));
  const round = () =>
    Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const copy = weights.slice();
            worker.once('message', () => resolve());
            worker.postMessage(copy, [copy.buffer]);
          }),
      ),
    );
  await round();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const before = performance.now();
    await round();
    times.push((performance.now() - before) / 1000);
  }
  await Promise.all(workers.map((worker) => worker.terminate()));
  return median(times);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const rowsTable = table(
  ['gear', 'parameters', 'MB moved per round', 'NATS s/round (median)', 'worker threads s/round (median)', 'NATS / worker threads'],
  rows.map((row) => [row.gear, row.parameters, fixed(row.mbPerRound, 2), fixed(row.natsSeconds, 3), fixed(row.workerSeconds, 4), `**${fixed(row.natsSeconds / row.workerSeconds, 0)}x**`]),
);
writeSection(
  'transport',
  `## Transport: NATS against worker threads

Generated by \`${rerunCommand('dist/bench/transport-speed.js')}\` (\`bench/transport-speed.ts\`).

${machineLines({ started, loadStart, versions: `Node ${process.versions.node}; NATS server ${values.nats === undefined ? 'started by the script on loopback' : values.nats}` })}

One round of ${CLIENTS} clients at the \`${values.preset}\` preset's width, training left out: the global weights
go to each client and each client's update comes back (the MB column, what a round record's
\`bytes\` counts). NATS: the real coordinator and clients of \`fedgear serve\`/\`fedgear client\`, on one
machine over loopback, each client returning the weights it got (job offers by request/reply,
weights through the JetStream object store, every update checked). Worker threads: the same
weights copied to ${CLIENTS} threads and back, as \`fedgear run\`'s pool moves them. Medians of ${rounds} rounds
after a warm-up round.

${rowsTable}

Add these seconds to a round's training time (see "Training speed" above) for the cost of
running clients as separate processes; across machines the network's bandwidth adds its own.
`,
);
console.error('wrote the transport section of docs/benchmarks.md');
