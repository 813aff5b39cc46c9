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
  } as const;
}

/** The names of {@link runSubjects}. */
export type RunSubjects = ReturnType<typeof runSubjects>;
