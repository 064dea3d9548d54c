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

/** `median [low–high]`, `value (n=1)` (one run: no interval), or `unknown`. */
export function formatEstimate(e: Estimate, unit: Unit): string {
  if (e.median === null) return 'unknown';
  const m = formatSymptom(e.median, unit);
  if (e.low === null || e.high === null) return `${m} (n=${e.n})`;
  return `${m} [${formatSymptom(e.low, unit)}–${formatSymptom(e.high, unit)}]`;
}

/** `kafka · naive`, the name a row goes by. */
export const rowName = (r: MatrixRow) => `${r.backend} · ${r.design}`;
