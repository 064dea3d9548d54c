/**
 * The symptoms that need no more than a run's timeline (detection), and the unknown value of
 * those read from elsewhere. Unknown is null with its reason, never 0.
 */
import type { Symptoms, TimelinePoint } from '../contract/schema.ts';

/** The engine's alert for a backlog over its critical threshold (engine/alerts.rules.yml). */
export const BACKLOG_ALERT = 'HuntBacklogCritical';

/** Time to detect: from the backlog first reaching `threshold` to the backlog alert's first firing. */
export function detectFigures(
  points: TimelinePoint[],
  threshold: number | null,
): Symptoms['detect'] {
  const firedAtS = points.find((p) => p.alerts.includes(BACKLOG_ALERT))?.t ?? null;
  if (threshold === null || !Number.isFinite(threshold)) {
    return {
      thresholdEvents: null,
      crossedAtS: null,
      firedAtS,
      lagS: null,
      reason: 'no threshold known',
    };
  }
  const crossedAtS = points.find((p) => p.backlog >= threshold)?.t ?? null;
  const base = { thresholdEvents: threshold, crossedAtS, firedAtS };
  if (points.length === 0) return { ...base, lagS: null, reason: 'no timeline' };
  if (crossedAtS === null) return { ...base, lagS: null, reason: 'backlog never crossed' };
  if (firedAtS === null) return { ...base, lagS: null, reason: 'alert never fired' };
  // An alert already firing when the threshold is crossed detected it at once.
  return { ...base, lagS: Math.max(0, firedAtS - crossedAtS), reason: null };
}

export const UNKNOWN_CASCADE: Symptoms['cascade'] = {
  offered: null,
  served: null,
  errorRate: null,
  retries: null,
  retriesPerEvent: null,
};

export function unknownSales(promiseMs: number): Symptoms['sales'] {
  return {
    promiseMs,
    orders: null,
    notAccepted: null,
    notFulfilled: null,
    late: null,
    atRiskCents: null,
  };
}

/** Every symptom unknown but detection (from the timeline): for a run that left no summary. */
export function timelineSymptoms(
  points: TimelinePoint[],
  threshold: number | null,
  promiseMs: number,
): Symptoms {
  return {
    detect: detectFigures(points, threshold),
    cascade: UNKNOWN_CASCADE,
    sales: unknownSales(promiseMs),
  };
}

/** The default promise: an order fulfilled later than this is a failed sale. */
export const DEFAULT_PROMISE_MS = 30_000;
