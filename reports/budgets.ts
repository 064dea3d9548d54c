/**
 * Budgets (scenarios/budgets.yaml, docs/contracts.md): a flat map of budget name -> upper
 * limit. The same file drives k6 thresholds and `hunt gate`, through the same parser
 * (contract/budgets.ts, which k6 runs too); here are the Node-side reader and the
 * name -> summary mapping.
 */
import { readFile } from 'node:fs/promises';
import { BUDGET_NAMES, type BudgetName, type Budgets, parseBudgets } from '../contract/budgets.ts';
import { ReportInputError } from '../contract/errors.ts';
import type { BudgetResult, Summary } from '../contract/schema.ts';
import { e2eSamplesComplete } from './e2e-samples.ts';

export { BUDGET_NAMES, type BudgetName, type Budgets };

export async function readBudgets(file: string): Promise<Budgets> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ReportInputError(`${file}: cannot read budgets: ${(err as Error).message}`);
  }
  return parseBudgets(text, file);
}

/** What only k6 knows: from k6-summary.json, else counted from the k6 samples. */
export interface K6Figures {
  errorRate: number | null;
  droppedIterations: number | null;
}

/** num / den; unknown (null) when either is, or when there is nothing to divide by. */
import { dlqRate, ratio, shedRate } from '../analysis/figures.ts';

export { dlqRate, ratio, shedRate };

/** The summary value a budget limits (docs/contracts.md, "Budgets"). */
export function budgetValue(name: BudgetName, s: Summary, k6: K6Figures): number | null {
  switch (name) {
    case 'http_p99_ms':
      return s.http?.p99 ?? null;
    case 'http_p90_ms':
      return s.http?.p90 ?? null;
    case 'error_rate':
      return k6.errorRate;
    case 'shed_rate':
      return shedRate(s);
    case 'dropped_iterations':
      return k6.droppedIterations;
    case 'e2e_p99_ms':
      // A p99 missing some events' samples (likely the slowest seconds') is unknown, not low.
      return e2eSamplesComplete(s) ? (s.e2e?.p99 ?? null) : null;
    case 'lost_events':
      return s.lost;
    case 'undelivered_events':
      return s.undelivered;
    case 'dlq_rate':
      return dlqRate(s);
  }
}

/** Budgets on what only the harness's watch of the engine measures (its counts, the audit). */
const ENGINE_BUDGETS: ReadonlySet<BudgetName> = new Set([
  'e2e_p99_ms',
  'lost_events',
  'undelivered_events',
  'dlq_rate',
]);

/**
 * A budget's value for a run; `engineMeasured` false (the engine ran outside the harness,
 * run.json `load`): the engine's figures are unknown whatever summary.json holds. The gate
 * and the report's verdict both read values here, so they cannot disagree.
 */
export function runBudgetValue(
  name: BudgetName,
  s: Summary,
  k6: K6Figures,
  engineMeasured: boolean,
): number | null {
  return !engineMeasured && ENGINE_BUDGETS.has(name) ? null : budgetValue(name, s, k6);
}

/**
 * A budget passes when its value is known and at most its limit; unknown fails (CI must see
 * it). `engineMeasured` false (the engine ran outside the harness): the engine's are unknown.
 */
export function evaluateBudgets(
  budgets: Budgets,
  s: Summary,
  k6: K6Figures,
  engineMeasured = true,
): BudgetResult[] {
  return BUDGET_NAMES.filter((name) => budgets[name] !== undefined).map((name) => {
    const limit = budgets[name]!;
    const value = runBudgetValue(name, s, k6, engineMeasured);
    return { name, limit, value, pass: value !== null && value <= limit };
  });
}
