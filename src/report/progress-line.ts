import type { RoundRecord } from '../metrics/round-record.js';
import type { Phase } from '../engine/federation.js';

/**
 * The one-line live status of a run: round, gear, validation accuracy, traffic, elapsed and ETA.
 * The ETA assumes the remaining rounds cost what the rounds so far cost on average. Distributed
 * rounds also show how many of the clients that took the job answered in time.
 *
 * @example
 * progressLine(record, 40); // "round 12/40  small  val 54.3%  12.3 MB  0:23 elapsed  ETA 0:54"
 */
export function progressLine(record: RoundRecord, plannedRounds: number, phase?: Phase): string {
  const mb = (record.bytes.sentTotal + record.bytes.receivedTotal) / 1e6;
  const perRound = record.seconds.total / record.round;
  const eta = perRound * (plannedRounds - record.round);
  const parts = [
    `round ${record.round}/${plannedRounds}`,
    record.gearName,
    `val ${(record.validation.accuracy * 100).toFixed(1)}%`,
    `${mb.toFixed(1)} MB`,
    `${clock(record.seconds.total)} elapsed`,
    `ETA ${clock(eta)}`,
  ];
  const clients = record.clients;
  if (clients !== undefined) {
    parts.splice(3, 0, `clients ${clients.answered.length}/${clients.asked.length}${clients.late.length > 0 ? ` (+${clients.late.length} late)` : ''}`);
  }
  if (phase !== undefined) parts.push(`(${phase})`);
  return parts.join('  ');
}

/**
 * Seconds as h:mm:ss or m:ss.
 *
 * @example
 * clock(75); // "1:15"
 */
export function clock(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
