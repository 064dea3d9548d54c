/**
 * KRaft Kafka started from the jars in the tool cache: one combined broker and controller by
 * default, or a cluster of up to three (drivers/kafka/cluster.ts, kafka-props.ts). Each broker has a
 * PLAINTEXT listener for the harness's own direct clients and a PROXIED one whose advertised
 * address is the broker's Toxiproxy proxy, so a client bootstrapping through the proxies is
 * told to reconnect through them too and every byte stays behind Toxiproxy.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Kafka, logLevel } from 'kafkajs';
import type { Component, ComponentContext } from '../../stack/components/types.ts';
import { HOST } from '../../stack/config.ts';
import type { DaemonSpec } from '../../stack/process.ts';
import { KAFKA_VERSION, REPO_ROOT } from '../../stack/tools.ts';
import {
  allBrokerPorts,
  type BrokerPorts,
  brokerName,
  type KafkaCluster,
  MAX_BROKERS,
  SINGLE_BROKER,
} from './cluster.ts';
import { clusterBrokerProperties, singleBrokerProperties } from './props.ts';
import { addCrossZoneLatency, brokerProxies } from './proxies.ts';

/** Brokers this stack runs; run.json's fidelity record reads it (a single broker: no replication). */
export const KAFKA_BROKERS = 1;

const HEAP = '512m';
/** Per broker of a cluster: a test-rate broker lives well in this, and three fit beside k6. */
const CLUSTER_HEAP = '384m';

/** JVM options beyond heap and classpath; a cluster's brokers each act as a one-core JVM. */
const CLUSTER_JVM = [
  '-XX:ActiveProcessorCount=1',
  '-XX:ParallelGCThreads=1',
  '-XX:ConcGCThreads=1',
  '-XX:CICompilerCount=2',
];

export function kafkaDir(ctx: Pick<ComponentContext, 'paths'>): string {
  return join(ctx.paths.state, 'kafka');
}

/** Where broker `id` keeps its properties, data and logs. */
export function brokerDir(ctx: Pick<ComponentContext, 'paths'>, cluster: KafkaCluster, id: number) {
  return cluster.brokers === 1 ? kafkaDir(ctx) : join(kafkaDir(ctx), brokerName(cluster, id));
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

export function kafkaAdmin(port: number | number[]) {
  return new Kafka({
    clientId: 'hunt-stack',
    brokers: [port].flat().map((p) => `${HOST}:${p}`),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
}

/** The cluster this stack runs: `options.kafka` (stack.json), one broker when absent. */
export const clusterOf = (ctx: Pick<ComponentContext, 'options'>): KafkaCluster =>
  (ctx.options.kafka as KafkaCluster | undefined) ?? SINGLE_BROKER;

async function prepareBroker(
  ctx: ComponentContext,
  b: BrokerPorts,
  all: BrokerPorts[],
  clusterId: string,
): Promise<DaemonSpec> {
  const cluster = clusterOf(ctx);
  const dir = brokerDir(ctx, cluster, b.id);
  const data = join(dir, 'data');
  rmSync(data, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const props = join(dir, 'server.properties');
  const single = cluster.brokers === 1;
  writeFileSync(
    props,
    single ? singleBrokerProperties(b, data) : clusterBrokerProperties(b, all, cluster, data),
  );
  const heap = single ? HEAP : CLUSTER_HEAP;
  const jvm = [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    ...(single ? [] : CLUSTER_JVM),
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(REPO_ROOT, 'drivers', 'kafka', 'log4j2.xml')}`,
    `-Dkafka.logs.dir=${join(dir, 'logs')}`,
    '-cp',
    join(ctx.tools.kafkaLibs, '*'),
  ];
  // Alone: a dynamic quorum of itself. A cluster: the static quorum its properties name.
  const quorum = single ? ['--standalone'] : [];
  await execa(
    'java',
    [
      ...jvm,
      'kafka.tools.StorageTool',
      'format',
      ...quorum,
      `--cluster-id=${clusterId}`,
      '-c',
      props,
    ],
    { stdin: 'ignore' },
  );
  return {
    name: brokerName(cluster, b.id),
    command: 'java',
    args: [...jvm, 'kafka.Kafka', props],
    cwd: dir,
    env: {},
    log: join(dir, 'logs', 'stdout.log'),
  };
}

/** Resolves once `expected` brokers are registered (all of them, or the one named). */
export async function brokersReady(ports: number[], expected: (ids: number[]) => boolean) {
  const admin = kafkaAdmin(ports);
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const ids = cluster.brokers.map((b) => b.nodeId);
    if (!expected(ids)) throw new Error(`brokers registered so far: [${ids.join(', ')}]`);
  } finally {
    await admin.disconnect();
  }
}

export const kafka: Component = {
  name: 'kafka',
  readyTimeoutMs: 90_000,
  requires: ['kafka'],
  reserves: (ports) =>
    allBrokerPorts(ports, MAX_BROKERS).flatMap((b) => [
      b.client,
      b.controller,
      b.proxied,
      b.proxy,
      b.peer,
      b.peerProxy,
    ]),
  // Stopped one by one, the last broker would wait for a controller quorum already gone.
  stopTogether: true,
  daemons: (ctx) =>
    allBrokerPorts(ctx.ports, clusterOf(ctx).brokers).map((b) => brokerName(clusterOf(ctx), b.id)),
  listens: (ctx) => {
    const cluster = clusterOf(ctx);
    const all = allBrokerPorts(ctx.ports, cluster.brokers);
    if (cluster.brokers === 1) {
      const [b] = all as [BrokerPorts];
      return { client: b.client, controller: b.controller, proxied: b.proxied };
    }
    return Object.fromEntries(
      all.flatMap((b) => [
        [`${b.id} client`, b.client],
        [`${b.id} controller`, b.controller],
        [`${b.id} proxied`, b.proxied],
        [`${b.id} peer`, b.peer],
      ]),
    );
  },
  async prepare(ctx) {
    const all = allBrokerPorts(ctx.ports, clusterOf(ctx).brokers);
    const clusterId = newClusterId();
    return Promise.all(all.map((b) => prepareBroker(ctx, b, all, clusterId)));
  },
  async ready(ctx) {
    const all = allBrokerPorts(ctx.ports, clusterOf(ctx).brokers);
    await brokersReady(
      all.map((b) => b.client),
      (ids) => all.every((b) => ids.includes(b.id)),
    );
  },
  proxies: (ctx) => brokerProxies(ctx.ports, clusterOf(ctx)),
  afterStack: (ctx) => addCrossZoneLatency(ctx.ports, clusterOf(ctx)),
  cleanup(ctx) {
    const cluster = clusterOf(ctx);
    for (const b of allBrokerPorts(ctx.ports, cluster.brokers))
      rmSync(join(brokerDir(ctx, cluster, b.id), 'data'), { recursive: true, force: true });
  },
  async version() {
    return KAFKA_VERSION;
  },
};
