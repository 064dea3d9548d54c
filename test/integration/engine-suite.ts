/**
 * The engine's integration tests, run once per real backend (engine-kafka.test.ts,
 * engine-kinesis.test.ts): exactly-once in the read model, poison to the DLQ, a blackholed
 * broker, a downed fulfillment service, and the bad-input table over real HTTP.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readDlq } from '../../engine/dlq/inspect.ts';
import { HOST } from '../../stack/config.ts';
import { BAD_INPUTS } from '../../testkit/bad-input.ts';
import {
  type EngineHarness,
  eventually,
  expectDrained,
  idsIn,
  startEngineHarness,
} from './engine-harness.ts';

export function engineSuite(
  backend: 'kafka' | 'kinesis',
  /** Engine settings the suite runs under, e.g. another Kafka producer client. */
  extra: Record<string, unknown> = {},
): void {
  const label = Object.entries(extra)
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  describe(`engine on ${backend}${label}`, () => {
    let h: EngineHarness;
    const accepted = new Set<string>();
    beforeAll(async () => {
      h = await startEngineHarness(backend, extra);
    });
    afterAll(async () => {
      if (h && process.env.HUNT_TEST_LOGS) console.log(h.logs.join('\n'));
      await h?.stop();
    });

    const write = async (i: number) => {
      const kinds = [
        ['/hunts/h1/players', { playerId: `p${i}`, displayName: `Spieler ${i} ✨` }],
        ['/hunts/h1/clues', { playerId: `p${i}`, clueId: 'c1', answer: 'lighthouse' }],
        ['/hunts/h2/claims', { playerId: `p${i}`, treasureId: 't3' }],
        ['/orders', { playerId: `p${i}`, huntId: 'h1', treasureId: 't2', priceCents: 250 }],
      ] as const;
      const [path, body] = kinds[i % kinds.length]!;
      const r = await h.post(path, body);
      if (r.status === 202) accepted.add(r.body.id!);
      return r;
    };

    test('accepted events are consumed exactly once into the read model', async () => {
      const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => write(i)));
      expect(rs.filter((r) => r.status === 202)).toHaveLength(200);
      await eventually('all delivered', () => h.engine.status().counts.delivered === 200);
      const s = h.engine.status();
      expect(s.counts).toMatchObject({ accepted: 200, applied: 200, duplicates: 0 });
      expect(Object.values(h.engine.model.appliedByType).reduce((a, b) => a + b)).toBe(200);
      expect(h.engine.model.treasure('t3')).toMatchObject({
        stock: 2,
        remaining: 0,
        claims: 2,
        soldOut: 48,
      });
      const ids = await idsIn(h.reader, h.config.topic);
      expect([...accepted].filter((id) => !ids.has(id))).toEqual([]);
      await eventually(
        'broker lag measured',
        () => h.engine.status().backlog.broker?.value === 0,
        10_000,
      );
    });

    test('poison events reach the DLQ with their reason', async () => {
      const before = h.engine.status().counts.dlq.total;
      const bad1 = await h.post('/hunts/h1/claims', {
        playerId: 'px',
        treasureId: 'no-such-treasure',
      });
      const bad2 = await h.post('/orders', {
        playerId: 'px',
        huntId: 'h1',
        treasureId: 't1',
        priceCents: 1,
      });
      expect([bad1.status, bad2.status]).toEqual([202, 202]);
      accepted.add(bad1.body.id!).add(bad2.body.id!);
      await eventually('dead-lettered', () => h.engine.status().counts.dlq.total === before + 2);
      const { entries } = await readDlq(h.reader, h.config.dlqTopic);
      const byId = new Map(entries.map((e) => [e.event?.id, e]));
      expect(byId.get(bad1.body.id)).toMatchObject({ reason: 'unknown-treasure', attempts: 0 });
      expect(byId.get(bad2.body.id)).toMatchObject({
        reason: 'price-mismatch',
        event: { payload: { priceCents: 1 } },
      });
      await expectDrained(h, accepted);
    });

    test('bad input gets its 4xx and produces nothing', async () => {
      const before = h.engine.status().counts.accepted;
      for (const c of BAD_INPUTS) {
        const r = await fetch(`${h.engine.url}${c.url}`, {
          method: c.method,
          ...(c.body === undefined
            ? {}
            : { body: c.body, headers: { 'content-type': c.contentType ?? 'application/json' } }),
        });
        expect({
          name: c.name,
          status: r.status,
          error: ((await r.json()) as { error: string }).error,
        }).toEqual({
          name: c.name,
          status: c.status,
          error: c.error,
        });
      }
      expect(h.engine.status().counts.accepted).toBe(before);
    });

    test('a blackholed broker opens the producer breaker; writes shed with 503; nothing accepted is lost', async () => {
      const proxy = await h.toxiproxy.get(backend);
      const toxics = await Promise.all(
        (['upstream', 'downstream'] as const).map((stream) =>
          proxy.addToxic({
            name: `blackhole-${stream}`,
            type: 'timeout',
            stream,
            toxicity: 1,
            attributes: { timeout: 0 },
          }),
        ),
      );
      const t0 = Date.now();
      const statuses: number[] = [];
      const reasons: string[] = [];
      let i = 1000;
      const load = async (untilMs: number) => {
        while (Date.now() < untilMs) {
          const r = await write(i++);
          statuses.push(r.status);
          if (r.status === 503) reasons.push(r.body.reason ?? r.body.error!);
        }
      };
      const opened = eventually(
        'producer breaker open',
        () => h.engine.status().breakers['producer']?.state === 'open',
        8000,
      );
      await Promise.all([
        load(Date.now() + 5000),
        load(Date.now() + 5000),
        load(Date.now() + 5000),
      ]);
      const openedAfterMs = await opened;
      // On a stalled host the breaker may open near the end of the 5 s, when the writers are
      // all still waiting out their publish timeout: a second more of load meets it open.
      if (!reasons.includes('breaker-open'))
        await Promise.all([load(Date.now() + 1000), load(Date.now() + 1000)]);
      console.log(
        `${backend}: producer breaker opened ${openedAfterMs} ms after the blackhole; answers ${JSON.stringify(tally(statuses))}, 503 reasons ${JSON.stringify(tally(reasons))}`,
      );
      expect(openedAfterMs).toBeLessThan(6000);
      expect(reasons).toContain('breaker-open');
      expect(Date.now() - t0).toBeGreaterThan(4000);
      for (const t of toxics) await t.remove();

      await eventually(
        'producer breaker closed',
        async () => {
          await write(i++);
          return h.engine.status().breakers['producer']?.state === 'closed';
        },
        30_000,
      );
      const after = await write(i++);
      expect(after.status).toBe(202);
      await eventually('drained', () => h.engine.status().backlog.events === 0, 30_000);
      await expectDrained(h, accepted);
      const ids = await idsIn(h.reader, h.config.topic);
      expect([...accepted].filter((id) => !ids.has(id))).toEqual([]);
      expect(h.engine.status().breakers['producer']?.opens).toBeGreaterThanOrEqual(1);
    });

    test('with the downstream proxy down the consumer pauses and the DLQ does not fill', async () => {
      const proxy = await h.toxiproxy.get('downstream');
      const dlqBefore = h.engine.status().counts.dlq.total;
      await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
      try {
        const rs = await Promise.all(Array.from({ length: 40 }, (_, k) => write(5000 + k)));
        expect(rs.every((r) => r.status === 202)).toBe(true);
        await eventually('consumer paused', () => h.engine.status().backlog.consumerPaused, 10_000);
        expect(h.engine.status().breakers['downstream']?.state).not.toBe('closed');
        await new Promise((r) => setTimeout(r, 3000));
        const s = h.engine.status();
        expect(s.counts.dlq.total).toBe(dlqBefore);
        expect(s.backlog.events).toBeGreaterThan(0);
        // The broker's side sees the stalled consumer too, not only the engine's counts.
        await eventually(
          'broker lag above 0 while paused',
          () => (h.engine.status().backlog.broker?.value ?? 0) > 0,
          5_000,
        );
        const lag = h.engine.status().backlog.broker!;
        expect(lag.kind).toBe(backend === 'kafka' ? 'offset-lag' : 'age-ms');
        // Kafka counts the records behind; Kinesis the age of the oldest, at least the pause.
        if (backend === 'kinesis') expect(lag.value).toBeGreaterThanOrEqual(3000);
        console.log(`${backend}: broker lag while paused ${JSON.stringify(lag)}`);
      } finally {
        await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
      }
      await eventually(
        'drained after downstream is back',
        () => h.engine.status().backlog.events === 0,
        20_000,
      );
      expect(h.engine.status().counts.dlq.total).toBe(dlqBefore);
      expect(h.engine.status().backlog.consumerPaused).toBe(false);
      await eventually(
        'broker lag back to 0',
        () => h.engine.status().backlog.broker?.value === 0,
        10_000,
      );
      await expectDrained(h, accepted);
    });

    // Responses lost on the way back (requests still reach the broker): the client retries
    // the same batch, and only an idempotent producer keeps that from writing it twice.
    test.runIf(backend === 'kafka')(
      'lost produce responses: retried batches are written once, by an idempotent producer',
      async () => {
        // A first write, so that the producer knows the topic's leaders before the toxic.
        const since = Date.now();
        expect((await write(6999)).status).toBe(202);
        const proxy = await h.toxiproxy.get('kafka');
        const lost = await proxy.addToxic({
          name: 'lose-responses',
          type: 'timeout',
          stream: 'downstream',
          toxicity: 1,
          attributes: { timeout: 0 },
        });
        const during = await Promise.all([
          h.post('/hunts/h9/players', { playerId: 'lost-1', displayName: 'x' }),
          h.post('/hunts/h9/players', { playerId: 'lost-2', displayName: 'x' }),
        ]);
        // Back after kafkajs timed out and retried the same batch, before it gives up.
        await new Promise((r) => setTimeout(r, 400));
        await lost.remove();
        expect(during.map((r) => r.status)).toEqual([504, 504]);
        let i = 7000;
        await eventually(
          'writes accepted again',
          async () => (await write(i++)).status === 202,
          30_000,
        );
        const players = new Map<string, number>();
        const copies = new Map<string, number>();
        const producerIds = new Set<string>();
        await eventually(
          'the lost-response writes landed',
          async () => {
            players.clear();
            copies.clear();
            await readBatches(h, (event, producerId) => {
              // This test's own writes: earlier tests' faults are theirs to account for.
              if (event.ts < since) return;
              producerIds.add(producerId);
              copies.set(event.id, (copies.get(event.id) ?? 0) + 1);
              if (event.huntId !== 'h9') return;
              players.set(event.playerId, (players.get(event.playerId) ?? 0) + 1);
            });
            return players.size === 2;
          },
          30_000,
        );
        expect(Object.fromEntries(players)).toEqual({ 'lost-1': 1, 'lost-2': 1 });
        expect([...copies].filter(([, n]) => n > 1)).toEqual([]);
        // Kafka stores the producer id in each batch; a non-idempotent producer writes -1.
        expect([...producerIds].filter((id) => Number(id) < 0)).toEqual([]);
      },
    );
  });
}

/** Every record of the engine's topic, straight from Kafka, with its batch's producer id. */
async function readBatches(
  h: EngineHarness,
  onRecord: (
    event: { id: string; huntId: string; playerId: string; ts: number },
    producerId: string,
  ) => void,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'it-batches',
    brokers: [`${HOST}:${h.stack.ports.kafka}`],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(h.config.topic);
  await admin.disconnect();
  const waiting = new Set(ends.filter((e) => Number(e.high) > 0).map((e) => e.partition));
  const high = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  if (waiting.size === 0) return;
  const consumer = kafka.consumer({ groupId: `it-batches-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: h.config.topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    setTimeout(() => reject(new Error(`reading ${h.config.topic} took over 20 s`)), 20_000).unref();
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const ctx = (message as unknown as { batchContext: { producerId: string } }).batchContext;
        onRecord(JSON.parse(message.value!.toString()), ctx.producerId);
        if (Number(message.offset) + 1 >= high.get(partition)!) waiting.delete(partition);
        if (waiting.size === 0) resolve();
      },
    });
  }).finally(() => consumer.disconnect());
}

function tally(xs: (string | number)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
