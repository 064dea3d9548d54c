/**
 * The naive and hardened designs against real brokers, once per backend (designs-kafka.test.ts,
 * designs-kinesis.test.ts): under a saturated fulfillment service (a plan's `downstream:`
 * step) the naive engine's backlog grows and it never sheds, while the hardened one sheds
 * with `backlog-critical`; and without a DLQ a poison event blocks its partition / shard.
 * One private stack and one fulfillment service per file; an engine per test.
 */
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parsePlan } from '../../chaos/plan.ts';
import { runPlan } from '../../chaos/runner.ts';
import type { BackendName } from '../../engine/backend.ts';
import { fixtureCatalogue } from '../../engine/catalogue.ts';
import { defaultConfig, type EngineConfig, resolveEngineConfig } from '../../engine/config.ts';
import { type RunningEngine, startEngine } from '../../engine/engine.ts';
import { startFulfillment } from '../../engine/fulfillment/server.ts';
import type { Log } from '../../engine/log.ts';
import { HOST } from '../../stack/config.ts';
import {
  planTargets,
  runTargets,
  stackDownstreamControl,
  toxiproxyUrl,
} from '../../system/chaos.ts';
import { createBackend } from '../../system/engine.ts';
import { eventually } from './engine-harness.ts';
import { componentsOf, startTestStack, type TestStack } from './stack-fixture.ts';

export type Broker = Exclude<BackendName, 'memory'>;

export interface Started {
  engine: RunningEngine;
  config: EngineConfig;
  logs: string[];
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, string> }>;
  stop(): Promise<void>;
}

export async function startDesign(
  stack: TestStack,
  backend: Broker,
  flags: Record<string, unknown>,
): Promise<Started> {
  const logs: string[] = [];
  const log: Log = (msg, f) =>
    logs.push(`${new Date().toISOString()} ${msg} ${JSON.stringify(f ?? {})}`);
  const p = stack.ports;
  const config = resolveEngineConfig({
    defaults: defaultConfig({
      engine: 0,
      kafka: `${HOST}:${p.kafkaProxy}`,
      kinesis: `http://${HOST}:${p.kinesisProxy}`,
      fulfillment: `http://${HOST}:${p.downstreamProxy}`,
    }),
    flags: {
      backend,
      topic: `hunt-events-design-${Date.now().toString(36)}`,
      partitions: 2,
      downstreamTimeoutMs: 1500,
      downstreamHalfOpenAfterMs: 500,
      downstreamRetryBaseMs: 20,
      downstreamRetryMaxMs: 200,
      lagPollMs: 500,
      ...flags,
    },
  });
  const engine = await startEngine({
    config,
    catalogue: fixtureCatalogue(),
    backend: createBackend(config, stack.paths, log, `hunt-design-${config.design}`),
    registry: new Registry(),
    log,
  });
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${engine.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Record<string, string> };
  };
  return { engine, config, logs, post, stop: () => engine.stop() };
}

