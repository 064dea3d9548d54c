import { expect, test } from 'vitest';
import { REDACTED, redact, redactText, SECRET_KEYS, secretValues } from './secrets.ts';

test('redact: a deep copy with every secret key and KEY=value occurrence replaced', () => {
  const input = {
    topic: 'orders',
    kafkaSaslPassword: 'hunter2-long',
    nested: [{ alertWebhook: 'https://hooks.example/T0/abc' }],
    args: ['--set', 'kafkaSaslPassword=hunter2-long', 'HUNT_ENGINE_KAFKA_SASL_PASSWORD=xyz'],
  };
  const out = redact(input);
  expect(out).toEqual({
    topic: 'orders',
    kafkaSaslPassword: REDACTED,
    nested: [{ alertWebhook: REDACTED }],
    args: ['--set', `kafkaSaslPassword=${REDACTED}`, `HUNT_ENGINE_KAFKA_SASL_PASSWORD=${REDACTED}`],
  });
  expect(input.kafkaSaslPassword).toBe('hunter2-long');
  expect(SECRET_KEYS).toContain('kafkaSaslPassword');
});

test('redactText replaces each secret literal wherever it appears', () => {
  const secrets = secretValues({ alertWebhook: 'http://h/hook/tok-123', topic: 't' });
  expect(secrets).toEqual(['http://h/hook/tok-123']);
  expect(redactText('failed url=http://h/hook/tok-123 now', secrets)).toBe(
    `failed url=${REDACTED} now`,
  );
});
