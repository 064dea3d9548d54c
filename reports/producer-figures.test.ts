import { expect, test } from 'vitest';
import type { TimelinePoint } from '../contract/schema.ts';
import { producerFigures } from './timeline.ts';

const point = (t: number, extra: Partial<TimelinePoint>): TimelinePoint => ({
  t,
  targetRps: null,
  acceptedPerS: 0,
  deliveredPerS: 0,
  httpP50: null,
  httpP99: null,
  e2eP50: null,
  e2eP99: null,
  backlog: 0,
  brokerLag: null,
  dlqTotal: 0,
  shedTotal: 0,
  breakers: {},
  alerts: [],
  faults: [],
  processes: {},
  ...extra,
});

test('the producer queue peak is the most any point read; unread seconds do not count as 0', () => {
  expect(
    producerFigures([
      point(0, { producerQueue: 3, brokerThrottled: 0 }),
      point(1, { producerQueue: null, brokerThrottled: null }),
      point(2, { producerQueue: 1_250, brokerThrottled: 40 }),
      point(3, { producerQueue: 0, brokerThrottled: null }),
    ]),
  ).toEqual({ producerQueuePeak: 1_250, brokerThrottled: 40 });
});

test('a timeline that never read them (an older run, an engine never read) leaves both unknown', () => {
  expect(producerFigures([point(0, {}), point(1, {})])).toEqual({
    producerQueuePeak: null,
    brokerThrottled: null,
  });
  expect(producerFigures([point(0, { producerQueue: null, brokerThrottled: null })])).toEqual({
    producerQueuePeak: null,
    brokerThrottled: null,
  });
  expect(producerFigures([])).toEqual({ producerQueuePeak: null, brokerThrottled: null });
});
