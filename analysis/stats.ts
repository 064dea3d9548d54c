/**
 * The statistics of a comparison (docs/method.md). Distribution-free throughout, because
 * symptoms are counts with many zeros, heavy-tailed times and figures capped by a timeout:
 *
 * - one row: its median, with an order-statistic interval that is called 95% only where its
 *   exact coverage is at least that (6 or more runs);
 * - two rows: an exact two-sided permutation test of Gehan's scores (the Mann–Whitney test,
 *   extended to right-censored figures: a drain that never ended, an alert that never
 *   fired), the Hodges–Lehmann shift with its distribution-free (Moses) interval, and the
 *   shift judged against a practical margin;
 * - many symptoms and pairs: Bonferroni parallel gatekeeping, primary symptoms first, the
 *   secondary ones with the level the primary ones passed on (Holm).
 *
 * Every figure is exact (no sampling), so the same runs always give the same answer.
 */

/** One run's figure: a value, or (censored) a lower bound: the true figure is above it. */
export interface Obs {
  value: number;
  censored: boolean;
}

export const LEVEL = 0.95;
/** The family-wise error rate the findings hold, over every symptom and pair compared. */
export const ALPHA = 0.05;

export interface Estimate {
  /** Runs the figure was measured in (unknowns left out), censored ones included. */
  n: number;
  /** The median; null when it falls on a censored figure (then it is above `bound`). */
  median: number | null;
  /** The distribution-free interval of the median, null below LEVEL coverage or censored. */
  low: number | null;
  high: number | null;
  /** The interval's exact coverage (≥ LEVEL), null when there is none. */
  level: number | null;
  /** Runs whose figure is only a lower bound (drain not finished, alert never fired). */
  censored: number;
  /** The smallest of those lower bounds; null when none is censored. */
  bound: number | null;
}

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

/** Censored figures sort above every value (their true figure is unknown but larger). */
const key = (o: Obs) => (o.censored ? Number.POSITIVE_INFINITY : o.value);

function binomialHalfCdf(k: number, n: number): number {
  let c = 1;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += c;
    c = (c * (n - i)) / (i + 1);
  }
  return sum / 2 ** n;
}

/**
 * The median of a row and its order-statistic interval [x(k), x(n+1−k)]: exact coverage
 * 1 − 2·P(Bin(n, ½) < k), whatever the distribution; none reaches 95% below 6 runs.
 */
export function estimate(values: readonly (Obs | number | null)[]): Estimate {
  const obs = values
    .map((v) => (typeof v === 'number' ? { value: v, censored: false } : v))
    .filter((v): v is Obs => v !== null && Number.isFinite(v.value));
  const sorted = obs.map(key).sort((a, b) => a - b);
  const n = sorted.length;
  const cens = obs.filter((o) => o.censored);
  const bound = cens.length > 0 ? Math.min(...cens.map((o) => o.value)) : null;
  const m = median(sorted);
  const base = {
    n,
    median: m !== null && Number.isFinite(m) ? m : null,
    censored: cens.length,
    bound,
  };
  let k = 0;
  while (k + 1 <= n / 2 && 2 * binomialHalfCdf(k, n) <= 1 - LEVEL) k++;
  if (k === 0) return { ...base, low: null, high: null, level: null };
  const low = sorted[k - 1]!;
  const high = sorted[n - k]!;
  if (!Number.isFinite(high)) return { ...base, low: null, high: null, level: null };
  return { ...base, low, high, level: 1 - 2 * binomialHalfCdf(k - 1, n) };
}

/**
 * How many of the C(N, m) subsets of m items have each sum of integer scores: the exact
 * permutation distribution of a group's score sum. Index s holds the count of sum s + offset.
 */
