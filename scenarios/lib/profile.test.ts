import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedArrivals, parseProfile, profileToRamp } from './profile.ts';

const flashSale = JSON.parse(
  readFileSync(new URL('../profiles/flash-sale.json', import.meta.url), 'utf8'),
);

describe('parseProfile', () => {
  it('accepts the shipped flash-sale profile', () => {
    const p = parseProfile(flashSale, 'flash-sale.json');
    expect(p.points[0]).toEqual({ s: 0, rps: 50 });
    // The opening burst: from baseline to peak within one second.
    const open = p.points.findIndex((pt) => pt.rps === 800);
    expect(p.points[open]!.s - p.points[open - 1]!.s).toBe(1);
  });

  it.each([
    [{ name: 'x', points: [{ s: 0, rps: 1 }], extra: 1 }, /unknown key 'extra'/],
    [{ name: 'x', points: [{ s: 0, rps: 1 }] }, /at least 2 points/],
    [
      {
        name: 'x',
        points: [
          { s: 1, rps: 1 },
          { s: 2, rps: 1 },
        ],
      },
      /points\[0\]\.s must be 0/,
    ],
    [
      {
        name: 'x',
        points: [
          { s: 0, rps: 1 },
          { s: 0, rps: 2 },
        ],
      },
      /points\[1\]\.s must be above/,
    ],
    [
      {
        name: 'x',
        points: [
          { s: 0, rps: 1 },
          { s: 1, rps: -2 },
        ],
      },
      /points\[1\]\.rps/,
    ],
    [
      {
        name: 'x',
        points: [
          { s: 0, rps: 1 },
          { s: 1, qps: 2 },
        ],
      },
      /unknown key 'qps'/,
    ],
    [{ points: [] }, /'name' must be/],
  ])('refuses %j', (json, message) => {
    expect(() => parseProfile(json, 'p.json')).toThrow(message);
  });
});

describe('profileToRamp', () => {
  const p = parseProfile(
    {
      name: 't',
      points: [
        { s: 0, rps: 10 },
        { s: 10, rps: 10 },
        { s: 11, rps: 100 },
        { s: 20, rps: 40 },
      ],
    },
    't',
  );

  it('turns points into ramping-arrival-rate stages', () => {
    expect(profileToRamp(p)).toEqual({
      startRate: 10,
      stages: [
        { duration: '10000ms', target: 10 },
        { duration: '1000ms', target: 100 },
        { duration: '9000ms', target: 40 },
      ],
      peakRate: 100,
      durationS: 20,
    });
  });

  it('scales rates and fits the time axis to a duration', () => {
    const r = profileToRamp(p, { scale: 0.5, durationS: 10 });
    expect(r.startRate).toBe(5);
    expect(r.stages.map((s) => s.duration)).toEqual(['5000ms', '500ms', '4500ms']);
    expect(r.stages.map((s) => s.target)).toEqual([5, 50, 20]);
    expect(r.durationS).toBe(10);
  });

  it('keeps the total length exact when compression rounds stages', () => {
    const r = profileToRamp(parseProfile(flashSale, 'f'), { durationS: 37 });
    const total = r.stages.reduce((sum, s) => sum + Number.parseInt(s.duration, 10), 0);
    expect(total).toBe(37_000);
  });
});

describe('expectedArrivals', () => {
  it('integrates the rate curve', () => {
    const r = profileToRamp(
      parseProfile(
        {
          name: 't',
          points: [
            { s: 0, rps: 10 },
            { s: 10, rps: 10 },
            { s: 20, rps: 30 },
          ],
        },
        't',
      ),
    );
    expect(expectedArrivals(r, 0, 10)).toBeCloseTo(100);
    expect(expectedArrivals(r, 10, 20)).toBeCloseTo(200);
    expect(expectedArrivals(r, 5, 15)).toBeCloseTo(50 + 75);
    expect(expectedArrivals(r, 0, 30)).toBeCloseTo(300);
  });
});
