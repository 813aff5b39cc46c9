import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunConfig } from '../../engine/run-config.js';
import { readRun } from '../../metrics/read-run.js';
import { settingDifferences } from '../../replay/recorded-settings.js';
import { isJobOutput, type SweepJob } from '../../sweep/sweep-job.js';
import type { WeightObjects } from './weight-objects.js';

/**
 * A trajectory's progress on a worker, kept in the sweep's object store under `<job>/progress/`:
 * at every checkpoint, the run file so far and the checkpoints, so that a worker taking the job
 * after its first one died resumes from the last checkpoint instead of round 1 — exactly as a
 * local sweep resumes from what a killed one left on disk. Branches restart from their switch
 * point, as they do locally.
 *
 * @example
 * const progress = new JobProgress(files, job, scratch, say);
 * await progress.restore(config);
 * progress.save(5); // on each checkpoint event
 * await progress.saved();
 */
export class JobProgress {
  private readonly prefix: string;
  private uploads: Promise<void> = Promise.resolve();

  constructor(
    private readonly files: WeightObjects,
    private readonly job: SweepJob,
    private readonly directory: string,
    private readonly say: (line: string) => void,
  ) {
    this.prefix = `${job.file.replace(/\.jsonl$/, '')}/progress/`;
  }

  /**
   * Puts an earlier worker's progress into the job's directory, over the files the job came
   * with; progress recorded with other settings (a sweep of this run id with other flags) is
   * ignored. Resolves with whether there was progress to continue from.
   */
  async restore(config: RunConfig): Promise<boolean> {
    if (this.job.kind !== 'trajectory') return false;
    const names = (await this.files.names(this.prefix)).map((name) => name.slice(this.prefix.length));
    if (!names.includes(this.job.file)) return false;
    const saved = new Map<string, Uint8Array>();
    for (const path of names) if (isJobOutput(this.job, path)) saved.set(path, await this.files.getBytes(this.prefix + path));
    const check = join(this.directory, `.${this.job.file}.progress`);
    writeFileSync(check, saved.get(this.job.file)!);
    try {
      const differences = settingDifferences(readRun(check).header.config, config);
      if (differences.length > 0) {
        this.say(`progress saved for ${this.job.file} ignored: ${differences.join(', ')}`);
        return false;
      }
    } catch (error) {
      this.say(`progress saved for ${this.job.file} ignored: ${(error as Error).message}`);
      return false;
    } finally {
      rmSync(check, { force: true });
    }
    for (const [path, bytes] of saved) {
      mkdirSync(dirname(join(this.directory, path)), { recursive: true });
      writeFileSync(join(this.directory, path), bytes);
    }
    return true;
  }

  /** Stores, in the background, the run file as it is and the checkpoint after `round` (call on each checkpoint event). */
  save(round: number): void {
    if (this.job.kind !== 'trajectory') return;
    const checkpoint = `state/${this.job.start}-after-${round}.f32`;
    // Read now: the run file grows while the upload runs.
    const snapshot = [checkpoint, `${checkpoint}.sha256`, this.job.file]
      .filter((path) => existsSync(join(this.directory, path)))
      .map((path) => [path, readFileSync(join(this.directory, path))] as const);
    this.uploads = this.uploads.then(async () => {
      try {
        for (const [path, bytes] of snapshot) await this.files.putBytes(this.prefix + path, bytes);
        this.say(`${this.job.file}: progress saved after round ${round}`);
      } catch (error) {
        this.say(`${this.job.file}: progress after round ${round} not saved: ${(error as Error).message}`);
      }
    });
  }

  /** Resolves once every progress upload started is done. */
  saved(): Promise<void> {
    return this.uploads;
  }
}
