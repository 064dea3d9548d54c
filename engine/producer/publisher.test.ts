import { CircuitState } from 'cockatiel';
import { expect, test, vi } from 'vitest';
import type { BackendProducer, OutRecord } from '../backend.ts';
import { BrokerError, httpOf, PublishTimeoutError, ShedError } from '../errors.ts';
import { Publisher, type PublisherOptions, producerBreaker } from './publisher.ts';

type Outcomes = (Error | undefined)[];

/** A producer whose calls stay open until the test settles them. */
function manualProducer() {
  const calls: { records: OutRecord[]; settle: (o: Outcomes) => void }[] = [];
  let active = 0;
  let maxActive = 0;
  const producer: BackendProducer = {
    send: (records) =>
      new Promise<Outcomes>((resolve) => {
        active++;
        maxActive = Math.max(maxActive, active);
        calls.push({
          records,
          settle: (o) => {
            active--;
            resolve(o);
          },
        });
      }),
  };
  return { producer, calls, maxActive: () => maxActive };
}

function publisher(producer: BackendProducer, o: Partial<PublisherOptions> = {}) {
  const opts: PublisherOptions = {
    maxQueue: 100,
    maxBatch: 1,
    lingerMs: 0,
    maxInFlight: 1,
    publishTimeoutMs: 50,
    breakerFailures: 100,
    breakerHalfOpenAfterMs: 10_000,
    ...o,
  };
  return new Publisher(producer, producerBreaker(opts), opts);
}

