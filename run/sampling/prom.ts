/**
 * Reads one histogram out of Prometheus text exposition and estimates quantiles from bucket
 * deltas, the way PromQL's histogram_quantile does. Good for a live view and the 1 Hz
 * timeline; exact percentiles come from k6's per-request samples in the report.
 */

/** Cumulative bucket counts by upper bound (seconds), summed over every label set. */
export type Buckets = Map<number, number>;

export function readBuckets(text: string, metric: string): Buckets {
  const buckets: Buckets = new Map();
  const prefix = `${metric}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le === undefined || Number.isNaN(value)) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets;
}

export function subtract(now: Buckets, before: Buckets | undefined): Buckets {
  if (!before) return now;
  const out: Buckets = new Map();
  for (const [le, n] of now) out.set(le, Math.max(0, n - (before.get(le) ?? 0)));
  return out;
}

/** The q-quantile (0..1) in milliseconds, linearly interpolated inside its bucket; null when empty. */
export function quantileMs(buckets: Buckets, q: number): number | null {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      // Above the last finite bound there is nothing to interpolate to: report the bound.
      if (!Number.isFinite(le)) return prevLe * 1000;
      const inBucket = count - prevCount;
      const frac = inBucket > 0 ? (rank - prevCount) / inBucket : 1;
      return (prevLe + (le - prevLe) * frac) * 1000;
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe * 1000;
}