function subsetSums(
  scores: readonly number[],
  m: number,
): { counts: Float64Array; offset: number } {
  const offset = scores.reduce((a, s) => a + Math.max(0, -s), 0);
  const span = offset + scores.reduce((a, s) => a + Math.max(0, s), 0) + 1;
  // ways[j][s]: subsets of j items with sum s − offset, over the items seen so far.
  const ways = Array.from({ length: m + 1 }, () => new Float64Array(span));
  ways[0]![offset] = 1;
  for (const s of scores)
    for (let j = m; j >= 1; j--) {
      const from = ways[j - 1]!;
      const to = ways[j]!;
      for (let t = 0; t < span; t++) if (from[t]! > 0) to[t + s] = to[t + s]! + from[t]!;
    }
  return { counts: ways[m]!, offset };
}

interface Distribution {
  counts: Float64Array;
  offset: number;
  total: number;
  /** atLeast[k]: the probability that |sum| ≥ k. */
  atLeast: Float64Array;
}
const distributions = new Map<string, Distribution>();
/**
 * The distribution of a group of m's score sum. `id` names the scores (they are the cache's
 * key); `sortedScores` gives them, ascending.
 */
function distribution(id: string, sortedScores: () => number[], m: number): Distribution {
  let d = distributions.get(id);
  if (!d) {
    const { counts, offset } = subsetSums(sortedScores(), m);
    const total = counts.reduce((a, c) => a + c, 0);
    const atLeast = new Float64Array(counts.length + 1);
    for (let t = 0; t < counts.length; t++) atLeast[Math.abs(t - offset)]! += counts[t]! / total;
    for (let k = atLeast.length - 2; k >= 0; k--) atLeast[k]! += atLeast[k + 1]!;
    d = { counts, offset, total, atLeast };
    distributions.set(id, d);
  }
  return d;
}

/** a's figure is certainly below b's (a censored figure is only known to exceed its bound). */
const below = (a: Obs, b: Obs) =>
  !a.censored && (b.censored ? a.value <= b.value : a.value < b.value);

/**
 * Exact two-sided test that rows a and b come from one distribution: Gehan's scores (runs
 * certainly below minus runs certainly above; the Mann–Whitney ranks when nothing is
 * censored, ties included) summed over b, against every way of splitting the runs in two.
 * `direction` is the sign of that sum: 1 when b's figures lie above a's. Its p-value's
 * floor is 2 / C(na + nb, nb): 2/252 with 5 runs per row.
 */
export function rankTest(a: readonly Obs[], b: readonly Obs[]): { p: number; direction: number } {
  const all = [...a, ...b];
  const { scores, distinct } = all.some((o) => o.censored)
    ? { scores: gehanScores(all), distinct: false }
    : rankScores(all);
  const observed = scores.slice(a.length).reduce((s, x) => s + x, 0);
  const sorted = () => [...scores].sort((x, y) => x - y);
  // Without ties the scores are always the same: one key per size, no sorting.
  const id = distinct ? `${all.length}:${b.length}` : `${b.length}:${sorted().join(',')}`;
  // The scores sum to 0, so the sum over b is 0 on average: two-sided is |sum| ≥ |observed|.
  const d = distribution(id, sorted, b.length);
  const p = d.atLeast[Math.min(Math.abs(observed), d.atLeast.length - 1)]!;
  return { p: Math.min(1, p), direction: Math.sign(observed) };
}

/** Gehan's score of each figure: how many are certainly below it, less how many above. */
function gehanScores(all: readonly Obs[]): number[] {
  return all.map((x) => all.reduce((s, y) => s + (below(y, x) ? 1 : 0) - (below(x, y) ? 1 : 0), 0));
}

/** The same without censoring, by sorting: 2 × midrank − (N + 1). */
function rankScores(all: readonly Obs[]): { scores: number[]; distinct: boolean } {
  let distinct = true;
  const order = all.map((_, i) => i).sort((i, j) => all[i]!.value - all[j]!.value);
  const scores = new Array<number>(all.length);
  for (let lo = 0; lo < order.length; ) {
    let hi = lo;
    while (hi + 1 < order.length && all[order[hi + 1]!]!.value === all[order[lo]!]!.value) hi++;
    if (hi > lo) distinct = false;
    // lo figures lie below the tie group, N − 1 − hi above it.
    for (let k = lo; k <= hi; k++) scores[order[k]!] = lo - (order.length - 1 - hi);
    lo = hi + 1;
  }
  return { scores, distinct };
}

