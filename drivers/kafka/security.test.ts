import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import {
  type KafkaSecuritySettings,
  kafkajsSecurity,
  kafkaSecurityOf,
  kafkaSecurityProblems,
  platformaticSecurity,
} from './security.ts';

const dir = mkdtempSync(join(tmpdir(), 'hunt-kafka-security-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
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

test('MSK IAM is OAUTHBEARER in both clients, signed for the configured region', () => {
  const msk = kafkaSecurityOf({ ...base, kafkaTls: true, kafkaSaslMechanism: 'aws-msk-iam' });
  expect(msk).toEqual({ tls: {}, sasl: { mechanism: 'aws-msk-iam', region: 'eu-west-1' } });
  expect(kafkajsSecurity(msk, ['b-1.example.com:9098']).sasl?.mechanism).toBe('oauthbearer');
  expect(platformaticSecurity(msk).sasl?.mechanism).toBe('OAUTHBEARER');
});
