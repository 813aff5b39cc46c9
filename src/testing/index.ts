/**
 * fedgear/testing: property tests for gear-switch policies. Generate realistic recorded runs,
 * then check a plugin against the laws every policy should satisfy and the ones it declares.
 *
 * @example
 * import { checkLaws, universalLaws, noShiftBeforeWarmup } from 'fedgear/testing';
 * await checkLaws(plugin, { target: 0.6 }, { laws: [...universalLaws, noShiftBeforeWarmup({ option: 'warmup' })] });
 */
export {
  costArb,
  objectiveArb,
  curveArb,
  gearCurveArb,
  ladderArb,
  realArb,
  recordedRunArb,
  runScenarioArb,
  withIncompleteRounds,
  type CountRange,
  type IncompleteValidation,
  type RunShape,
  type ScenarioShape,
} from './arbitraries.js';
export { checkLaws, defaultNumRuns, LawError, type CheckLawsSettings, type LawFailure } from './check-laws.js';
export { followDecisions, type FollowedRun } from './follow-decisions.js';
export { formatRounds } from './format-rounds.js';
export { isIncompleteRecord } from '../policy/incomplete-record.js';
export {
  defineLaw,
  lawProperty,
  LawViolation,
  policySubject,
  type Law,
  type LawSettings,
  type LawSpec,
  type PolicyFactory,
  type PolicySubject,
  type ShownRun,
  type Violation,
} from './law.js';
export {
  causal,
  deterministic,
  holdsOnIncompleteRecords,
  monotoneIn,
  neverOverspends,
  noShiftBeforeWarmup,
  oneShiftPerGear,
  shiftsOnFlatSignal,
  universalLaws,
  type BudgetDeclaration,
  type BudgetUnit,
  type FlatSignalDeclaration,
  type MonotoneDeclaration,
  type WarmupDeclaration,
} from './laws.js';
export { decisionTimeoutMs, replayRun, type PolicyRun } from './policy-run.js';
export { gearsFromShifts, recordRun, roundMeter, type CostModel, type Dip, type GearCurve, type RoundNoise, type RunScenario, type Stall } from './run-scenario.js';
