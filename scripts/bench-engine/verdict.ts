/**
 * When a benchmark step counts as sustained, and the CPU ratios between backends: pure, so
 * that the rules are unit-tested apart from k6 and the stack.
 */

export interface StepFigures {
  rate: number;
  /** HTTP p99 in ms; NaN when k6 timed no request. */
  p99: number;
  /** Failed requests over all requests (0..1); NaN when unknown. */
  errors: number;
  /** k6's dropped_iterations: arrivals it could not start on time. */
  dropped: number;
  /** Engine CPU µs per accepted event; NaN when nothing was accepted. */
  cpuUsPerEvent: number;
}

export interface Limits {
  p99Ms: number;
  errorRate: number;
}

/**
 * Why a step was not sustained; empty when it was. A dropped iteration is a failure: the load
 * generator fell behind, so the latencies it reports omit the requests it never sent.
 * A figure that could not be measured fails the step.
 */
export function stepFailures(s: StepFigures, limits: Limits): string[] {
  const why: string[] = [];
  if (!Number.isFinite(s.p99)) why.push('p99 unknown');
  else if (s.p99 > limits.p99Ms) why.push(`p99 ${s.p99.toFixed(1)} ms > ${limits.p99Ms} ms`);
  if (!Number.isFinite(s.errors)) why.push('error rate unknown');
  else if (s.errors >= limits.errorRate)
    why.push(`errors ${(s.errors * 100).toFixed(2)}% ≥ ${(limits.errorRate * 100).toFixed(2)}%`);
  if (!Number.isFinite(s.dropped)) why.push('dropped iterations unknown');
  else if (s.dropped > 0) why.push(`k6 dropped ${s.dropped} iterations`);
  if (!Number.isFinite(s.cpuUsPerEvent)) why.push('engine CPU per event unknown');
  return why;
}

export interface CpuRatio {
  rate: number;
  ratio: number;
  numerator: number;
  denominator: number;
}

/**
 * Engine CPU per event of `a` over `b` at one offered rate both sustained: `at` when given
 * (null unless both sustained it), else the highest such rate; null when there is none.
 */
export function cpuRatio(
  a: (StepFigures & { pass: boolean })[],
  b: (StepFigures & { pass: boolean })[],
  at?: number,
): CpuRatio | null {
  const sustained = (steps: typeof a) =>
    new Map(steps.filter((s) => s.pass).map((s) => [s.rate, s]));
  const sa = sustained(a);
  const sb = sustained(b);
  const shared = [...sa.keys()].filter((r) => sb.has(r) && (at === undefined || r === at));
  if (shared.length === 0) return null;
  const rate = Math.max(...shared);
  const numerator = sa.get(rate)!.cpuUsPerEvent;
  const denominator = sb.get(rate)!.cpuUsPerEvent;
  return { rate, ratio: numerator / denominator, numerator, denominator };
}

/** The CPU ratio at every rate both ran, each marked sustained only when both steps were. */
export function stepRatios(
  a: (StepFigures & { pass: boolean })[],
  b: (StepFigures & { pass: boolean })[],
): { rate: number; ratio: number; sustained: boolean }[] {
  const byRate = new Map(b.map((s) => [s.rate, s]));
  return a.flatMap((s) => {
    const o = byRate.get(s.rate);
    const ratio = o ? s.cpuUsPerEvent / o.cpuUsPerEvent : Number.NaN;
    return o && Number.isFinite(ratio)
      ? [{ rate: s.rate, ratio, sustained: s.pass && o.pass }]
      : [];
  });
}
