import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceModel } from '../../contract/service-model.ts';
import { KinesisBackend } from '../../drivers/kinesis/backend.ts';
import { serviceModelOf } from '../../drivers/kinesis/fidelity.ts';
import { setKinesisQuota } from '../../drivers/kinesis/quota-control.ts';
import {
  fidelityCheck,
  kinesisModelStats,
  type LayerStats,
} from '../../drivers/kinesis/self-check.ts';
import { fixtureCatalogue } from '../../engine/catalogue.ts';
import { defaultConfig, resolveEngineConfig } from '../../engine/config.ts';
import { type RunningEngine, startEngine } from '../../engine/engine.ts';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { type QuotaTestStack, startQuotaTestStack } from '../../testkit/quota-stack.ts';

let stack: QuotaTestStack;
let admin: string;
let engine: RunningEngine | undefined;
const logs: string[] = [];

async function startKinesisEngine(topic: string, pollMs: number): Promise<RunningEngine> {
  const config = resolveEngineConfig({
    defaults: defaultConfig({
      engine: 0,
      kafka: '127.0.0.1:1',
      kinesis: admin,
      fulfillment: 'http://127.0.0.1:1',
    }),
    flags: {
      backend: 'kinesis',
      topic,
      partitions: 2,
      publishTimeoutMs: 1500,
      producerBreakerFailures: 2,
      producerHalfOpenAfterMs: 1000,
      kinesisPollMs: pollMs,
    },
  });
  const backend = new KinesisBackend({
    endpoints: [admin],
    clientId: 'fidelity-it',
    requestTimeoutMs: config.publishTimeoutMs,
    region: config.region,
    lagPollMs: 500,
    kinesisPollMs: config.kinesisPollMs,
    checkpointDir: mkdtempSync(join(tmpdir(), 'hunt-fidelity-it-')),
    log: (msg, f) => logs.push(`${msg} ${JSON.stringify(f ?? {})}`),
  });
  return startEngine({
    config,
    catalogue: fixtureCatalogue(),
    backend,
    registry: new Registry(),
    log: () => {},
    fulfill: async () => {},
  });
}

/** Claims-free writes the engine accepts: players joining a hunt. */
async function write(e: RunningEngine, i: number): Promise<number> {
  const r = await fetch(`${e.url}/hunts/h1/players`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ playerId: `p${i}`, displayName: `p${i}` }),
  });
  await r.arrayBuffer();
  return r.status;
}

/** `perS` writes a second for `seconds`, open model: each second's writes start together. */
async function load(e: RunningEngine, perS: number, seconds: number, from = 0): Promise<number[]> {
  const answers: Promise<number>[] = [];
  const t0 = Date.now();
  for (let s = 0; s < seconds; s++) {
    for (let j = 0; j < perS; j++) {
      const at = t0 + s * 1000 + (j * 1000) / perS;
      await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
      answers.push(write(e, from + s * perS + j));
    }
  }
  return Promise.all(answers);
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  stack = await startQuotaTestStack();
  admin = stack.base;
});

afterAll(async () => {
  await engine?.stop();
  stack?.close();
  if (process.env.HUNT_TEST_LOGS) console.log(logs.join('\n'));
});

describe('the Kinesis service model under the engine', () => {
  it('lands aws-provisioned propagation within 25% of its target', async () => {
    const { profile } = loadFidelityProfile('aws-provisioned');
    await setKinesisQuota(admin, { mode: 'on', multiplier: 1, model: serviceModelOf(profile, 1) });
    engine = await startKinesisEngine(
      `fid-prop-${Date.now().toString(36)}`,
      profile.kinesis!.pollMs.value,
    );
    const answers = await load(engine, 40, 8);
    expect(answers.filter((s) => s !== 202)).toEqual([]);
    await until(() => engine!.status().counts.delivered === answers.length, 20_000);
    // The consumer's own lag (age of the oldest unprocessed record) still reads caught up.
    await until(() => engine!.status().backlog.broker?.value === 0, 10_000);
    expect(engine.status().backlog.broker?.kind).toBe('age-ms');
    const stats = (await kinesisModelStats(admin)) as LayerStats;
    const check = fidelityCheck(profile, stats);
    console.log(
      JSON.stringify(check.rows.map((r) => [r.what, r.targetMs, r.measuredMs, r.samples])),
    );
    const prop = check.rows.find((r) => r.what === 'propagation mean')!;
    expect(prop.samples).toBe(answers.length);
    expect(prop.flagged, `propagation ${prop.measuredMs} ms against ${prop.targetMs} ms`).toBe(
      false,
    );
    // Per-call latencies are shown, not asserted: kinesalite's own time on a busy machine can
    // exceed a low draw (the layer answers no sooner than the draw, never faster than upstream).
    await engine.stop();
    engine = undefined;
  });

  it('throttles an on-demand burst past twice the previous peak, and the producer shows it', async () => {
    const { profile } = loadFidelityProfile('aws-on-demand');
    const base = serviceModelOf(profile, 1);
    // A stream that peaked at 100 records/s: 200/s absorbed; scaled down from AWS's figures.
    const model: ServiceModel = {
      ...base,
      latency: {},
      capacity: {
        ...(base.capacity as Extract<ServiceModel['capacity'], { mode: 'on-demand' }>),
        recordsPerS: 50,
        previousPeakRecordsPerS: 100,
        scaleAfterMs: 600_000,
      },
    };
    await setKinesisQuota(admin, { mode: 'on', multiplier: 1, model });
    await engine?.stop();
    engine = await startKinesisEngine(`fid-od-${Date.now().toString(36)}`, 200);
    const within = await load(engine, 150, 2);
    expect(
      within.filter((s) => s !== 202),
      JSON.stringify(engine.status().counts),
    ).toEqual([]);
    const t0 = Date.now();
    const burst = await load(engine, 900, 2, 1000);
    const seconds = Math.ceil((Date.now() - t0) / 1000);
    const refused = burst.filter((s) => s !== 202).length;
    const s = engine.status();
    const opens = Object.values(s.breakers).reduce((a, b) => a + b.opens, 0);
    console.log(JSON.stringify({ refused, failed: s.counts.failed, shed: s.counts.shed, opens }));
    expect(refused).toBeGreaterThan(0);
    // Every refused write is the producer's answer: a shed or a failure naming its reason.
    expect(s.counts.failed.total + s.counts.shed.total).toBe(refused);
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    expect(metrics).toMatch(
      /hunt_kinesis_quota_throttled_records_total\{op="PutRecords",stream="fid-od-[^"]+"\} [1-9]/,
    );
    // What was accepted stayed within the allowance: 200 in any second of the burst and its answers.
    expect(burst.length - refused).toBeLessThanOrEqual(200 * seconds);
  });
});
