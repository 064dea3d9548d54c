import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateBudgets } from './budgets.ts';
import { generateResultsDir } from './fixtures/generate.ts';
import { type GateRow, gateJUnit, gateRows } from './gate.ts';
import { buildModel } from './model.ts';
import { loadRun } from './read-run.ts';

const root = mkdtempSync(join(tmpdir(), 'gate-'));
const dirs = { base: join(root, 'base'), run: join(root, 'run') };
/** Same shape, HTTP latencies doubled: within a 1 s budget, a 100% regression. */
const latencies = (scale: number) =>
  Array.from({ length: 4000 }, (_, i) => scale * (2 + (i % 100)));

beforeAll(async () => {
  await generateResultsDir(dirs.base, {
    backend: 'kafka',
    requests: 0,
    httpLatenciesMs: latencies(1),
    durationS: 40,
  });
  await generateResultsDir(dirs.run, {
    backend: 'kafka',
    requests: 0,
    httpLatenciesMs: latencies(2),
    durationS: 40,
  });
});

const budgetRows = (rows: GateRow[]) => rows.filter((r) => r.limit !== null);

describe('gate', () => {
  it('passes within budgets and fails a breached one', async () => {
    const run = await loadRun(dirs.run);
    const ok = gateRows([run], { http_p99_ms: 1000, lost_events: 0 });
    expect(ok.every((r) => r.pass)).toBe(true);
    const breached = budgetRows(gateRows([run], { http_p99_ms: 100, lost_events: 0 }));
    expect(breached.map((r) => r.pass)).toEqual([false, true]);
    expect(breached[0]!.failure).toMatch(/http_p99_ms = 200 ms exceeds its budget 100 ms/);
  });

  it('fails a regression against the baseline beyond the allowed percentage', async () => {
    const [run, base] = await Promise.all([loadRun(dirs.run), loadRun(dirs.base)]);
    const rows = budgetRows(gateRows([run], { http_p99_ms: 1000 }, [base], 10));
    expect(rows[0]!.pass).toBe(false);
    expect(rows[0]!.failure).toMatch(/regressed 100% against baseline/);
    expect(gateRows([run], { http_p99_ms: 1000 }, [base], 150).every((r) => r.pass)).toBe(true);
  });

  it('writes one JUnit test case per budget and per integrity check, per run', async () => {
    const runs = await Promise.all([loadRun(dirs.run), loadRun(dirs.base)]);
    const xml = gateJUnit(gateRows(runs, { http_p99_ms: 150, lost_events: 0, dlq_rate: 0.5 }));
    expect(xml.match(/<testcase /g)).toHaveLength(10);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('tests="10" failures="1"');
    expect(xml).toContain('name="audited"');
  });

  /** A generated run with some of its files gone, gated on latency and loss. */
  async function gateWithout(name: string, files: string[], incomplete?: string) {
    const dir = join(root, name);
    await generateResultsDir(dir, {
      backend: 'kafka',
      requests: 0,
      httpLatenciesMs: latencies(1),
      durationS: 40,
    });
    for (const f of files) rmSync(join(dir, f));
    if (incomplete) writeFileSync(join(dir, 'INCOMPLETE'), `${incomplete}\n`);
    const budgets = { http_p99_ms: 1000, lost_events: 0 };
    const run = await loadRun(dir, budgets);
    // The report's budget table reads the same run: the loss is unknown there too.
    expect(run.summary.budgets.find((b) => b.name === 'lost_events')).toMatchObject({
      value: null,
      pass: false,
    });
    const rows = gateRows([run], budgets);
    const failures = Object.fromEntries(rows.map((r) => [r.budget, r.failure]));
    expect(failures.audited).toMatch(/no audit .*lost is unknown/);
    expect(failures.lost_events).toMatch(/lost_events: unknown/);
    expect(rows.find((r) => r.budget === 'lost_events')!.value).toBeNull();
    return failures;
  }

  it('fails closed on a missing audit alone: a complete run whose audit.json is gone', async () => {
    // summary.json still says what the audit found, but the audit itself is not there.
    const failures = await gateWithout('audit-gone', ['audit.json']);
    expect(failures.run_complete).toBeNull();
    expect(failures.http_p99_ms).toBeNull();
  });

  it('fails closed: a run without an audit, or incomplete, fails and says why', async () => {
    // A run killed before its audit: no audit.json, no summary.json, an INCOMPLETE marker.
    const failures = await gateWithout('unaudited', ['audit.json', 'summary.json'], 'interrupted');
    expect(failures.run_complete).toMatch(/did not complete \(interrupted\)/);
  });
});

describe('the gate and the report give one verdict', () => {
  const budgets = { http_p99_ms: 1000, dlq_rate: 0.5 };

  it('a baseline regression within budget fails both', async () => {
    const [run, base] = await Promise.all([loadRun(dirs.run, budgets), loadRun(dirs.base)]);
    const gateFails = gateRows([run], budgets, [base], 10).some((r) => !r.pass);
    const report = buildModel([run], [base], 10).model.runs[0]!;
    expect(gateFails).toBe(true);
    expect(report.verdict).toBe('fail');
    expect(report.problems.join('\n')).toMatch(/http_p99_ms = 200 ms regressed 100%/);
  });

  it("a run whose engine ran outside the harness: the engine's budgets are unknown in both", async () => {
    const run = await loadRun(dirs.run);
    run.manifest.load = {
      kind: 'k6-operator',
      engine: 'http://engine:8080',
      agents: 1,
      namespace: 'load',
      missingAgents: [],
    };
    const dlq = gateRows([run], budgets).find((r) => r.budget === 'dlq_rate')!;
    expect(dlq.value).toBeNull();
    expect(dlq.pass).toBe(false);
    run.summary.budgets = evaluateBudgets(budgets, run.summary, run.k6, false);
    expect(buildModel([run], [], 10).model.runs[0]!.verdict).toBe('fail');
  });
});
