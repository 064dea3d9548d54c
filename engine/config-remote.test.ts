import { expect, test } from 'vitest';
import { kinesisEndpoints } from '../drivers/kinesis/driver.ts';
import { resolveConfig as resolveEngineConfig } from '../system/engine.ts';
import { defaultConfig } from './config.ts';

const defaults = defaultConfig({
  engine: 8080,
  kafka: '127.0.0.1:19094',
  kinesis: 'http://127.0.0.1:14567',
  fulfillment: 'http://127.0.0.1:18081',
});

test('an empty kinesisEndpoint means AWS: the loopback guard names its regional host', () => {
  const flags = { backend: 'kinesis', kinesisEndpoint: '', region: 'eu-west-1' };
  expect(() => resolveEngineConfig({ defaults, flags })).toThrow(
    /refusing non-loopback targets \(kinesisEndpoint=kinesis\.eu-west-1\.amazonaws\.com\)/,
  );
  const c = resolveEngineConfig({ defaults, flags: { ...flags, allowRemote: true } });
  expect(c.kinesisEndpoint).toBeUndefined();
  expect(kinesisEndpoints(c)).toEqual([]);
});

test('a file without kinesisEndpoint over defaults without one leaves it absent', () => {
  const { kinesisEndpoint: _, ...noEndpoint } = defaults;
  const c = resolveEngineConfig({
    defaults: noEndpoint,
    file: { backend: 'kinesis', region: 'us-west-2', allowRemote: true },
  });
  expect(c.kinesisEndpoint).toBeUndefined();
});

test('createTopic defaults to true, takes false from the environment, and rejects nonsense', () => {
  expect(resolveEngineConfig({ defaults, flags: { backend: 'kafka' } }).createTopic).toBe(true);
  const off = resolveEngineConfig({
    defaults,
    env: { HUNT_ENGINE_CREATE_TOPIC: 'false' },
    flags: { backend: 'kafka' },
  });
  expect(off.createTopic).toBe(false);
  expect(() =>
    resolveEngineConfig({ defaults, flags: { backend: 'kafka', createTopic: 'maybe' } }),
  ).toThrow(/createTopic \(flag\)/);
});
