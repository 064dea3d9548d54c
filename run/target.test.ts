import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { describeTarget, loadTarget } from './target.ts';

const dir = mkdtempSync(join(tmpdir(), 'hunt-target-'));
const file = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const opts = (allowRemote = false) => ({
  allowRemote,
  runTopic: (b: string) => `hunt-run-${b}`,
  env: {},
});

test('a Kinesis target without endpoint is AWS: refused without --allow-remote, recorded with its region', async () => {
  const f = file(
    'aws.yaml',
    'backend: kinesis\nregion: eu-west-1\ntopic: orders\ncreateTopic: false\n',
  );
  await expect(loadTarget(f, opts())).rejects.toThrow(
    new RegExp(
      `^--target ${f}: refusing non-loopback targets \\(kinesisEndpoint=kinesis\\.eu-west-1\\.amazonaws\\.com\\)`,
    ),
  );
  const t = await loadTarget(f, opts(true));
  expect(t.record).toMatchObject({
    backend: 'kinesis',
    region: 'eu-west-1',
    kinesisEndpoint: null,
    topic: 'orders',
    dlqTopic: 'orders-dlq',
    createTopic: false,
    brokers: null,
  });
  expect(describeTarget(t.record)).toBe('real kinesis: AWS eu-west-1, stream orders (existing)');
});

test('errors name the file and the key, in one line', async () => {
  const cases: [string, RegExp][] = [
    ['backend: rabbit\n', /backend: must be kafka or kinesis/],
    ['backend: kafka\ntopic: t\n', /brokers: required for kafka/],
    ['backend: kafka\nbrokers: [127.0.0.1:9092]\nport: 1\n', /port: set by the run/],
    [
      'backend: kafka\nbrokers: [127.0.0.1:9092]\ncreateTopic: sometimes\n',
      /createTopic: .*boolean/,
    ],
    ['backend: kafka\nbrokers: [127.0.0.1:9092]\ncolour: blue\n', /colour: Unrecognized key/],
    [
      'backend: kafka\nbrokers: [b-1.example.com:9096]\n',
      /refusing non-loopback targets \(brokers=b-1\.example\.com\)/,
    ],
    ['[1, 2]\n', /must hold a mapping/],
    [
      'backend: kafka\nbrokers: [b-1.example.com:9096]\nallowRemote: true\n',
      /refusing non-loopback targets \(brokers=b-1\.example\.com\); pass --allow-remote/,
    ],
  ];
  for (const [i, [text, why]] of cases.entries()) {
    const f = file(`bad${i}.yaml`, text);
    const err = await loadTarget(f, opts()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(new RegExp(`^--target ${f}: `));
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).not.toContain('\n');
  }
  await expect(loadTarget(join(dir, 'none.yaml'), opts())).rejects.toThrow(
    /^--target \S+none\.yaml: cannot read the file/,
  );
});

test('a Kafka target: its topic or the run’s own; the record holds where, never a secret', async () => {
  const secret = 'https://hooks.example.com/T000/B000/token-abcdef';
  const f = file(
    'kafka.yaml',
    `backend: kafka\nbrokers: [127.0.0.1:9092]\nalertWebhook: ${secret}\n`,
  );
  const t = await loadTarget(f, opts(true));
  expect(t.config.topic).toBe('hunt-run-kafka');
  expect(t.config.createTopic).toBe(true);
  expect(t.config.alertWebhook).toBe(secret);
  expect(t.keys).toEqual(['backend', 'brokers', 'alertWebhook']);
  expect(t.record).toMatchObject({ brokers: ['127.0.0.1:9092'], tls: false, saslMechanism: null });
  expect(JSON.stringify(t.record)).not.toContain('token-abcdef');
});
