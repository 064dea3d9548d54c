/**
 * Each k6 scenario, scaled down, against the real engine on the memory backend: it passes its
 * budgets, an impossible budget makes k6 exit 99, sheds and errors are told apart. The
 * peak-sale replay's rate, measured on the real clock, is in scenarios-peak-sale.test.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { K6_THRESHOLDS_FAILED } from '../../common/exit-codes.ts';
import { count, engine, expectPassed, runK6, tmp } from './scenarios-k6.ts';

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
});
