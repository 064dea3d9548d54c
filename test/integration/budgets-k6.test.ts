import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { budgetThresholds } from '../../contract/budgets.ts';
import { readBudgets } from '../../reports/budgets.ts';
import { findK6 } from '../../scenarios/lib-node/run-k6.ts';
import { REPO_ROOT } from '../../stack/tools.ts';

// Needs the pinned k6 (`hunt setup`), so it is not in the unit group.
describe('budgets, as k6 reads them', () => {
  it('k6 and hunt gate read scenarios/budgets.yaml identically', async () => {
    const budgets = await readBudgets(`${REPO_ROOT}/scenarios/budgets.yaml`);
    // The thresholds k6 itself derives when it loads a scenario (k6 inspect prints options).
    const inspect = await execa(findK6(), ['inspect', 'smoke.ts'], {
      cwd: `${REPO_ROOT}/scenarios`,
      env: { K6_NO_USAGE_REPORT: 'true' },
    });
    const k6Thresholds = (JSON.parse(inspect.stdout) as { thresholds: Record<string, unknown> })
      .thresholds;
    expect(k6Thresholds).toEqual(budgetThresholds(budgets));
    expect(Object.keys(k6Thresholds)).toContain('http_req_duration{status:202}');
  });
});
