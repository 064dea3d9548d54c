/**
 * Every figure the harness reports, defined once: its label, its unit, which direction is
 * better, and how it reads. An unknown reads `unknown`, never 0 or a dash. The terminal's
 * tables, the matrix and its findings, the HTML report and the gate all take their figures'
 * names and formats from here; each keeps only how it reads the figure from a run.
 */

import type { Summary } from '../contract/schema.ts';

export type Unit =
  | 'ms'
  | 's'
  | 'count'
  | 'events'
  | 'orders'
  | 'calls'
  | 'ratio'
  | 'perS'
  | 'cents'
  | 'per event';

export type Better = 'lower' | 'higher';

export interface Figure {
  label: string;
  unit: Unit;
  better: Better;
}

/** How any figure that could not be measured reads. */
export const UNKNOWN = 'unknown';

const lower = (label: string, unit: Unit): Figure => ({ label, unit, better: 'lower' });
const higher = (label: string, unit: Unit): Figure => ({ label, unit, better: 'higher' });

/** The figures of more than one reader (report, matrix, terminal, gate), by key. */
export const FIGURES = {
  acceptedPerS: higher('accepted/s', 'perS'),
  accepted: higher('accepted', 'count'),
  backlogMax: lower('backlog peak', 'events'),
  drainS: lower('time to drain', 's'),
  detectS: lower('time to detect', 's'),
  downstreamErrorRate: lower('downstream error rate', 'ratio'),
  downstreamUnserved: lower('downstream calls not served', 'calls'),
  retriesPerEvent: lower('downstream retries per event', 'per event'),
  notAccepted: lower('orders not accepted', 'orders'),
  notFulfilled: lower('orders not fulfilled', 'orders'),
  late: lower('orders late', 'orders'),
  atRiskCents: lower('revenue at risk', 'cents'),
  lost: lower('lost events', 'events'),
  undelivered: lower('undelivered at the end', 'events'),
  dlqRate: lower('DLQ rate', 'ratio'),
  duplicates: lower('duplicates', 'count'),
  shed: lower('shed (503)', 'count'),
  httpErrorRate: lower('HTTP error rate', 'ratio'),
  breakerOpens: lower('breaker opens', 'count'),
  breakerOpenS: lower('breaker open time', 's'),
  producerQueuePeak: lower('producer queue peak', 'events'),
  brokerThrottled: lower('throttled by the broker', 'events'),
} as const satisfies Record<string, Figure>;

export type FigureKey = keyof typeof FIGURES;

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Three significant digits (the HDR precision) below 1,000; whole numbers above. */
export function sig3(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 1000) return grouped.format(n);
  return String(Number(n.toPrecision(3)));
}

/** A figure's value as every reader shows it; `unknown` when it could not be measured. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return UNKNOWN;
  switch (unit) {
    case 'ms':
    case 'per event':
      return sig3(value);
    case 'count':
    case 'events':
    case 'orders':
    case 'calls':
      return Number.isInteger(value) ? grouped.format(value) : sig3(value);
    case 'ratio':
      return `${sig3(value * 100)}%`;
    case 's':
      return `${sig3(value)} s`;
    case 'perS':
      return `${sig3(value)}/s`;
    case 'cents':
      return dollars.format(value / 100);
  }
}

/** A relative change, signed; `unknown` when it cannot be stated. */
export function formatDelta(rel: number | null): string {
  if (rel === null) return UNKNOWN;
  if (rel === 0) return '0%';
  return `${rel > 0 ? '+' : '−'}${sig3(Math.abs(rel) * 100)}%`;
}

/** Parses what formatValue wrote (for tests): the number in the figure's own unit. */
export function parseFormatted(text: string, unit: Unit): number | null {
  if (text.trim() === UNKNOWN) return null;
  const cleaned = text.replace(/[,\s$]|\/s$|s$|%$/g, '');
  if (cleaned === '') return null;
  const n = Number(cleaned);
  if (unit === 'ratio') return n / 100;
  return unit === 'cents' ? Math.round(n * 100) : n;
}

/** num / den; unknown when either is, or when there is nothing to divide by. */
export const ratio = (num: number | null, den: number | null): number | null =>
  num === null || den === null || den <= 0 ? null : num / den;

/** Dead-lettered over accepted: every reader of the DLQ rate reads it here. */
export const dlqRate = (s: Summary): number | null => ratio(s.dlq.total, s.accepted);

/** Shed over accepted + shed; unknown when either count is. */
export const shedRate = (s: Summary): number | null =>
  s.shed === null || s.accepted === null ? null : ratio(s.shed, s.accepted + s.shed);
