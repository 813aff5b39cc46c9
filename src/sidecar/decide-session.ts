import { Subject } from '../vendor/rxjs.js';
import { fedgearVersion } from '../metrics/fedgear-version.js';
import type { PolicyRecord } from '../metrics/round-record.js';
import { RUN_FILE_FORMAT, RUN_FILE_VERSION, type RunHeader } from '../metrics/run-file-schema.js';
import { RunWriter } from '../metrics/run-writer.js';
import { quoteValue } from '../metrics/quote-value.js';
import { checkLine } from '../metrics/schema-issue.js';
import { decideGears } from '../policy/decide-gears.js';
import type { Decision } from '../policy/decision.js';
import { decisionQueue, type DecisionQueue } from '../policy/decision-queue.js';
import type { PolicyPlugin } from '../policy/plugin.js';
import type { PolicyContext } from '../policy/policy.js';
import { DEFAULT_OBJECTIVE, parseObjectiveSpec } from '../policy/objective-spec.js';
import { contextLine, decideRoundLine, type DecideReply, type DecideRound } from './decide-protocol.js';

/** What a `fedgear decide` session runs. */
export interface DecideSessionOptions {
  readonly plugin: PolicyPlugin;
  /** The plugin's validated options (`validateOptions`), defaults filled in. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The policy as the user gave it (name, path or package), recorded in the run header. */
  readonly spec: string;
  /** Run file to record what the session saw and decided. */
  readonly record?: string;
  /** Longest one decision may take (as in live runs). */
  readonly timeoutMs?: number;
}

/** A policy answering another trainer, line by line. */
export interface DecideSession {
  /** Answers input line `number` (1-based): every line but a blank one gets exactly one reply. */
  line(number: number, text: string): Promise<DecideReply | undefined>;
  /** Closes the recording at the end of input; a fatal reply when the input never gave a context. */
  end(): DecideReply | undefined;
}

interface Started {
  readonly context: PolicyContext;
  readonly records: Subject<PolicyRecord>;
  readonly decisions: DecisionQueue;
  readonly writer: RunWriter | undefined;
}

/**
 * The state behind `fedgear decide`: the first line gives the policy context, every later line a
 * round record, answered with the policy's decision through `decideGears`, the pipeline of live
 * runs and replays. A bad line is answered with an error naming the line and the field, and
 * changes nothing: the trainer may send the round again. With `record`, the rounds, decisions and
 * gear switches are written as a fedgear run file as they happen.
 *
 * @example
 * const session = decideSession({ plugin, options, spec: 'plateau' });
 * await session.line(1, '{"context": {"plannedRounds": 20, "ladder": [...]}}'); // { ready: true, ... }
 * await session.line(2, JSON.stringify(round1)); // { round: 1, action: 'hold', reason: '...' }
 */
