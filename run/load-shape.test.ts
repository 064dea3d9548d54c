import { describe, expect, it } from 'vitest';
import { goDurationS, shapeFromOptions } from './load-shape.ts';

describe('goDurationS', () => {
  it.each([
    ['1m0s', 60],
    ['1h2m3s', 3723],
    ['500ms', 0.5],
    ['1.5s', 1.5],
    ['', 0],
  ])('%s', (text, s) => expect(goDurationS(text)).toBeCloseTo(s, 9));
});

describe('shapeFromOptions', () => {
  it('follows ramping-arrival-rate stages linearly, from startRate', () => {
    const shape = shapeFromOptions({
      scenarios: {
        sale: {
          executor: 'ramping-arrival-rate',
          startRate: 10,
          timeUnit: '1s',
          stages: [
            { duration: '10s', target: 10 },
            { duration: '2s', target: 110 },
            { duration: '8s', target: 30 },
          ],
        },
      },
    });
    expect(shape.durationS).toBe(20);
    expect(shape.targetRps(5)).toBe(10);
    expect(shape.targetRps(11)).toBe(60);
    expect(shape.targetRps(16)).toBe(70);
    expect(shape.targetRps(25)).toBe(0);
  });

  it('adds concurrent scenarios and honours startTime and timeUnit', () => {
    const shape = shapeFromOptions({
      scenarios: {
        a: { executor: 'constant-arrival-rate', rate: 120, timeUnit: '1m', duration: '30s' },
        b: {
          executor: 'constant-arrival-rate',
          rate: 5,
          timeUnit: '1s',
          duration: '10s',
          startTime: '10s',
        },
      },
    });
    expect(shape.targetRps(5)).toBe(2);
    expect(shape.targetRps(15)).toBe(7);
    expect(shape.durationS).toBe(30);
  });

  it('counts one stage where two meet, and finds a peak between the samples', () => {
    const shape = shapeFromOptions({
      scenarios: {
        sale: {
          executor: 'ramping-arrival-rate',
          startRate: 50,
          timeUnit: '1s',
          stages: [
            { duration: '4s', target: 50 },
            { duration: '66ms', target: 800 },
            { duration: '934ms', target: 700 },
            { duration: '1s', target: 450 },
          ],
        },
      },
    });
    expect(shape.targetRps(4)).toBe(50);
    expect(shape.targetRps(5)).toBe(700);
    expect(shape.targetRps(6)).toBe(450);
    expect(shape.peakRps).toBe(800);
  });

  it('has no target for closed-model executors', () => {
    const shape = shapeFromOptions({
      scenarios: { v: { executor: 'constant-vus', duration: '10s' } },
    });
    expect(shape.targetRps(1)).toBeNull();
    expect(shape.peakRps).toBeNull();
  });
});
