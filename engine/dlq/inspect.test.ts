import { afterEach, expect, test } from 'vitest';
import { MemoryBackend } from '../../drivers/memory/backend.ts';
import { json, memoryEngine, until } from '../../testkit/engine.ts';
import type { RunningEngine } from '../engine.ts';
import { DownstreamError } from '../errors.ts';
import { silentLog } from '../log.ts';
import { countByReason, readDlq, redrive } from './inspect.ts';

let running: RunningEngine | undefined;
afterEach(() => running?.stop());

test('DLQ entries are listed, counted by reason and re-driven once the cause is fixed', async () => {
  let refuse = true;
  const { engine, broker } = await memoryEngine({}, async () => {
    if (refuse) throw new DownstreamError('422 not today', { retriable: false });
  });
  running = engine;
  const post = (url: string, body: unknown) =>
    engine.app.inject({ method: 'POST', url, ...json(body) });
  await post('/hunts/h1/players', { playerId: 'p1', displayName: 'Ada' });
  await post('/orders', { playerId: 'p1', huntId: 'h1', treasureId: 't1', priceCents: 1 });
  await until(() => engine.status().counts.dlq.total === 2);

  const backend = new MemoryBackend(
    {
      endpoints: [],
      clientId: 't',
      requestTimeoutMs: 1,
      region: 'x',
      lagPollMs: 1,
      log: silentLog,
    },
    broker,
  );
  const { entries, unreadable } = await readDlq(backend, 'hunt-events-dlq');
  expect(unreadable).toBe(0);
  expect(countByReason(entries)).toEqual({ 'fulfillment-rejected': 1, 'price-mismatch': 1 });

  refuse = false;
  const r = await redrive(backend, 'hunt-events', entries, Date.now);
  expect(r).toEqual({ redriven: 2, skipped: 0, failed: 0 });
  // The refused one is applied now; the poison one is poison still, and counted only once.
  await until(() => engine.status().counts.redriven === 1);
  const s = engine.status();
  expect(s.counts).toMatchObject({ accepted: 2, delivered: 2, applied: 1, redriven: 1 });
  expect(s.counts.dlq.total).toBe(2);
  expect(engine.model.leaderboard('h1').players[0]?.displayName).toBe('Ada');
});
