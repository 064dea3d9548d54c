import { expect, test } from 'vitest';
import type { RunTargetRecord } from '../contract/schema.ts';
import { descriptionOf } from './descriptions.ts';
import { driverNames, driverOf, registerDriver } from './registry.ts';
import type { Driver } from './types.ts';

const record = (backend: string): RunTargetRecord => ({
  file: 'target.yaml',
  backend,
  brokers: ['b-1.example:9098'],
  region: 'eu-west-1',
  kinesisEndpoint: null,
  topic: 'orders',
  dlqTopic: 'orders-dlq',
  createTopic: false,
  tls: true,
  saslMechanism: 'aws-msk-iam',
  saslUsername: null,
});

test('each shipped driver is described as the driver itself says', () => {
  for (const name of driverNames()) {
    const driver = driverOf(name);
    const d = descriptionOf(name);
    expect(d?.name).toBe(name);
    expect(d?.selfChecks).toBe(driver.local?.selfCheck !== undefined);
    expect(d?.describeTarget?.(record(name))).toBe(driver.target?.describe(record(name)));
  }
  expect(descriptionOf('kinesis')?.selfChecks).toBe(true);
  expect(descriptionOf('kafka')?.describeTarget?.(record('kafka'))).toMatch(
    /^real kafka: brokers b-1\.example:9098, topic orders \(existing\), TLS on/,
  );
  expect(descriptionOf('nats')).toBeUndefined();
});

test('a driver registered beside the shipped ones is described until it is removed', () => {
  const plugged: Driver = {
    name: 'plugged',
    label: 'Plugged',
    noun: 'log',
    engine: { backend: () => undefined as never, hosts: () => [] },
    target: {
      missing: () => null,
      record: () => ({
        brokers: null,
        region: null,
        kinesisEndpoint: null,
        tls: false,
        saslMechanism: null,
        saslUsername: null,
      }),
      describe: (t) => `real plugged: log ${t.topic}`,
      dimensions: () => ({}) as never,
    },
  };
  const remove = registerDriver(plugged);
  expect(descriptionOf('plugged')?.selfChecks).toBe(false);
  expect(descriptionOf('plugged')?.describeTarget?.(record('plugged'))).toBe(
    'real plugged: log orders',
  );
  remove();
  expect(descriptionOf('plugged')).toBeUndefined();
});