/** The smallest p-value rankTest can give with these row sizes. */
export const pFloor = (na: number, nb: number) => {
  let c = 1;
  for (let i = 1; i <= nb; i++) c = (c * (na + i)) / i;
  return 2 / c;
};

export interface Shift {
  /** Hodges–Lehmann: the median of every difference b − a between a run of b and one of a. */
  estimate: number | null;
  /** Its distribution-free (Moses) interval; null when no interval reaches LEVEL coverage. */
  low: number | null;
  high: number | null;
  /** The interval's exact coverage (for figures without ties); null when there is none. */
  level: number | null;
}

/**
 * The shift of b against a and its interval [D(C), D(mn+1−C)] over the sorted pairwise
 * differences, C the largest with 2·P(U < C) ≤ 1 − LEVEL under the Mann–Whitney U's exact
 * distribution. Undefined (null) when a figure is censored: a lower bound has no difference.
 */
export function hodgesLehmann(a: readonly Obs[], b: readonly Obs[]): Shift {
  const none: Shift = { estimate: null, low: null, high: null, level: null };
  if (a.length === 0 || b.length === 0 || [...a, ...b].some((o) => o.censored)) return none;
  const diffs = b.flatMap((y) => a.map((x) => y.value - x.value)).sort((p, q) => p - q);
  const est = median(diffs);
  const mn = diffs.length;
  // U's distribution: rank sums of b among distinct ranks, shifted to start at 0.
  const n = a.length + b.length;
  const d = distribution(
    `ranks:${n}:${b.length}`,
    () => Array.from({ length: n }, (_, i) => i),
    b.length,
  );
  const first = d.offset + (b.length * (b.length - 1)) / 2;
  let c = 0;
  let cdf = 0;
  while (c < mn / 2) {
    const next = cdf + d.counts[first + c]! / d.total;
    if (2 * next > 1 - LEVEL) break;
    cdf = next;
    c++;
  }
  if (c === 0) return { ...none, estimate: est };
  return { estimate: est, low: diffs[c - 1]!, high: diffs[mn - c]!, level: 1 - 2 * cdf };
}

export interface Hypothesis {
  p: number;
  primary: boolean;
}

/**
 * Which hypotheses are rejected with the family-wise error rate held at `alpha` over all of
 * them: Bonferroni parallel gatekeeping. Each primary one is tested at alpha / k; the
 * secondary ones share alpha × (primary rejected) / k, with Holm's step-down among them.
 * With no primary hypothesis the secondary ones get the whole of alpha.
 */
export function gatekeep(hs: readonly Hypothesis[], alpha = ALPHA): boolean[] {
  const out = hs.map(() => false);
  const primary = hs.flatMap((h, i) => (h.primary ? [i] : []));
  const k = primary.length;
  let rejected = 0;
  for (const i of primary)
    if (hs[i]!.p <= alpha / k) {
      out[i] = true;
      rejected++;
    }
  const passed = k === 0 ? alpha : (alpha * rejected) / k;
  const secondary = hs
    .flatMap((h, i) => (h.primary ? [] : [i]))
    .sort((x, y) => hs[x]!.p - hs[y]!.p);
  for (const [step, i] of secondary.entries()) {
    if (hs[i]!.p > passed / (secondary.length - step)) break;
    out[i] = true;
  }
  return out;
}

/** Holm's step-down alone: which of `ps` are rejected at family-wise level `alpha`. */
export function holm(ps: readonly number[], alpha = ALPHA): boolean[] {
  return gatekeep(
    ps.map((p) => ({ p, primary: false })),
    alpha,
  );
}
