import type { PolicyRecord } from '../metrics/round-record.js';

/**
 * Whether a round's validation measurement is incomplete: its validation accuracy or loss is not
 * a finite number (NaN after a diverged round, ±Infinity, or missing altogether). Such a round
 * says nothing reliable about the model, so no policy should shift on it: every built-in exits
 * early on it, and the law `holdsOnIncompleteRecords` (fedgear/testing) checks plugins for it. Costs are not part of it: a cost-only policy reads no validation
 * metric, but it is still asked to hold on a round whose evaluation failed.
 *
 * @example
 * isIncompleteRecord({ ...record, validation: { accuracy: 0.41, loss: Number.NaN } }); // true
 */
export function isIncompleteRecord(record: PolicyRecord): boolean {
  const validation = record.validation as Partial<PolicyRecord['validation']> | undefined;
  return !Number.isFinite(validation?.accuracy) || !Number.isFinite(validation?.loss);
}
