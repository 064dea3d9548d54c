import { describe, expect, it } from 'vitest';
import { DESIGNS } from '../engine/designs.ts';
import type { EngineStatus } from '../engine/status.ts';
import { addCounts, sumStatuses } from './engine-sum.ts';

function status(over: {
  accepted: number;
  delivered: number;
  consuming: boolean;
  queue: number;
  lag?: number | null;
  shed?: Record<string, number>;
  breaker?: 'closed' | 'open';
}): EngineStatus {
  const shed = over.shed ?? {};
  const total = Object.values(shed).reduce((a, b) => a + b, 0);
  return {
    schema: 1,
    backend: 'kafka',
    runId: 'r1',
    design: 'naive',
    switches: { ...DESIGNS.naive },
    topic: 't',
    dlqTopic: 't-dlq',
    state: 'running',
    consuming: over.consuming,
    startedAt: over.consuming ? 1000 : 2000,
    now: over.consuming ? 5000 : 5100,
    counts: {
      accepted: over.accepted,
      published: over.accepted,
      consumed: over.delivered,
      delivered: over.delivered,
      applied: over.delivered,
      redriven: 0,
      duplicates: over.consuming ? 2 : 0,
      dlq: {
        total: over.consuming ? 1 : 0,
        byReason: over.consuming ? { 'price-mismatch': 1 } : {},
      },
      shed: { total, byReason: shed },
      rejected: { total: 0, byReason: {} },
      failed: { total: 0, byReason: {} },
      downstream: { calls: over.delivered, retries: 0, failures: 0 },
    },
    backlog: {
      events: Math.max(0, over.accepted - over.delivered),
      broker: over.consuming
        ? { kind: 'offset-lag', value: over.lag === undefined ? 0 : over.lag }
        : null,
      producerQueue: over.queue,
      consumerPaused: false,
      blockedPartitions: 0,
    },
    producer: { throttled: 0, throttleMs: 0 },
    breakers: {
      producer: {
        state: over.breaker ?? 'closed',
        opens: over.breaker === 'open' ? 1 : 0,
        openMs: 0,
        since: 0,
      },
    },
    alerts: [],
  };
}

describe('sumStatuses', () => {
  const consumer = status({
    accepted: 100,
    delivered: 180,
    consuming: true,
    queue: 3,
    shed: { 'queue-full': 2 },
  });
  const producer = status({
    accepted: 90,
    delivered: 0,
    consuming: false,
    queue: 5,
    shed: { 'queue-full': 1, 'breaker-open': 4 },
    breaker: 'open',
  });

  it('sums every instance’s counts, backlog and producer queue', () => {
    const s = sumStatuses([consumer, producer]);
    expect(s.counts.accepted).toBe(190);
    expect(s.counts.delivered).toBe(180);
    expect(s.counts.duplicates).toBe(2);
    expect(s.counts.dlq).toEqual({ total: 1, byReason: { 'price-mismatch': 1 } });
    expect(s.counts.shed).toEqual({ total: 7, byReason: { 'queue-full': 3, 'breaker-open': 4 } });
    expect(s.counts.downstream.calls).toBe(180);
    // accepted − delivered of the system: the producer-only instance's backlog is all it accepted.
    expect(s.backlog.events).toBe(10);
    expect(s.backlog.producerQueue).toBe(8);
    expect(s.consuming).toBe(true);
    expect(s.startedAt).toBe(1000);
    expect(s.now).toBe(5100);
    expect(s.runId).toBe('r1');
    expect(s.breakers.producer).toMatchObject({ state: 'open', opens: 1 });
  });

  it('takes the broker lag from the consuming instance, unknown when it cannot tell', () => {
    expect(
      sumStatuses([
        status({ accepted: 1, delivered: 1, consuming: true, queue: 0, lag: 7 }),
        producer,
      ]).backlog.broker,
    ).toEqual({ kind: 'offset-lag', value: 7 });
    expect(
      sumStatuses([
        status({ accepted: 1, delivered: 1, consuming: true, queue: 0, lag: null }),
        producer,
      ]).backlog.broker?.value ?? null,
    ).toBeNull();
    expect(sumStatuses([producer, { ...producer }]).backlog.broker).toBeNull();
  });

  it('sums sections a newer engine adds, an unknown figure staying unknown', () => {
    const a: EngineStatus = { ...consumer, producer: { throttled: 3, throttleMs: 10 } };
    const b: EngineStatus = { ...producer, producer: { throttled: 4, throttleMs: null } };
    expect(sumStatuses([a, b]).producer).toEqual({
      throttled: 7,
      throttleMs: null,
    });
  });

  it('returns one status as it is', () => {
    expect(sumStatuses([consumer])).toBe(consumer);
    expect(() => sumStatuses([])).toThrow();
  });
});

describe('addCounts', () => {
  it('adds numbers, keeps null unknown, and adds a reason only one side saw', () => {
    expect(addCounts({ a: 1, r: { x: 1 } }, { a: 2, r: { y: 3 } })).toEqual({
      a: 3,
      r: { x: 1, y: 3 },
    });
    expect(addCounts({ a: 1 }, { a: null })).toEqual({ a: null });
    expect(addCounts(true, false)).toBe(true);
  });
});
