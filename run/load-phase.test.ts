import { expect, test } from 'vitest';
import type { EngineStatus } from '../engine/status.ts';
import { drained } from './load-phase.ts';

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
