/**
 * The scenario tests' fixture: one memory engine per file (started before its tests, stopped
 * after), a temporary dir, and k6 run on a scenario against that engine.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect } from 'vitest';
import { k6Command, type ScenarioEnv } from '../../scenarios/lib-node/run-k6.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { startMemoryEngine, type TestEngine } from './scenarios-engine.ts';

export let engine: TestEngine;
export let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hunt-scenarios-'));
  engine = await startMemoryEngine(join(REPO_ROOT, 'scenarios', 'data', 'default.json'));
});

afterAll(async () => {
  await engine?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

export interface K6Run {
  exitCode: number;
  stderr: string;
  stdout: string;
  dir: string;
  summary: {
    metrics: Record<
      string,
      { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }
    >;
  };
}

export async function runK6(name: string, scenario: string, env: ScenarioEnv): Promise<K6Run> {
  const dir = join(tmp, name);
  const cmd = k6Command({ scenario, env: { BASE_URL: engine.url, ...env }, resultsDir: dir });
  await execa('mkdir', ['-p', dir]);
  const res = await execa(cmd.bin, cmd.args, { env: cmd.env, reject: false, timeout: 150_000 });
  let summary: K6Run['summary'] = { metrics: {} };
  try {
    summary = JSON.parse(await readFile(join(dir, 'k6-summary.json'), 'utf8'));
  } catch {
    // No summary when k6 failed before the test ran; the exit code tells why.
  }
  return { exitCode: res.exitCode ?? -1, stderr: res.stderr, stdout: res.stdout, dir, summary };
}

export const count = (r: K6Run, metric: string) => r.summary.metrics[metric]?.values.count ?? 0;

export function expectPassed(r: K6Run): void {
  if (r.exitCode !== 0) console.error(r.stdout, r.stderr, engine.log().slice(-3000));
  expect(r.exitCode).toBe(0);
  const thresholds = Object.values(r.summary.metrics).flatMap((m) =>
    Object.values(m.thresholds ?? {}),
  );
  expect(thresholds.length).toBeGreaterThanOrEqual(5);
  expect(thresholds.every((t) => t.ok)).toBe(true);
  expect(count(r, 'hunt_accepted')).toBeGreaterThan(0);
  expect(count(r, 'hunt_rejected')).toBe(0);
  expect(count(r, 'dropped_iterations')).toBe(0);
}
