import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random.ts';
import { estimate, median, quantile, separation } from './stats.ts';

describe('median and quantile', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
  it('interpolates between sorted values', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});

describe('bootstrap interval of the median', () => {
  it('has no interval from one repeat, and leaves unknowns out', () => {
    expect(estimate([7, null])).toEqual({ n: 1, median: 7, low: null, high: null });
    expect(estimate([])).toEqual({ n: 0, median: null, low: null, high: null });
  });
  it('is the range for two repeats (the only medians a resample of two can have)', () => {
    expect(estimate([10, 20])).toEqual({ n: 2, median: 15, low: 10, high: 20 });
  });
  it('collapses to the value when every repeat agrees', () => {
    expect(estimate([5, 5, 5, 5])).toEqual({ n: 4, median: 5, low: 5, high: 5 });
  });
  it('holds the median, lies within the data, and is the same for the same seed', () => {
    const xs = [12, 15, 11, 30, 14, 13, 16, 12, 15, 14];
    const e = estimate(xs);
    expect(e.median).toBe(14);
    expect(e.low!).toBeGreaterThanOrEqual(11);
    expect(e.low!).toBeLessThanOrEqual(14);
    expect(e.high!).toBeGreaterThanOrEqual(14);
    expect(e.high!).toBeLessThan(30);
    expect(estimate(xs)).toEqual(e);
  });
  it('resamples with replacement: a resample may repeat a value and leave another out', () => {
    // Drawn without replacement every resample is the data itself, and the interval collapses
    // to the median; with replacement, two or three 100s come up in about 26% of resamples.
    expect(estimate([0, 0, 100])).toMatchObject({ median: 0, low: 0, high: 100 });
    const e = estimate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(e.low!).toBeLessThan(e.median!);
    expect(e.high!).toBeGreaterThan(e.median!);
  });
  it('draws the same numbers from the same seed', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('separation', () => {
  const e = (low: number | null, high: number | null) => ({ n: 3, median: low, low, high });
  it('names a difference only when the intervals do not overlap', () => {
    expect(separation(e(1, 2), e(3, 4))).toBe('lower');
    expect(separation(e(5, 6), e(3, 4))).toBe('higher');
    expect(separation(e(1, 3), e(3, 4))).toBe('same');
    expect(separation(e(null, null), e(3, 4))).toBe('unknown');
  });
});
