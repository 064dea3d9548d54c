import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildFulfillment } from './server.ts';

const put = (app: ReturnType<typeof buildFulfillment>, body: unknown) =>
  app.inject({ method: 'PUT', url: '/admin/capacity', payload: body as object });

test('PUT /admin/capacity changes any subset, answers the previous settings, refuses bad input', async () => {
  const app = buildFulfillment();
  const r = await put(app, { serviceTimeMs: 5, concurrency: 2 });
  expect(r.statusCode).toBe(200);
  expect(r.json().previous.concurrency).toBe(1_000_000);
  expect(r.json().capacity).toMatchObject({ serviceTimeMs: 5, concurrency: 2, errorRate5xx: 0 });
  for (const [body, message] of [
    [{ concurrency: 0 }, /concurrency/],
    [{ errorRate5xx: 1.5 }, /errorRate5xx/],
    [{ errorRate5xx: 0.6, errorRate4xx: 0.6 }, /must not exceed 1/],
    [{ speed: 3 }, /unknown key\(s\) speed/],
    [[1, 2], /body/],
  ] as const) {
    const bad = await put(app, body);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'invalid-capacity',
      message: expect.stringMatching(message),
    });
  }
  const s = (await app.inject({ url: '/status' })).json();
  expect(s.capacity).toMatchObject({ serviceTimeMs: 5, concurrency: 2 });
  await app.close();
});

test('errors are answered 500 / 422 and counted; fulfilments are recorded once each, orders with their price', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-fulfillment-'));
  const record = join(dir, 'fulfilled.ndjson');
  const app = buildFulfillment({ record, seed: 3 });
  const order = {
    id: 'o1',
    type: 'order.placed',
    ts: 1000,
    payload: { priceCents: 250, treasureId: 't2' },
  };
  const claim = { id: 'c1', type: 'treasure.claimed', ts: 1001, payload: { treasureId: 't2' } };
  const send = (events: unknown[]) =>
    app.inject({ method: 'POST', url: '/fulfillments', payload: { events } });
  expect((await send([order, claim])).statusCode).toBe(200);
  expect((await send([order])).statusCode).toBe(200); // a repeat: not recorded again
  await put(app, { errorRate5xx: 1 });
  const five = await send([{ id: 'x1' }]);
  expect([five.statusCode, five.json().error]).toEqual([500, 'injected']);
  await put(app, { errorRate5xx: 0, errorRate4xx: 1 });
  expect((await send([{ id: 'x2' }])).statusCode).toBe(422);
  const s = (await app.inject({ url: '/status' })).json();
  expect(s).toMatchObject({
    fulfilled: 2,
    repeats: 1,
    offered: 4,
    served: 2,
    errors5xx: 1,
    errors4xx: 1,
    refused: 0,
    timedOut: 0,
  });
  await app.close();
  const lines = readFileSync(record, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatchObject({ id: 'o1', type: 'order.placed', ts: 1000, priceCents: 250 });
  expect(lines[1]).toMatchObject({ id: 'c1', type: 'treasure.claimed', ts: 1001 });
  expect(lines[1]).not.toHaveProperty('priceCents');
  expect(lines[0].fulfilledAt).toBeGreaterThan(1000);
});
