import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { readHlog } from '../../contract/hdr.ts';
import { HISTOGRAM_FILES } from '../../contract/schema.ts';
import { LatencyHistograms } from '../../engine/monitor/histograms.ts';
import { Collector } from './collector.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** An engine stand-in serving /histograms from the engine's own class; `slow` delays an answer past the collector's timeout. */
async function fakeEngine(hist: () => LatencyHistograms, status?: () => unknown) {
  const state = { slow: false };
  const server: Server = createServer((req, res) => {
    if (req.url === '/status' && status) {
      res.end(JSON.stringify(status()));
      return;
    }
    if (req.url !== '/histograms') {
      res.statusCode = 404;
      res.end();
      return;
    }
    const body = JSON.stringify(hist().cumulative());
    setTimeout(() => res.end(body), state.slow ? 1_500 : 0);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => server.closeAllConnections());
  cleanup.push(() => server.close());
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function collector(...engineUrls: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'collector-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const c = new Collector({
    engineUrls,
    dir,
    t0: Date.now(),
    targetRps: () => null,
    activeFaults: () => [],
    pids: () => ({}),
  });
  const samples = () => readHlog(readFileSync(join(dir, HISTOGRAM_FILES.e2e), 'utf8')).totalCount;
  return { c, samples };
}

test('a read that times out loses no end-to-end sample: the next read covers it', async () => {
  const h = new LatencyHistograms(Date.now);
  const engine = await fakeEngine(() => h);
  const { c, samples } = collector(engine.url);
  const record = (n: number) => {
    for (let i = 0; i < n; i++) h.recordE2eMs(10 + i);
  };
  record(5);
  await c.sample();
  record(7);
  engine.state.slow = true;
  await c.sample();
  expect(c.points.at(-1)?.e2eP99).toBeNull();
  engine.state.slow = false;
  record(3);
  await c.stop();
  expect(samples()).toBe(15);
}, 10_000);

test('an engine that restarted is read from its own start, not diffed against the old one', async () => {
  let h = new LatencyHistograms(() => 1_000);
  const engine = await fakeEngine(() => h);
  const { c, samples } = collector(engine.url);
  for (let i = 0; i < 50; i++) h.recordE2eMs(5);
  await c.sample();
  h = new LatencyHistograms(() => 2_000);
  for (let i = 0; i < 20; i++) h.recordE2eMs(5);
  await c.stop();
  expect(samples()).toBe(70);
});

test('the producer queue and broker throttling are read each second; a second without a status reads unknown', async () => {
  const state = { up: true, queue: 40, throttled: 7 };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/status' || !state.up) {
      res.statusCode = 503;
      res.end();
      return;
    }
    res.end(
      JSON.stringify({
        now: Date.now(),
        counts: {
          accepted: 0,
          delivered: 0,
          shed: { total: 0 },
          rejected: { total: 0 },
          failed: { total: 0 },
          dlq: { total: 0 },
        },
        backlog: { events: 5, broker: null, producerQueue: state.queue },
        producer: { throttled: state.throttled, throttleMs: null },
        breakers: {},
        alerts: [],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => server.closeAllConnections());
  cleanup.push(() => server.close());
  const { c } = collector(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await c.sample();
  state.up = false;
  await c.sample();
  state.up = true;
  state.queue = 0;
  state.throttled = 9;
  await c.stop();
  expect(c.points.map((p) => [p.producerQueue, p.brokerThrottled])).toEqual([
    [40, 7],
    // The backlog carries the last reading over; the producer's figures do not.
    [null, null],
    [0, 9],
  ]);
  expect(c.points[1]!.backlog).toBe(5);
});

test("several engine instances: each second's point sums their counts and their samples", async () => {
  const consumer = new LatencyHistograms(Date.now);
  const producer = new LatencyHistograms(Date.now);
  const status = (accepted: number, delivered: number, consuming: boolean) => () => ({
    now: Date.now(),
    consuming,
    counts: {
      accepted,
      delivered,
      shed: { total: 1, byReason: { 'queue-full': 1 } },
      rejected: { total: 0, byReason: {} },
      failed: { total: 0, byReason: {} },
      dlq: { total: 0, byReason: {} },
    },
    backlog: {
      events: accepted - delivered,
      broker: consuming ? { kind: 'offset-lag', value: 0 } : null,
      producerQueue: 2,
    },
    breakers: {},
    alerts: [],
  });
  const a = await fakeEngine(() => consumer, status(40, 70, true));
  const b = await fakeEngine(() => producer, status(35, 0, false));
  const { c, samples } = collector(a.url, b.url);
  for (let i = 0; i < 4; i++) consumer.recordE2eMs(10);
  for (let i = 0; i < 6; i++) producer.recordE2eMs(20);
  await c.stop();
  expect(c.points.at(-1)).toMatchObject({
    accepted: 75,
    delivered: 70,
    backlog: 5,
    shedTotal: 2,
    brokerLag: 0,
    engineUp: true,
  });
  expect(samples()).toBe(10);
});
