import { afterEach, expect, test } from 'vitest';
import { hashKey } from '../drivers/memory/backend.ts';
import { json, memoryEngine, until } from '../testkit/engine.ts';
import { defaultConfig, resolveEngineConfig } from './config.ts';
import { DESIGNS, type Switches } from './designs.ts';
import type { RunningEngine } from './engine.ts';
import { DownstreamError } from './errors.ts';

const defaults = defaultConfig({
  engine: 8080,
  kafka: '127.0.0.1:19094',
  kinesis: 'http://127.0.0.1:14567',
  fulfillment: 'http://127.0.0.1:18081',
});
const switchesOf = (c: Switches) => ({
  admissionBreaker: c.admissionBreaker,
  producerBreaker: c.producerBreaker,
  downstreamBreaker: c.downstreamBreaker,
  dlq: c.dlq,
  backlogAlert: c.backlogAlert,
  boundedQueue: c.boundedQueue,
});

test('the default design is hardened: every switch on', () => {
  const c = resolveEngineConfig({ defaults, flags: { backend: 'kafka' } });
  expect(c.design).toBe('hardened');
  expect(switchesOf(c)).toEqual(DESIGNS.hardened);
});

test('naive turns every switch off; a switch set explicitly, from any source, overrides it', () => {
  const naive = resolveEngineConfig({ defaults, flags: { backend: 'kafka', design: 'naive' } });
  expect(switchesOf(naive)).toEqual(DESIGNS.naive);
  const c = resolveEngineConfig({
    defaults,
    file: { design: 'naive', backlogAlert: true },
    env: { HUNT_ENGINE_DLQ: 'true' },
    flags: { backend: 'kafka', admissionBreaker: 'true' },
  });
  expect(switchesOf(c)).toEqual({
    ...DESIGNS.naive,
    admissionBreaker: true,
    dlq: true,
    backlogAlert: true,
  });
  const h = resolveEngineConfig({
    defaults,
    flags: { backend: 'kafka', design: 'hardened', downstreamBreaker: '0' },
  });
  expect(switchesOf(h)).toEqual({ ...DESIGNS.hardened, downstreamBreaker: false });
});

test('boundedQueue: on in hardened, off in naive, and set on its own from any source', () => {
  expect(DESIGNS.hardened.boundedQueue).toBe(true);
  expect(DESIGNS.naive.boundedQueue).toBe(false);
  const flag = resolveEngineConfig({
    defaults,
    flags: { backend: 'kafka', design: 'naive', boundedQueue: 'true' },
  });
  expect(switchesOf(flag)).toEqual({ ...DESIGNS.naive, boundedQueue: true });
  const env = resolveEngineConfig({
    defaults,
    env: { HUNT_ENGINE_BOUNDED_QUEUE: '0' },
    flags: { backend: 'kafka' },
  });
  expect(switchesOf(env)).toEqual({ ...DESIGNS.hardened, boundedQueue: false });
  expect(() =>
    resolveEngineConfig({ defaults, flags: { backend: 'kafka', boundedQueue: 'sometimes' } }),
  ).toThrow(/boundedQueue \(flag\): .*boolean/);
});

test('heapMiB is a setting of its own, checked like the others', () => {
  expect(
    resolveEngineConfig({ defaults, flags: { backend: 'kafka', heapMiB: '96' } }).heapMiB,
  ).toBe(96);
  expect(resolveEngineConfig({ defaults, flags: { backend: 'kafka' } }).heapMiB).toBeUndefined();
  expect(() =>
    resolveEngineConfig({ defaults, flags: { backend: 'kafka', heapMiB: '8' } }),
  ).toThrow(/heapMiB \(flag\)/);
});

test.each([
  [{ design: 'fragile' }, /design \(flag\)/],
  [{ dlq: 'maybe' }, /dlq \(flag\): .*boolean/],
])('bad design settings are refused, naming the key: %j', (flags, message) => {
  expect(() => resolveEngineConfig({ defaults, flags: { backend: 'kafka', ...flags } })).toThrow(
    message,
  );
});

let running: RunningEngine | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
const post = (e: RunningEngine, url: string, body: unknown) =>
  e.app.inject({ method: 'POST', url, ...json(body) });

test('naive: a slow downstream grows the backlog without shedding or alerting; failures and refusals are retried past maxAttempts', async () => {
  let fail: 'none' | 'transient' | 'refuse' = 'transient';
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const { engine, alerts } = await memoryEngine(
    {
      design: 'naive',
      backlogCritical: 3,
      backlogResume: 1,
      alertBacklog: 2,
      alertBacklogForS: 0,
      downstreamMaxAttempts: 2,
    },
    async () => {
      if (fail === 'transient') throw new DownstreamError('503', { retriable: true });
      if (fail === 'refuse') throw new DownstreamError('422', { retriable: false });
      await gate;
    },
  );
  running = engine;
  const codes: number[] = [];
  for (let i = 0; i < 8; i++) {
    codes.push(
      (await post(engine, '/hunts/h1/players', { playerId: `n${i}`, displayName: 'x' })).statusCode,
    );
  }
  expect(codes).toEqual(Array(8).fill(202));
  // More failures than 4 partitions' batches × maxAttempts could ever make: retried past it.
  await until(() => engine.status().counts.downstream.failures >= 20, 3000, 'retries');
  fail = 'refuse';
  const before = engine.status().counts.downstream.failures;
  await until(() => engine.status().counts.downstream.failures >= before + 20, 3000, 'refusals');
  fail = 'none';
  await new Promise((r) => setTimeout(r, 1100)); // one alert tick
  let s = engine.status();
  expect(s.design).toBe('naive');
  expect(s.switches).toEqual(DESIGNS.naive);
  expect(s.counts.dlq.total).toBe(0);
  expect(s.counts.shed.total).toBe(0);
  expect(s.breakers['downstream']?.state).toBe('closed');
  expect(s.breakers['backlog']?.state).toBe('closed');
  expect(s.backlog.events).toBe(8);
  expect(s.alerts.map((a) => a.name)).not.toContain('HuntBacklogCritical');
  expect(alerts).toEqual([]);
  release();
  await until(() => engine.status().counts.delivered === 8, 3000, 'drain');
  s = engine.status();
  expect(s.counts.dlq.total).toBe(0);
  const d = s.counts.downstream;
  expect(d.failures).toBeGreaterThanOrEqual(40);
  // Every call but each batch's first is a retry; every failed call was retried.
  expect(d.retries).toBeGreaterThanOrEqual(d.failures);
  expect(d.calls - d.retries).toBeGreaterThanOrEqual(1);
});

