import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { agentDir } from '../contract/k6-agents.ts';
import { generateResultsDir } from './fixtures/generate.ts';
import { loadRun } from './read-run.ts';

const root = mkdtempSync(join(tmpdir(), 'read-agents-'));

it("judges budgets on all agents' samples merged, not on any one agent's", async () => {
  // Agent 1 alone breaches a 50 ms p99 (its own k6 would exit 99); the run as a whole meets it.
  const fast = Array.from({ length: 990 }, (_, i) => 5 + (i % 10));
  const slow = Array.from({ length: 10 }, () => 1000);
  const opts = { backend: 'kafka' as const, requests: 0, durationS: 10 };
  const [a, b, whole] = ['a', 'b', 'whole'].map((n) => join(root, n));
  await generateResultsDir(a!, { ...opts, httpLatenciesMs: fast });
  await generateResultsDir(b!, { ...opts, httpLatenciesMs: slow });
  await generateResultsDir(whole!, { ...opts, httpLatenciesMs: [...fast, ...slow] });
  const oneK6 = await loadRun(whole!, { http_p99_ms: 50 });

  // The same run as two agents: their files in agents/agent-<i>/, none at the top.
  for (const [i, from] of [a!, b!].entries()) {
    mkdirSync(agentDir(whole!, i), { recursive: true });
    for (const f of ['k6-samples.csv.gz', 'k6-summary.json'])
      copyFileSync(join(from, f), join(agentDir(whole!, i), f));
  }
  for (const f of ['k6-samples.csv.gz', 'k6-summary.json']) rmSync(join(whole!, f));
  const agents = await loadRun(whole!, { http_p99_ms: 50 });
  const agentB = await loadRun(b!, { http_p99_ms: 50 });

  expect(agentB.summary.budgets[0]).toMatchObject({ name: 'http_p99_ms', pass: false });
  expect(agents.summary.http).toEqual(oneK6.summary.http);
  expect(agents.summary.answers?.total).toBe(1000);
  expect(agents.summary.budgets[0]).toMatchObject({ name: 'http_p99_ms', pass: true });
  expect(agents.sources.http).toMatch(/of 2 agents \(1,000 accepted writes/);

  // An agent whose samples are missing leaves the HTTP figures unknown, and the budget failed.
  rmSync(join(agentDir(whole!, 1), 'k6-samples.csv.gz'));
  const partial = await loadRun(whole!, { http_p99_ms: 50 });
  expect(partial.summary.http).toBeNull();
  expect(partial.summary.budgets[0]).toMatchObject({ value: null, pass: false });
});
