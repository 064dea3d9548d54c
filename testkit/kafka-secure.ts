/**
 * One KRaft broker from the cached jars with a SASL_SSL client listener, for tests of TLS
 * and SASL: a PKI made at start (test-pki.ts), SCRAM users written into the metadata by
 * Kafka's own StorageTool (`format --add-scram`), PLAIN users in the listener's JAAS config.
 * Beside it: a PLAINTEXT listener, for readiness checks and tests that want the wrong port,
 * and an SSL one that requires a client certificate (mutual TLS).
 * Private ports, its own temp dir; stop() ends the broker and removes both.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { brokersReady, newClusterId } from '../drivers/kafka/component.ts';
import { HOST } from '../stack/config.ts';
import { startDaemon, stopDaemon, waitFor } from '../stack/process.ts';
import { REPO_ROOT, toolPaths } from '../stack/tools.ts';
import { privateStackEnv } from '../system/private-stack.ts';
import { makeTestPki, type TestPki } from './pki.ts';

export type SecureMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN';

export interface SecureKafkaUser {
  mechanism: SecureMechanism;
  name: string;
  /** Letters and digits: the StorageTool's `[name=...,password=...]` has no quoting. */
  password: string;
}

export interface SecureKafka {
  /** host:port of the SASL_SSL listener. */
  saslSsl: string;
  /** host:port of the PLAINTEXT listener (no authentication). */
  plaintext: string;
  /** host:port of an SSL listener that requires a client certificate the CA signed. */
  mutualTls: string;
  pki: TestPki;
  stop(): Promise<void>;
}

const NAME = 'kafka-secure';
const MECHANISMS: SecureMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'];

function properties(
  p: { client: number; controller: number; sasl: number; mtls: number },
  dir: string,
  pki: TestPki,
  users: SecureKafkaUser[],
) {
  const plain = users
    .filter((u) => u.mechanism === 'PLAIN')
    .map((u) => ` user_${u.name}="${u.password}"`)
    .join('');
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=${HOST}:${p.controller}`,
    `listeners=PLAINTEXT://${HOST}:${p.client},CONTROLLER://${HOST}:${p.controller},SASL_SSL://${HOST}:${p.sasl},MTLS://${HOST}:${p.mtls}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${p.client},SASL_SSL://${HOST}:${p.sasl},MTLS://${HOST}:${p.mtls}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL',
    `sasl.enabled.mechanisms=${MECHANISMS.join(',')}`,
    `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${scram}`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${scram}`,
    `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required${plain};`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${pki.brokerKeystore}`,
    'ssl.client.auth=none',
    'listener.name.mtls.ssl.client.auth=required',
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${pki.ca}`,
    `log.dirs=${join(dir, 'data')}`,
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=2',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'num.network.threads=1',
    'num.io.threads=2',
    '',
  ].join('\n');
}

/** Starts the broker; resolves once it is registered (about 10 s on a busy 2-core machine). */
export async function startSecureKafka(users: SecureKafkaUser[]): Promise<SecureKafka> {
  for (const u of users) {
    if (!/^[A-Za-z0-9]+$/.test(u.name) || !/^[A-Za-z0-9]+$/.test(u.password)) {
      throw new Error(`user ${u.name}: name and password must be letters and digits`);
    }
  }
  const { ports, paths } = await privateStackEnv();
  const p = {
    client: ports.kafka,
    controller: ports.kafkaController,
    sasl: ports.kafkaProxied,
    mtls: ports.kafkaPeer,
  };
  const dir = mkdtempSync(join(tmpdir(), 'hunt-kafka-secure-'));
  const stop = async () => {
    await stopDaemon(paths.state, NAME, { graceMs: 5_000 }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    rmSync(paths.state, { recursive: true, force: true });
  };
  try {
    mkdirSync(join(dir, 'pki'));
    mkdirSync(join(dir, 'logs'));
    const pki = await makeTestPki(join(dir, 'pki'));
    const props = join(dir, 'server.properties');
    writeFileSync(props, properties(p, dir, pki, users), { mode: 0o600 });
    const jvm = [
      '-Xms256m',
      '-Xmx384m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(REPO_ROOT, 'drivers', 'kafka', 'log4j2.xml')}`,
      `-Dkafka.logs.dir=${join(dir, 'logs')}`,
      '-cp',
      join(toolPaths(paths).kafkaLibs, '*'),
    ];
    const scram = users
      .filter((u) => u.mechanism !== 'PLAIN')
      .flatMap((u) => ['--add-scram', `${u.mechanism}=[name=${u.name},password=${u.password}]`]);
    await execa(
      'java',
      [
        ...jvm,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        `--cluster-id=${newClusterId()}`,
        '-c',
        props,
        ...scram,
      ],
      { stdin: 'ignore' },
    );
    startDaemon(paths.state, {
      name: NAME,
      command: 'java',
      args: [...jvm, 'kafka.Kafka', props],
      cwd: dir,
      env: {},
      log: join(dir, 'logs', 'stdout.log'),
      owner: process.pid,
    });
    await waitFor('the secure broker', () => brokersReady([p.client], (ids) => ids.includes(1)), {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    return {
      saslSsl: `${HOST}:${p.sasl}`,
      plaintext: `${HOST}:${p.client}`,
      mutualTls: `${HOST}:${p.mtls}`,
      pki,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
