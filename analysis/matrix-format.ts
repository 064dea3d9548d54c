/** How a symptom's estimate reads in the matrix, the findings and the terminal. */

import { formatValue, UNKNOWN, type Unit } from './figures.ts';
import type { MatrixRow } from './matrix.ts';
import type { Estimate } from './stats.ts';

/** A symptom's value: the one format of every figure (figures.ts). */
export const formatSymptom = formatValue;

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
  if (e.n === 0) return UNKNOWN;
  if (e.median === null)
    return `> ${e.bound === null ? '?' : formatSymptom(e.bound, unit)} (${e.censored}/${e.n})`;
  return formatSymptom(e.median, unit);
}

/** `kafka · naive`, the name a row goes by: its backend and configuration. */
export const rowName = (r: MatrixRow) => `${r.backend} · ${r.configuration}`;
