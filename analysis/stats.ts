/**
 * The median of a figure across repeats, and a bootstrap percentile interval for it
 * (docs/method.md): resample the repeats with replacement, take each resample's median,
 * keep the central `level` of those medians. Seeded, so the same runs give the same report.
 */
import { seededRandom } from '../common/random.ts';

export interface Estimate {
  /** Repeats the figure was measured in (unknowns left out). */
  n: number;
  median: number | null;
  /** The interval; null with fewer than 2 repeats (one run has no spread to measure). */
  low: number | null;
  high: number | null;
}

export const BOOTSTRAP = { resamples: 2_000, level: 0.95, seed: 13 } as const;

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const v = [...xs].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Percentile `q` (0..1) of sorted values, by linear interpolation. */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function estimate(
  values: readonly (number | null)[],
  opts: { resamples?: number; level?: number; seed?: number } = {},
): Estimate {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const m = median(xs);
  if (xs.length < 2) return { n: xs.length, median: m, low: null, high: null };
  const resamples = opts.resamples ?? BOOTSTRAP.resamples;
  const level = opts.level ?? BOOTSTRAP.level;
  const rand = seededRandom(opts.seed ?? BOOTSTRAP.seed);
  const medians: number[] = [];
  const draw = new Array<number>(xs.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < xs.length; i++) draw[i] = xs[Math.floor(rand() * xs.length)]!;
    medians.push(median(draw)!);
  }
  medians.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return {
    n: xs.length,
    median: m,
    low: quantile(medians, tail),
    high: quantile(medians, 1 - tail),
  };
}

/**
 * 'lower' / 'higher' when a's interval lies wholly below / above b's; 'same' when they
 * overlap; 'unknown' when either has no interval (fewer than 2 repeats) or no value.
 */
export function separation(a: Estimate, b: Estimate): 'lower' | 'higher' | 'same' | 'unknown' {
  if (a.low === null || a.high === null || b.low === null || b.high === null) return 'unknown';
  if (a.high < b.low) return 'lower';
  if (a.low > b.high) return 'higher';
  return 'same';
}
