/**
 * The engine against a real broker's secured listeners (testkit/kafka-secure.ts: a CA and
 * certificates made at start, SCRAM users made by Kafka's own StorageTool, mutual TLS), each
 * engine a `hunt engine` process as a user runs it: a burst over SCRAM-SHA-512 and TLS is
 * delivered whole (and over SCRAM-SHA-256 with the other producer client, and mutual TLS),
 * the audit reader reads it with the same security, and every wrong setting fails the start
 * within seconds with one line, the password never in the output.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFulfillment } from '../../engine/fulfillment/server.ts';
import { readStreamCopy } from '../../run/audit/read.ts';
import { HOST, type Ports } from '../../stack/config.ts';
import { privateStackEnv } from '../../system/private-stack.ts';
import { type SecureKafka, startSecureKafka } from '../../testkit/kafka-secure.ts';
import { eventually } from './engine-harness.ts';
import {
  engineUp,
  fulfilledIds,
  postRegistrations,
  type SpawnedEngine,
  spawnEngine,
} from './engine-spawn.ts';

const pw = () => randomBytes(12).toString('hex');
const USERS = {
  scram512: { mechanism: 'SCRAM-SHA-512', name: 'hunt512', password: pw() },
  scram256: { mechanism: 'SCRAM-SHA-256', name: 'hunt256', password: pw() },
  plain: { mechanism: 'PLAIN', name: 'huntplain', password: pw() },
} as const;
/** Distinctive, so that finding it in any output is a leak and not a coincidence. */
const WRONG = `wrong${pw()}`;

