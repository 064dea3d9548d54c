/**
 * server.properties of a broker. Alone: one combined broker and controller with the
 * single-broker listeners. In a cluster: each node is broker and controller too (a static
 * quorum of every node, so one killed node leaves a majority), replication goes over the PEER
 * listener, whose advertised address is the broker's peer proxy so that inter-broker bytes
 * cross Toxiproxy, and thread pools are cut to fit several JVMs on a small machine.
 */

import { HOST } from '../../stack/config.ts';
import { type BrokerPorts, type KafkaCluster, replication } from './cluster.ts';

const COMMON = [
  'num.partitions=4',
  'offsets.topic.num.partitions=4',
  // A test or run creates its consumer group and wants it to start now, not in 3 s.
  'group.initial.rebalance.delay.ms=0',
  'auto.create.topics.enable=false',
];

export function singleBrokerProperties(b: BrokerPorts, dataDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=${HOST}:${b.controller}`,
    `listeners=PLAINTEXT://${HOST}:${b.client},CONTROLLER://${HOST}:${b.controller},PROXIED://${HOST}:${b.proxied}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${b.client},PROXIED://${HOST}:${b.proxy}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    ...COMMON,
    '',
  ].join('\n');
}

export function clusterBrokerProperties(
  b: BrokerPorts,
  all: BrokerPorts[],
  cluster: KafkaCluster,
  dataDir: string,
): string {
  const { factor, minInsync } = replication(cluster.brokers);
  const voters = all.map((o) => `${o.id}@${HOST}:${o.controller}`).join(',');
  return [
    'process.roles=broker,controller',
    `node.id=${b.id}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://${HOST}:${b.client},CONTROLLER://${HOST}:${b.controller},PROXIED://${HOST}:${b.proxied},PEER://${HOST}:${b.peer}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${b.client},PROXIED://${HOST}:${b.proxy},PEER://${HOST}:${b.peerProxy}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PEER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT,PEER:PLAINTEXT',
    `log.dirs=${dataDir}`,
    `default.replication.factor=${factor}`,
    `min.insync.replicas=${minInsync}`,
    `offsets.topic.replication.factor=${factor}`,
    `transaction.state.log.replication.factor=${factor}`,
    `transaction.state.log.min.isr=${minInsync}`,
    `share.coordinator.state.topic.replication.factor=${factor}`,
    `share.coordinator.state.topic.min.isr=${minInsync}`,
    // Small pools: a broker at test rates needs few threads, and three share two cores.
    'num.network.threads=1',
    'num.io.threads=2',
    'num.replica.fetchers=1',
    'background.threads=2',
    'num.recovery.threads.per.data.dir=1',
    'log.cleaner.threads=1',
    ...COMMON,
    '',
  ].join('\n');
}
