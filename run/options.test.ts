import { describe, expect, it } from 'vitest';
import { backendOption } from './options.ts';

describe('backendOption', () => {
  it('takes the brokers a run can fault and audit', () => {
    expect(backendOption('kafka')).toBe('kafka');
    expect(backendOption('kinesis')).toBe('kinesis');
  });

  it('refuses memory, saying why, and anything else', () => {
    expect(() => backendOption('memory')).toThrow(
      /memory lives inside the engine.*kafka or kinesis/,
    );
    expect(() => backendOption('redis')).toThrow(
      "--backend: expected kafka or kinesis, got 'redis'",
    );
  });
});
