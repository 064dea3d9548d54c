/** How a symptom's estimate reads in the matrix, the findings and the terminal. */

import { sig3 } from './figures.ts';
import type { MatrixRow, Unit } from './matrix.ts';
import type { Estimate } from './stats.ts';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatSymptom(v: number | null, unit: Unit): string {
  if (v === null || !Number.isFinite(v)) return 'unknown';
  switch (unit) {
    case 'cents':
      return dollars.format(v / 100);
    case 'ratio':
      return `${sig3(v * 100)}%`;
    case 's':
      return `${sig3(v)} s`;
    case 'per event':
      return sig3(v);
    default:
      return Number.isInteger(v) ? grouped.format(v) : sig3(v);
  }
}

/**
 * `median [low–high]` (a 95% interval), `median (n=3)` (too few runs for one), `> 58 s
 * (4/5)` (the median is censored: most runs only bound the figure), or `unknown`.
 */
export function formatEstimate(e: Estimate, unit: Unit): string {
  if (e.n === 0 || e.median === null) return formatMedian(e, unit);
  const m = formatSymptom(e.median, unit);
  const cens = e.censored > 0 ? `, ${e.censored} >` : '';
  if (e.low === null || e.high === null) return `${m} (n=${e.n}${cens})`;
  return `${m} [${formatSymptom(e.low, unit)}–${formatSymptom(e.high, unit)}]${cens ? ` (${e.censored} >)` : ''}`;
}

/** The median alone: `2,844`, `> 58 s (4/5)` when censored, `unknown`. */
export function formatMedian(e: Estimate, unit: Unit): string {
  if (e.n === 0) return 'unknown';
  if (e.median === null)
    return `> ${e.bound === null ? '?' : formatSymptom(e.bound, unit)} (${e.censored}/${e.n})`;
  return formatSymptom(e.median, unit);
}

/** `kafka · naive`, the name a row goes by: its backend and configuration. */
export const rowName = (r: MatrixRow) => `${r.backend} · ${r.configuration}`;
