import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/metrics/read-run.js';
import type { PolicyRecord } from '../../src/metrics/round-record.js';
import { decideGears } from '../../src/policy/decide-gears.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import type { GearInfo, PolicyContext } from '../../src/policy/policy.js';
import { startDecide } from '../support/decide-process.js';
import { fedgear } from '../support/fedgear-cli.js';

const ladder: GearInfo[] = [
  { name: 'small', parameters: 70_546, bytesPerRound: 1_693_104 },
  { name: 'large', parameters: 655_802, bytesPerRound: 15_739_248 },
];
/** The context line a trainer sends (the objective as a spec), and the context a policy gets from it. */
const given = { plannedRounds: 12, ladder, objective: 'max-accuracy' };
const context: PolicyContext = { ...given, objective: { kind: 'max-accuracy', spec: 'max-accuracy' } };

/** What a trainer measured in round `round` on `gear`: a curve that rises, then flattens. */
function measured(round: number, gear: number, totals: { bytes: number; seconds: number }) {
  const accuracy = gear === 0 ? Math.min(0.5, 0.1 * round) : 0.5 + 0.02 * round;
  totals.bytes += ladder[gear]!.bytesPerRound;
  totals.seconds += 2;
  const half = ladder[gear]!.bytesPerRound / 2;
  return {
    round,
    gear,
    gearName: ladder[gear]!.name,
    parameters: ladder[gear]!.parameters,
    validation: { accuracy, loss: 2 * (1 - accuracy) },
    test: { accuracy: accuracy - 0.01, loss: 2 * (1.01 - accuracy) },
    bytes: { sent: half, received: half, sentTotal: totals.bytes / 2, receivedTotal: totals.bytes / 2 },
    seconds: { training: 1.5, aggregation: 0.1, distillation: 0, evaluation: 0.4, round: 2, total: totals.seconds },
  };
}

/** Plays a whole run against a running sidecar, growing when told, as a trainer would. */
async function train(decide: ReturnType<typeof startDecide>) {
  const totals = { bytes: 0, seconds: 0 };
  const sent: ReturnType<typeof measured>[] = [];
  const answers: Record<string, unknown>[] = [];
  let gear = 0;
  for (let round = 1; round <= context.plannedRounds; round++) {
    const record = measured(round, gear, totals);
    sent.push(record);
    // The next line is written only after this answer came back: each answer is flushed at once.
    decide.send(record);
    const answer = await decide.reply();
    answers.push(answer);
    if (answer['action'] === 'shift' && gear < ladder.length - 1) gear += 1;
  }
  return { sent, answers };
}

