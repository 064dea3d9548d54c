import { describe, expect, it } from 'vitest';
import { evaluateBudgets, parseBudgets } from './budgets.ts';
import { sampleSummary } from './fixtures/summary.ts';

describe('budgets', () => {
  it('parses a flat map of limits', () => {
    expect(parseBudgets('http_p99_ms: 250\nlost_events: 0 # none\n', 'b.yaml')).toEqual({
      http_p99_ms: 250,
      lost_events: 0,
    });
    expect(parseBudgets('', 'b.yaml')).toEqual({});
  });

  it('rejects unknown keys naming the file and key', () => {
    expect(() => parseBudgets('http_p99: 250\n', 'scenarios/budgets.yaml')).toThrow(
      /scenarios\/budgets\.yaml: unknown budget "http_p99"/,
    );
  });

  it('rejects non-numeric and negative limits, and non-maps', () => {
    expect(() => parseBudgets('http_p99_ms: fast\n', 'b.yaml')).toThrow(
      /b\.yaml: budget "http_p99_ms"/,
    );
    expect(() => parseBudgets('lost_events: -1\n', 'b.yaml')).toThrow(/non-negative/);
    expect(() => parseBudgets('- 1\n', 'b.yaml')).toThrow(/b\.yaml: expected a map/);
  });

  it('maps budget names to summary values and fails unknown values', () => {
    const s = sampleSummary({ accepted: 900, shed: 100, lost: 2, dlq: { total: 9, byReason: {} } });
    const results = evaluateBudgets(
      { http_p99_ms: 1000, shed_rate: 0.05, lost_events: 0, dlq_rate: 0.01, error_rate: 0.1 },
      s,
      { errorRate: null, droppedIterations: 0 },
    );
    expect(results).toEqual([
      { name: 'http_p99_ms', limit: 1000, value: s.http.p99, pass: true },
      { name: 'error_rate', limit: 0.1, value: null, pass: false },
      { name: 'shed_rate', limit: 0.05, value: 0.1, pass: false },
      { name: 'lost_events', limit: 0, value: 2, pass: false },
      { name: 'dlq_rate', limit: 0.01, value: 0.01, pass: true },
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
