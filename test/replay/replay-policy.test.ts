import { describe, expect, it } from 'vitest';
import { contextFromHeader } from '../../src/policy/context-from-header.js';
import { hold, shift } from '../../src/policy/decision.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { validateOptions } from '../../src/policy/options-schema.js';
import type { Policy } from '../../src/policy/policy.js';
import { readBundle } from '../../src/replay/bundle.js';
import { replayDecisions } from '../../src/replay/replay-decisions.js';
import { replayPolicy } from '../../src/replay/replay-policy.js';
import { makeBundle } from './make-bundle.js';
import { plateauAt6 } from './shapes.js';

const bundle = readBundle(makeBundle(plateauAt6(8)));
const context = contextFromHeader(bundle.small.header);

async function builtin(name: string, options: Record<string, unknown>): Promise<Policy> {
  const plugin = await loadPolicy(name);
  return plugin.create(validateOptions(name, plugin.options, options), context);
}

describe('replayPolicy', () => {
  it('splices at the first shift and reports its reason', async () => {
    const replay = await replayPolicy(bundle, await builtin('fixed', { at: 5 }), 'fixed');
    expect(replay.run).toMatchObject({ switchAfter: 5, usedBranch: 5 });
    expect(replay.reason).toBe('small has trained 5 rounds (fixed schedule: 5 per gear)');
    expect(replay.decisions.map((decision) => decision.action)).toEqual(['hold', 'hold', 'hold', 'hold', 'shift']);
  });

  it('gives the decisions the live pipeline gives on the small run, up to the first shift', async () => {
    const policy = await builtin('plateau', { patience: 3, minDelta: 0, thresholdMode: 'abs' });
    const replay = await replayPolicy(bundle, policy, 'plateau');
    const live = await replayDecisions(bundle.small, policy, 'plateau');
    expect(replay.decisions).toEqual(live.slice(0, replay.decisions.length));
    // Validation is flat from round 6, so with patience 3 the shift comes after round 9.
    expect(replay.run.switchAfter).toBe(9);
    expect(replay.decisions.at(-1)!.action).toBe('shift');
  });

  it('keeps the small run when the policy never shifts', async () => {
    const replay = await replayPolicy(bundle, await builtin('never', {}), 'never');
    expect(replay.run.rounds).toBe(bundle.small.rounds);
    expect(replay.reason).toBeUndefined();
    expect(replay.decisions).toHaveLength(20);
  });

  it('shows the policy validation metrics only, never the test metrics', async () => {
    const seen: unknown[] = [];
    const peeking: Policy = {
      decide(history) {
        seen.push(history.at(-1));
        return history.length === 3 ? shift('enough') : hold();
      },
    };
    await replayPolicy(bundle, peeking, 'peeking');
    expect(seen).toHaveLength(3);
    for (const record of seen) expect(record).not.toHaveProperty('test');
  });
});