export function decideSession(options: DecideSessionOptions): DecideSession {
  let started: Started | undefined;
  let previous: { readonly round: number; readonly gear: number; readonly decision: Decision } | undefined;

  const refuse = (line: number, field: string, message: string): DecideReply => ({ error: `line ${line}: ${message}`, line, field });

  const start = (context: PolicyContext): DecideReply => {
    let decide;
    try {
      decide = decideGears(options.plugin.create(options.options as never, context), context, { label: options.plugin.name, timeoutMs: options.timeoutMs ?? 30_000 });
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error), fatal: true };
    }
    const records = new Subject<PolicyRecord>();
    const writer = options.record === undefined ? undefined : RunWriter.create(options.record, header(context, options));
    started = { context, records, decisions: decisionQueue(records, decide), writer };
    return { ready: true, policy: { name: options.plugin.name, spec: options.spec, options: options.options }, ...(writer === undefined ? {} : { recording: writer.path }) };
  };

  /** Why a well-formed round cannot follow the rounds so far, or undefined when it can. */
  const outOfSequence = (round: DecideRound, context: PolicyContext): { field: string; message: string } | undefined => {
    const expected = (previous?.round ?? 0) + 1;
    if (round.round !== expected) return { field: 'round', message: `round must be ${expected} (rounds are consecutive), but got ${round.round}.` };
    const gears = context.ladder.length;
    if (round.gear >= gears) return { field: 'gear', message: `gear must be below ${gears} (the ladder has ${gears} gears), but got ${round.gear}.` };
    if (previous !== undefined) {
      const allowed = previous.decision.action === 'shift' ? [previous.gear, previous.gear + 1] : [previous.gear];
      if (!allowed.includes(round.gear)) {
        const why = previous.decision.action === 'shift' ? `the policy shifted after round ${previous.round}` : `the policy held after round ${previous.round}`;
        return { field: 'gear', message: `gear must be ${allowed.join(' or ')} (${why}), but got ${round.gear}.` };
      }
    }
    const name = context.ladder[round.gear]!.name;
    if (round.gearName !== name) return { field: 'gearName', message: `gearName must be ${JSON.stringify(name)} (gear ${round.gear} of the ladder), but got ${JSON.stringify(round.gearName)}.` };
    if (options.record !== undefined && round.test === undefined) {
      return { field: 'test', message: 'test must be { accuracy, loss } when the run is recorded (--record): reports score runs on test accuracy, but got undefined.' };
    }
    return undefined;
  };

  return {
    async line(number, text) {
      if (text.trim() === '') return undefined;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return refuse(number, 'line', `each line must be one JSON object, but got ${quoteValue(text)}.`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return refuse(number, 'line', `each line must be one JSON object, but got ${quoteValue(text)}.`);
      }
      const hasContext = 'context' in value;
      if (started === undefined) {
        if (!hasContext) {
          return refuse(number, 'context', `the first line must be {"context": {"plannedRounds": N, "ladder": [...]}}, but got a line without "context".`);
        }
        const checked = checkLine(contextLine, value);
        if (!checked.ok) return refuse(number, checked.issue.field, checked.issue.message);
        const { objective, ...given } = checked.value.context;
        return start({ ...given, objective: parseObjectiveSpec(objective ?? DEFAULT_OBJECTIVE) });
      }
      if (hasContext) return refuse(number, 'context', `context must be given once, on the first line, but got it again.`);
      const checked = checkLine(decideRoundLine, value);
      if (!checked.ok) return refuse(number, checked.issue.field, checked.issue.message);
      const round = checked.value;
      const problem = outOfSequence(round, started.context);
      if (problem !== undefined) return refuse(number, problem.field, problem.message);

      const { kind: _kind, test, ...record } = round;
      const { writer } = started;
      if (writer !== undefined && previous !== undefined && round.gear > previous.gear) {
        writer.switch({ kind: 'switch', afterRound: previous.round, from: previous.gear, to: round.gear, reason: previous.decision.reason });
      }
      writer?.round({ ...record, test: test! });
      started.records.next(record);
      let decision: Decision;
      try {
        decision = await started.decisions.next();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        writer?.end({ kind: 'end', status: 'failed', message });
        started = undefined;
        return { error: message, fatal: true };
      }
      writer?.decision({ kind: 'decision', round: record.round, action: decision.action, reason: decision.reason });
      previous = { round: record.round, gear: record.gear, decision };
      return { round: record.round, action: decision.action, reason: decision.reason };
    },
    end() {
      if (started === undefined) {
        return previous === undefined ? { error: 'the input must start with a {"context": ...} line, but it ended before one.', fatal: true } : undefined;
      }
      started.records.complete();
      started.writer?.end({ kind: 'end', status: (previous?.round ?? 0) >= started.context.plannedRounds ? 'completed' : 'stopped' });
      return undefined;
    },
  };
}

/** The header of a run recorded by `fedgear decide`: the context as the trainer gave it. */
function header(context: PolicyContext, options: DecideSessionOptions): RunHeader {
  return {
    kind: 'header',
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    createdAt: new Date().toISOString(),
    backend: 'external',
    versions: { fedgear: fedgearVersion(), node: process.versions.node },
    ladder: context.ladder.map(({ name, parameters, bytesPerRound, multiplyAdds }) => ({ name, parameters, bytesPerRound, ...(multiplyAdds === undefined ? {} : { multiplyAdds }) })),
    config: {
      trainer: 'external, through fedgear decide',
      rounds: context.plannedRounds,
      objective: context.objective.spec,
      policy: { name: options.plugin.name, spec: options.spec, options: options.options },
    },
  };
}
