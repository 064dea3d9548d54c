import { describe, expect, it } from 'vitest';
import { parseProfile } from '../lib/profile.ts';
import { formatProfile, importProfileCsv, parseTimestamp } from './profile-csv.ts';

describe('importProfileCsv', () => {
  it('turns counts per bucket into requests/s and keeps the last bucket to its end', () => {
    const csv = 'timestamp,count\n1700000000,600\n1700000060,6000\n1700000120,1200\n';
    const p = importProfileCsv(csv, 'sale.csv', { name: 'sale' });
    expect(p.points).toEqual([
      { s: 0, rps: 10 },
      { s: 60, rps: 100 },
      { s: 120, rps: 20 },
      { s: 180, rps: 20 },
    ]);
    expect(() => parseProfile(JSON.parse(JSON.stringify(p)), 'p')).not.toThrow();
  });

  it('reads ISO and millisecond timestamps, --rates values, --scale and --compress', () => {
    const csv = '2024-11-29T00:00:00Z,5\n2024-11-29T00:00:10Z,50\n2024-11-29T00:00:20Z,5\n';
    const p = importProfileCsv(csv, 'p.csv', {
      name: 'p',
      valuesAreRates: true,
      scale: 2,
      compress: 2,
    });
    expect(p.points).toEqual([
      { s: 0, rps: 10 },
      { s: 5, rps: 100 },
      { s: 10, rps: 10 },
      { s: 15, rps: 10 },
    ]);
    const ms = importProfileCsv('1700000000000,10\n1700000001000,20\n', 'm.csv', { name: 'm' });
    expect(ms.points[1]).toEqual({ s: 1, rps: 20 });
  });

  it('drops points in the middle of a flat stretch', () => {
    const csv = '0,5\n1,5\n2,5\n3,5\n4,9\n';
    expect(importProfileCsv(csv, 'f.csv', { name: 'f' }).points).toEqual([
      { s: 0, rps: 5 },
      { s: 3, rps: 5 },
      { s: 4, rps: 9 },
      { s: 5, rps: 9 },
    ]);
  });

  it.each([
    ['t,c\n0,5\n1,five\n', /^bad\.csv:3: 'five' is not a count/],
    ['t,c\n0,5\n\nyesterday,5\n', /^bad\.csv:4: 'yesterday' is not a timestamp/],
    ['0,5\n2,5\n1,5\n', /^bad\.csv:3: timestamp 1 is not after the previous row's \(line 2\)/],
    ['0,5\n1,5,7\n', /^bad\.csv:2: expected 2 columns/],
    ['0,5\n1,-3\n', /^bad\.csv:2: '-3' is not a count/],
    ['t,c\n0,5\n', /^bad\.csv: needs at least 2 data rows, found 1/],
    ['0,5\nt,c\n1,4\n', /^bad\.csv:2: 't' is not a timestamp/],
  ])('names the file and line of a malformed CSV: %j', (csv, message) => {
    expect(() => importProfileCsv(csv, 'bad.csv', { name: 'x' })).toThrow(message);
  });
});

describe('parseTimestamp', () => {
  it('reads unix seconds, unix ms and ISO 8601, and nothing else', () => {
    expect(parseTimestamp('1700000000.5')).toBe(1700000000.5);
    expect(parseTimestamp('1700000000500')).toBe(1700000000.5);
    expect(parseTimestamp('2024-01-01 00:00:01Z')).toBe(Date.UTC(2024, 0, 1, 0, 0, 1) / 1000);
    expect(parseTimestamp('01/02/2024')).toBeNull();
    expect(parseTimestamp('')).toBeNull();
  });
});

describe('formatProfile', () => {
  it('writes JSON that parses back to the same profile', () => {
    const p = importProfileCsv('0,5\n1,7\n', 'a.csv', { name: 'a' });
    const text = formatProfile(p);
    expect(JSON.parse(text)).toEqual(p);
    expect(text).toContain('    { "s": 1, "rps": 7 },\n');
  });
});
