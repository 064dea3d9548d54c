import { expect, test } from 'vitest';
import { resolveConfig as resolveEngineConfig } from '../system/engine.ts';
import { defaultConfig, envName } from './config.ts';

const defaults = defaultConfig({
  engine: 8080,
  kafka: '127.0.0.1:19094',
  kinesis: 'http://127.0.0.1:14567',
  fulfillment: 'http://127.0.0.1:18081',
});

test('flags beat the environment, which beats the file; DLQ topic and group are derived', () => {
  const c = resolveEngineConfig({
    defaults,
    file: { backend: 'kinesis', topic: 'from-file', partitions: 3, publishTimeoutMs: 900 },
    env: { HUNT_ENGINE_TOPIC: 'from-env', HUNT_ENGINE_BROKERS: '127.0.0.1:1, 127.0.0.1:2' },
    flags: { topic: 'hunt-events-run42', publishTimeoutMs: '700' },
  });
  expect(c).toMatchObject({
    backend: 'kinesis',
    topic: 'hunt-events-run42',
    dlqTopic: 'hunt-events-run42-dlq',
    group: 'hunt-engine-hunt-events-run42',
    partitions: 3,
    publishTimeoutMs: 700,
    brokers: ['127.0.0.1:1', '127.0.0.1:2'],
  });
  expect(envName('publishTimeoutMs')).toBe('HUNT_ENGINE_PUBLISH_TIMEOUT_MS');
});

test.each([
  [{ backend: 'rabbit' }, /backend \(flag\)/],
  [{ backend: 'kafka', port: '80a' }, /port \(flag\): .*expected number/],
  [{ backend: 'kafka', topic: 'a b' }, /topic \(flag\)/],
  [{ backend: 'kafka', colour: 'blue' }, /colour \(flag\): Unrecognized key/],
  [
    { backend: 'kafka', backlogCritical: '10', backlogResume: '10' },
    /backlogResume \(10\) must be below/,
  ],
  [
    { backend: 'kafka', brokers: 'kafka.example.com:9092' },
    /refusing non-loopback targets \(brokers=kafka.example.com\)/,
  ],
  [{ backend: 'kafka', fulfillmentUrl: 'not a url' }, /fulfillmentUrl \(flag\)/],
])('%o is refused with a clear message', (flags, message) => {
  expect(() => resolveEngineConfig({ defaults, flags })).toThrow(message);
});

test('a remote target is allowed when named explicitly', () => {
  const c = resolveEngineConfig({
    defaults,
    flags: { backend: 'kafka', brokers: 'kafka.example.com:9092', allowRemote: true },
  });
  expect(c.brokers).toEqual(['kafka.example.com:9092']);
});

test('a missing backend is an error that names it', () => {
  expect(() => resolveEngineConfig({ defaults })).toThrow(/backend \(default\)/);
});

test('Kafka TLS/SASL settings come from flags and the environment, the password from its variable', () => {
  const c = resolveEngineConfig({
    defaults,
    env: {
      HUNT_ENGINE_KAFKA_TLS: 'true',
      HUNT_ENGINE_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      HUNT_ENGINE_KAFKA_SASL_PASSWORD: 's3cret',
    },
    flags: { backend: 'kafka', kafkaSaslUsername: 'hunt' },
  });
  expect(c).toMatchObject({
    kafkaTls: true,
    kafkaSaslMechanism: 'scram-sha-512',
    kafkaSaslUsername: 'hunt',
    kafkaSaslPassword: 's3cret',
  });
  expect(defaults.kafkaTls).toBe(false);
});

test.each([
  [{ kafkaSaslMechanism: 'scram-sha-256', kafkaSaslPassword: 'pw' }, /kafkaSaslUsername: required/],
  [{ kafkaSaslMechanism: 'aws-msk-iam' }, /kafkaSaslMechanism: aws-msk-iam needs kafkaTls: true/],
  [{ kafkaSaslMechanism: 'kerberos' }, /kafkaSaslMechanism \(flag\)/],
  [
    { kafkaTls: 'true', kafkaTlsCa: '/no/such/ca.pem' },
    /kafkaTlsCa: file \/no\/such\/ca.pem does not exist/,
  ],
])('Kafka security %o is refused, naming the setting and never the password', (flags, message) => {
  const run = () =>
    resolveEngineConfig({
      defaults,
      env: { HUNT_ENGINE_KAFKA_SASL_PASSWORD: 'never-shown' },
      flags: { backend: 'kafka', ...flags },
    });
  expect(run).toThrow(message);
  expect(run).not.toThrow(/never-shown/);
});
