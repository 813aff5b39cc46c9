/**
 * The NATS names one distributed run uses, all namespaced by its run id, so two runs on one
 * server never see each other's offers, updates or weights:
 *
 * | name | kind | what |
 * |---|---|---|
 * | `fedgear.<run>.header` | request/reply | a client asks, the coordinator answers with the run header |
 * | `fedgear.<run>.client.<k>.job` | request/reply | the coordinator offers client k a round's job; it accepts or declines |
 * | `fedgear.<run>.update` | request/reply | a client announces its stored update; the coordinator accepts, rejects or calls it late |
 * | `fedgear.<run>.end` | publish | the coordinator announces that the run ended |
 * | `fedgear-<run>` | JetStream object store | `round-<r>/global` and `round-<r>/client-<k>` weights (float32, little-endian) |
 *
 * and a sweep over NATS (`fedgear sweep --nats`, `fedgear worker`):
 *
 * | name | kind | what |
 * |---|---|---|
 * | `fedgear-<run>-sweep` | JetStream stream, work-queue retention, subject `fedgear.<run>.sweep.job` | the jobs; durable pull consumer `workers`, explicit acks |
 * | `fedgear.<run>.sweep.taken` | publish | a worker says which job it took (and the how-manieth delivery) |
 * | `fedgear.<run>.sweep.result` | request/reply | a worker announces its stored result files; the coordinator accepts or rejects them |
 * | `fedgear.<run>.sweep.coordinator` | request/reply | answered while a coordinator records the sweep (a second one is refused) |
 * | `fedgear.<run>.sweep.end` | publish | the coordinator announces that the sweep ended; workers exit |
 * | `fedgear-<run>-sweep-files` | JetStream object store | `<job>/in/<path>` (what a job starts from), `<job>/progress/<path>` (a trajectory so far) and `<job>/out/<worker>-<delivery>/<path>` (what it wrote) |
 *
 * @example
 * runSubjects('lab-1').job(2); // "fedgear.lab-1.client.2.job"
 */
export function runSubjects(run: string) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(run)) {
    throw new Error(`--run must be 1 to 64 letters, digits, '-' or '_', but got ${JSON.stringify(run)}.`);
  }
  const prefix = `fedgear.${run}`;
  return {
    header: `${prefix}.header`,
    job: (client: number) => `${prefix}.client.${client}.job`,
    update: `${prefix}.update`,
    end: `${prefix}.end`,
    bucket: `fedgear-${run}`,
    globalObject: (round: number) => `round-${round}/global`,
    updateObject: (round: number, client: number) => `round-${round}/client-${client}`,
    roundPrefix: (round: number) => `round-${round}/`,
    sweepJobs: `${prefix}.sweep.job`,
    sweepTaken: `${prefix}.sweep.taken`,
    sweepResult: `${prefix}.sweep.result`,
    sweepCoordinator: `${prefix}.sweep.coordinator`,
    sweepEnd: `${prefix}.sweep.end`,
    sweepStream: `fedgear-${run}-sweep`,
    sweepConsumer: 'workers',
    sweepBucket: `fedgear-${run}-sweep-files`,
  } as const;
}

/** The names of {@link runSubjects}. */
export type RunSubjects = ReturnType<typeof runSubjects>;
