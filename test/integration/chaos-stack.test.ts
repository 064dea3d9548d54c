/**
 * The runner against the real stack: quota steps on the Kinesis quota layer (behind
 * Toxiproxy's kinesis proxy), measured on the real clock. The Kafka side (client quotas and a
 * broker kill) is in chaos-stack-kafka.test.ts.
 */
import {
  CreateStreamCommand,
  KinesisClient,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { KinesisBackend } from '../../drivers/kinesis/backend.ts';
import { HOST } from '../../stack/config.ts';
import { stack, startPlan } from './chaos-fixture.ts';

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