/** Posts joins at `rate`/s for `seconds` (open model), sampling the backlog once a second. */
async function load(e: Started, rate: number, seconds: number) {
  const answers: { status: number; reason?: string }[] = [];
  const backlog: number[] = [];
  const inFlight: Promise<void>[] = [];
  let i = 0;
  const shoot = setInterval(() => {
    const n = i++;
    inFlight.push(
      e
        .post(`/hunts/h${n % 4}/players`, { playerId: `l${n}`, displayName: 'x' })
        .then((r) => {
          answers.push(r.body.reason ? { status: r.status, reason: r.body.reason } : r);
        })
        .catch(() => {
          answers.push({ status: 0 });
        }),
    );
  }, 1000 / rate);
  const sample = setInterval(() => backlog.push(e.engine.status().backlog.events), 1000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(shoot);
  clearInterval(sample);
  await Promise.all(inFlight);
  return { answers, backlog };
}

// 1 request at a time, 20 ms + 40 ms per event: at most ~25 events/s, under the 40/s offered.
// A batch of more than ~37 events outlasts the engine's 1.5 s downstream timeout.
const SATURATED = `
description: saturated fulfillment for the load
steps:
  - at: 0
    for: 17
    downstream: { serviceTimeMs: 20, serviceTimePerEventMs: 40, concurrency: 1, queueLimit: 4, queueTimeoutMs: 5000 }
`;

export function designsSuite(backend: Broker): void {
  describe(`designs on ${backend}`, () => {
    let stack: TestStack;
    let fulfillment: FastifyInstance;
    let running: Started | undefined;
    beforeAll(async () => {
      stack = await startTestStack(() => {}, { only: componentsOf(backend) });
      fulfillment = await startFulfillment({ host: HOST, port: stack.ports.fulfillment });
    });
    afterAll(async () => {
      if (running && process.env.HUNT_TEST_LOGS) console.log(running.logs.join('\n'));
      await running?.stop().catch(() => {});
      await fulfillment?.close();
      await stack?.stop();
    });
    const start = async (flags: Record<string, unknown>) => {
      await running?.stop();
      running = await startDesign(stack, backend, flags);
      return running;
    };
    const saturated = () =>
      runPlan(parsePlan(SATURATED, 'saturated.yaml', planTargets()), {
        run: runTargets(backend),
        toxiproxyUrl: toxiproxyUrl(stack.ports),
        downstreamControl: stackDownstreamControl(stack.ports),
      });

    test('saturated downstream: the naive backlog grows through the load and nothing is shed', async () => {
      const e = await start({ design: 'naive', backlogCritical: 60, backlogResume: 30 });
      const plan = saturated();
      const { answers, backlog } = await load(e, 40, 15);
      const chaos = await plan;
      expect(chaos.errors).toBe(0);
      const s = e.engine.status();
      expect(s.design).toBe('naive');
      expect(answers.filter((a) => a.status !== 202)).toEqual([]);
      expect(s.counts.shed.total).toBe(0);
      expect(s.counts.dlq.total).toBe(0);
      // Growing over the whole window: each third ends higher than the one before.
      const [a, b, c] = [backlog[4]!, backlog[9]!, backlog[13]!];
      expect([a < b, b < c]).toEqual([true, true]);
      expect(c).toBeGreaterThan(100);
      const f = (await fulfillment.inject({ url: '/status' })).json();
      expect(f.offered).toBeGreaterThan(f.served);
      expect(s.counts.downstream.retries).toBeGreaterThan(0);
      expect(s.breakers['downstream']?.opens).toBe(0);
    });

    test('saturated downstream: the hardened engine sheds with backlog-critical', async () => {
      const e = await start({ design: 'hardened', backlogCritical: 60, backlogResume: 30 });
      const plan = saturated();
      const { answers, backlog } = await load(e, 40, 15);
      expect((await plan).errors).toBe(0);
      const s = e.engine.status();
      const shed = answers.filter((a) => a.status === 503 && a.reason === 'backlog-critical');
      expect(shed.length).toBeGreaterThan(0);
      expect(s.counts.shed.byReason['backlog-critical']).toBe(shed.length);
      expect(s.breakers['backlog']?.opens).toBeGreaterThan(0);
      // Bounded: only requests already past admission overshoot the critical level.
      expect(Math.max(...backlog)).toBeLessThan(120);
    });

    test('naive: a poison event blocks its partition; the events behind it wait', async () => {
      const e = await start({ design: 'naive' });
      const hunts = Array.from({ length: 8 }, (_, i) => `h${i}`);
      for (const h of hunts) {
        expect(
          (await e.post(`/hunts/${h}/players`, { playerId: 'a', displayName: 'x' })).status,
        ).toBe(202);
      }
      await eventually('warm-up delivered', () => e.engine.status().counts.delivered === 8);
      const poison = await e.post('/hunts/h0/claims', { playerId: 'a', treasureId: 'nope' });
      expect(poison.status).toBe(202);
      await eventually('blocked', () => e.engine.status().backlog.blockedPartitions === 1);
      const after: string[] = [];
      for (const h of hunts) {
        const r = await e.post(`/hunts/${h}/players`, { playerId: 'b', displayName: 'y' });
        expect(r.status).toBe(202);
        after.push(r.body.id!);
      }
      // Where each event is: the poison's partition / shard, or another.
      const reader = createBackend(e.config, stack.paths, () => {}, 'hunt-design-reader');
      const where = new Map<string, string>();
      await reader.readAll(e.config.topic, (r) => {
        where.set(JSON.parse(r.value.toString()).id, r.source.split('@')[0]!);
      });
      await reader.close();
      const part = where.get(poison.body.id!)!;
      const behind = after.filter((id) => where.get(id) === part);
      const elsewhere = after.filter((id) => where.get(id) !== part);
      expect(behind.length).toBeGreaterThan(0);
      expect(elsewhere.length).toBeGreaterThan(0);
      if (backend === 'kinesis') {
        // Each shard is polled on its own: the other shard goes on.
        await eventually('other shards delivered', () =>
          elsewhere.every((id) => e.engine.model.has(id)),
        );
      }
      await new Promise((r) => setTimeout(r, 2000));
      expect(behind.filter((id) => e.engine.model.has(id))).toEqual([]);
      // kafkajs fetches per broker and waits for every batch of a fetch before the next: with
      // one broker, the stuck batch holds every partition (engine/README.md).
      if (backend === 'kafka') expect(elsewhere.filter((id) => e.engine.model.has(id))).toEqual([]);
      const stuck = backend === 'kafka' ? after.length : behind.length;
      const s = e.engine.status();
      expect(s.backlog.events).toBe(1 + stuck);
      expect(s.backlog.blockedPartitions).toBe(1);
      expect(s.counts.dlq.total).toBe(0);
      expect(e.logs.some((l) => l.includes('poison event blocks its partition'))).toBe(true);
    });
  });
}
