import { describe, expect, it } from 'vitest';
import { budgetThresholds } from '../contract/budgets.ts';
import { REPO_ROOT } from '../stack/tools.ts';
import { evaluateBudgets, readBudgets } from './budgets.ts';
import { sampleSummary } from './fixtures/summary.ts';

describe('budgets', () => {
  it('reads every line of the shipped scenarios/budgets.yaml into a k6 threshold', async () => {
    const budgets = await readBudgets(`${REPO_ROOT}/scenarios/budgets.yaml`);
    // Every line of the shipped file is a budget: none may be dropped on either side. That k6
    // derives the same thresholds when it loads a scenario is test/integration/budgets-k6.test.ts.
    expect(Object.keys(budgets).length).toBe(9);
    expect(Object.keys(budgetThresholds(budgets))).toContain('http_req_duration{status:202}');
  });

  it('refuses a budgets file it cannot read, naming it', async () => {
    await expect(readBudgets('/nonexistent/budgets.yaml')).rejects.toThrow(
      /^\/nonexistent\/budgets\.yaml: cannot read budgets/,
    );
  });

  it('maps budget names to summary values and fails unknown values', () => {
    const s = sampleSummary({ accepted: 900, shed: 100, lost: 2, dlq: { total: 9, byReason: {} } });
    const results = evaluateBudgets(
      { http_p99_ms: 1000, shed_rate: 0.05, lost_events: 0, dlq_rate: 0.01, error_rate: 0.1 },
      s,
      { errorRate: null, droppedIterations: 0 },
    );
    expect(results).toEqual([
      { name: 'http_p99_ms', limit: 1000, value: s.http?.p99, pass: true },
      { name: 'error_rate', limit: 0.1, value: null, pass: false },
      { name: 'shed_rate', limit: 0.05, value: 0.1, pass: false },
      { name: 'lost_events', limit: 0, value: 2, pass: false },
      { name: 'dlq_rate', limit: 0.01, value: 0.01, pass: true },
    ]);
  });

  it("with the engine outside the harness, its budgets are unknown and fail; k6's still count", () => {
    const s = sampleSummary({ accepted: 900, shed: 0, lost: 0, dlq: { total: 0, byReason: {} } });
    const budgets = { http_p99_ms: 1000, dlq_rate: 0.01, lost_events: 0, shed_rate: 0.05 };
    const k6 = { errorRate: 0, droppedIterations: 0 };
    expect(evaluateBudgets(budgets, s, k6).every((r) => r.pass)).toBe(true);
    expect(evaluateBudgets(budgets, s, k6, false).map((r) => [r.name, r.value, r.pass])).toEqual([
      ['http_p99_ms', s.http?.p99, true],
      ['shed_rate', 0, true],
      ['lost_events', null, false],
      ['dlq_rate', null, false],
    ]);
  });

  it('fails closed: an unknown loss or a missing latency fails its budget, never passes as 0', () => {
    const s = sampleSummary({ lost: null, http: null, e2e: null });
    const results = evaluateBudgets({ lost_events: 0, http_p99_ms: 1000, e2e_p99_ms: 1000 }, s, {
      errorRate: 0,
      droppedIterations: 0,
    });
    expect(results.map((r) => [r.name, r.value, r.pass])).toEqual([
      ['http_p99_ms', null, false],
      ['e2e_p99_ms', null, false],
      ['lost_events', null, false],
    ]);
  });

  it('fails the end-to-end budget when samples are missing or were not counted', () => {
    const e2e = (count: number | null, deliveredMinusDlq: number | null) =>
      evaluateBudgets(
        { e2e_p99_ms: 1000 },
        sampleSummary({ e2eSamples: { count, deliveredMinusDlq } }),
        { errorRate: 0, droppedIterations: 0 },
      )[0];
    expect(e2e(9_950, 9_950)).toMatchObject({ value: 150, pass: true });
    // Re-driven DLQ entries add samples beyond delivered − DLQ.
    expect(e2e(9_960, 9_950)).toMatchObject({ value: 150, pass: true });
    expect(e2e(9_000, 9_950)).toMatchObject({ value: null, pass: false });
    expect(e2e(null, 9_950)).toMatchObject({ value: null, pass: false });
    expect(e2e(0, 0)).toMatchObject({ value: null, pass: false });
    expect(e2e(9_950, null)).toMatchObject({ value: null, pass: false });
  });
});

describe('budgets on counts that were not measured', () => {
  const k6 = { errorRate: 0, droppedIterations: 0 };
  const value = (name: 'shed_rate' | 'dlq_rate' | 'undelivered_events', s = sampleSummary()) =>
    evaluateBudgets({ [name]: 1 }, s, k6)[0]!;

  it('the shed and DLQ rates are unknown and fail when a count is unknown or nothing was answered', () => {
    expect(value('shed_rate', sampleSummary({ shed: null }))).toMatchObject({
      value: null,
      pass: false,
    });
    expect(value('shed_rate', sampleSummary({ accepted: 0, shed: 0 }))).toMatchObject({
      value: null,
      pass: false,
    });
    expect(value('dlq_rate', sampleSummary({ dlq: { total: null, byReason: {} } }))).toMatchObject({
      value: null,
      pass: false,
    });
    expect(value('dlq_rate', sampleSummary({ accepted: 0 }))).toMatchObject({
      value: null,
      pass: false,
    });
    expect(value('dlq_rate', sampleSummary({ accepted: null }))).toMatchObject({
      value: null,
      pass: false,
    });
  });

  it('undelivered events have a budget: a backlog left behind fails it, an unknown one too', () => {
    expect(value('undelivered_events', sampleSummary({ undelivered: 0 }))).toMatchObject({
      value: 0,
      pass: true,
    });
    expect(
      evaluateBudgets({ undelivered_events: 0 }, sampleSummary({ undelivered: 12 }), k6)[0],
    ).toMatchObject({ value: 12, pass: false });
    expect(value('undelivered_events', sampleSummary({ undelivered: null }))).toMatchObject({
      value: null,
      pass: false,
    });
  });
});
