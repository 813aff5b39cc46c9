/** Exit codes of a process ended by a signal, as shells report them (128 + the signal number). */
const EXIT_CODES: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** What happens on Ctrl-C or SIGTERM while long work runs. */
export interface SignalStop {
  /** Aborted (with the signal's name as its reason) by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The exit code the signal asks for (130 or 143), once one came. */
  readonly exitCode: number | undefined;
  /** Puts the default signal handling back. */
  dispose(): void;
}

/**
 * Turns the first SIGINT or SIGTERM into a graceful stop — `signal` aborts, so a run finishes the
 * round in progress and writes `end: stopped` — and a second one into an immediate stop:
 * `immediately` runs (to close what must be closed), then the process exits.
 *
 * @example
 * const stop = stopOnSignals({ graceful: (s) => log(`${s}: stopping after the round in progress`), immediately: () => subscription.unsubscribe() });
 * stagedRun({ ...options, stop: stop.signal });
 */
export function stopOnSignals(handlers: { graceful(signal: NodeJS.Signals): void; immediately(signal: NodeJS.Signals): void }): SignalStop {
  const controller = new AbortController();
  let exitCode: number | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (controller.signal.aborted) {
      handlers.immediately(signal);
      process.exit(EXIT_CODES[signal]);
    }
    exitCode = EXIT_CODES[signal];
    controller.abort(signal);
    handlers.graceful(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
