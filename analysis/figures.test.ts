import { describe, expect, it } from 'vitest';
import { formatDelta, formatValue, parseFormatted, sig3 } from './figures.ts';

describe('format', () => {
  it('keeps three significant digits below 1,000 and whole numbers above', () => {
    expect(sig3(4.0551)).toBe('4.06');
    expect(sig3(668.671)).toBe('669');
    expect(sig3(17547.2)).toBe('17,547');
    expect(sig3(0.000123456)).toBe('0.000123');
  });

  it('formats by unit and parses back', () => {
    expect(formatValue(0.00777, 'ratio')).toBe('0.777%');
    expect(formatValue(31, 's')).toBe('31 s');
    expect(formatValue(163.05, 'perS')).toBe('163/s');
    expect(formatValue(null, 'ms')).toBe('unknown');
    expect(formatValue(2_771, 'events')).toBe('2,771');
    expect(formatValue(13_459_385, 'cents')).toBe('$134,593.85');
    expect(parseFormatted('$134,593.85', 'cents')).toBe(13_459_385);
    expect(parseFormatted('0.777%', 'ratio')).toBeCloseTo(0.00777);
    expect(parseFormatted('17,547', 'ms')).toBe(17547);
    expect(parseFormatted('163/s', 'perS')).toBe(163);
    expect(parseFormatted('31 s', 's')).toBe(31);
    expect(parseFormatted('unknown', 'count')).toBeNull();
  });

  it('signs deltas', () => {
    expect(formatDelta(0.1234)).toBe('+12.3%');
    expect(formatDelta(-0.5)).toBe('−50%');
    expect(formatDelta(null)).toBe('unknown');
  });
});
