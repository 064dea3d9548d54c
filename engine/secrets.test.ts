import { expect, test } from 'vitest';
import {
  REDACTED,
  redact,
  redactingLog,
  redactText,
  SECRET_KEYS,
  secretValues,
} from './secrets.ts';

test('the SASL password and the alert webhook (its URL carries a token) are the secret settings', () => {
  expect(SECRET_KEYS).toEqual(['kafkaSaslPassword', 'alertWebhook']);
});

test('redact replaces a secret setting nested in a list', () => {
  const out = redact({ nested: [{ alertWebhook: 'https://hooks.example/T0/abc' }] });
  expect(out).toEqual({ nested: [{ alertWebhook: REDACTED }] });
  const secrets = secretValues({ alertWebhook: 'http://h/hook/tok-123', topic: 't' });
  expect(secrets).toEqual(['http://h/hook/tok-123']);
  expect(redactText('failed url=http://h/hook/tok-123 now', secrets)).toBe(
    `failed url=${REDACTED} now`,
  );
});

test('redact copies deeply, replacing secret settings, env keys and NAME=value strings', () => {
  const input = {
    settings: { kafkaSaslUsername: 'hunt', kafkaSaslPassword: 'p4ss', topic: 't' },
    env: { HUNT_ENGINE_KAFKA_SASL_PASSWORD: 'p4ss', PATH: '/bin' },
    args: ['--set', 'kafkaSaslPassword=p4ss', '--set', 'topic=t'],
    line: 'HUNT_ENGINE_KAFKA_SASL_PASSWORD=p4ss hunt engine',
    n: 3,
    nothing: null,
  };
  const out = redact(input);
  expect(out).toEqual({
    settings: { kafkaSaslUsername: 'hunt', kafkaSaslPassword: REDACTED, topic: 't' },
    env: { HUNT_ENGINE_KAFKA_SASL_PASSWORD: REDACTED, PATH: '/bin' },
    args: ['--set', `kafkaSaslPassword=${REDACTED}`, '--set', 'topic=t'],
    line: `HUNT_ENGINE_KAFKA_SASL_PASSWORD=${REDACTED} hunt engine`,
    n: 3,
    nothing: null,
  });
  expect(input.settings.kafkaSaslPassword).toBe('p4ss');
  expect(JSON.stringify(out)).not.toContain('p4ss');
});

test('redactText replaces each literal secret, longest first, and JSON-escaped forms', () => {
  const text = 'auth as hunt with s3cr"et and s3cr"et-longer; escaped: "s3cr\\"et"';
  const out = redactText(text, ['s3cr"et', 's3cr"et-longer', '']);
  expect(out).toBe(`auth as hunt with ${REDACTED} and ${REDACTED}; escaped: "${REDACTED}"`);
  expect(redactText('no secret here', [])).toBe('no secret here');
});

test('secretValues lists the secrets a config holds; a redacting log writes none', () => {
  expect(secretValues({ kafkaSaslPassword: 'pw-123' })).toEqual(['pw-123']);
  expect(secretValues({})).toEqual([]);
  const lines: string[] = [];
  const log = redactingLog((m, f) => lines.push(`${m} ${JSON.stringify(f)}`), ['pw-123']);
  log('kafkajs: login pw-123 refused', {
    error: new Error('bad pw-123'),
    kafkaSaslPassword: 'pw-123',
    nested: { list: ['x pw-123'] },
  });
  expect(lines.join('\n')).not.toContain('pw-123');
  expect(lines[0]).toContain(`login ${REDACTED} refused`);
});
