/**
 * `hunt engine` and `hunt dlq` as processes against a real stack (Kafka): the engine starts
 * from the stack's stack.json, writes its ledger after each ack, and on SIGTERM stops
 * accepting, flushes, commits and exits 0; `hunt dlq count` then sees what it dead-lettered.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixtureCatalogue } from '../../engine/catalogue.ts';
import { startFulfillment } from '../../engine/fulfillment/server.ts';
import { HOST } from '../../stack/config.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { eventually } from './engine-harness.ts';
import { componentsOf, startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;
let fulfillment: Awaited<ReturnType<typeof startFulfillment>>;
const hunt = join(REPO_ROOT, 'bin', 'hunt.js');

beforeAll(async () => {
  stack = await startTestStack(() => {}, { only: componentsOf('kafka') });
  fulfillment = await startFulfillment({ host: HOST, port: stack.ports.fulfillment });
});
afterAll(async () => {
  await fulfillment?.close();
  await stack?.stop();
});

test('hunt engine writes its ledger, stops cleanly on SIGTERM; hunt dlq counts its DLQ', async () => {
  const data = join(stack.paths.state, 'catalogue.json');
  const ledger = join(stack.paths.state, 'ledger.txt');
  writeFileSync(data, JSON.stringify(fixtureCatalogue()));
  const topic = `hunt-events-cli-${Date.now().toString(36)}`;
  const env = { ...process.env, ...stack.env };
  const engine: ChildProcess = spawn(
    process.execPath,
    [hunt, 'engine', '--backend', 'kafka', '--topic', topic, '--data', data, '--ledger', ledger],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let logs = '';
  engine.stderr!.on('data', (b: Buffer) => {
    logs += b.toString();
  });
  const exited = new Promise<number | null>((r) => engine.once('exit', (code) => r(code)));
  const url = `http://${HOST}:${stack.ports.engine}`;
  await eventually(
    'engine up',
    () =>
      fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    30_000,
  );

  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, id: ((await r.json()) as { id: string }).id }));
  const ok = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      post('/hunts/h1/players', { playerId: `p${i}`, displayName: 'x' }),
    ),
  );
  const poison = await post('/orders', {
    playerId: 'p1',
    huntId: 'h1',
    treasureId: 't1',
    priceCents: 7,
  });
  expect([...ok, poison].every((r) => r.status === 202)).toBe(true);
  await eventually('dead-lettered', async () => {
    const s = (await (await fetch(`${url}/status`)).json()) as {
      counts: { dlq: { total: number } };
    };
    return s.counts.dlq.total === 1;
  });

  engine.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(logs).toContain('engine stopped');
  const ids = readFileSync(ledger, 'utf8').trim().split('\n');
  expect(new Set(ids)).toEqual(new Set([...ok, poison].map((r) => r.id)));

  const count = await execa(
    process.execPath,
    [hunt, 'dlq', 'count', '--backend', 'kafka', '--topic', topic, '--json'],
    {
      env,
    },
  );
  expect(JSON.parse(count.stdout)).toEqual({
    total: 1,
    byReason: { 'price-mismatch': 1 },
    unreadable: 0,
  });
});
