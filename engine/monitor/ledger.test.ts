import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { json, memoryEngine } from '../../testkit/engine.ts';
import type { RunningEngine } from '../engine.ts';
import { LedgerError } from '../errors.ts';
import { openLedger } from './ledger.ts';

let running: RunningEngine | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const join1 = (i: number) => ({
  method: 'POST' as const,
  url: '/hunts/h1/players',
  ...json({ playerId: `p${i}`, displayName: 'x' }),
});

test('each line is on disk when append returns', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'sub', 'ledger.txt');
  const ledger = await openLedger(path);
  ledger.append('a');
  ledger.append('b');
  expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
  await ledger.close();
});

test('every 202 finds its line already in the file (nothing waits in a buffer)', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.txt');
  const { engine } = await memoryEngine({ ledger: path });
  running = engine;
  const missing: string[] = [];
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      engine.app.inject(join1(i)).then((r) => {
        expect(r.statusCode).toBe(202);
        const id = r.json().id as string;
        if (!readFileSync(path, 'utf8').includes(`${id}\n`)) missing.push(id);
      }),
    ),
  );
  expect(missing).toEqual([]);
});

test('a failed write breaks the ledger for good', async () => {
  const ledger = await openLedger('/dev/full');
  expect(() => ledger.append('a')).toThrow(LedgerError);
  expect(() => ledger.check()).toThrow(/unavailable/);
  await ledger.close();
});

test('an unwritable ledger stops the 202s: the written event says so, later ones are refused', async () => {
  const { engine, broker } = await memoryEngine({ ledger: '/dev/full' });
  running = engine;
  const first = await engine.app.inject(join1(1));
  expect(first.statusCode).toBe(500);
  const body = first.json();
  expect(body).toMatchObject({ error: 'ledger-write-failed' });
  // It was on the broker before its line failed; the answer names it, so it can be matched.
  const written = broker.topic('hunt-events').partitions.flat();
  expect(written.map((r) => JSON.parse(r.value.toString()).id)).toEqual([body.id]);

  const later = await engine.app.inject(join1(2));
  expect(later.statusCode).toBe(503);
  expect(later.json()).toMatchObject({ error: 'ledger-unavailable' });
  expect(broker.topic('hunt-events').partitions.flat()).toHaveLength(1);
  const s = engine.status();
  expect(s.counts.accepted).toBe(0);
  expect(s.counts.failed.byReason).toMatchObject({
    'ledger-write-failed': 1,
    'ledger-unavailable': 1,
  });
});
