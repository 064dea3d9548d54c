import { afterEach, expect, test } from 'vitest';
import { expectPauses, pinJitter, unpinJitter } from '../../testkit/pinned-jitter.ts';
import { DownstreamError, StoppingError } from '../errors.ts';
import type { HuntEvent } from '../event.ts';
import { Downstream, type DownstreamOptions, downstreamBreaker } from './downstream.ts';
import type { FulfillFn } from './fulfillment-client.ts';

afterEach(unpinJitter);

const opts = (o: Partial<DownstreamOptions> = {}): DownstreamOptions => ({
  maxAttempts: 3,
  retryBaseMs: 1,
  retryMaxMs: 2,
  breakerFailures: 100,
  breakerHalfOpenAfterMs: 30,
  pausePollMs: 5,
  ...o,
});
const transient = () => new DownstreamError('503', { retriable: true });
const refusal = () => new DownstreamError('422 bad order', { retriable: false });

/** Fails with the given errors in turn, then succeeds; counts its calls and times them. */
function scripted(failures: (() => Error)[]): FulfillFn & { calls: number; at: number[] } {
  const f = Object.assign(
    async () => {
      f.at.push(Date.now());
      const fail = failures[f.calls++];
      if (fail) throw fail();
    },
    { calls: 0, at: [] as number[] },
  );
  return f;
}

function downstream(fulfill: FulfillFn, o: DownstreamOptions, stopping = () => false) {
  return new Downstream(fulfill, downstreamBreaker(o), o, stopping);
}
const events: HuntEvent[] = [];
const noKeepAlive = async () => {};

test('transient failures are retried until the call succeeds', async () => {
  const f = scripted([transient, transient]);
  const d = downstream(f, opts());
  expect(await d.deliver(events, noKeepAlive)).toEqual({ ok: true, attempts: 3 });
  expect(d.counts).toEqual({ calls: 3, retries: 2, failures: 2 });
});

test('transient failures end as retries-exhausted after maxAttempts calls', async () => {
  const f = scripted(Array(10).fill(transient));
  const d = downstream(f, opts({ maxAttempts: 4 }));
  expect(await d.deliver(events, noKeepAlive)).toEqual({
    ok: false,
    reason: 'retries-exhausted',
    attempts: 4,
    error: '503',
  });
  expect(f.calls).toBe(4);
  expect(d.counts).toEqual({ calls: 4, retries: 3, failures: 4 });
});

test('a refusal is not retried', async () => {
  const f = scripted([refusal]);
  const d = downstream(f, opts());
  expect(await d.deliver(events, noKeepAlive)).toMatchObject({
    ok: false,
    reason: 'fulfillment-rejected',
    attempts: 1,
  });
  expect(f.calls).toBe(1);
});

test('with no attempt limit a refusal is retried too', async () => {
  const f = scripted([refusal, refusal, transient]);
  const d = downstream(f, opts({ maxAttempts: Number.POSITIVE_INFINITY }));
  expect(await d.deliver(events, noKeepAlive)).toEqual({ ok: true, attempts: 4 });
});

test('keepAlive runs before each retry, and its own failure is not retried', async () => {
  const f = scripted([transient, transient, transient]);
  let kept = 0;
  const keepAlive = async () => {
    if (++kept === 2) throw new Error('rebalancing');
  };
  const d = downstream(f, opts({ maxAttempts: Number.POSITIVE_INFINITY }));
  await expect(d.deliver(events, keepAlive)).rejects.toThrow('rebalancing');
  expect(f.calls).toBe(2);
});

test('a failure while stopping hands the batch back instead of retrying', async () => {
  const f = scripted([transient, transient]);
  const d = downstream(f, opts(), () => true);
  await expect(d.deliver(events, noKeepAlive)).rejects.toBeInstanceOf(StoppingError);
  expect(f.calls).toBe(1);
});

test('the last attempt failing while stopping still reads as retries-exhausted', async () => {
  const f = scripted([transient]);
  const d = downstream(f, opts({ maxAttempts: 1 }), () => true);
  expect(await d.deliver(events, noKeepAlive)).toMatchObject({ reason: 'retries-exhausted' });
});

test('an open breaker pauses delivery; attempts during the outage do not exhaust it', async () => {
  // Two failures open the breaker; each half-open probe fails twice more before success.
  const f = scripted([transient, transient, transient, transient]);
  const d = downstream(f, opts({ breakerFailures: 2, maxAttempts: 3 }));
  let sawPaused = false;
  const keepAlive = async () => {
    sawPaused ||= d.paused;
  };
  expect(await d.deliver(events, keepAlive)).toEqual({ ok: true, attempts: 1 });
  expect(sawPaused).toBe(true);
  expect(d.paused).toBe(false);
  expect(f.calls).toBe(5);
});

test('retries back off exponentially with full jitter, up to retryMaxMs', async () => {
  pinJitter();
  const f = scripted(Array(10).fill(transient));
  const d = downstream(f, opts({ maxAttempts: 5, retryBaseMs: 100, retryMaxMs: 300 }));
  const out = expectPauses(d.deliver(events, noKeepAlive), f.at, [100, 200, 300, 300]);
  expect(await out).toMatchObject({ reason: 'retries-exhausted', attempts: 5 });
});
