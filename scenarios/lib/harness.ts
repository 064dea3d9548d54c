/**
 * What every scenario shares, evaluated once in k6's init context: the settings from the
 * environment, the budgets as thresholds, the catalogue, VU sizing, the health check in
 * setup() and the iteration body. Scenario files only describe their load shape.
 */
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { budgetThresholds, parseBudgets } from '../../contract/budgets.ts';
import { send } from './client.ts';
import { loadLists, once } from './data.ts';
import { type Config, readConfig } from './env.ts';
import { planRequest } from './mix.ts';

/**
 * Absolute paths as given; relative ones against scenarios/. import.meta.resolve pins that:
 * k6's open() alone resolves against whichever module happens to be evaluating.
 */
export function readScenarioFile(path: string): string {
  try {
    return open(path.startsWith('/') ? path : import.meta.resolve(`../${path}`));
  } catch (e) {
    throw new Error(`cannot read ${path} (absolute, or relative to scenarios/): ${String(e)}`);
  }
}

const settings = once('hunt-settings', () => {
  const cfg = readConfig(__ENV);
  return { cfg, budgets: parseBudgets(readScenarioFile(cfg.budgets), cfg.budgets) };
});
export const cfg: Config = settings.cfg;
export const budgets = settings.budgets;

const lists = loadLists(() => readScenarioFile(cfg.data), cfg.data);

/** Options every scenario carries: the budgets as thresholds and the percentiles we report. */
export const common: Options = {
  thresholds: budgetThresholds(budgets),
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(99)', 'p(99.9)'],
  setupTimeout: '30s',
};

/**
 * VUs for an open model at `peakRate` requests/s. Pre-allocated: enough for every request
 * at the peak to take twice the p99 latency budget (1 s by default), because k6 drops
 * arrivals while it initializes VUs mid-test; a stall of the target (a GC pause, a busy
 * machine) then still gets its arrivals on time. About 1 MB per VU. The ceiling also covers
 * Retry-After waits (≥ 1 s per retry). Beyond that, dropped_iterations (a budget) and the
 * summary report it. MAX_VUS overrides the ceiling.
 */
export function vus(peakRate: number): { preAllocatedVUs: number; maxVUs: number } {
  const holdS = Math.max(0.1, Math.min(4, (2 * (budgets.http_p99_ms ?? 500)) / 1000));
  const retryHoldS = 1.2 * cfg.retries;
  const maxVUs = cfg.maxVUs ?? Math.min(4000, Math.ceil(peakRate * (holdS + retryHoldS)) + 10);
  const preAllocatedVUs = Math.min(maxVUs, Math.ceil(peakRate * holdS) + 10);
  return { preAllocatedVUs, maxVUs };
}

/** Rate after SCALE, never below one request/s. */
export function scaled(rate: number): number {
  return Math.max(1, Math.round(rate * cfg.scale));
}

/** Duration as a k6 string, from DURATION or the scenario's default. */
export function duration(defaultS: number): string {
  return `${Math.round((cfg.durationS ?? defaultS) * 1000)}ms`;
}

/** Fails fast when the engine is not there, before any load is scheduled. */
export function checkEngine(): void {
  const url = `${cfg.baseUrl}/healthz`;
  const res = http.get(url, { tags: { name: 'GET /healthz' }, timeout: '5s' });
  if (res.status !== 200) {
    const why = res.error ? res.error : `status ${res.status}`;
    throw new Error(`engine not ready at ${url}: ${why} (start it with 'hunt engine')`);
  }
  console.info(
    `hunt: ${cfg.baseUrl} ok; seed ${cfg.seed}, scale ${cfg.scale}, poison ${cfg.poisonRate}, ` +
      `retries ${cfg.retries}, data ${cfg.data}`,
  );
}

// Each read of exec.scenario builds a new object in k6; its getters read the VU's live state.
let scenario: typeof exec.scenario | undefined;

/** One arrival: the n-th request of the run, as the seed decides it. */
export function fire(): void {
  scenario ??= exec.scenario;
  const n = scenario.iterationInTest;
  send(planRequest(n, cfg.seed, lists, cfg.mix, cfg.poisonRate), cfg);
}
