/**
 * The report's model: what index.html shows and summary.json holds, built once so that the
 * page's table and the JSON can't disagree.
 */

import { type Answer, compareRows, type Finding } from '../analysis/findings.ts';
import { buildMatrix, type MatrixRow } from '../analysis/matrix.ts';
import { HDR_SIGNIFICANT_DIGITS, SCHEMA_VERSION, type Summary } from '../contract/schema.ts';
import { gateRows, matchBaseline } from './gate.ts';
import { isRegression, type MetricDef, metricDefs, relDelta } from './metrics.ts';
import type { RunData } from './read-run.ts';

export interface Regression {
  runId: string;
  backend: string;
  key: string;
  label: string;
  value: number | null;
  baseline: number | null;
  /** Relative change (0.1 = +10%); null when the baseline was 0. */
  delta: number | null;
}

export interface ReportRun {
  dir: string;
  runId: string;
  backend: string;
  verdict: 'pass' | 'fail' | 'no budgets';
  /** Why the run's figures cannot be trusted (incomplete, not audited); empty when they can. */
  problems: string[];
  summary: Summary;
  errorRate: number | null;
  droppedIterations: number | null;
  /** Every figure of the side-by-side table, by metric key. */
  metrics: Record<string, number | null>;
  baselineRunId: string | null;
  sources: { http: string; e2e: string };
}

export interface ReportModel {
  schema: typeof SCHEMA_VERSION;
  kind: 'hunt-report';
  generatedAt: string;
  hdrSignificantDigits: number;
  maxRegressionPct: number;
  runs: ReportRun[];
  regressions: Regression[];
  /** One row per configuration (backend × design): each symptom's median and interval. */
  matrix: MatrixRow[];
  findings: Finding[];
  /** The answer the findings give, and what they rest on (analysis/findings.ts). */
  answer: Answer;
  notes: string[];
}

export { matchBaseline };

/** What `hunt compare` recorded in compare.json: the page shows it as written. */
export type RecordedComparison = Pick<ReportModel, 'matrix' | 'findings' | 'answer' | 'notes'>;

export function buildModel(
  runs: RunData[],
  baseline: RunData[],
  maxRegressionPct: number,
  now = new Date(),
  recorded?: RecordedComparison,
): { model: ReportModel; defs: MetricDef[] } {
  const defs = metricDefs([...runs, ...baseline]);
  const matrix = recorded?.matrix ?? buildMatrix(runs.map((r) => r.summary));
  const { findings, answer, notes } = recorded ?? compareRows(matrix);
  const regressions: Regression[] = [];
  const reportRuns = runs.map((r): ReportRun => {
    const metrics = Object.fromEntries(defs.map((d) => [d.key, d.get(r)]));
    const base = matchBaseline(r, baseline);
    if (base) {
      for (const d of defs) {
        const value = d.get(r);
        const ref = d.get(base);
        if (isRegression(d, value, ref, maxRegressionPct / 100)) {
          regressions.push({
            runId: r.manifest.runId,
            backend: r.manifest.backend,
            key: d.key,
            label: d.label,
            value,
            baseline: ref,
            delta: relDelta(value, ref),
          });
        }
      }
    }
    const budgets = r.summary.budgets;
    // The gate's own rows, on the limits the run was judged against: one verdict for both.
    const limits = Object.fromEntries(budgets.map((b) => [b.name, b.limit]));
    const rows = gateRows([r], limits, baseline, maxRegressionPct);
    const failed = rows.filter((row) => !row.pass);
    // Integrity first, then what the budgets' figures alone do not say: a regression.
    const problems = [
      ...failed.filter((row) => row.limit === null),
      ...failed.filter((row) => row.limit !== null && row.value !== null && row.value <= row.limit),
    ].map((row) => row.failure!);
    return {
      dir: r.dir,
      runId: r.manifest.runId,
      backend: r.manifest.backend,
      verdict: failed.length > 0 ? 'fail' : budgets.length === 0 ? 'no budgets' : 'pass',
      problems,
      summary: r.summary,
      errorRate: r.k6.errorRate,
      droppedIterations: r.k6.droppedIterations,
      metrics,
      baselineRunId: base?.manifest.runId ?? null,
      sources: r.sources,
    };
  });
  return {
    model: {
      schema: SCHEMA_VERSION,
      kind: 'hunt-report',
      generatedAt: now.toISOString(),
      hdrSignificantDigits: HDR_SIGNIFICANT_DIGITS,
      maxRegressionPct,
      runs: reportRuns,
      regressions,
      matrix,
      findings,
      answer,
      notes,
    },
    defs,
  };
}
