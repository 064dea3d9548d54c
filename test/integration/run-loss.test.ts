/**
 * Loss caused from outside the engine, on a real broker, mid-run: the audit must find it.
 * Kafka: Kafka's own DeleteRecordsCommand empties the run's topic while the load goes on.
 * Kinesis: the lying-broker plan makes the quota layer acknowledge records it never writes.
 * Each run must end with exit 3 and audit.json must list the lost ids.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit, ChaosRecord } from '../../contract/schema.ts';
import { HOST } from '../../stack/config.ts';
import { toolPaths } from '../../stack/tools.ts';
import { hunt, startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'hunt-loss-'));

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

/** A short smoke run: ~20 s of load at 5 events/s, a short drain (a lie never drains). */
function smokeRun(backend: 'kafka' | 'kinesis', plan: string, out: string) {
  return hunt(
    [
      'run',
      ...['--backend', backend, '--scenario', 'smoke', '--plan', plan],
      ...['--duration', '20s', '--drain-timeout', '10', '--out', out],
    ],
    stack.env,
  );
}

async function until(what: string, ok: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function expectLost(out: string, result: { exitCode?: number; stdout: string }): Audit {
  expect(result.exitCode, result.stdout).toBe(3);
  const audit = Audit.parse(json(join(out, 'audit.json')));
  const ledger = new Set(readFileSync(join(out, 'ledger.txt'), 'utf8').trim().split('\n'));
  expect(audit.lostIds.length).toBeGreaterThan(0);
  for (const id of audit.lostIds) expect(ledger.has(id)).toBe(true);
  return audit;
}

describe('loss from outside the engine', () => {
  it("kafka: records deleted with Kafka's DeleteRecordsCommand mid-run are lost, by id", async () => {
    const out = join(work, 'kafka');
    const run = smokeRun('kafka', 'none', out);
    // Some seconds into the load, delete everything the run's topic holds so far.
    await until('k6 running', () => existsSync(join(out, 'timeline.ndjson')));
    await sleep(8_000);
    const { topic } = json(join(out, 'run.json')) as { topic: string };
    const offsets = join(work, 'delete.json');
    writeFileSync(
      offsets,
      JSON.stringify({
        version: 1,
        // -1: up to the high watermark of each of the run's 4 partitions.
        partitions: [0, 1, 2, 3].map((partition) => ({ topic, partition, offset: -1 })),
      }),
    );
    const del = await execa('java', [
      '-Xmx128m',
      '-cp',
      `${toolPaths(stack.paths).kafkaLibs}/*`,
      'org.apache.kafka.tools.DeleteRecordsCommand',
      ...['--bootstrap-server', `${HOST}:${stack.ports.kafka}`],
      ...['--offset-json-file', offsets],
    ]);
    const lows = [...del.stdout.matchAll(/low_watermark: (\d+)/g)].map((m) => Number(m[1]));
    expect(
      lows.reduce((a, b) => a + b, 0),
      del.stdout,
    ).toBeGreaterThan(0);
    const audit = expectLost(out, await run);
    console.log(`kafka: deleted ${lows.join('+')} records; audit lost ${audit.lostIds.length}`);
    expect(audit.lostIds.length).toBeLessThanOrEqual(lows.reduce((a, b) => a + b, 0));
  });

  it('kinesis: the lying-broker plan acknowledges records it drops; the audit lists them', async () => {
    const out = join(work, 'kinesis');
    const result = await smokeRun('kinesis', 'lying-broker', out);
    const audit = expectLost(out, result);
    const chaos = ChaosRecord.parse(json(join(out, 'chaos.json')));
    expect(chaos.events[0]).toMatchObject({ kind: 'lie', error: null });
    expect(chaos.events[0]?.appliedAtS).not.toBeNull();
    expect(chaos.events[0]?.removedAtS).not.toBeNull();
    // Exactly the records the broker lied about (no retry: each got a success answer).
    const { topic } = json(join(out, 'run.json')) as { topic: string };
    const metrics = await (
      await fetch(`http://${HOST}:${stack.ports.kinesisQuota}/metrics`)
    ).text();
    const lied = [...metrics.matchAll(/hunt_kinesis_quota_lied_records_total\{([^}]*)\} (\d+)/g)]
      .filter((m) => m[1]!.includes(`stream="${topic}"`))
      .reduce((n, m) => n + Number(m[2]), 0);
    console.log(
      `kinesis: the broker lied about ${lied} records; audit lost ${audit.lostIds.length}`,
    );
    expect(audit.lostIds.length).toBe(lied);
    // The lie is over: the quota layer is back to the run's own setting, then off.
    expect(
      await (await fetch(`http://${HOST}:${stack.ports.kinesisQuota}/quota`)).json(),
    ).toMatchObject({ mode: 'off', multiplier: 1 });
  });
});