describe('fedgear decide', () => {
  it('answers every round at once, with the decisions of the pipeline live runs and replays use', async () => {
    const decide = startDecide(['--policy', 'plateau', '--patience', '3', '--min-delta', '0.001']);
    decide.send({ context: given });
    expect(await decide.reply()).toEqual({ ready: true, policy: { name: 'plateau', spec: 'plateau', options: expect.objectContaining({ patience: 3, minDelta: 0.001 }) } });
    const { sent, answers } = await train(decide);
    const { status, rest, stderr } = await decide.close();
    expect(stderr).toBe('');
    expect([status, rest]).toEqual([0, []]);

    const plugin = await loadPolicy('plateau');
    const policy = plugin.create(validateOptions(plugin.name, plugin.options, { patience: 3, minDelta: 0.001 }), context);
    const records: PolicyRecord[] = sent.map(({ test: _test, ...record }) => record);
    const expected = await lastValueFrom(from(records).pipe(decideGears(policy, context, { label: 'plateau', timeoutMs: 30_000 }), toArray()));
    expect(answers).toEqual(expected.map((decision, index) => ({ round: index + 1, ...decision })));
    // The small model's accuracy is flat from round 5: three rounds without improvement.
    expect(answers.findIndex((answer) => answer['action'] === 'shift') + 1).toBe(8);
    expect(sent.map((record) => record.gear)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('answers a bad line with a one-line error naming the line and the field, and goes on', async () => {
    const decide = startDecide(['--policy', 'fixed', '--at', '2']);
    const totals = { bytes: 0, seconds: 0 };
    decide.send({ round: 1 });
    expect(await decide.reply()).toEqual({ error: 'line 1: the first line must be {"context": {"plannedRounds": N, "ladder": [...]}}, but got a line without "context".', line: 1, field: 'context' });
    decide.send({ context: { plannedRounds: 12, ladder: [{ name: 'small', parameters: 10 }] } });
    expect(await decide.reply()).toEqual({ error: 'line 2: context.ladder.0.bytesPerRound expected number, received undefined, but got undefined.', line: 2, field: 'context.ladder.0.bytesPerRound' });
    decide.send({ context: given });
    expect(await decide.reply()).toMatchObject({ ready: true });
    decide.send('{"round": 1,');
    expect(await decide.reply()).toEqual({ error: 'line 4: each line must be one JSON object, but got "{\\"round\\": 1,".', line: 4, field: 'line' });
    const round1 = measured(1, 0, totals);
    decide.send({ ...round1, validation: { accuracy: 1.5, loss: 0.2 } });
    expect(await decide.reply()).toEqual({ error: 'line 5: validation.accuracy Too big: expected number to be <=1, but got 1.5.', line: 5, field: 'validation.accuracy' });
    decide.send({ ...round1, round: 2 });
    expect(await decide.reply()).toEqual({ error: 'line 6: round must be 1 (rounds are consecutive), but got 2.', line: 6, field: 'round' });
    decide.send(round1);
    expect(await decide.reply()).toEqual({ round: 1, action: 'hold', reason: 'small has trained 1 of 2 rounds' });
    decide.send({ ...measured(2, 1, totals) });
    expect(await decide.reply()).toEqual({ error: 'line 8: gear must be 0 (the policy held after round 1), but got 1.', line: 8, field: 'gear' });
    decide.send({ ...measured(2, 0, totals), gearName: 'large' });
    expect(await decide.reply()).toEqual({ error: 'line 9: gearName must be "small" (gear 0 of the ladder), but got "large".', line: 9, field: 'gearName' });
    decide.send({ context: given });
    expect(await decide.reply()).toEqual({ error: 'line 10: context must be given once, on the first line, but got it again.', line: 10, field: 'context' });
    decide.send(measured(2, 0, totals));
    expect(await decide.reply()).toEqual({ round: 2, action: 'shift', reason: 'small has trained 2 rounds (fixed schedule: 2 per gear)' });
    expect(await decide.close()).toMatchObject({ status: 0, rest: [] });
  });

  it('records a run file that fedgear replay reads and reproduces', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'fedgear-decide-'));
    const file = join(directory, 'torch.jsonl');
    const decide = startDecide(['--policy', 'plateau', '--patience', '3', '--min-delta', '0.001', '--record', file]);
    decide.send({ context: given });
    expect(await decide.reply()).toMatchObject({ ready: true, recording: file });
    const { answers } = await train(decide);
    expect(await decide.close()).toMatchObject({ status: 0, rest: [] });

    const run = readRun(file);
    expect(run.header.config['policy']).toEqual({ name: 'plateau', spec: 'plateau', options: expect.objectContaining({ patience: 3 }) });
    expect(run.rounds.map((record) => record.gear)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(run.decisions.map(({ round, action, reason }) => ({ round, action, reason }))).toEqual(answers);
    expect(run.switches).toEqual([{ kind: 'switch', afterRound: 8, from: 0, to: 1, reason: answers[7]!['reason'] }]);
    expect(run.end).toEqual({ kind: 'end', status: 'completed' });

    const same = await fedgear(['replay', file, '--policy', 'plateau', '--patience', '3', '--min-delta', '0.001']);
    expect(same.stderr).toBe('');
    expect(same.stdout).toContain('the same decisions as recorded after all 12 rounds, with the same reasons.');
    const other = await fedgear(['replay', file, '--policy', 'plateau', '--patience', '2', '--min-delta', '0.001']);
    expect(other.stdout).toContain('replayed: shift after round 7 (');
    expect(other.stdout).toContain('the actions first differ after round 7: recorded hold (');
  });

  it('ends with a fatal error line and status 1 when the policy fails', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'fedgear-decide-'));
    writeFileSync(
      join(directory, 'broken.mjs'),
      "export default { name: 'broken', description: 'Throws in round 2.', options: {}, create: () => ({ decide: (history) => { if (history.length === 2) throw new Error('no idea'); return { action: 'hold', reason: 'fine' }; } }) };\n",
    );
    const decide = startDecide(['--policy', './broken.mjs', '--record', 'run.jsonl'], directory);
    const totals = { bytes: 0, seconds: 0 };
    decide.send({ context: given });
    expect(await decide.reply()).toMatchObject({ ready: true, policy: { name: 'broken', spec: './broken.mjs' } });
    decide.send(measured(1, 0, totals));
    expect(await decide.reply()).toEqual({ round: 1, action: 'hold', reason: 'fine' });
    decide.send(measured(2, 0, totals));
    expect(await decide.reply()).toEqual({ error: 'policy "broken" failed at round 2: it threw no idea', fatal: true });
    expect(await decide.close()).toMatchObject({ status: 1, rest: [] });
    expect(readRun(join(directory, 'run.jsonl')).end).toEqual({ kind: 'end', status: 'failed', message: 'policy "broken" failed at round 2: it threw no idea' });
  });
});
