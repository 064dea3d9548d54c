/**
 * The report by configuration: each matrix row's runs, and the run that stands for it in
 * cards, charts and the side-by-side table (its median run), so a matrix of many repeats
 * reads as a few configurations, never as a list of run ids.
 */

import { counted, type MatrixRow } from '../analysis/matrix.ts';
import { rowName } from '../analysis/matrix-format.ts';
import type { RunData } from './read-run.ts';

export interface Configuration {
  /** `kafka · naive`: the name the findings use. */
  name: string;
  color: string;
  /** Indices into the report's runs, in the order they were read. */
  runs: number[];
  /** The index of the median run: the counted run with the median backlog peak. */
  rep: number;
}

const PALETTE = ['#1f6fc5', '#e0701b', '#2b9348', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d'];

/** One configuration per matrix row (a run outside every row would be a bug in the matrix). */
export function configurationsOf(rows: MatrixRow[], runs: RunData[]): Configuration[] {
  const index = new Map(runs.map((r, i) => [r.manifest.runId, i]));
  return rows.map((row, k) => {
    const mine = row.runs.map((x) => index.get(x.runId)).filter((i) => i !== undefined);
    // The median run is chosen among the counted runs, so an incomplete one never stands in.
    const pool = mine.filter((i) => counted(runs[i]!.summary));
    const byPeak = [...(pool.length > 0 ? pool : mine)].sort(
      (a, b) => (runs[a]!.summary.backlog.max ?? -1) - (runs[b]!.summary.backlog.max ?? -1),
    );
    return {
      name: rowName(row),
      color: PALETTE[k % PALETTE.length]!,
      runs: mine,
      rep: byPeak[Math.floor((byPeak.length - 1) / 2)]!,
    };
  });
}

/** The pairs the findings compare, by configuration index: [baseline, changed]. */
export function comparedPairs(
  configs: Configuration[],
  findings: { rows: [string, string] }[],
): [number, number][] {
  const at = new Map(configs.map((c, i) => [c.name, i]));
  const seen = new Set<string>();
  const out: [number, number][] = [];
  for (const f of findings) {
    const a = at.get(f.rows[0]);
    const b = at.get(f.rows[1]);
    const key = `${a}/${b}`;
    if (a === undefined || b === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push([a, b]);
  }
  return out;
}

/** A run named as the report names it: its configuration, and which repeat when there are several. */
export function runLabel(rows: MatrixRow[], runId: string, fallback: string): string {
  const row = rows.find((m) => m.runs.some((x) => x.runId === runId));
  if (!row) return fallback;
  const nth = row.runs.findIndex((x) => x.runId === runId) + 1;
  return `${rowName(row)}${row.runs.length > 1 ? `, run ${nth} of ${row.runs.length}` : ''}`;
}
