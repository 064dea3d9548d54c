/**
 * Single-node KRaft Kafka (combined broker and controller), started from the jars in the
 * tool cache. Two client listeners: PLAINTEXT for direct clients and PROXIED, whose
 * advertised address is Toxiproxy's kafka proxy, so that a client bootstrapping through
 * the proxy is told to reconnect through it too and every byte stays behind the proxy.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Kafka, logLevel } from 'kafkajs';
import { HOST } from '../config.ts';
import { KAFKA_VERSION, REPO_ROOT } from '../tools.ts';
import type { Component, ComponentContext } from './types.ts';

/** Brokers this stack runs; run.json's fidelity record reads it (a single broker: no replication). */
export const KAFKA_BROKERS = 1;

const HEAP = '512m';

export function kafkaDir(ctx: Pick<ComponentContext, 'paths'>): string {
  return join(ctx.paths.state, 'kafka');
}

function serverProperties({ ports }: ComponentContext, dataDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=${HOST}:${ports.kafkaController}`,
    `listeners=PLAINTEXT://${HOST}:${ports.kafka},CONTROLLER://${HOST}:${ports.kafkaController},PROXIED://${HOST}:${ports.kafkaProxied}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${ports.kafka},PROXIED://${HOST}:${ports.kafkaProxy}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=4',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // A test or run creates its consumer group and wants it to start now, not in 3 s.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

/**
 * A fresh cluster id for each `stack up` (storage always starts empty): 16 random bytes in
 * URL-safe base64, like Kafka's Uuid, which also never starts one with '-' (a command line
 * would read it as an option).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function kafkaAdmin(port: number) {
  return new Kafka({
    clientId: 'hunt-stack',
    brokers: [`${HOST}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
}

export const kafka: Component = {
  name: 'kafka',
  readyTimeoutMs: 90_000,
  listens: (ports) => ({
    client: ports.kafka,
    controller: ports.kafkaController,
    proxied: ports.kafkaProxied,
  }),
  async prepare(ctx) {
    const dir = kafkaDir(ctx);
    const data = join(dir, 'data');
    rmSync(data, { recursive: true, force: true });
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const props = join(dir, 'server.properties');
    writeFileSync(props, serverProperties(ctx, data));
    const classpath = join(ctx.tools.kafkaLibs, '*');
    const jvm = [
      `-Xms${HEAP}`,
      `-Xmx${HEAP}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(REPO_ROOT, 'scripts', 'kafka', 'log4j2.xml')}`,
      `-Dkafka.logs.dir=${join(dir, 'logs')}`,
      '-cp',
      classpath,
    ];
    const clusterId = newClusterId();
    await execa(
      'java',
      [
        ...jvm,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        `--cluster-id=${clusterId}`,
        '-c',
        props,
      ],
      {
        stdin: 'ignore',
      },
    );
    return {
      name: 'kafka',
      command: 'java',
      args: [...jvm, 'kafka.Kafka', props],
      cwd: dir,
      env: {},
      log: join(dir, 'logs', 'stdout.log'),
    };
  },
  async ready({ ports }) {
    const admin = kafkaAdmin(ports.kafka);
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no broker registered yet');
    } finally {
      await admin.disconnect();
    }
  },
  async version() {
    return KAFKA_VERSION;
  },
};
