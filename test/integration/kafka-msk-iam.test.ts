/**
 * MSK IAM's token from the default AWS credential chain, with fake credentials in the
 * environment: no network, no broker. Here rather than beside the code because it sets
 * process.env, which unit tests, sharing one process, leave alone (docs/contracts.md).
 */
import { expect, test } from 'vitest';
import {
  kafkajsSecurity,
  kafkaSecurityOf,
  platformaticSecurity,
} from '../../drivers/kafka/security.ts';

const base = { kafkaTls: true, kafkaSaslMechanism: 'aws-msk-iam', region: 'eu-west-1' } as const;

const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
] as const;
/** The AWS variables are put back at once, whatever the test did. */
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
    const msk = kafkaSecurityOf(base);
    const { sasl } = kafkajsSecurity(msk, ['b-1.example.com:9098']);
    expect(sasl?.mechanism).toBe('oauthbearer');
    const provider = (sasl as { oauthBearerProvider: () => Promise<{ value: string }> })
      .oauthBearerProvider;
    const { value } = await provider();
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
  }));