const rec = (key: string): OutRecord => ({ key, value: Buffer.from(key), ts: 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(5);
};

test('a timed-out call keeps its in-flight slot and its depth until the broker call settles', async () => {
  const m = manualProducer();
  const p = publisher(m.producer);
  const first = p.publish(rec('a'));
  await expect(first).rejects.toBeInstanceOf(PublishTimeoutError);
  // The hung call may still land: it is still in flight, and counted.
  expect({ depth: p.depth, inFlight: p.inFlight, calls: m.calls.length }).toEqual({
    depth: 1,
    inFlight: 1,
    calls: 1,
  });
  const second = p.publish(rec('b'));
  expect(p.depth).toBe(2);
  // No slot came free: the second record is never sent, and says so.
  await expect(second).rejects.toThrow(/not sent/);
  expect(m.calls).toHaveLength(1);
  expect(p.depth).toBe(1);
  m.calls[0]!.settle([undefined]);
  await sleep(5);
  expect({ depth: p.depth, inFlight: p.inFlight }).toEqual({ depth: 0, inFlight: 0 });
  const third = p.publish(rec('c'));
  await sleep(5);
  m.calls[1]!.settle([undefined]);
  await expect(third).resolves.toBeUndefined();
  expect(m.maxActive()).toBe(1);
});

test('flush waits for answers, not for a hung call', async () => {
  const m = manualProducer();
  const p = publisher(m.producer);
  const a = p.publish(rec('a')).catch((e) => e);
  await p.flush();
  expect(await a).toBeInstanceOf(PublishTimeoutError);
  expect(p.inFlight).toBe(1);
});

test('records left unacknowledged fail the call for the breaker; acked ones stay acked', async () => {
  const m = manualProducer();
  const p = publisher(m.producer, { maxBatch: 2, lingerMs: 5, breakerFailures: 2 });
  for (let round = 0; round < 2; round++) {
    const rs = [p.publish(rec('ok')), p.publish(rec('throttled'))];
    await sleep(20);
    m.calls[round]!.settle([undefined, new BrokerError('ProvisionedThroughputExceededException')]);
    const [ok, bad] = await Promise.allSettled(rs);
    expect(ok?.status).toBe('fulfilled');
    expect(bad?.status).toBe('rejected');
  }
  expect(p.breaker.state).toBe(CircuitState.Open);
  await expect(p.publish(rec('x'))).rejects.toMatchObject({ reason: 'breaker-open' });
});

test('a call answering fewer outcomes than records acknowledges none of them', async () => {
  const m = manualProducer();
  const p = publisher(m.producer, { maxBatch: 2, lingerMs: 5 });
  const rs = [p.publish(rec('a')), p.publish(rec('b'))];
  await sleep(20);
  m.calls[0]!.settle([undefined]);
  const out = await Promise.allSettled(rs);
  expect(out.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  expect((out[0] as PromiseRejectedResult).reason).toBeInstanceOf(BrokerError);
});

test('an open breaker sheds at once, even while a hung call holds every slot', async () => {
  // A frozen clock: "at once" means before any time passes, whatever the host's load.
  vi.useFakeTimers();
  try {
    const m = manualProducer();
    const p = publisher(m.producer, { breakerFailures: 1 });
    const timedOut = expect(p.publish(rec('a'))).rejects.toBeInstanceOf(PublishTimeoutError);
    await vi.advanceTimersByTimeAsync(55);
    await timedOut;
    let e: (Error & { reason?: string }) | undefined;
    void p.publish(rec('b')).catch((x) => {
      e = x;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(e).toBeInstanceOf(ShedError);
    expect(e?.reason).toBe('breaker-open');
  } finally {
    vi.useRealTimers();
  }
});

test('a broker call that failed without saying why may have written: 504, not 503', async () => {
  const p = publisher({
    send: async () => {
      throw new Error('ECONNRESET');
    },
  });
  const e = await p.publish(rec('a')).catch((x) => x);
  expect(e).toMatchObject({ unknownOutcome: true });
  expect(httpOf(e)).toMatchObject({ status: 504, body: { error: 'publish-unknown' } });
});

test('each record times out at its own deadline, not at the first record of its wait', async () => {
  vi.useFakeTimers();
  try {
    const m = manualProducer();
    const p = publisher(m.producer, { maxInFlight: 2, publishTimeoutMs: 80 });
    const settled: [string, number][] = [];
    const t0 = Date.now();
    const at = (id: string) => () => settled.push([id, Date.now() - t0]);
    void p.publish(rec('a')).catch(at('a'));
    await vi.advanceTimersByTimeAsync(50);
    void p.publish(rec('b')).catch(at('b'));
    await vi.advanceTimersByTimeAsync(30);
    // a is past its 80 ms, b (published 50 ms later) is not yet.
    expect(settled).toEqual([['a', 80]]);
    await vi.advanceTimersByTimeAsync(50);
    expect(settled).toEqual([
      ['a', 80],
      ['b', 130],
    ]);
    // Answered records leave no deadline behind: an acked record is never timed out later.
    m.calls[0]!.settle([undefined]);
    m.calls[1]!.settle([undefined]);
    await vi.advanceTimersByTimeAsync(5);
    const c = p.publish(rec('c'));
    await vi.advanceTimersByTimeAsync(5);
    m.calls[2]!.settle([undefined]);
    await expect(c).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect({ depth: p.depth, inFlight: p.inFlight }).toEqual({ depth: 0, inFlight: 0 });
  } finally {
    vi.useRealTimers();
  }
});

test('unbounded (boundedQueue off): no queue-full, no publish timeout; every record waits for its call', async () => {
  const m = manualProducer();
  const p = publisher(m.producer, { maxQueue: 2, publishTimeoutMs: 20, boundedQueue: false });
  const answers = Array.from({ length: 6 }, (_, i) => p.publish(rec(`r${i}`)));
  let settled = 0;
  for (const a of answers) void a.then(() => settled++);
  await sleep(100);
  expect({ depth: p.depth, settled, calls: m.calls.length }).toEqual({
    depth: 6,
    settled: 0,
    calls: 1,
  });
  for (let i = 0; i < 6; i++) {
    await until(() => m.calls.length > i);
    m.calls[i]!.settle([undefined]);
  }
  await Promise.all(answers);
  await until(() => p.depth === 0);
  expect(p.depth).toBe(0);
});

test('a producer without throttle figures reads unknown, not zero', () => {
  const m = manualProducer();
  expect(publisher(m.producer).throttle()).toEqual({ records: null, ms: null });
  const counted: BackendProducer = { ...m.producer, throttle: () => ({ records: 7, ms: null }) };
  expect(publisher(counted).throttle()).toEqual({ records: 7, ms: null });
});