let kafka: SecureKafka;
let ports: Ports;
let env: Record<string, string>;
let fulfillment: FastifyInstance;
let dir: string;
/** Accepts connections and never answers, as a TLS port does a client that sends no handshake. */
let silent: Server;
const sockets = new Set<Socket>();
const record = () => join(dir, 'fulfilled.ndjson');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hunt-kafka-secure-it-'));
  kafka = await startSecureKafka(Object.values(USERS));
  ({ ports, env } = await privateStackEnv());
  fulfillment = await startFulfillment({ host: HOST, port: ports.fulfillment, record: record() });
  silent = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => silent.listen(0, HOST, resolve));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await fulfillment?.close();
  await kafka?.stop();
  if (env?.HUNT_STATE) rmSync(env.HUNT_STATE, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `hunt engine` on the secure broker; the password comes from the environment only. */
function engine(
  settings: Record<string, string>,
  password?: string,
  brokers = kafka.saslSsl,
): SpawnedEngine {
  const args = [
    ...['--backend', 'kafka', '--brokers', brokers, '--port', String(ports.engine)],
    ...['--fulfillment-url', `http://${HOST}:${ports.fulfillment}`],
    ...['--topic', `secure-${randomBytes(4).toString('hex')}`, '--partitions', '2'],
    ...Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
  ];
  return spawnEngine(args, {
    ...env,
    ...(password ? { HUNT_ENGINE_KAFKA_SASL_PASSWORD: password } : {}),
  });
}

const tls = (ca = kafka.pki.ca) => ({ kafkaTls: 'true', kafkaTlsCa: ca });
const scram512 = { kafkaSaslMechanism: 'scram-sha-512', kafkaSaslUsername: USERS.scram512.name };

async function deliversBurst(e: SpawnedEngine, n: number, tag: string, password?: string) {
  const url = `http://${HOST}:${ports.engine}`;
  try {
    await engineUp(e, url);
    const { accepted, statuses } = await postRegistrations(url, n, tag);
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    await eventually('every accepted event fulfilled', () => {
      const got = fulfilledIds(record());
      return accepted.every((id) => got.has(id));
    }).catch(() => {});
    const got = fulfilledIds(record());
    expect(accepted.filter((id) => !got.has(id))).toEqual([]);
    return accepted;
  } finally {
    expect(await e.stop()).toBe(0);
    if (password) expect(e.output()).not.toContain(password);
  }
}

describe('engine over SASL_SSL', () => {
  test('SCRAM-SHA-512 over TLS: a burst is delivered whole, and the audit reader reads it', async () => {
    const e = engine({ ...tls(), ...scram512 }, USERS.scram512.password);
    const accepted = await deliversBurst(e, 300, 'b512', USERS.scram512.password);
    // The audit's reader, with the same security resolved from the same settings (here PLAIN).
    const topic = /"topic":"(secure-[0-9a-f]+)"/.exec(e.output())?.[1];
    expect(topic).toBeDefined();
    const settings = {
      kafkaTls: true,
      kafkaTlsCa: kafka.pki.ca,
      kafkaSaslMechanism: 'plain' as const,
      kafkaSaslUsername: USERS.plain.name,
      kafkaSaslPassword: USERS.plain.password,
      region: 'us-east-1',
    };
    const port = Number(kafka.saslSsl.split(':')[1]);
    const copy = await readStreamCopy(
      { backend: 'kafka', brokers: [`127.0.0.1:${port}`], ...settings },
      topic!,
      `${topic}-dlq`,
      'id',
    );
    expect(new Set(copy.stream)).toEqual(new Set(accepted));
    expect(copy.stream).toHaveLength(accepted.length);
  });

  test('SCRAM-SHA-256 with the @platformatic/kafka producer: delivered whole', async () => {
    const e = engine(
      {
        ...tls(),
        kafkaSaslMechanism: 'scram-sha-256',
        kafkaSaslUsername: USERS.scram256.name,
        kafkaProducer: 'platformatic',
      },
      USERS.scram256.password,
    );
    await deliversBurst(e, 100, 'b256', USERS.scram256.password);
  });

  test('mutual TLS: with a client certificate the CA signed, a burst is delivered whole', async () => {
    const e = engine(
      { ...tls(), kafkaTlsCert: kafka.pki.clientCert, kafkaTlsKey: kafka.pki.clientKey },
      undefined,
      kafka.mutualTls,
    );
    await deliversBurst(e, 50, 'mtls');
  });

  /** [what, settings, password, brokers, the one line expected]. */
  type Settings = () => Record<string, string>;
  const failures: [string, Settings, string | undefined, () => string, RegExp][] = [
    [
      'a wrong password',
      () => ({ ...tls(), ...scram512 }),
      WRONG,
      () => kafka.saslSsl,
      /^hunt: Kafka SASL authentication failed at 127\.0\.0\.1:\d+ as user 'hunt512' \(scram-sha-512\): wrong kafkaSaslPassword or kafkaSaslUsername/m,
    ],
    [
      'an unknown user',
      () => ({ ...tls(), kafkaSaslMechanism: 'scram-sha-256', kafkaSaslUsername: 'nobody' }),
      WRONG,
      () => kafka.saslSsl,
      /^hunt: Kafka SASL authentication failed .* as user 'nobody'/m,
    ],
    [
      'a CA that did not sign the broker certificate',
      () => ({ ...tls(kafka.pki.strangerCa), ...scram512 }),
      USERS.scram512.password,
      () => kafka.saslSsl,
      /^hunt: Kafka at 127\.0\.0\.1:\d+: the broker's TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): set kafkaTlsCa to the PEM file of the CA that signed it$/m,
    ],
    [
      'TLS to the plaintext port',
      () => ({ ...tls(), ...scram512 }),
      USERS.scram512.password,
      () => kafka.plaintext,
      /^hunt: Kafka at .*: the TLS handshake failed: the port may be a plaintext listener/m,
    ],
    [
      'plaintext to the TLS port',
      () => scram512,
      USERS.scram512.password,
      () => kafka.saslSsl,
      /^hunt: Kafka at .* closed the connection before answering: if its listener uses TLS .* set kafkaTls: true/m,
    ],
    [
      'unreachable brokers',
      () => ({ ...tls(), ...scram512 }),
      USERS.scram512.password,
      () => `${HOST}:1`,
      /^hunt: Kafka at 127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\)/m,
    ],
    [
      'a broker that accepts connections and never answers',
      () => ({}),
      undefined,
      () => `${HOST}:${(silent.address() as { port: number }).port}`,
      /^hunt: Kafka at 127\.0\.0\.1:\d+ did not answer in time: check brokers, the network, and kafkaTls/m,
    ],
    [
      'mutual TLS without a client certificate',
      () => tls(),
      undefined,
      () => kafka.mutualTls,
      /^hunt: Kafka at 127\.0\.0\.1:\d+ requires a client certificate \(TLS alert: bad certificate\): set kafkaTlsCert and kafkaTlsKey$/m,
    ],
    [
      'a CA file that does not exist',
      () => ({ ...tls('/no/such/ca.pem'), ...scram512 }),
      USERS.scram512.password,
      () => kafka.saslSsl,
      /^hunt: invalid engine configuration:\n {2}kafkaTlsCa: file \/no\/such\/ca\.pem does not exist$/m,
    ],
  ];

  test.each(failures)(
    '%s: the start fails within seconds with one line, exit 2',
    async (_what, settings, password, brokers, line) => {
      // Settings and brokers are resolved when the test runs, once the broker and its PKI exist.
      const e = engine(settings(), password, brokers());
      const { code, ms } = await Promise.race([
        e.exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`still running after 30 s: ${e.output()}`)), 30_000),
        ),
      ]).finally(() => e.stop());
      const out = e.output();
      expect(out).toMatch(line);
      expect(code).toBe(2);
      expect(ms).toBeLessThan(20_000);
      expect(out.split('\n').filter((l) => l.startsWith('hunt: '))).toHaveLength(1);
      if (password) expect(out).not.toContain(password);
    },
  );
});
