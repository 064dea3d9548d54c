/**
 * Budgets (scenarios/budgets.yaml, docs/contracts.md): a flat map of budget name -> upper
 * limit. The same file drives k6 thresholds and `hunt gate`; this is the Node-side reader
 * and the name -> summary mapping. Unknown names are errors, so a typo can't pass CI.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { e2eSamplesComplete } from './e2e-samples.ts';
import { ReportInputError } from './errors.ts';
import type { BudgetResult, Summary } from './schema.ts';

export const BUDGET_NAMES = [
  'http_p99_ms',
  'http_p90_ms',
  'error_rate',
  'shed_rate',
  'dropped_iterations',
  'e2e_p99_ms',
  'lost_events',
  'dlq_rate',
] as const;
export type BudgetName = (typeof BUDGET_NAMES)[number];
export type Budgets = Partial<Record<BudgetName, number>>;

const isBudgetName = (key: string): key is BudgetName =>
  (BUDGET_NAMES as readonly string[]).includes(key);

export function parseBudgets(text: string, file: string): Budgets {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ReportInputError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ReportInputError(`${file}: expected a map of budget name -> limit`);
  }
  const budgets: Budgets = {};
  for (const [key, limit] of Object.entries(doc)) {
    if (!isBudgetName(key)) {
      throw new ReportInputError(
        `${file}: unknown budget "${key}" (known: ${BUDGET_NAMES.join(', ')})`,
      );
    }
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
      throw new ReportInputError(
        `${file}: budget "${key}" must be a non-negative number, got ${JSON.stringify(limit)}`,
      );
    }
    budgets[key] = limit;
  }
  return budgets;
}

export async function readBudgets(file: string): Promise<Budgets> {
  return parseBudgets(await readFile(file, 'utf8'), file);
}

/** What only k6 knows: from k6-summary.json, else counted from the k6 samples. */
export interface K6Figures {
  errorRate: number | null;
  droppedIterations: number | null;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** The summary value a budget limits (docs/contracts.md, "Budgets"). */
export function budgetValue(name: BudgetName, s: Summary, k6: K6Figures): number | null {
  switch (name) {
    case 'http_p99_ms':
      return s.http.p99;
    case 'http_p90_ms':
      return s.http.p90;
    case 'error_rate':
      return k6.errorRate;
    case 'shed_rate':
      return ratio(s.shed, s.accepted + s.shed) ?? 0;
    case 'dropped_iterations':
      return k6.droppedIterations;
    case 'e2e_p99_ms':
      // A p99 missing some events' samples (likely the slowest seconds') is unknown, not low.
      return e2eSamplesComplete(s) ? s.e2e.p99 : null;
    case 'lost_events':
      return s.lost;
    case 'dlq_rate':
      return ratio(s.dlq.total, s.accepted) ?? 0;
  }
}

/** A budget passes when its value is known and at most its limit; unknown fails (CI must see it). */
export function evaluateBudgets(budgets: Budgets, s: Summary, k6: K6Figures): BudgetResult[] {
  return BUDGET_NAMES.filter((name) => budgets[name] !== undefined).map((name) => {
    const limit = budgets[name]!;
    const value = budgetValue(name, s, k6);
    return { name, limit, value, pass: value !== null && value <= limit };
  });
}
