/**
 * `hunt gate`'s logic: every budget of every run passes when its value is within the limit
 * and, given a baseline, no more than maxRegressionPct worse than the baseline's value. The
 * report's verdict is these same rows (reports/model.ts).
 */

import { FIGURES, formatValue, type Unit } from '../analysis/figures.ts';
import { BUDGET_NAMES, type BudgetName, type Budgets, runBudgetValue } from './budgets.ts';
import { type IntegrityCheck, integrityChecks } from './integrity.ts';
import { type JUnitCase, junitXml } from './junit.ts';
import type { RunData } from './read-run.ts';

export interface GateRow {
  runId: string;
  backend: string;
  /** A budget, or one of the checks every run must pass first (reports/integrity.ts). */
  budget: BudgetName | IntegrityCheck['name'];
  /** The budget's limit; null for an integrity check. */
  limit: number | null;
  value: number | null;
  baseline: number | null;
  pass: boolean;
  /** Why it failed, in a sentence; null when it passed. */
  failure: string | null;
}

/** The baseline run to compare a run with: same backend and scenario, else same backend. */
export function matchBaseline(run: RunData, baseline: RunData[]): RunData | null {
  const same = baseline.filter((b) => b.manifest.backend === run.manifest.backend);
  return same.find((b) => b.manifest.scenario === run.manifest.scenario) ?? same[0] ?? null;
}

/** A run's value of a budget: the engine's figures are unknown when it ran outside the harness. */
const budgetOf = (name: BudgetName, r: RunData) =>
  runBudgetValue(name, r.summary, r.k6, r.manifest.load === undefined);

/** Each budget's figure unit (figures.ts): a new budget must say how its value reads. */
const BUDGET_UNITS = {
  http_p99_ms: 'ms',
  http_p90_ms: 'ms',
  e2e_p99_ms: 'ms',
  error_rate: FIGURES.httpErrorRate.unit,
  shed_rate: 'ratio',
  dropped_iterations: 'count',
  lost_events: FIGURES.lost.unit,
  undelivered_events: FIGURES.undelivered.unit,
  dlq_rate: FIGURES.dlqRate.unit,
} as const satisfies Record<BudgetName, Unit>;
const show = (name: BudgetName, v: number | null) => {
  const unit = BUDGET_UNITS[name];
  return `${formatValue(v, unit)}${unit === 'ms' && v !== null ? ' ms' : ''}`;
};

export function gateRows(
  runs: RunData[],
  budgets: Budgets,
  baseline: RunData[] = [],
  maxRegressionPct = 10,
): GateRow[] {
  const rows: GateRow[] = [];
  for (const run of runs) {
    const base = matchBaseline(run, baseline);
    for (const check of integrityChecks(run)) {
      rows.push({
        runId: run.manifest.runId,
        backend: run.manifest.backend,
        budget: check.name,
        limit: null,
        value: null,
        baseline: null,
        pass: check.failure === null,
        failure: check.failure,
      });
    }
    for (const name of BUDGET_NAMES) {
      const limit = budgets[name];
      if (limit === undefined) continue;
      const value = budgetOf(name, run);
      const ref = base ? budgetOf(name, base) : null;
      let failure: string | null = null;
      if (value === null)
        failure = `${name}: unknown, no value in ${run.dir} (a missing audit, k6 summary or samples); unknown fails`;
      else if (value > limit)
        failure = `${name} = ${show(name, value)} exceeds its budget ${show(name, limit)}`;
      else if (ref !== null && ref > 0 && value > ref * (1 + maxRegressionPct / 100)) {
        const pct = Math.round(((value - ref) / ref) * 1000) / 10;
        failure = `${name} = ${show(name, value)} regressed ${pct}% against baseline ${base!.manifest.runId} (${show(name, ref)}; max ${maxRegressionPct}%)`;
      }
      rows.push({
        runId: run.manifest.runId,
        backend: run.manifest.backend,
        budget: name,
        limit,
        value,
        baseline: ref,
        pass: failure === null,
        failure,
      });
    }
  }
  return rows;
}

export function gateJUnit(rows: GateRow[]): string {
  const cases: JUnitCase[] = rows.map((r) => ({
    suite: `hunt.gate.${r.backend}.${r.runId}`,
    name: r.limit === null ? r.budget : `${r.budget} <= ${r.limit}`,
    failure: r.failure,
  }));
  return junitXml('hunt gate', cases);
}
