import { expect, test } from 'vitest';
import type { EngineStatus } from '../engine/status.ts';
import { drained, StallWatch } from './load-phase.ts';

const status = (backlog: Partial<EngineStatus['backlog']>): EngineStatus =>
  ({
    backlog: { events: 0, producerQueue: 0, consumerPaused: false, broker: null, ...backlog },
  }) as EngineStatus;

test('drained only when the counts, the producer queue and the broker lag are all zero', () => {
  expect(drained(status({ broker: { kind: 'offset-lag', value: 0 } }))).toBe(true);
  expect(drained(status({ broker: { kind: 'age-ms', value: 0 } }))).toBe(true);
  expect(drained(status({ broker: { kind: 'age-ms', value: 1200 } }))).toBe(false);
  expect(drained(status({ events: 3, broker: { kind: 'offset-lag', value: 0 } }))).toBe(false);
  expect(drained(status({ producerQueue: 1, broker: { kind: 'offset-lag', value: 0 } }))).toBe(
    false,
  );
});

test('an unknown broker lag is not a drained one', () => {
  expect(drained(status({ broker: null }))).toBe(false);
  expect(drained(status({ broker: { kind: 'age-ms', value: null } }))).toBe(false);
});

const at = (delivered: number, events: number, backlog: Partial<EngineStatus['backlog']> = {}) =>
  ({
    counts: { delivered },
    backlog: { events, producerQueue: 0, consumerPaused: false, broker: null, ...backlog },
  }) as EngineStatus;

test('a consumer that delivers nothing for the stall window while the backlog stays put is stalled', () => {
  const w = new StallWatch(10);
  expect(w.stalled(at(100, 2743), 0)).toBe(false);
  expect(w.stalled(at(100, 2743), 5_000)).toBe(false);
  expect(w.stalled(at(100, 2743), 9_500)).toBe(false);
  expect(w.stalled(at(100, 2743), 10_000)).toBe(true);
});

test('progress, a paused consumer, a queued producer or an unreadable status restart the window', () => {
  const w = new StallWatch(10);
  w.stalled(at(100, 50), 0);
  expect(w.stalled(at(101, 49), 8_000)).toBe(false);
  // The window runs from the last progress (8 s), not from the first sample.
  expect(w.stalled(at(101, 49), 17_000)).toBe(false);
  expect(w.stalled(at(101, 49), 18_000)).toBe(true);

  const paused = new StallWatch(10);
  paused.stalled(at(100, 50), 0);
  expect(paused.stalled(at(100, 50, { consumerPaused: true }), 6_000)).toBe(false);
  expect(paused.stalled(at(100, 50), 12_000)).toBe(false);
  expect(paused.stalled(at(100, 50), 22_000)).toBe(true);

  const unread = new StallWatch(10);
  unread.stalled(at(100, 50), 0);
  expect(unread.stalled(null, 6_000)).toBe(false);
  expect(unread.stalled(at(100, 50), 12_000)).toBe(false);
  expect(unread.stalled(at(100, 50), 21_000)).toBe(false);
  expect(unread.stalled(at(100, 50), 22_000)).toBe(true);

  const queued = new StallWatch(10);
  queued.stalled(at(100, 50, { producerQueue: 3 }), 0);
  expect(queued.stalled(at(100, 50, { producerQueue: 3 }), 15_000)).toBe(false);
});

test('an empty backlog is never a stall', () => {
  const w = new StallWatch(1);
  w.stalled(at(100, 0), 0);
  expect(w.stalled(at(100, 0), 5_000)).toBe(false);
});
