/**
 * Each k6 scenario, scaled down, against the real engine on the memory backend: it passes its
 * budgets, an impossible budget makes k6 exit 99, and the peak-sale replay follows its
 * profile within 5% per 10-second window, measured from k6's own CSV samples.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K6_THRESHOLDS_FAILED } from '../../common/exit-codes.ts';
import {
  expectedArrivals,
  parseProfile,
  profileToRamp,
  type Ramp,
} from '../../scenarios/lib/profile.ts';
import { k6Command, type ScenarioEnv } from '../../scenarios/lib-node/run-k6.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { startMemoryEngine, type TestEngine } from './scenarios-engine.ts';

let engine: TestEngine;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hunt-scenarios-'));
  engine = await startMemoryEngine(join(REPO_ROOT, 'scenarios', 'data', 'default.json'));
});

afterAll(async () => {
  await engine?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface K6Run {
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

async function runK6(name: string, scenario: string, env: ScenarioEnv): Promise<K6Run> {
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

const count = (r: K6Run, metric: string) => r.summary.metrics[metric]?.values.count ?? 0;

function expectPassed(r: K6Run): void {
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

/**
 * When the scenario started, in the samples' clock: the median gap between each arrival's
 * recorded time and its scheduled offset (k6 starts arrival i when the area under the rate
 * curve reaches i). Robust to a slow first request, which min(times) is not.
 */
function startOf(times: number[], ramp: Ramp): number {
  const sorted = [...times].sort((a, b) => a - b);
  const offsets: number[] = [];
  let area = 0;
  const stepS = 0.001;
  for (let t = 0, i = 0; i < sorted.length && t <= ramp.durationS; t += stepS) {
    while (i < sorted.length && area >= i) {
      offsets.push(sorted[i]! - t);
      i++;
    }
    area += expectedArrivals(ramp, t, t + stepS);
  }
  offsets.sort((a, b) => a - b);
  return offsets[Math.floor(offsets.length / 2)]!;
}

