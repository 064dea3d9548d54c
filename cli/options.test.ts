import { describe, expect, it } from 'vitest';
import { isUserError } from '../common/user-error.ts';
import {
  backendOption,
  fractionOption,
  intOption,
  percentOption,
  positiveOption,
  quotaOption,
  settingsOption,
} from './options.ts';

/** The message of the user error `fn` throws; fails the test on any other outcome. */
function userMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isUserError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a user error');
}

describe('command-line parsers', () => {
  it('whole numbers within bounds', () => {
    expect(intOption('--seed', '7', 0, 10)).toBe(7);
    expect(userMessage(() => intOption('--seed', '1.5', 0, 10))).toBe(
      "--seed: expected a whole number from 0 to 10, got '1.5'",
    );
    expect(userMessage(() => intOption('--seed', '', 0, 10))).toMatch(/got ''/);
    expect(userMessage(() => intOption('--seed', '11', 0, 10))).toMatch(/from 0 to 10/);
  });

  it('positive numbers', () => {
    expect(positiveOption('--scale', '0.25')).toBe(0.25);
    expect(userMessage(() => positiveOption('--scale', '0'))).toBe(
      "--scale: expected a number above 0, got '0'",
    );
  });

  it('--max-regression: a percentage, 0 allowed', () => {
    expect(percentOption('--max-regression', '0')).toBe(0);
    expect(percentOption('--max-regression', '12.5')).toBe(12.5);
    for (const bad of ['-1', 'lots', '', 'Infinity'])
      expect(userMessage(() => percentOption('--max-regression', bad))).toMatch(
        /^--max-regression: expected a percentage/,
      );
  });

  it('--poison-rate: a fraction from 0 to 1', () => {
    expect(fractionOption('--poison-rate', '0')).toBe(0);
    expect(fractionOption('--poison-rate', '0.005')).toBe(0.005);
    for (const bad of ['-0.1', '1.5', 'some', ''])
      expect(userMessage(() => fractionOption('--poison-rate', bad))).toMatch(
        /^--poison-rate: expected a fraction from 0 to 1/,
      );
  });

  it('backends: each verb says which it supports', () => {
    expect(backendOption('memory', 'any')).toBe('memory');
    expect(userMessage(() => backendOption('memory', 'local'))).toMatch(
      /memory lives inside the engine, with no broker to fault or audit; use kafka or kinesis/,
    );
    expect(userMessage(() => backendOption('rabbit', 'any'))).toBe(
      "--backend: expected kafka, kinesis or memory, got 'rabbit'",
    );
  });

  it('quota modes: off, on, a multiplier with or without x', () => {
    expect(quotaOption('--kinesis-quota', 'off')).toEqual({ mode: 'off', multiplier: 1 });
    expect(quotaOption('--kinesis-quota', 'on')).toEqual({ mode: 'on', multiplier: 1 });
    expect(quotaOption('--kinesis-quota', '0.5')).toEqual({ mode: 'on', multiplier: 0.5 });
    expect(quotaOption('--kinesis-quota', 'x2')).toEqual({ mode: 'on', multiplier: 2 });
    expect(userMessage(() => quotaOption('--kinesis-quota', 'banana'))).toMatch(
      /^--kinesis-quota: .*got 'banana'/,
    );
  });

  it('--set key=value, the value may hold =', () => {
    expect(settingsOption(['a=1', 'url=http://x/?q=1'])).toEqual({ a: '1', url: 'http://x/?q=1' });
    expect(settingsOption(undefined)).toEqual({});
    expect(userMessage(() => settingsOption(['=1']))).toBe('--set =1: expected key=value');
    expect(userMessage(() => settingsOption(['noequals']))).toBe(
      '--set noequals: expected key=value',
    );
  });
});
