/**
 * How a figure reads: its unit and its number formatting, shared by the page, the gate's
 * table, the terminal and the tests that read them back.
 */

import type { Summary } from '../contract/schema.ts';

/** The units of the report's side-by-side figures. */
export type Unit = 'ms' | 'count' | 'ratio' | 's' | 'perS';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Three significant digits (the HDR precision) below 1,000; whole numbers above. */
export function sig3(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 1000) return grouped.format(n);
  return String(Number(n.toPrecision(3)));
}

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'ms':
      return sig3(value);
    case 'count':
      return grouped.format(value);
    case 'ratio':
      return `${sig3(value * 100)}%`;
    case 's':
      return `${sig3(value)} s`;
    case 'perS':
      return `${sig3(value)}/s`;
  }
}

export function formatDelta(rel: number | null): string {
  if (rel === null) return '–';
  if (rel === 0) return '0%';
  return `${rel > 0 ? '+' : '−'}${sig3(Math.abs(rel) * 100)}%`;
}

/** Parses what formatValue wrote (for tests): the number in the metric's own unit. */
export function parseFormatted(text: string, unit: Unit): number | null {
  const cleaned = text.replace(/[,\s]|\/s$|s$|%$/g, '');
  if (cleaned === '–' || cleaned === '') return null;
  const n = Number(cleaned);
  return unit === 'ratio' ? n / 100 : n;
}

/** num / den; unknown when either is, or when there is nothing to divide by. */
export const ratio = (num: number | null, den: number | null): number | null =>
  num === null || den === null || den <= 0 ? null : num / den;

/** Dead-lettered over accepted: every reader of the DLQ rate reads it here. */
export const dlqRate = (s: Summary): number | null => ratio(s.dlq.total, s.accepted);

/** Shed over accepted + shed; unknown when either count is. */
export const shedRate = (s: Summary): number | null =>
  s.shed === null || s.accepted === null ? null : ratio(s.shed, s.accepted + s.shed);
