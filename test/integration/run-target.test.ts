/**
 * `hunt run --target <file>` against a broker the run does not own: the private stack's
 * Kafka (direct listener) and kinesalite stand in for a managed cluster and an AWS stream.
 * The run starts only Toxiproxy of its own, uses the existing topic/stream as is, leaves it,
 * does not count what it held before the run, and writes no secret anywhere in its results.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localKinesisClient } from '../../drivers/kinesis/kinesalite.ts';
import { startTestStack, type TestStack, testEnv } from './stack-fixture.ts';
import {
  existingKafkaTopic,
  expectTargetResults,
  OLD_IDS,
  oldEvent,
  targetRun as run,
  work,
} from './target-run.ts';

// A webhook URL carrying its token, as Slack's do: the engine must carry it and never write it.
const TOKEN = 'T0SECRET-tok-5f3a9c77e1';
const WEBHOOK = `http://127.0.0.1:9/hooks/${TOKEN}`;

let stack: TestStack;
let runEnv: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  // The run's own state dir and ports: no stack there, so the run brings up Toxiproxy alone.
  runEnv = (await testEnv()).env;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const targetRun = (file: string, out: string, extra: string[] = []) =>
  run(runEnv, file, out, extra);

describe('a Kafka target: an existing topic on a broker the run does not own', () => {
  const topic = 'existing-orders';
  let kafka: Kafka;
  let file: string;

  beforeAll(async () => {
    const config = { brokers: [`127.0.0.1:${stack.ports.kafka}`], logLevel: logLevel.NOTHING };
    await existingKafkaTopic(config, topic);
    kafka = new Kafka(config);
    file = join(work, 'kafka-target.yaml');
    writeFileSync(
      file,
      [
        'backend: kafka',
        `brokers: [127.0.0.1:${stack.ports.kafka}]`,
        `topic: ${topic}`,
        'createTopic: false',
        `alertWebhook: ${WEBHOOK}`,
        // Fires while the downstream is cut, so the engine tries the webhook and logs its failure.
        'alertBacklog: 1',
        'alertBacklogForS: 0',
      ].join('\n'),
    );
  }, 60_000);

  it('refuses, before anything starts, a missing topic and a plan that hurts the broker', async () => {
    const missing = join(work, 'missing.yaml');
    writeFileSync(
      missing,
      `backend: kafka\nbrokers: [127.0.0.1:${stack.ports.kafka}]\ntopic: no-such-topic\ncreateTopic: false\n`,
    );
    const a = await targetRun(missing, join(work, 'missing-out'));
    expect(a.exitCode).toBe(2);
    // The last line: whatever the engine printed comes before it.
    expect(a.stderr.trim().split('\n').at(-1)).toMatch(
      /^hunt: --target \S+missing\.yaml: topics 'no-such-topic' and 'no-such-topic-dlq' do not exist and createTopic is false/,
    );
    const b = await targetRun(file, join(work, 'plan-out'), ['--plan', 'broker-latency']);
    expect(b.exitCode).toBe(2);
    expect(b.stderr.trim().split('\n').at(-1)).toMatch(
      /^hunt: --target: plan broker-latency steps\[0\] \(toxic kafka\)/,
    );
  }, 60_000);

  it('runs with nothing lost, old records not counted, the topic left, no secret written', async () => {
    const out = join(work, 'kafka-out');
    const run = await targetRun(file, out);
    const log = `${run.stdout}\n${run.stderr}`;
    expect(run.exitCode, log).toBe(0);
    await expectTargetResults(runEnv, out, 'kafka', log, [TOKEN]);
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic, `${topic}-dlq`]));
    const low = (await admin.fetchTopicOffsets(topic)).map((p) => Number(p.low));
    await admin.disconnect();
    expect(low).toEqual([0, 0]);
  }, 240_000);
});

describe('a Kinesis target: an existing stream behind an endpoint override', () => {
  const stream = 'existing-stream';
  let client: KinesisClient;
  let file: string;

  beforeAll(async () => {
    client = localKinesisClient(`http://127.0.0.1:${stack.ports.kinesis}`);
    for (const s of [stream, `${stream}-dlq`]) {
      await client.send(new CreateStreamCommand({ StreamName: s, ShardCount: 2 }));
      await waitUntilStreamExists(
        { client, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
        { StreamName: s },
      );
    }
    await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: OLD_IDS.map((id, i) => ({
          PartitionKey: `h${i}`,
          Data: Buffer.from(oldEvent(id)),
        })),
      }),
    );
    // Arrival times are the run's mark for Kinesis: the old records lie clearly before it.
    await new Promise((r) => setTimeout(r, 1_500));
    file = join(work, 'kinesis-target.yaml');
    writeFileSync(
      file,
      [
        'backend: kinesis',
        `kinesisEndpoint: http://127.0.0.1:${stack.ports.kinesis}`,
        'region: us-east-1',
        `topic: ${stream}`,
        'createTopic: false',
        `alertWebhook: ${WEBHOOK}`,
        'alertBacklog: 1',
        'alertBacklogForS: 0',
      ].join('\n'),
    );
  }, 60_000);

  it('runs with nothing lost, old records not counted, the stream left, no secret written', async () => {
    const out = join(work, 'kinesis-out');
    const run = await targetRun(file, out);
    const log = `${run.stdout}\n${run.stderr}`;
    expect(run.exitCode, log).toBe(0);
    await expectTargetResults(runEnv, out, 'kinesis', log, [TOKEN]);
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    expect(d.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
    client.destroy();
  }, 240_000);
});
