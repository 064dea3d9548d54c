/**
 * The runner against the real stack's Kafka: a quota step on Kafka's client quotas, and a
 * broker kill that the stack's pid files restart identically.
 */
import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kafkaProducerByteRate } from '../../drivers/kafka/quota.ts';
import { createTopicsLed } from '../../drivers/kafka/topics.ts';
import { HOST } from '../../stack/config.ts';
import { isRunning, readDaemon, waitFor } from '../../stack/process.ts';
import { toolPaths } from '../../stack/tools.ts';
import { stack, startPlan } from './chaos-fixture.ts';

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
