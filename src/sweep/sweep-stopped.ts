/**
 * A sweep stopped on request (Ctrl-C, SIGTERM) before every job finished: the job in progress
 * wrote `end: stopped`, no later job started and no manifest was written. Running the same sweep
 * again continues it.
 *
 * @example
 * try { await sweep({ ...options, stop: controller.signal }); } catch (error) { if (error instanceof SweepStopped) console.error(error.message); }
 */
export class SweepStopped extends Error {
  /** Why it stopped: the abort reason, e.g. "SIGINT". */
  readonly reason: string;

  constructor(reason: string) {
    super(`the sweep must finish every job before its manifest is written, but it was stopped (${reason}); run it again to continue.`);
    this.name = 'SweepStopped';
    this.reason = reason;
  }
}
