/**
 * Kinesis with no endpoint override resolves AWS's own regional endpoint and takes its
 * credentials from the SDK's default chain. No network: only the client's resolution.
 * Here, not beside the code, because it sets AWS_* in process.env.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { kinesisClient } from '../../drivers/kinesis/backend.ts';

const saved = { ...process.env };
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLECHAIN';
  process.env.AWS_SECRET_ACCESS_KEY = 'example-secret-from-env';
  delete process.env.AWS_PROFILE;
});
afterAll(() => {
  process.env = saved;
});

const opts = (endpoints: string[]) => ({
  endpoints,
  clientId: 't',
  requestTimeoutMs: 1000,
  region: 'eu-central-1',
  lagPollMs: 1000,
  log: () => {},
});

test('no endpoint: https://kinesis.<region>.amazonaws.com and the default credential chain', async () => {
  const client = kinesisClient(opts([]));
  const ep = client.config.endpointProvider({ Region: await client.config.region() });
  expect(ep.url.href).toBe('https://kinesis.eu-central-1.amazonaws.com/');
  const creds = await client.config.credentials();
  expect(creds.accessKeyId).toBe('AKIAEXAMPLECHAIN');
  client.destroy();
});

test('a loopback endpoint is used as is, with the emulator key, not the chain', async () => {
  const client = kinesisClient(opts(['http://127.0.0.1:4567']));
  const ep = await client.config.endpoint?.();
  expect(ep?.hostname).toBe('127.0.0.1');
  expect((await client.config.credentials()).accessKeyId).toBe('local');
  client.destroy();
});
