import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateResultsDir } from './fixtures/generate.ts';
import { gateJUnit, gateRows } from './gate.ts';
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

describe('gate', () => {
  it('passes within budgets and fails a breached one', async () => {
    const run = await loadRun(dirs.run);
    const ok = gateRows([run], { http_p99_ms: 1000, lost_events: 0 });
    expect(ok.every((r) => r.pass)).toBe(true);
    const breached = gateRows([run], { http_p99_ms: 100, lost_events: 0 });
    expect(breached.map((r) => r.pass)).toEqual([false, true]);
    expect(breached[0]!.failure).toMatch(/http_p99_ms = 200 ms exceeds its budget 100 ms/);
  });

  it('fails a regression against the baseline beyond the allowed percentage', async () => {
    const [run, base] = await Promise.all([loadRun(dirs.run), loadRun(dirs.base)]);
    const rows = gateRows([run], { http_p99_ms: 1000 }, [base], 10);
    expect(rows[0]!.pass).toBe(false);
    expect(rows[0]!.failure).toMatch(/regressed 100% against baseline/);
    expect(gateRows([run], { http_p99_ms: 1000 }, [base], 150)[0]!.pass).toBe(true);
  });

  it('writes one JUnit test case per budget per run', async () => {
    const runs = await Promise.all([loadRun(dirs.run), loadRun(dirs.base)]);
    const xml = gateJUnit(gateRows(runs, { http_p99_ms: 150, lost_events: 0, dlq_rate: 0.5 }));
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('tests="6" failures="1"');
  });
});
