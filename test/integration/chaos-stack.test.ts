/**
 * The runner against the real stack: quota steps on the Kinesis quota layer (behind
 * Toxiproxy's kinesis proxy) and on Kafka's client quotas, and a broker kill that the stack's
 * pid files restart identically.
 */
import {
  CreateStreamCommand,
  KinesisClient,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../chaos/plan.ts';
import { ChaosRecorder } from '../../chaos/recorder.ts';
import { runPlan } from '../../chaos/runner.ts';
import { kafkaProducerByteRate } from '../../drivers/kafka/quota.ts';
import { createTopicsLed } from '../../drivers/kafka/topics.ts';
import { KinesisBackend } from '../../drivers/kinesis/backend.ts';
import { HOST } from '../../stack/config.ts';
import { isRunning, readDaemon, waitFor } from '../../stack/process.ts';
import { toolPaths } from '../../stack/tools.ts';
import {
  planTargets,
  runTargets,
  stackProcessControl,
  stackQuotaControl,
  toxiproxyUrl,
} from '../../system/chaos.ts';
import { startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

function controls() {
  return {
    toxiproxyUrl: toxiproxyUrl(stack.ports),
    processControl: stackProcessControl(stack.paths, stack.ports),
    quotaControl: stackQuotaControl(stack.paths, stack.ports),
  };
}

/** Starts a plan and resolves once its first step is in force (wrapped: a bare promise would be awaited too). */
async function startPlan(yaml: string, backend: string, signal?: AbortSignal) {
  const recorder = new ChaosRecorder();
  const run = runPlan(parsePlan(yaml, 'test.yaml', planTargets()), {
    run: runTargets(backend),
    recorder,
    ...controls(),
    ...(signal ? { signal, holdUntilAborted: true } : {}),
  });
  await waitFor(
    'first step applied',
    async () => {
      if (recorder.active().length === 0)
        throw new Error(JSON.stringify(recorder.toRecord().events));
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
  return { run };
}

describe('Kinesis quotas through the kinesis proxy', () => {
  const endpoint = () => `http://${HOST}:${stack.ports.kinesisProxy}`;

  it('a quota step throttles PutRecords while in force, and not after', async () => {
    const client = new KinesisClient({
      endpoint: endpoint(),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
    await client.send(new CreateStreamCommand({ StreamName: 'quota-step', ShardCount: 1 }));
    await waitUntilStreamExists(
      { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { StreamName: 'quota-step' },
    );
    const put = () =>
      client.send(
        new PutRecordsCommand({
          StreamName: 'quota-step',
          Records: Array.from({ length: 500 }, (_, i) => ({
            Data: new Uint8Array(10),
            PartitionKey: `k${i}`,
          })),
        }),
      );
    const { run } = await startPlan(
      'description: x\nsteps:\n  - { at: 0, for: 3, quota: { provider: broker, multiplier: 0.1 } }\n',
      'kinesis',
    );
    const during = await put();
    const { record, errors } = await run;
    const after = await put();
    client.destroy();
    expect(errors).toBe(0);
    expect(during.FailedRecordCount).toBeGreaterThanOrEqual(390); // 100 records/s at x0.1
    expect(during.Records!.find((r) => r.ErrorCode)?.ErrorCode).toBe(
      'ProvisionedThroughputExceededException',
    );
    expect(after.FailedRecordCount).toBe(0);
    expect(record.events[0]).toMatchObject({ kind: 'quota', target: 'kinesis', error: null });
    const metrics = await (
      await fetch(`http://${HOST}:${stack.ports.kinesisQuota}/metrics`)
    ).text();
    expect(metrics).toMatch(
      /hunt_kinesis_quota_throttled_records_total\{op="PutRecords",stream="quota-step"\} [1-9]/,
    );
  });

  it("the engine's Kinesis backend retries throttled records and loses none", async () => {
    const backend = new KinesisBackend({
      endpoints: [endpoint()],
      clientId: 'chaos-test',
      requestTimeoutMs: 5_000,
      region: 'us-east-1',
      lagPollMs: 1_000,
      log: () => {},
    });
    await backend.ensureTopic('quota-engine', 1);
    const controller = new AbortController();
    const { run } = await startPlan(
      'description: x\nsteps:\n  - { at: 0, quota: { provider: kinesis } }\n',
      'kinesis',
      controller.signal,
    );
    // 2,000 records at once against one shard's 1,000 records/s: half are throttled. The limit
    // holds over any one-second window, so the backend's retries (of just the failed records)
    // get more in only once that second has passed; what they cannot place is refused.
    const records = Array.from({ length: 2000 }, (_, i) => ({
      key: `hunt-${i % 7}`,
      value: Buffer.from(`e${i}`),
      ts: Date.now(),
    }));
    const outcomes = await backend.createProducer('quota-engine').then((p) => p.send(records));
    controller.abort();
    await run;
    const acked = new Set(
      records.filter((_r, i) => outcomes[i] === undefined).map((r) => r.value.toString()),
    );
    const seen = new Set<string>();
    let copies = 0;
    await backend.readAll('quota-engine', (r) => {
      seen.add(r.value.toString());
      copies++;
    });
    await backend.close();
    console.log(
      `2000 records at once under quota: ${acked.size} acknowledged, ${copies} in the stream`,
    );
    expect(acked.size).toBeGreaterThanOrEqual(1000); // at least one second's quota
    // Nothing acknowledged is lost, nothing is written twice, nothing refused got in.
    expect([...acked].filter((v) => !seen.has(v))).toEqual([]);
    expect(copies).toBe(acked.size);
    expect(seen.size).toBe(acked.size);
    const metrics = await (
      await fetch(`http://${HOST}:${stack.ports.kinesisQuota}/metrics`)
    ).text();
    expect(metrics).toMatch(
      /hunt_kinesis_quota_throttled_records_total\{op="PutRecords",stream="quota-engine"\} [1-9]/,
    );
  });
});

describe('Kafka', () => {
  const kafkaConfig = (clientId: string) => ({
    clientId,
    brokers: [`${HOST}:${stack.ports.kafkaProxy}`],
    logLevel: logLevel.NOTHING,
  });
  const kafkaClient = (clientId: string) => new Kafka(kafkaConfig(clientId));

  beforeAll(async () => {
    // The broker creates no topic on its own (auto.create.topics.enable=false).
    await createTopicsLed(kafkaConfig('chaos-admin'), [
      { topic: 'quota-test' },
      { topic: 'after-kill' },
    ]);
  });

  const kafkaTool = () => ({
    libs: toolPaths(stack.paths).kafkaLibs,
    bootstrap: `${HOST}:${stack.ports.kafka}`,
  });

  it('a quota step sets producer_byte_rate through Kafka admin and removes it after', async () => {
    const controller = new AbortController();
    const { run } = await startPlan(
      'description: x\nsteps:\n  - { at: 0, for: 120, quota: { provider: broker, producerByteRate: 65536 } }\n',
      'kafka',
      controller.signal,
    );
    expect(await kafkaProducerByteRate(kafkaTool())).toBe(65536);
    // The broker throttles: Kafka measures the rate over a ~10 s window, so 1 MiB sent at once
    // is ~100 KiB/s against a 64 KiB/s quota, and the broker mutes the client for seconds.
    const kafka = kafkaClient('quota');
    const producer = kafka.producer();
    await producer.connect();
    const started = Date.now();
    for (let i = 0; i < 16; i++) {
      await producer.send({
        topic: 'quota-test',
        acks: -1,
        messages: [{ value: Buffer.alloc(64 * 1024) }],
      });
    }
    const ms = Date.now() - started;
    await producer.disconnect();
    console.log(`1 MiB under a 64 KiB/s producer quota: ${ms} ms`);
    expect(ms).toBeGreaterThan(2_000);
    controller.abort();
    const { record } = await run;
    expect(record.events[0]).toMatchObject({ kind: 'quota', target: 'kafka', error: null });
    expect(await kafkaProducerByteRate(kafkaTool())).toBeUndefined();
  });

  it('broker-kill: SIGKILLs Kafka and restarts it identically; clients through the proxy work again', async () => {
    const before = readDaemon(stack.paths.state, 'kafka')!;
    const { run } = await startPlan(
      'description: x\nsteps:\n  - { at: 0, for: 2, kill: { process: broker } }\n',
      'kafka',
    );
    expect(isRunning(stack.paths.state, before)).toBe(false);
    const { record, errors } = await run;
    expect(errors).toBe(0);
    const after = readDaemon(stack.paths.state, 'kafka')!;
    expect(after.pid).not.toBe(before.pid);
    expect({ ...after, pid: 0, startedAt: '' }).toEqual({ ...before, pid: 0, startedAt: '' });
    expect(isRunning(stack.paths.state, after)).toBe(true);
    expect(record.events[0]!.removedAtS).toBeGreaterThanOrEqual(2);
    const kafka = kafkaClient('after-kill');
    // Clients through the proxy recover once the broker is back (metadata settles in seconds).
    const producer = kafka.producer();
    await producer.connect();
    await waitFor(
      'produce after restart',
      () => producer.send({ topic: 'after-kill', acks: -1, messages: [{ value: 'alive' }] }),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await producer.disconnect();
  });
});
