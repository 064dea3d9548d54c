/**
 * The real stack: Kafka 4.1 (KRaft) from Maven Central jars, kinesalite, Toxiproxy 2.12.
 * Clients reach Kafka and Kinesis through Toxiproxy, so a toxic on a proxy must show in
 * what they measure.
 */
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { execa } from 'execa';
import { Kafka, logLevel } from 'kafkajs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopicsLed } from '../../drivers/kafka/topics.ts';
import { localKinesisClient } from '../../drivers/kinesis/kinesalite.ts';
import { HOST } from '../../stack/config.ts';
import { listDaemons, pidAlive, portInUse } from '../../stack/process.ts';
import { toolPaths } from '../../stack/tools.ts';
import { stackStatus } from '../../system/stack.ts';
import { startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const proxyConfig = () => ({
  clientId: 'stack-test',
  brokers: [`${HOST}:${stack.ports.kafkaProxy}`],
  logLevel: logLevel.NOTHING,
});
const viaProxy = (): Kafka => new Kafka(proxyConfig());

/** Produces one message through the proxy and waits until a consumer reads it back. */
async function roundTrip(kafka: Kafka, topic: string, value: string): Promise<number> {
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `g-${value}` });
  await Promise.all([producer.connect(), consumer.connect()]);
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let started = 0;
    // The clock starts once the consumer has joined its group: a join takes seconds on a busy
    // machine, and timed with the message it would swamp the toxic's latency.
    const joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    const received = new Promise<number>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value?.toString() === value) resolve(Date.now() - started);
        },
      });
    });
    await joined;
    started = Date.now();
    await producer.send({ topic, acks: -1, messages: [{ value }] });
    return await received;
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
  }
}

describe('stack', () => {
  it('reports every component running with its version', async () => {
    const status = await stackStatus(stack.paths, stack.ports);
    expect(status.up).toBe(true);
    expect(status.components.map((c) => [c.name, c.state])).toEqual([
      ['kafka', 'running'],
      ['kinesalite', 'running'],
      ['kinesis-quota', 'running'],
      ['toxiproxy', 'running'],
    ]);
    expect(status.components.find((c) => c.name === 'toxiproxy')?.version).toBe('2.12.0');
    expect(status.components.find((c) => c.name === 'kafka')?.version).toMatch(/^4\.1\./);
  });

  it('keeps a Kafka client that bootstraps through the proxy behind it', async () => {
    const admin = viaProxy().admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((b) => b.port)).toEqual([stack.ports.kafkaProxy]);
    } finally {
      await admin.disconnect();
    }
  });

  it('carries Kafka traffic through the proxy, and a latency toxic shows in the round trip', async () => {
    const kafka = viaProxy();
    await createTopicsLed(proxyConfig(), [{ topic: 'rt', numPartitions: 1 }]);

    const base = await roundTrip(kafka, 'rt', 'before');
    const proxy = await new Toxiproxy(`http://${HOST}:${stack.ports.toxiproxy}`).get('kafka');
    const toxic = await proxy.addToxic({
      name: 'rt-latency',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 300, jitter: 0 },
    });
    try {
      const slow = await roundTrip(kafka, 'rt', 'during');
      // The produce ack and the fetch that returns the message each cross the toxic.
      expect(slow - base).toBeGreaterThanOrEqual(300);
    } finally {
      await toxic.remove();
    }
  });

  it("lets Kafka's own Java clients produce and consume through the proxy's bootstrap address", async () => {
    const java = ['-cp', `${toolPaths(stack.paths).kafkaLibs}/*`];
    const bootstrap = `${HOST}:${stack.ports.kafkaProxy}`;
    await createTopicsLed(proxyConfig(), [{ topic: 'perf', numPartitions: 2 }]);
    const perf = await execa('java', [
      ...java,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      'perf',
      '--num-records',
      '2000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
      'acks=all',
    ]);
    expect(perf.stdout).toMatch(/2000 records sent/);
    const consumed = await execa('java', [
      ...java,
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      '--bootstrap-server',
      bootstrap,
      '--topic',
      'perf',
      '--from-beginning',
      '--max-messages',
      '2000',
      '--timeout-ms',
      '30000',
    ]);
    expect(consumed.stdout.trim().split('\n')).toHaveLength(2000);
  });

  it('carries Kinesis traffic through the proxy (HTTP/1.1 client)', async () => {
    const client = localKinesisClient(`http://${HOST}:${stack.ports.kinesisProxy}`);
    try {
      await client.send(new CreateStreamCommand({ StreamName: 'stack-test', ShardCount: 1 }));
      await waitUntilStreamExists(
        { client, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
        { StreamName: 'stack-test' },
      );
      const put = await client.send(
        new PutRecordCommand({
          StreamName: 'stack-test',
          PartitionKey: 'hunt-1',
          Data: Buffer.from('hello'),
        }),
      );
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamName: 'stack-test',
          ShardId: put.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const got = await client.send(new GetRecordsCommand({ ShardIterator }));
      expect(got.Records?.map((r) => Buffer.from(r.Data ?? []).toString())).toEqual(['hello']);
    } finally {
      client.destroy();
    }
  });
});

describe('stack down', () => {
  it('leaves no process and no listener', async () => {
    const pids = listDaemons(stack.paths.state).map((d) => d.pid);
    expect(pids).toHaveLength(4);
    const ports = [
      stack.ports.kafka,
      stack.ports.kafkaController,
      stack.ports.kafkaProxied,
      stack.ports.kinesis,
      stack.ports.kinesisQuota,
      stack.ports.toxiproxy,
      stack.ports.kafkaProxy,
      stack.ports.kinesisProxy,
      stack.ports.downstreamProxy,
    ];
    await stack.stop();
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    for (const port of ports) expect(await portInUse(port)).toBe(false);
  });
});
