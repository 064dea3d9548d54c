import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUDGET_NAMES, budgetThresholds, parseBudgets } from './budgets.ts';

const shipped = readFileSync(new URL('../scenarios/budgets.yaml', import.meta.url), 'utf8');

describe('parseBudgets', () => {
  it('reads the shipped budgets.yaml with every known budget', () => {
    const b = parseBudgets(shipped);
    expect(Object.keys(b).sort()).toEqual([...BUDGET_NAMES].sort());
    expect(b.dropped_iterations).toBe(0);
  });

  it('names the file and line of an unknown budget', () => {
    expect(() => parseBudgets('http_p99_ms: 5\n\nhttp_p95_ms: 3\n', 'b.yaml')).toThrow(
      /^b\.yaml:3: unknown budget 'http_p95_ms'; known: http_p99_ms/,
    );
  });

  it.each([
    ['http_p99_ms: fast', /must be a number ≥ 0, got 'fast'/],
    ['http_p99_ms: -1', /must be a number ≥ 0/],
    ['http_p99_ms: "5"', /must be a number/],
    ['budgets:\n  http_p99_ms: 5', /:1: expected 'name: number' .* got 'budgets:'/],
    ['  http_p99_ms: 5', /:1: expected 'name: number'/],
    ['- http_p99_ms', /:1: expected 'name: number'/],
    ['error_rate: 0.1\nerror_rate: 0.2', /:2: budget 'error_rate' is repeated/],
  ])('refuses %j', (text, message) => {
    expect(() => parseBudgets(text)).toThrow(message);
  });

  it('allows comments, blank lines, a document marker and exponents', () => {
    expect(parseBudgets('---\n# c\nerror_rate: 1e-3 # one in a thousand\n')).toEqual({
      error_rate: 0.001,
    });
  });
});

describe('budgetThresholds', () => {
  it('maps budgets to k6 thresholds and leaves gate-only budgets out', () => {
    expect(budgetThresholds(parseBudgets(shipped))).toEqual({
      'http_req_duration{status:202}': ['p(99)<=500', 'p(90)<=200'],
      hunt_error_rate: ['rate<=0.01'],
      hunt_shed_rate: ['rate<=0.05'],
      dropped_iterations: ['count<=0'],
    });
  });
});
