/**
 * budgets.yaml: the one list of budget names, the one parser, and the map from a budget to
 * its k6 threshold (docs/contracts.md, "Budgets"). k6 has no YAML parser, and the file is
 * deliberately flat (`name: number` lines), so this strict parser serves both k6 (run
 * natively, TypeScript as is) and Node (`hunt gate`, `hunt run` via reports/budgets.ts).
 * Pure: no k6 or Node API.
 */
import { UserError } from '../common/user-error.ts';

export class BudgetError extends UserError {
  override name = 'BudgetError';
}

/** Every known budget; `null` marks a gate-only budget with no k6 threshold. */
export const BUDGET_THRESHOLDS = {
  http_p99_ms: { metric: 'http_req_duration{status:202}', expr: (l: number) => `p(99)<=${l}` },
  http_p90_ms: { metric: 'http_req_duration{status:202}', expr: (l: number) => `p(90)<=${l}` },
  error_rate: { metric: 'hunt_error_rate', expr: (l: number) => `rate<=${l}` },
  shed_rate: { metric: 'hunt_shed_rate', expr: (l: number) => `rate<=${l}` },
  dropped_iterations: { metric: 'dropped_iterations', expr: (l: number) => `count<=${l}` },
  e2e_p99_ms: null,
  lost_events: null,
  undelivered_events: null,
  dlq_rate: null,
} as const satisfies Record<string, { metric: string; expr: (limit: number) => string } | null>;

export type BudgetName = keyof typeof BUDGET_THRESHOLDS;
export const BUDGET_NAMES = Object.keys(BUDGET_THRESHOLDS) as BudgetName[];
export type Budgets = Partial<Record<BudgetName, number>>;

/**
 * Parses the flat YAML subset budgets.yaml uses: `name: number` per line, `#` comments,
 * blank lines. Anything else (nesting, lists, strings, unknown or repeated names) is an
 * error naming the file and line, so a typo never silently drops a budget.
 */
export function parseBudgets(text: string, source = 'budgets.yaml'): Budgets {
  const budgets: Budgets = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const where = `${source}:${i + 1}`;
    const line = stripComment(lines[i]!).trimEnd();
    if (line.trim() === '' || (i === 0 && line === '---')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(\S.*)$/.exec(line);
    if (!m) {
      throw new BudgetError(
        `${where}: expected 'name: number' at the start of the line, got '${line.trim()}'`,
      );
    }
    const name = m[1]!;
    const rawValue = m[2]!.trim();
    if (!Object.hasOwn(BUDGET_THRESHOLDS, name)) {
      throw new BudgetError(
        `${where}: unknown budget '${name}'; known: ${BUDGET_NAMES.join(', ')}`,
      );
    }
    if (Object.hasOwn(budgets, name))
      throw new BudgetError(`${where}: budget '${name}' is repeated`);
    const value = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(rawValue)
      ? Number(rawValue)
      : NaN;
    if (!Number.isFinite(value)) {
      throw new BudgetError(`${where}: budget '${name}' must be a number ≥ 0, got '${rawValue}'`);
    }
    budgets[name as BudgetName] = value;
  }
  return budgets;
}

/** k6 `options.thresholds` for the budgets that have a k6 threshold. */
export function budgetThresholds(budgets: Budgets): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of BUDGET_NAMES) {
    const limit = budgets[name];
    const map = BUDGET_THRESHOLDS[name];
    if (limit === undefined || map === null) continue;
    out[map.metric] = [...(out[map.metric] ?? []), map.expr(limit)];
  }
  return out;
}

/** A `#` starts a comment; values are plain numbers, so no quoting to respect. */
function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}
