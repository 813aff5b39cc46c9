import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunConfig } from '../engine/run-config.js';
import { readRun } from '../metrics/read-run.js';
import { checkRecordedData } from '../engine/recorded-data.js';
import { recordedDataOf, settingDifferences } from '../replay/recorded-settings.js';
import { isJobOutput, type SweepJob } from './sweep-job.js';

/**
 * Checks the files a job wrote elsewhere (a worker of a sweep over NATS) and, when they are
 * sound, puts them into the bundle directory, each written aside and renamed, the run file last:
 * a killed coordinator never leaves a run file whose checkpoints are missing. Refuses, with the
 * reason, a path the job may not write, a run file that did not complete or was recorded with
 * other settings or other data than the bundle's runs, and a checkpoint whose `.sha256` does not
 * match it.
 *
 * @example
 * acceptJobFiles(job, new Map([['small.jsonl', bytes], ...]), 'bundles/a', config);
 */
export function acceptJobFiles(job: SweepJob, files: ReadonlyMap<string, Uint8Array>, directory: string, config: RunConfig): void {
  for (const path of files.keys()) {
    if (!isJobOutput(job, path)) throw new Error(`every file of ${job.file}'s result must be one that job writes, but got ${JSON.stringify(path)}.`);
  }
  const run = files.get(job.file);
  if (run === undefined) throw new Error(`${job.file}'s result must hold ${job.file}, but it does not.`);
  for (const [path, bytes] of files) {
    if (!path.endsWith('.sha256')) continue;
    const data = files.get(path.slice(0, -'.sha256'.length));
    const sum = new TextDecoder().decode(bytes).split(/\s+/)[0];
    if (data !== undefined && sum !== sha256(data)) throw new Error(`${path} must be the sha256 of ${basename(path, '.sha256')}, but it is not.`);
  }
  const incoming = join(directory, `.${job.file}.incoming`);
  writeFileSync(incoming, run);
  try {
    const recorded = readRun(incoming);
    if (recorded.end?.status !== 'completed') throw new Error(`${job.file} must be a completed run, but it ends with ${recorded.end?.status ?? 'no end line'}.`);
    const wanted = { ...config, transfer: job.kind === 'branch' ? job.transfer : config.transfer };
    const differences = settingDifferences(recorded.header.config, wanted);
    if (differences.length > 0) throw new Error(`${job.file} must be recorded with the sweep's settings, but ${differences.join(', ')}.`);
    // Workers read their own copies of the data: every run of one bundle must come from the same images.
    const bundleData = recordedDataOf(['small.jsonl', 'large.jsonl'].map((file) => join(directory, file)), 'Give every worker the same data set (--data-dir).');
    if (bundleData !== undefined && recorded.header.data !== undefined) checkRecordedData(bundleData, recorded.header.data);
  } catch (error) {
    rmSync(incoming, { force: true });
    throw error;
  }
  for (const [path, bytes] of files) {
    if (path === job.file) continue;
    const target = join(directory, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.part`, bytes);
    renameSync(`${target}.part`, target);
  }
  renameSync(incoming, join(directory, job.file));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
