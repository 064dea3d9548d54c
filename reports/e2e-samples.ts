/**
 * Whether the end-to-end percentiles rest on every applied event: the samples in
 * histograms/e2e.hlog beside delivered − DLQ. A shortfall means latencies went unrecorded
 * (a lost interval, an engine restarted between reads), and is named wherever the figures are.
 */

import { formatValue } from '../analysis/figures.ts';
import type { Summary } from '../contract/schema.ts';

export interface E2eSampleCheck {
  /** samples − (delivered − DLQ); null when either is unknown. */
  gap: number | null;
  /** e.g. "9,870 of 10,000 delivered − DLQ: 130 missing". */
  text: string;
}

export function e2eSampleCheck(s: Summary): E2eSampleCheck {
  const { count, deliveredMinusDlq: expected } = s.e2eSamples;
  const n = (v: number) => formatValue(v, 'count');
  if (count === null || expected === null) {
    const have = count === null ? 'unknown' : n(count);
    const want = expected === null ? 'unknown' : n(expected);
    return { gap: null, text: `${have} samples, delivered − DLQ ${want}: gap unknown` };
  }
  const gap = count - expected;
  if (gap === 0) return { gap, text: `${n(count)} = delivered − DLQ` };
  if (gap < 0)
    return { gap, text: `${n(count)} of ${n(expected)} delivered − DLQ: ${n(-gap)} missing` };
  return { gap, text: `${n(count)} for ${n(expected)} delivered − DLQ: ${n(gap)} more` };
}

/** Whether the end-to-end percentiles stand for every applied event: samples were counted and none is missing. */
export function e2eSamplesComplete(s: Summary): boolean {
  const { count, deliveredMinusDlq } = s.e2eSamples;
  return !!count && deliveredMinusDlq !== null && count >= deliveredMinusDlq;
}
