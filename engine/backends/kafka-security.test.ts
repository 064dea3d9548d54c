import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import {
  type KafkaSecuritySettings,
  kafkajsSecurity,
  kafkaSecurityOf,
  kafkaSecurityProblems,
  mskIamTokenProvider,
  platformaticSecurity,
} from './kafka-security.ts';

const dir = mkdtempSync(join(tmpdir(), 'hunt-kafka-security-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const base: KafkaSecuritySettings = { kafkaTls: false, region: 'eu-west-1' };

test.each<[Partial<KafkaSecuritySettings>, RegExp]>([
  [{ kafkaSaslMechanism: 'scram-sha-512' }, /kafkaSaslUsername: required by .*scram-sha-512/],
  [
    { kafkaSaslMechanism: 'plain', kafkaSaslUsername: 'u' },
    /kafkaSaslPassword: required .*HUNT_ENGINE_KAFKA_SASL_PASSWORD/,
  ],
  [{ kafkaSaslMechanism: 'aws-msk-iam' }, /aws-msk-iam needs kafkaTls: true/],
  [
    { kafkaTls: true, kafkaSaslMechanism: 'aws-msk-iam', kafkaSaslPassword: 'x' },
    /kafkaSaslPassword: not used by aws-msk-iam/,
  ],
  [{ kafkaSaslUsername: 'u' }, /kafkaSaslUsername: set only with kafkaSaslMechanism/],
  [
    { kafkaTls: true, kafkaTlsCa: '/no/such/ca.pem' },
    /kafkaTlsCa: file \/no\/such\/ca.pem does not exist/,
  ],
  [{ kafkaTlsCa: ca }, /kafkaTlsCa: set only with kafkaTls: true/],
  [
    { kafkaTls: true, kafkaTlsCert: ca },
    /kafkaTlsCert and kafkaTlsKey: a client certificate needs both/,
  ],
  [{ kafkaTls: true, kafkaTlsKey: dir }, /kafkaTlsKey: .* is not a file/],
])('%o is refused, naming the setting', (settings, message) => {
  const problems = kafkaSecurityProblems({ ...base, ...settings });
  expect(problems.join('\n')).toMatch(message);
});

test('plaintext without SASL needs nothing; a usable TLS/SCRAM setting has no problem', () => {
  expect(kafkaSecurityProblems(base)).toEqual([]);
  expect(kafkaSecurityOf(base)).toBeUndefined();
  const good: KafkaSecuritySettings = {
    ...base,
    kafkaTls: true,
    kafkaTlsCa: ca,
    kafkaSaslMechanism: 'scram-sha-512',
    kafkaSaslUsername: 'hunt',
    kafkaSaslPassword: 'pw',
  };
  expect(kafkaSecurityProblems(good)).toEqual([]);
  const s = kafkaSecurityOf(good);
  expect(s?.tls?.ca).toContain('BEGIN CERTIFICATE');
  expect(kafkajsSecurity(s, ['127.0.0.1:9093'])).toEqual({
    ssl: { ca: s?.tls?.ca, servername: undefined },
    sasl: { mechanism: 'scram-sha-512', username: 'hunt', password: 'pw' },
  });
  // A broker named by host keeps kafkajs's SNI (the host name).
  expect(kafkajsSecurity(s, ['b-1.example.com:9096']).ssl).toEqual({ ca: s?.tls?.ca });
  expect(platformaticSecurity(s)).toEqual({
    tls: { ca: s?.tls?.ca },
    sasl: { mechanism: 'SCRAM-SHA-512', username: 'hunt', password: 'pw' },
  });
  expect(kafkajsSecurity({ tls: {} }, ['127.0.0.1:1']).sasl).toBeUndefined();
});

const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
] as const;
/** Files share a process (vitest.config.ts): the AWS variables are put back at once. */
async function withAwsEnv(env: Record<string, string>, fn: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(AWS_ENV.map((k) => [k, process.env[k]]));
  for (const k of AWS_ENV) delete process.env[k];
  Object.assign(process.env, env);
  try {
    await fn();
  } finally {
    for (const k of AWS_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const FAKE_AWS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

test('MSK IAM: with AWS credentials in the environment the token is a presigned Connect URL for the region', () =>
  withAwsEnv(FAKE_AWS, async () => {
    const msk = kafkaSecurityOf({ ...base, kafkaTls: true, kafkaSaslMechanism: 'aws-msk-iam' });
    const { sasl } = kafkajsSecurity(msk, ['b-1.example.com:9098']);
    expect(sasl?.mechanism).toBe('oauthbearer');
    const { value } = await (
      sasl as { oauthBearerProvider: () => Promise<{ value: string }> }
    ).oauthBearerProvider();
    const url = new URL(Buffer.from(value, 'base64url').toString('utf8'));
    expect(url.hostname).toBe('kafka.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/kafka-cluster\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // The same provider serves @platformatic/kafka's OAUTHBEARER.
    const p = platformaticSecurity(msk).sasl;
    expect(p?.mechanism).toBe('OAUTHBEARER');
    const token = await (p!.token as () => Promise<string>)();
    expect(Buffer.from(token, 'base64url').toString()).toContain('Action=kafka-cluster%3AConnect');
    expect(typeof mskIamTokenProvider('us-east-1')).toBe('function');
  }));
