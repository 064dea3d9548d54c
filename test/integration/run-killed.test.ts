/**
 * A `hunt run` SIGKILLed mid-run (k6 running, a toxic and the lying mode in force, the run's
 * own Kinesis quota on) leaves all of it behind on a stack it did not start; the next run, or
 * `hunt stack down`, must clean it: no k6, no toxic, quotas off.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, journalFile } from '../../stack/config.ts';
import { listDaemons, pidAlive, portInUse, readDaemon } from '../../stack/process.ts';
import { hunt, startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'hunt-killed-'));
const plan = join(work, 'held.yaml');
writeFileSync(
  plan,
  [
    'description: a toxic and a lie early, held to the end',
    'duration: 60s',
    'steps:',
    '  - { at: 1s, toxic: { proxy: downstream, type: latency, attributes: { latency: 20 } } }',
    '  - { at: 2s, quota: { provider: kinesis, mode: lie, share: 0.01 } }',
    '',
  ].join('\n'),
);
const budgets = join(work, 'budgets.yaml');
writeFileSync(budgets, 'http_p99_ms: 10000\n');

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const api = (port: number, path: string) =>
  fetch(`http://${HOST}:${port}${path}`).then((r) => r.json() as Promise<unknown>);
const quota = () => api(stack.ports.kinesisQuota, '/quota') as Promise<{ mode: string }>;
async function toxics(): Promise<string[]> {
  const proxies = (await api(stack.ports.toxiproxy, '/proxies')) as Record<
    string,
    { toxics: { name: string }[] }
  >;
  return Object.values(proxies).flatMap((p) => p.toxics.map((t) => t.name));
}

/** Starts a Kinesis run, waits until k6 runs with the toxic and the lie in force, SIGKILLs it. */
async function killMidRun(name: string): Promise<number> {
  const out = join(work, name);
  const run = hunt(
    [
      'run',
      ...['--backend', 'kinesis', '--scenario', 'smoke', '--plan', plan, '--duration', '60s'],
      ...['--kinesis-quota', '0.5', '--out', out],
    ],
    stack.env,
  );
  const deadline = Date.now() + 90_000;
  for (;;) {
    const k6 = readDaemon(stack.paths.state, 'k6');
    const held =
      k6 !== undefined &&
      pidAlive(k6.pid) &&
      (await toxics()).length > 0 &&
      (await quota()).mode === 'lie';
    if (held) break;
    if (Date.now() > deadline) throw new Error(`the run never got there:\n${(await run).stdout}`);
    await sleep(200);
  }
  run.kill('SIGKILL');
  await run;
  // What the killed run leaves behind.
  const k6 = readDaemon(stack.paths.state, 'k6')!;
  expect(pidAlive(k6.pid)).toBe(true);
  expect(await toxics()).not.toEqual([]);
  expect(await quota()).toMatchObject({ mode: 'lie' });
  expect(existsSync(journalFile(stack.paths.state))).toBe(true);
  return k6.pid;
}

describe('hunt run, SIGKILLed', () => {
  it('the next run stops its k6, engine and fulfillment, and undoes its toxic, lie and quota', async () => {
    const k6 = await killMidRun('killed-1');
    const next = await hunt(
      [
        'run',
        ...['--backend', 'kafka', '--scenario', 'smoke', '--plan', 'none', '--duration', '3s'],
        ...['--kinesis-quota', 'off', '--budgets', budgets, '--out', join(work, 'next')],
      ],
      stack.env,
    );
    expect(next.exitCode, `${next.stdout}\n${next.stderr}`).toBe(0);
    expect(next.stdout).toMatch(/leftover/);
    expect(pidAlive(k6)).toBe(false);
    expect(await toxics()).toEqual([]);
    expect(await quota()).toMatchObject({ mode: 'off', multiplier: 1 });
    expect(existsSync(journalFile(stack.paths.state))).toBe(false);
    const names = listDaemons(stack.paths.state).map((d) => d.name);
    for (const stray of ['k6', 'engine', 'fulfillment']) expect(names).not.toContain(stray);
  });

  it('hunt stack down stops its k6 with the stack: no process, no toxic, no quota survive', async () => {
    const k6 = await killMidRun('killed-2');
    const daemons = listDaemons(stack.paths.state);
    const down = await hunt(['stack', 'down'], stack.env);
    expect(down.exitCode, down.stdout).toBe(0);
    expect(pidAlive(k6)).toBe(false);
    for (const d of daemons) expect(pidAlive(d.pid), d.name).toBe(false);
    expect(listDaemons(stack.paths.state)).toEqual([]);
    expect(existsSync(journalFile(stack.paths.state))).toBe(false);
    // The toxic and the quotas lived in Toxiproxy and the quota layer: both are gone.
    expect(await portInUse(stack.ports.toxiproxy)).toBe(false);
    expect(await portInUse(stack.ports.kinesisQuota)).toBe(false);
  });
});
