import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { type Capacity, CapacityModel, DEFAULT_CAPACITY, type Verdict } from './capacity.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const model = (c: Partial<Capacity>, seed = 1) =>
  new CapacityModel({ ...DEFAULT_CAPACITY, ...c }, seed);

/** Starts n requests; the verdicts fill in as they settle. */
function offer(m: CapacityModel, n: number, work = () => {}) {
  const verdicts: (Verdict | undefined)[] = Array(n).fill(undefined);
  const all = Array.from({ length: n }, (_, i) =>
    m.handle(work).then((v) => {
      verdicts[i] = v;
    }),
  );
  return { verdicts, done: Promise.all(all) };
}

test('defaults serve everything at once with no errors', async () => {
  const m = new CapacityModel();
  let worked = 0;
  const { verdicts, done } = offer(m, 50, () => worked++);
  await done;
  expect(verdicts.every((v) => v?.status === 200)).toBe(true);
  expect(worked).toBe(50);
  expect(m.counts).toMatchObject({ offered: 50, served: 50, refused: 0, timedOut: 0 });
});

test('concurrency bounds the requests in service; the queue holds the rest, in order', async () => {
  const m = model({ serviceTimeMs: 100, concurrency: 2, queueLimit: 10 });
  const { verdicts, done } = offer(m, 5);
  await vi.advanceTimersByTimeAsync(0);
  expect(m.load).toEqual({ active: 2, queued: 3 });
  await vi.advanceTimersByTimeAsync(100);
  expect(verdicts.slice(0, 2).map((v) => v?.status)).toEqual([200, 200]);
  expect(verdicts.slice(2)).toEqual([undefined, undefined, undefined]);
  expect(m.load).toEqual({ active: 2, queued: 1 });
  await vi.advanceTimersByTimeAsync(200);
  await done;
  expect(m.counts).toMatchObject({ offered: 5, served: 5 });
  expect(m.load).toEqual({ active: 0, queued: 0 });
});

test('a full queue refuses at once with 503 queue-full', async () => {
  const m = model({ serviceTimeMs: 100, concurrency: 1, queueLimit: 2 });
  const { verdicts, done } = offer(m, 6);
  await vi.advanceTimersByTimeAsync(0);
  expect(verdicts.slice(3).map((v) => v)).toEqual(
    Array(3).fill({ status: 503, error: 'queue-full' }),
  );
  expect(m.counts).toMatchObject({ offered: 6, refused: 3, served: 0 });
  await vi.advanceTimersByTimeAsync(300);
  await done;
  expect(m.counts).toMatchObject({ served: 3, refused: 3, timedOut: 0 });
});

test('a request queued past queueTimeoutMs gets 503 queue-timeout and never runs', async () => {
  const m = model({ serviceTimeMs: 100, concurrency: 1, queueLimit: 5, queueTimeoutMs: 150 });
  let worked = 0;
  const { verdicts, done } = offer(m, 4, () => worked++);
  // Served at 100 and 200 ms; the 3rd and 4th still wait at 150 ms and time out.
  await vi.advanceTimersByTimeAsync(1000);
  await done;
  expect(verdicts.map((v) => v?.status)).toEqual([200, 200, 503, 503]);
  expect(verdicts[3]).toEqual({ status: 503, error: 'queue-timeout' });
  expect(worked).toBe(2);
  expect(m.counts).toMatchObject({ offered: 4, served: 2, timedOut: 2, refused: 0 });
});

test('error shares come from the seed: same seed, same answers; the counts add up', async () => {
  const run = async (seed: number) => {
    const m = model({ errorRate5xx: 0.3, errorRate4xx: 0.2 }, seed);
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) statuses.push((await m.handle(() => {})).status);
    return { statuses, counts: m.counts };
  };
  const a = await run(7);
  const b = await run(7);
  const c = await run(8);
  expect(a.statuses).toEqual(b.statuses);
  expect(a.statuses).not.toEqual(c.statuses);
  const { counts } = a;
  expect(counts.served + counts.errors5xx + counts.errors4xx).toBe(400);
  expect(counts.errors5xx).toBe(a.statuses.filter((s) => s === 500).length);
  expect(counts.errors4xx).toBe(a.statuses.filter((s) => s === 422).length);
  // 400 draws: far from the shares only with vanishing probability.
  expect(counts.errors5xx).toBeGreaterThan(80);
  expect(counts.errors5xx).toBeLessThan(160);
  expect(counts.errors4xx).toBeGreaterThan(40);
  expect(counts.errors4xx).toBeLessThan(120);
});

test('raising concurrency at runtime lets the queue in; set answers the previous settings', async () => {
  const m = model({ serviceTimeMs: 100, concurrency: 1, queueLimit: 10 });
  const { done } = offer(m, 4);
  await vi.advanceTimersByTimeAsync(0);
  expect(m.load).toEqual({ active: 1, queued: 3 });
  const previous = m.set({ concurrency: 4 });
  expect(previous.concurrency).toBe(1);
  expect(m.load).toEqual({ active: 4, queued: 0 });
  await vi.advanceTimersByTimeAsync(100);
  await done;
  expect(m.counts.served).toBe(4);
  expect(() => m.set({ errorRate5xx: 0.8, errorRate4xx: 0.5 })).toThrow(/must not exceed 1/);
  expect(m.capacity.concurrency).toBe(4);
});

test('serviceTimePerEventMs makes a bigger batch take longer', async () => {
  const m = model({ serviceTimeMs: 10, serviceTimePerEventMs: 5 });
  let big: Verdict | undefined;
  let small: Verdict | undefined;
  const done = Promise.all([
    m
      .handle(() => {}, 100)
      .then((v) => {
        big = v;
      }),
    m
      .handle(() => {}, 1)
      .then((v) => {
        small = v;
      }),
  ]);
  await vi.advanceTimersByTimeAsync(15);
  expect([small, big]).toEqual([{ status: 200 }, undefined]);
  await vi.advanceTimersByTimeAsync(500);
  await done;
  expect(big).toEqual({ status: 200 });
});
