/**
 * `hunt run --target` against a Kafka broker that wants TLS and SCRAM-SHA-512
 * (testkit/kafka-secure.ts): the password comes from HUNT_ENGINE_KAFKA_SASL_PASSWORD only; the
 * engine and the audit's reader both connect with it; the topic exists with records of before
 * the run; and neither the password nor the webhook token is in any file of the results.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SecureKafka, startSecureKafka } from '../../testkit/kafka-secure.ts';
import { testEnv } from './stack-fixture.ts';
import { existingKafkaTopic, expectTargetResults, targetRun, work } from './target-run.ts';

const USER = {
  mechanism: 'SCRAM-SHA-512',
  name: 'huntrun',
  password: randomBytes(12).toString('hex'),
} as const;
const TOKEN = `hook${randomBytes(8).toString('hex')}`;
const topic = 'secure-orders';

let kafka: SecureKafka;
let env: Record<string, string>;
let file: string;

beforeAll(async () => {
  kafka = await startSecureKafka([USER]);
  env = { ...(await testEnv()).env, HUNT_ENGINE_KAFKA_SASL_PASSWORD: USER.password };
  // The topic and its history are made through the broker's plain listener.
  await existingKafkaTopic({ brokers: [kafka.plaintext], logLevel: logLevel.NOTHING }, topic);
  file = join(work, 'secure-target.yaml');
  writeFileSync(
    file,
    [
      'backend: kafka',
      `brokers: [${kafka.saslSsl}]`,
      `topic: ${topic}`,
      'createTopic: false',
      'kafkaTls: true',
      `kafkaTlsCa: ${kafka.pki.ca}`,
      'kafkaSaslMechanism: scram-sha-512',
      `kafkaSaslUsername: ${USER.name}`,
      `alertWebhook: http://127.0.0.1:9/hooks/${TOKEN}`,
      'alertBacklog: 1',
      'alertBacklogForS: 0',
    ].join('\n'),
  );
}, 180_000);
afterAll(async () => {
  await kafka?.stop();
});

it('runs over TLS and SCRAM with nothing lost, old records not counted, no secret written', async () => {
  const out = join(work, 'secure-out');
  const run = await targetRun(env, file, out);
  const log = `${run.stdout}\n${run.stderr}`;
  expect(run.exitCode, log).toBe(0);
  const manifest = await expectTargetResults(env, out, 'kafka', log, [USER.password, TOKEN]);
  expect(manifest.target).toMatchObject({
    tls: true,
    saslMechanism: 'scram-sha-512',
    saslUsername: USER.name,
  });
  const admin = new Kafka({ brokers: [kafka.plaintext], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic, `${topic}-dlq`]));
  await admin.disconnect();
}, 240_000);

it('a wrong password or an untrusted CA ends the run within seconds, on one line naming the fix', async () => {
  const wrongPw = { ...env, HUNT_ENGINE_KAFKA_SASL_PASSWORD: `${USER.password}-wrong` };
  const untrusted = join(work, 'untrusted-target.yaml');
  // A CA, but not the one that signed the broker's certificate.
  writeFileSync(
    untrusted,
    [
      'backend: kafka',
      `brokers: [${kafka.saslSsl}]`,
      `topic: ${topic}`,
      'createTopic: false',
      'kafkaTls: true',
      `kafkaTlsCa: ${kafka.pki.strangerCa}`,
      'kafkaSaslMechanism: scram-sha-512',
      `kafkaSaslUsername: ${USER.name}`,
    ].join('\n'),
  );
  const cases = [
    { env: wrongPw, file, expect: /SASL authentication failed.*wrong kafkaSaslPassword/ },
    { env, file: untrusted, expect: /kafkaTlsCa/ },
  ];
  for (const c of cases) {
    const started = Date.now();
    const run = await targetRun(
      c.env,
      c.file,
      join(work, `fail-${randomBytes(3).toString('hex')}`),
    );
    const seconds = (Date.now() - started) / 1000;
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('hunt: '));
    expect(run.exitCode, run.stderr).toBe(2);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(c.expect);
    expect(`${run.stdout}${run.stderr}`).not.toContain(USER.password);
    expect(seconds).toBeLessThan(30);
  }
}, 120_000);
