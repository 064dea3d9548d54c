import { afterEach, expect, test } from 'vitest';
import { json, memoryEngine, until } from '../testkit/engine.ts';
import type { RunningEngine } from './engine.ts';
import { DownstreamError } from './errors.ts';

let running: RunningEngine | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const post = (e: RunningEngine, url: string, body: unknown) =>
  e.app.inject({ method: 'POST', url, ...json(body) });

test('accepted events are applied exactly once and show in the read model', async () => {
  const { engine, broker } = await memoryEngine();
  running = engine;
  const ids = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const r = await post(engine, '/hunts/h1/players', {
      playerId: `p${i}`,
      displayName: `Spieler ${i} 🏴‍☠️`,
    });
    expect(r.statusCode).toBe(202);
    ids.add(r.json().id);
  }
  const claim = await post(engine, '/hunts/h1/claims', { playerId: 'p1', treasureId: 't1' });
  const order = await post(engine, '/orders', {
    playerId: 'p1',
    huntId: 'h1',
    treasureId: 't1',
    priceCents: 1500,
  });
  expect([claim.statusCode, order.statusCode]).toEqual([202, 202]);
  expect(ids.size).toBe(20);
  expect([...ids][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  await until(() => engine.status().counts.delivered === 22);

  // Redeliver everything: the read model must not change.
  const topic = broker.topic('hunt-events');
  const copies = topic.partitions
    .flat()
    .map((r) => ({ key: r.key, value: r.value, ts: r.brokerTs }));
  broker.append('hunt-events', copies);
  await until(() => engine.status().counts.duplicates === 22);

  const s = engine.status();
  expect(s.counts).toMatchObject({ accepted: 22, published: 22, delivered: 22, applied: 22 });
  expect(engine.model.appliedByType['player.joined']).toBe(20);
  expect(engine.model.treasure('t1')).toMatchObject({ remaining: 4, claims: 1, orders: 1 });
  expect(engine.model.leaderboard('h1').totalPlayers).toBe(20);
  const board = await engine.app.inject({ url: '/hunts/h1/leaderboard' });
  expect(board.json().players[0].displayName).toContain('Spieler');
});

test('poison events go to the DLQ with their reason, and nothing else does', async () => {
  const { engine, broker } = await memoryEngine();
  running = engine;
  await post(engine, '/hunts/h1/claims', { playerId: 'p1', treasureId: 'nope' });
  await post(engine, '/orders', { playerId: 'p1', huntId: 'h1', treasureId: 't2', priceCents: 1 });
  await post(engine, '/orders', {
    playerId: 'p1',
    huntId: 'h1',
    treasureId: 't2',
    priceCents: 250,
  });
  broker.append('hunt-events', [{ key: 'h1', value: Buffer.from('{not json'), ts: Date.now() }]);
  await until(() => engine.status().counts.dlq.total === 3);
  expect(engine.status().counts.dlq.byReason).toEqual({
    'unknown-treasure': 1,
    'price-mismatch': 1,
    'invalid-event': 1,
  });
  const entries = broker
    .topic('hunt-events-dlq')
    .partitions.flat()
    .map((r) => JSON.parse(r.value.toString()));
  expect(entries.map((e) => e.reason).sort()).toEqual([
    'invalid-event',
    'price-mismatch',
    'unknown-treasure',
  ]);
  const mismatch = entries.find((e) => e.reason === 'price-mismatch');
  expect(mismatch.event.payload).toEqual({ treasureId: 't2', priceCents: 1 });
  expect(entries.find((e) => e.reason === 'invalid-event').raw).toBe('{not json');
  expect(engine.status().counts.applied).toBe(1);
});

test('a hung broker opens the producer breaker; writes are shed, then it closes and nothing is lost', async () => {
  const { engine, broker } = await memoryEngine({ producerBreakerFailures: 2 });
  running = engine;
  broker.faults.hang = true;
  const first = await Promise.all(
    [1, 2].map((i) => post(engine, '/hunts/h1/players', { playerId: `a${i}`, displayName: 'x' })),
  );
  expect(first.map((r) => r.statusCode)).toEqual([504, 504]);
  await post(engine, '/hunts/h1/players', { playerId: 'a3', displayName: 'x' });
  await until(() => engine.status().breakers['producer']?.state === 'open', 2000, 'breaker open');
  const shed = await post(engine, '/hunts/h1/players', { playerId: 'b', displayName: 'x' });
  expect(shed.statusCode).toBe(503);
  expect(shed.json()).toEqual({ error: 'shed', reason: 'breaker-open' });
  expect(shed.headers['retry-after']).toBe('1');
  broker.faults.hang = false;
  await new Promise((r) => setTimeout(r, 350));
  const ok = await post(engine, '/hunts/h1/players', { playerId: 'c', displayName: 'x' });
  expect(ok.statusCode).toBe(202);
  const s = engine.status();
  expect(s.breakers['producer']).toMatchObject({ state: 'closed', opens: 1 });
  expect(s.counts.shed.byReason['breaker-open']).toBeGreaterThanOrEqual(1);
  expect(s.counts.failed.byReason['publish-timeout']).toBeGreaterThanOrEqual(2);
  // The timed-out writes were written after all (a 504 is ambiguous); 'c' must arrive too.
  await until(() => engine.model.leaderboard('h1').players.some((p) => p.playerId === 'c'));
  expect(engine.status().counts.delivered).toBeGreaterThanOrEqual(engine.status().counts.accepted);
});

test('a full producer queue sheds with queue-full instead of growing', async () => {
  const { engine, broker } = await memoryEngine({ maxQueue: 3, publishTimeoutMs: 500 });
  running = engine;
  broker.faults.hang = true;
  const rs = await Promise.all(
    [1, 2, 3, 4, 5].map((i) =>
      post(engine, '/hunts/h1/players', { playerId: `q${i}`, displayName: 'x' }),
    ),
  );
  const reasons = rs.filter((r) => r.statusCode === 503).map((r) => r.json().reason);
  expect(reasons).toEqual(['queue-full', 'queue-full']);
  broker.faults.hang = false;
});

test('a failing downstream pauses the consumer instead of filling the DLQ', async () => {
  let down = true;
  let calls = 0;
  const { engine } = await memoryEngine({ downstreamMaxAttempts: 3 }, async () => {
    calls++;
    if (down) throw new DownstreamError('connection refused', { retriable: true });
  });
  running = engine;
  for (let i = 0; i < 10; i++)
    await post(engine, '/hunts/h1/players', { playerId: `d${i}`, displayName: 'x' });
  await until(
    () => engine.status().breakers['downstream']?.state === 'open',
    2000,
    'downstream open',
  );
  await new Promise((r) => setTimeout(r, 600));
  let s = engine.status();
  expect(s.backlog.consumerPaused).toBe(true);
  expect(s.counts.dlq.total).toBe(0);
  expect(s.backlog.events).toBe(10);
  expect(calls).toBeLessThan(20); // probes only, no hammering
  down = false;
  await until(() => engine.status().counts.delivered === 10, 3000, 'drain');
  s = engine.status();
  expect(s.counts.dlq.total).toBe(0);
  expect(s.breakers['downstream']?.state).toBe('closed');
  expect(s.backlog.consumerPaused).toBe(false);
});

test('a downstream refusal dead-letters at once; flaky failures exhaust retries', async () => {
  let mode: 'refuse' | 'flaky' = 'refuse';
  let n = 0;
  const { engine } = await memoryEngine(
    { downstreamMaxAttempts: 3, downstreamBreakerFailures: 100 },
    async () => {
      if (mode === 'refuse') throw new DownstreamError('422 bad order', { retriable: false });
      n++;
      throw new DownstreamError('503', { retriable: true });
    },
  );
  running = engine;
  await post(engine, '/hunts/h1/players', { playerId: 'r', displayName: 'x' });
  await until(() => engine.status().counts.dlq.total === 1);
  mode = 'flaky';
  await post(engine, '/hunts/h1/players', { playerId: 'f', displayName: 'x' });
  await until(() => engine.status().counts.dlq.total === 2);
  expect(engine.status().counts.dlq.byReason).toEqual({
    'fulfillment-rejected': 1,
    'retries-exhausted': 1,
  });
  expect(n).toBe(3);
});

test('backlog admission sheds at the critical level and resumes below the resume level', async () => {
  let release: () => void = () => {};
  let gate = new Promise<void>((r) => {
    release = r;
  });
  const { engine, alerts } = await memoryEngine(
    { backlogCritical: 5, backlogResume: 2, alertBacklog: 3, alertBacklogForS: 0 },
    () => gate,
  );
  running = engine;
  const codes: number[] = [];
  for (let i = 0; i < 8; i++) {
    codes.push(
      (await post(engine, '/hunts/h1/players', { playerId: `k${i}`, displayName: 'x' })).statusCode,
    );
  }
  expect(codes).toEqual([202, 202, 202, 202, 202, 503, 503, 503]);
  expect(engine.status().breakers['backlog']?.state).toBe('open');
  await until(
    () => alerts.some((a) => a.labels['alertname'] === 'HuntBacklogCritical'),
    3000,
    'alert',
  );
  expect(engine.status().alerts.map((a) => a.name)).toContain('HuntBacklogCritical');
  release();
  gate = Promise.resolve();
  await until(() => engine.status().counts.delivered === 5);
  const r = await post(engine, '/hunts/h1/players', { playerId: 'z', displayName: 'x' });
  expect(r.statusCode).toBe(202);
  expect(engine.status().breakers['backlog']).toMatchObject({ state: 'closed', opens: 1 });
});

test('stop lets in-flight writes finish and refuses new ones', async () => {
  const { engine, broker } = await memoryEngine({ publishTimeoutMs: 2000 });
  broker.faults.hang = true;
  const inflight = post(engine, '/hunts/h1/players', { playerId: 's', displayName: 'x' });
  await new Promise((r) => setTimeout(r, 30));
  const stopping = engine.stop();
  setTimeout(() => {
    broker.faults.hang = false;
  }, 100);
  expect((await inflight).statusCode).toBe(202);
  await stopping;
  expect(engine.status().state).toBe('stopping');
});

test('a producer-only instance (consume: false) publishes but never reads the topic', async () => {
  const { engine: producer, broker } = await memoryEngine({ consume: false });
  running = producer;
  for (let i = 0; i < 5; i++)
    expect(
      (await post(producer, '/hunts/h1/players', { playerId: `p${i}`, displayName: 'x' }))
        .statusCode,
    ).toBe(202);
  expect(broker.topic('hunt-events').partitions.flat()).toHaveLength(5);
  await new Promise((r) => setTimeout(r, 200));
  const s = producer.status();
  expect(s.consuming).toBe(false);
  expect(s.counts).toMatchObject({ accepted: 5, consumed: 0, delivered: 0 });
  expect(s.backlog).toMatchObject({ events: 5, broker: null });
  expect(producer.model.appliedByType['player.joined'] ?? 0).toBe(0);
});
