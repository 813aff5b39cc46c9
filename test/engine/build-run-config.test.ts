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
});
