import { afterAll, beforeAll, expect, test } from 'vitest';
import { BAD_INPUTS } from '../../testkit/bad-input.ts';
import { memoryEngine } from '../../testkit/engine.ts';
import type { RunningEngine } from '../engine.ts';

let engine: RunningEngine;
let broker: Awaited<ReturnType<typeof memoryEngine>>['broker'];
beforeAll(async () => {
  ({ engine, broker } = await memoryEngine());
});
afterAll(() => engine.stop());

test.each(BAD_INPUTS)('$name → $status $error, nothing produced', async (c) => {
  const r = await engine.app.inject({
    method: c.method,
    url: c.url,
    headers: c.body === undefined ? {} : { 'content-type': c.contentType ?? 'application/json' },
    ...(c.body === undefined ? {} : { payload: c.body }),
  });
  expect({ status: r.statusCode, error: r.json().error }).toEqual({
    status: c.status,
    error: c.error,
  });
  expect(typeof r.json().message).toBe('string');
  expect(broker.topic('hunt-events').partitions.flat()).toHaveLength(0);
  expect(engine.status().counts.accepted).toBe(0);
});

test('unicode display names within 64 characters are accepted', async () => {
  const r = await engine.app.inject({
    method: 'POST',
    url: '/hunts/h1/players',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    payload: JSON.stringify({ playerId: 'p:1', displayName: '🦜'.repeat(64) }),
  });
  expect(r.statusCode).toBe(202);
});

test('rejections are counted by code and /metrics speaks Prometheus', async () => {
  expect(engine.status().counts.rejected.byReason['invalid-body']).toBeGreaterThan(0);
  const m = await engine.app.inject({ url: '/metrics' });
  expect(m.body).toContain('hunt_http_rejected_total{reason="invalid-body"}');
  expect(m.body).toContain('hunt_breaker_state{breaker="producer"} 0');
  expect(m.body).toContain('hunt_http_request_duration_seconds_bucket');
  const h = await engine.app.inject({ url: '/histograms' });
  expect(h.json()).toMatchObject({ unit: 'us' });
});

test('an Event-Id header names the event: the 202 and the record on the broker carry it', async () => {
  const r = await engine.app.inject({
    method: 'POST',
    url: '/hunts/h1/players',
    headers: { 'content-type': 'application/json', 'event-id': 'k6-witness-1' },
    payload: JSON.stringify({ playerId: 'p2', displayName: 'Ann' }),
  });
  expect(r.statusCode).toBe(202);
  expect(r.json()).toEqual({ id: 'k6-witness-1' });
  const ids = broker
    .topic('hunt-events')
    .partitions.flat()
    .map((rec) => JSON.parse(rec.value.toString()).id);
  expect(ids).toContain('k6-witness-1');
});

test.each([
  ['too long', 'x'.repeat(65)],
  ['a space', 'a b'],
  ['a slash', 'a/b'],
])('an Event-Id with %s is refused with 400 invalid-event-id, nothing produced', async (_, id) => {
  const before = broker.topic('hunt-events').partitions.flat().length;
  const r = await engine.app.inject({
    method: 'POST',
    url: '/hunts/h1/players',
    headers: { 'content-type': 'application/json', 'event-id': id },
    payload: JSON.stringify({ playerId: 'p3', displayName: 'Bo' }),
  });
  expect(r.statusCode).toBe(400);
  expect(r.json().error).toBe('invalid-event-id');
  expect(broker.topic('hunt-events').partitions.flat()).toHaveLength(before);
});
