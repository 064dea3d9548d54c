/**
 * Producers that fall behind, once per backend (producer-backlog-kafka.test.ts,
 * producer-backlog-kinesis.test.ts): a broker held below the offered rate by its own quota
 * (Kafka's client quota, producer_byte_rate; the Kinesis quota layer at a small multiplier)
 * grows the naive engine's producer-side backlog (boundedQueue off: no queue-full, writes
 * wait), while the hardened engine sheds and keeps its queue within maxQueue. Every 202 is in
 * the topic: the engine answers only after the broker's ack.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { QuotaSetting } from '../../chaos/faults/types.ts';
import { startFulfillment } from '../../engine/fulfillment/server.ts';
import { HOST } from '../../stack/config.ts';
import { stackQuotaControl } from '../../system/chaos.ts';
import { createBackend } from '../../system/engine.ts';
import { type Broker, type Started, startDesign } from './designs-suite.ts';
import { eventually } from './engine-harness.ts';
import { componentsOf, startTestStack, type TestStack } from './stack-fixture.ts';

export interface BacklogCase {
  /** The quota that holds the broker below the offered rate. */
  quota: QuotaSetting;
  /** Requests/s offered, and for how long. */
  rate: number;
  seconds: number;
  /** Engine settings both designs share (batching, in-flight calls). */
  engine: Record<string, unknown>;
  /** Which figure of /status `producer` the client can tell (platformatic: the ms alone). */
  throttleFigure?: 'throttled' | 'throttleMs';
}

/** The hardened engine's bound on its producer queue in these tests. */
const MAX_QUEUE = 100;

/** Posts joins at `rate`/s for `seconds` (open model), sampling the engine's status every 100 ms. */
async function load(e: Started, rate: number, seconds: number) {
  const answers: Promise<{ status: number; reason?: string; id?: string }>[] = [];
  const queue: number[] = [];
  let i = 0;
  const shoot = setInterval(() => {
    const n = i++;
    answers.push(
      e
        .post(`/hunts/h${n % 8}/players`, { playerId: `p${n}`, displayName: 'x' })
        .then((r) => ({ status: r.status, reason: r.body.reason, id: r.body.id }))
        .catch(() => ({ status: 0 })),
    );
  }, 1000 / rate);
  const sample = setInterval(() => queue.push(e.engine.status().backlog.producerQueue), 100);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(shoot);
  return {
    queue,
    /** Every answer, once the broker let the rest through; sampling goes on until then. */
    async settled() {
      const all = await Promise.all(answers);
      clearInterval(sample);
      return all;
    },
  };
}

export function producerBacklogSuite(backend: Broker, c: BacklogCase): void {
  describe(`producers that fall behind on ${backend}`, () => {
    let stack: TestStack;
    let fulfillment: FastifyInstance;
    let running: Started | undefined;
    const quota = (s: QuotaSetting) => stackQuotaControl(stack.paths, stack.ports).set(backend, s);
    beforeAll(async () => {
      stack = await startTestStack(() => {}, { only: componentsOf(backend) });
      fulfillment = await startFulfillment({ host: HOST, port: stack.ports.fulfillment });
    });
    afterAll(async () => {
      if (running && process.env.HUNT_TEST_LOGS) console.log(running.logs.join('\n'));
      await running?.stop().catch(() => {});
      await quota({ mode: 'off', multiplier: 1 }).catch(() => {});
      await fulfillment?.close();
      await stack?.stop();
    });

    /** One design under the quota: the load, its answers, and the ids in the topic. */
    async function underQuota(design: 'naive' | 'hardened') {
      await running?.stop();
      running = await startDesign(stack, backend, {
        design,
        maxQueue: MAX_QUEUE,
        ...c.engine,
      });
      const e = running;
      await quota(c.quota);
      const l = await load(e, c.rate, c.seconds);
      const atEnd = e.engine.status();
      // Lifted, so that what the naive engine still holds reaches the broker and is answered.
      await quota({ mode: 'off', multiplier: 1 });
      const answers = await l.settled();
      await eventually('the producer queue to empty', () => {
        return e.engine.status().backlog.producerQueue === 0;
      });
      const inTopic = new Set<string>();
      const reader = createBackend(
        e.config,
        stack.paths,
        () => {},
        `hunt-backlog-reader-${design}`,
      );
      await reader.readAll(e.config.topic, (r) => {
        inTopic.add(JSON.parse(r.value.toString()).id);
      });
      await reader.close();
      const s = e.engine.status();
      const accepted = answers.filter((a) => a.status === 202);
      const peak = Math.max(...l.queue);
      console.log(
        `${backend} ${design}: ${answers.length} offered, ${accepted.length} accepted, producer queue peak ${peak}, ` +
          `shed ${JSON.stringify(s.counts.shed.byReason)}, failed ${JSON.stringify(s.counts.failed.byReason)}, ` +
          `throttled ${s.producer.throttled} records / ${s.producer.throttleMs} ms`,
      );
      // Ack before 202: every accepted id is in the topic.
      expect(accepted.filter((a) => !inTopic.has(a.id!))).toEqual([]);
      return { answers, queue: l.queue, peak, atEnd, s };
    }

    test('naive: the producer queue grows far past the hardened bound; nothing is shed queue-full', async () => {
      const r = await underQuota('naive');
      expect(r.s.design).toBe('naive');
      expect(r.s.switches.boundedQueue).toBe(false);
      expect(r.peak).toBeGreaterThan(3 * MAX_QUEUE);
      // Growing through the load: its last second above its first.
      const perS = 10;
      expect(r.queue[c.seconds * perS - 1]!).toBeGreaterThan(r.queue[perS]!);
      expect(r.s.counts.shed.byReason['queue-full'] ?? 0).toBe(0);
      expect(r.answers.filter((a) => a.reason === 'queue-full')).toEqual([]);
      // The broker's quota was met, and the engine says so.
      expect(r.s.producer[c.throttleFigure ?? 'throttled']).toBeGreaterThan(0);
    }, 90_000);

    test('hardened: the same quota makes it shed; its queue never exceeds maxQueue', async () => {
      const r = await underQuota('hardened');
      expect(r.s.switches.boundedQueue).toBe(true);
      expect(r.peak).toBeLessThanOrEqual(MAX_QUEUE);
      const shed =
        (r.s.counts.shed.byReason['queue-full'] ?? 0) +
        (r.s.counts.shed.byReason['breaker-open'] ?? 0);
      expect(shed).toBeGreaterThan(0);
      expect(r.answers.filter((a) => a.status === 503 && a.reason).length).toBe(
        r.s.counts.shed.total,
      );
    }, 90_000);
  });
}
