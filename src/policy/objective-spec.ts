/**
 * What a run optimises, as data: the objectives `fedgear run`, `replay` and `tune` take and that
 * policies read from their context, so a policy can decide by what the user cares about.
 *
 * - `max-accuracy`: the best accuracy by the last planned round;
 * - `time-to` / `mb-to`: seconds / MB until accuracy first reaches `fraction` x the reference
 *   (by convention the 12-12 run's max, which a live run does not know: policies estimate it);
 * - `accuracy-at-mb` / `accuracy-at-seconds`: the best accuracy within a traffic or time budget.
 *
 * @example
 * const goal: ObjectiveSpec = { kind: 'accuracy-at-seconds', seconds: 600, spec: 'accuracy-at-seconds:600' };
 */
export type ObjectiveSpec =
  | { readonly kind: 'max-accuracy'; readonly spec: string }
  | { readonly kind: 'time-to' | 'mb-to'; readonly fraction: number; readonly spec: string }
  | { readonly kind: 'accuracy-at-mb'; readonly megabytes: number; readonly spec: string }
  | { readonly kind: 'accuracy-at-seconds'; readonly seconds: number; readonly spec: string };

/** The objective of a run that names none: the best accuracy by the last planned round. */
export const DEFAULT_OBJECTIVE = 'max-accuracy';

/** Every form an objective spec can take, as error messages list them. */
export const OBJECTIVE_FORMS = 'max-accuracy, time-to:<fraction>, mb-to:<fraction>, accuracy-at-mb:<MB> or accuracy-at-seconds:<seconds>';

/**
 * Parses an objective spec such as `time-to:0.97` or `accuracy-at-seconds:600`; the returned
 * `spec` is canonical (`time-to:0.970` becomes `time-to:0.97`).
 *
 * @example
 * parseObjectiveSpec('accuracy-at-mb:300'); // { kind: 'accuracy-at-mb', megabytes: 300, spec: 'accuracy-at-mb:300' }
 */
export function parseObjectiveSpec(spec: string): ObjectiveSpec {
  const [name, argument, ...rest] = spec.trim().split(':');
  const number = argument === undefined || argument.trim() === '' ? NaN : Number(argument);
  if (rest.length > 0) throw new Error(`the objective must be one of ${OBJECTIVE_FORMS}, but got '${spec}'.`);
  switch (name) {
    case 'max-accuracy':
      if (argument !== undefined) throw new Error(`max-accuracy must be given without an argument, but got '${spec}'.`);
      return { kind: name, spec: name };
    case 'time-to':
    case 'mb-to':
      if (!(number > 0 && Number.isFinite(number))) throw new Error(`the fraction of ${name} must be a number > 0 (e.g. ${name}:0.9), but got '${spec}'.`);
      return { kind: name, fraction: number, spec: `${name}:${number}` };
    case 'accuracy-at-mb':
      if (!(number > 0 && Number.isFinite(number))) throw new Error(`the budget of accuracy-at-mb must be a number of MB > 0 (e.g. accuracy-at-mb:300), but got '${spec}'.`);
      return { kind: name, megabytes: number, spec: `${name}:${number}` };
    case 'accuracy-at-seconds':
      if (!(number > 0 && Number.isFinite(number))) throw new Error(`the budget of accuracy-at-seconds must be a number of seconds > 0 (e.g. accuracy-at-seconds:600), but got '${spec}'.`);
      return { kind: name, seconds: number, spec: `${name}:${number}` };
    default:
      throw new Error(`the objective must be one of ${OBJECTIVE_FORMS}, but got '${spec}'.`);
  }
}
