import { describe, expect, it } from 'vitest';
import { buildRunConfig, defaultWorkers } from '../../src/engine/build-run-config.js';

describe('defaultWorkers', () => {
  it('gives each client its own worker while clients fit in twice the cores', () => {
    expect(defaultWorkers(3, 2)).toBe(3);
    expect(defaultWorkers(4, 2)).toBe(4);
    expect(defaultWorkers(1, 8)).toBe(1);
  });

  it('falls back to one worker per core for many clients', () => {
    expect(defaultWorkers(5, 2)).toBe(2);
    expect(defaultWorkers(100, 8)).toBe(8);
  });
});

describe('buildRunConfig', () => {
  it('keeps an explicit worker count, including 0 (main thread)', () => {
    const config = buildRunConfig('tiny', { workers: 0, policy: { name: 'never', options: {} }, start: 'small' });
    expect(config.workers).toBe(0);
  });

  it('rejects a negative worker count, naming the field', () => {
    expect(() => buildRunConfig('tiny', { workers: -1, policy: { name: 'never', options: {} }, start: 'small' })).toThrow(/workers must be an integer >= 0/);
  });

  it("gives the synthetic data set the preset's synthetic sizes, and every other data set the usual ones", () => {
    const sizes = (dataset: 'cifar10' | 'synthetic' | 'synthetic-easy') => {
      const config = buildRunConfig('tiny', { dataset, workers: 0 });
      return [config.server, config.validation, config.perClient, config.test, config.rounds, config.width];
    };
    expect(sizes('synthetic')).toEqual([1000, 1000, 2000, 2000, 30, 4]);
    expect(sizes('synthetic-easy')).toEqual([300, 300, 400, 500, 8, 4]);
    expect(sizes('cifar10')).toEqual([300, 300, 400, 500, 8, 4]);
    expect(buildRunConfig('small', { dataset: 'synthetic', workers: 0 }).perClient).toBe(2000);
  });

  it('lets flags override the synthetic sizes', () => {
    const config = buildRunConfig('tiny', { dataset: 'synthetic', rounds: 4, perClient: 100, test: 50, workers: 0 });
    expect([config.rounds, config.perClient, config.test, config.server]).toEqual([4, 100, 50, 1000]);
  });
});