test('hardened: downstream calls, retries and failures are counted', async () => {
  let n = 0;
  const { engine } = await memoryEngine({ downstreamBreakerFailures: 100 }, async () => {
    if (n++ < 2) throw new DownstreamError('503', { retriable: true });
  });
  running = engine;
  await post(engine, '/hunts/h1/players', { playerId: 'c', displayName: 'x' });
  await until(() => engine.status().counts.delivered === 1);
  expect(engine.status().counts.downstream).toEqual({ calls: 3, retries: 2, failures: 2 });
  expect(engine.status().switches).toEqual(DESIGNS.hardened);
});

test('naive: a poison event blocks its partition; other partitions go on', async () => {
  // Two hunts whose keys land on different partitions of the memory broker's 4.
  const blocked = 'h1';
  const other = ['h2', 'h3', 'h4', 'h5'].find((h) => hashKey(h) % 4 !== hashKey(blocked) % 4)!;
  const { engine } = await memoryEngine({ design: 'naive' });
  running = engine;
  const ok = async (hunt: string, p: string) =>
    (await post(engine, `/hunts/${hunt}/players`, { playerId: p, displayName: 'x' })).statusCode;
  expect(await ok(blocked, 'before')).toBe(202);
  await until(() => engine.status().counts.delivered === 1);
  const poison = await post(engine, `/hunts/${blocked}/claims`, {
    playerId: 'p',
    treasureId: 'nope',
  });
  expect(poison.statusCode).toBe(202);
  await until(() => engine.status().backlog.blockedPartitions === 1, 3000, 'blocked');
  for (let i = 0; i < 3; i++) expect(await ok(blocked, `behind${i}`)).toBe(202);
  for (let i = 0; i < 3; i++) expect(await ok(other, `elsewhere${i}`)).toBe(202);
  await until(() => engine.status().counts.delivered === 4, 3000, 'other partition');
  await new Promise((r) => setTimeout(r, 300));
  const s = engine.status();
  expect(s.counts.delivered).toBe(4);
  expect(s.backlog.events).toBe(4); // the poison event and the three behind it
  expect(s.counts.dlq.total).toBe(0);
  expect(engine.model.leaderboard(blocked).totalPlayers).toBe(1);
  expect(engine.model.leaderboard(other).totalPlayers).toBe(3);
});

/** 20 writes at once to an engine (maxQueue 5) whose broker hangs until the test lets it go. */
async function hungBurst(o: Parameters<typeof memoryEngine>[0]) {
  const { engine, broker } = await memoryEngine({ maxQueue: 5, maxBatch: 2, maxInFlight: 1, ...o });
  running = engine;
  broker.faults.hang = true;
  const answers = Array.from({ length: 20 }, (_, i) =>
    post(engine, '/hunts/h1/players', { playerId: `q${i}`, displayName: 'x' }),
  );
  return { engine, broker, answers };
}

test('naive (boundedQueue off): a hung broker grows the producer queue past maxQueue; writes wait, none is shed or timed out', async () => {
  const { engine, broker, answers } = await hungBurst({ design: 'naive', publishTimeoutMs: 50 });
  await until(() => engine.status().backlog.producerQueue === 20, 3000, 'queue');
  // Well past publishTimeoutMs: still waiting, still queued.
  await new Promise((r) => setTimeout(r, 300));
  let s = engine.status();
  expect(s.backlog.producerQueue).toBe(20);
  expect(s.counts.shed.total).toBe(0);
  expect(s.counts.failed.total).toBe(0);
  expect(s.producer).toEqual({ throttled: 0, throttleMs: 0 });
  broker.faults.hang = false;
  const codes = (await Promise.all(answers)).map((r) => r.statusCode);
  expect(codes).toEqual(Array(20).fill(202));
  s = engine.status();
  expect(s.backlog.producerQueue).toBe(0);
  expect(s.counts.accepted).toBe(20);
});

test('hardened (boundedQueue on): the same hung broker sheds queue-full at maxQueue', async () => {
  const { engine, broker, answers } = await hungBurst({
    publishTimeoutMs: 2000,
    producerBreakerFailures: 100,
  });
  await until(() => engine.status().counts.shed.total === 15, 3000, 'sheds');
  const s = engine.status();
  expect(s.backlog.producerQueue).toBe(5);
  expect(s.counts.shed.byReason).toEqual({ 'queue-full': 15 });
  broker.faults.hang = false;
  const shed = (await Promise.all(answers)).filter((r) => r.statusCode === 503);
  expect(shed).toHaveLength(15);
  expect(shed[0]!.headers['retry-after']).toBeDefined();
  expect(shed[0]!.json()).toMatchObject({ error: 'shed', reason: 'queue-full' });
});