describe('scenarios against the memory engine', () => {
  it('smoke passes its budgets; the engine accepted what k6 counted, poison reached the DLQ', async () => {
    const before = await engine.status();
    const r = await runK6('smoke', 'smoke', { DURATION: '3s', RATE: '40', POISON_RATE: '0.2' });
    expectPassed(r);
    expect(r.stdout).toContain('all budgets met');
    const after = await engine.drained();
    expect(after.counts.accepted - before.counts.accepted).toBe(count(r, 'hunt_accepted'));
    const dlq = after.counts.dlq.byReason;
    expect(dlq['unknown-treasure'] ?? 0).toBeGreaterThan(0);
    expect(dlq['price-mismatch'] ?? 0).toBeGreaterThan(0);
    const samples = gunzipSync(await readFile(join(r.dir, 'k6-samples.csv.gz'))).toString();
    expect(samples.split('\n', 1)[0]).toMatch(/^metric_name,timestamp,metric_value,/);
  });

  it.each([
    ['steady', { DURATION: '5s', RATE: '60' }],
    ['spike', { DURATION: '10s', RATE: '15' }],
    ['soak', { DURATION: '5s', RATE: '30' }],
  ] as const)('%s passes its budgets scaled down', async (scenario, env) => {
    expectPassed(await runK6(scenario, scenario, env));
  });

  it('an impossible budget makes k6 exit 99 and says which', async () => {
    const budgets = join(tmp, 'impossible.yaml');
    await writeFile(budgets, 'http_p99_ms: 0\nerror_rate: 0.01\n');
    const r = await runK6('impossible', 'smoke', { DURATION: '2s', RATE: '10', BUDGETS: budgets });
    expect(r.exitCode).toBe(K6_THRESHOLDS_FAILED);
    expect(r.stdout).toContain('FAIL http_req_duration{status:202} p(99)<=0');
    expect(r.summary.metrics['http_req_duration{status:202}']?.thresholds?.['p(99)<=0']?.ok).toBe(
      false,
    );
  });

  it('honours Retry-After on 503 with bounded retries; sheds are not failures', async () => {
    // A stand-in that sheds every other request: the engine only sheds under real overload.
    let n = 0;
    const shedder = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/healthz') return void res.writeHead(200).end('{"ok":true}');
        if (n++ % 2 === 0) {
          res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'application/json' });
          return void res.end('{"error":"shed","reason":"queue-full"}');
        }
        res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"id":"x"}');
      });
    });
    await new Promise<void>((r) => shedder.listen(0, '127.0.0.1', r));
    const { port } = shedder.address() as AddressInfo;
    const budgets = join(tmp, 'errors-only.yaml');
    await writeFile(budgets, 'error_rate: 0\ndropped_iterations: 0\n');
    try {
      const env = {
        BASE_URL: `http://127.0.0.1:${port}`,
        DURATION: '3s',
        RATE: '10',
        BUDGETS: budgets,
      };
      const retrying = await runK6('retries', 'smoke', { ...env, RETRIES: '1' });
      expect(retrying.exitCode).toBe(0);
      expect(count(retrying, 'hunt_shed')).toBeGreaterThan(0);
      expect(count(retrying, 'hunt_retried')).toBe(
        count(retrying, 'hunt_shed') - count(retrying, 'hunt_abandoned'),
      );
      // A shed is not an error; k6's own http_req_failed counts anything but a 202.
      expect(retrying.summary.metrics.hunt_error_rate?.values.rate).toBe(0);
      expect(retrying.summary.metrics.http_req_failed?.values.rate).toBeGreaterThan(0);
      // The retried attempt waited out Retry-After (1 s, up to 20% jitter).
      expect(retrying.summary.metrics.iteration_duration?.values.max).toBeGreaterThanOrEqual(1000);
      const raw = await runK6('no-retries', 'smoke', { ...env, RETRIES: '0' });
      expect(raw.exitCode).toBe(0);
      expect(count(raw, 'hunt_retried')).toBe(0);
      expect(count(raw, 'hunt_abandoned')).toBe(count(raw, 'hunt_shed'));
      expect(raw.summary.metrics.hunt_shed_rate?.values.rate).toBeCloseTo(0.5, 1);
    } finally {
      shedder.close();
    }
  });

  it('counts a 503 that is not a shed (broker unavailable) as an error, never as a shed', async () => {
    const broken = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/healthz') return void res.writeHead(200).end('{"ok":true}');
        res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'application/json' });
        res.end('{"error":"broker-unavailable","message":"no broker"}');
      });
    });
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const { port } = broken.address() as AddressInfo;
    const budgets = join(tmp, 'no-errors.yaml');
    await writeFile(budgets, 'error_rate: 0.5\n');
    try {
      const r = await runK6('broker-503', 'smoke', {
        BASE_URL: `http://127.0.0.1:${port}`,
        DURATION: '2s',
        RATE: '10',
        BUDGETS: budgets,
        RETRIES: '1',
      });
      expect(r.exitCode).toBe(99);
      expect(count(r, 'hunt_shed')).toBe(0);
      expect(count(r, 'hunt_retried')).toBe(0);
      expect(count(r, 'hunt_errors')).toBeGreaterThan(0);
      expect(r.summary.metrics.hunt_error_rate?.values.rate).toBe(1);
    } finally {
      broken.close();
    }
  });

  it('refuses a non-loopback BASE_URL before sending anything', async () => {
    const r = await runK6('remote', 'smoke', { BASE_URL: 'http://10.11.12.13:8080' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('not a loopback address; set ALLOW_REMOTE=1');
  });

  it('peak-sale replays the flash-sale profile within 5% per 10-second window', async () => {
    const env = { DURATION: '40s', SCALE: '0.4', RETRIES: '0' };
    const r = await runK6('peak-sale', 'peak-sale', env);
    expectPassed(r);
    const profileText = await readFile(
      join(REPO_ROOT, 'scenarios/profiles/flash-sale.json'),
      'utf8',
    );
    const ramp = profileToRamp(parseProfile(JSON.parse(profileText), 'flash-sale'), {
      scale: 0.4,
      durationS: 40,
    });
    // Arrivals as k6 recorded them: one `iterations` sample per started arrival (no retries,
    // so each ends within milliseconds of its start).
    const csv = gunzipSync(await readFile(join(r.dir, 'k6-samples.csv.gz'))).toString();
    const times = csv
      .split('\n')
      .filter((l) => l.startsWith('iterations,'))
      .map((l) => Number(l.split(',')[1]) / 1000);
    const t0 = startOf(times, ramp);
    const windows = [];
    for (let w = 0; w < ramp.durationS; w += 10) {
      const got = times.filter((t) => t - t0 >= w && t - t0 < w + 10).length;
      const want = expectedArrivals(ramp, w, w + 10);
      windows.push({
        window: `${w}-${w + 10}s`,
        want: Math.round(want),
        got,
        err: (got - want) / want,
      });
    }
    console.info('peak-sale achieved vs profile per 10 s window:', windows);
    for (const w of windows) expect(Math.abs(w.err)).toBeLessThanOrEqual(0.05);
  });
});
