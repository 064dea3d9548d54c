/**
 * The Kafka stand-in behind Toxiproxy: one proxy per broker (`kafka` alone, `kafka-<id>` in a
 * cluster) and, in a cluster, one per replication link (`kafka-<id>-peer`), which carries the
 * cross-zone latency as a baseline toxic.
 */
import { BASELINE_PREFIX, proxy, toxiproxyUrl } from '../../stack/components/toxiproxy.ts';
import type { ProxyConfig } from '../../stack/components/types.ts';
import type { Ports } from '../../stack/config.ts';
import {
  allBrokerPorts,
  brokerName,
  type KafkaCluster,
  peerProxyName,
  toxicLatencyMs,
} from './cluster.ts';

export function brokerProxies(ports: Ports, cluster: KafkaCluster): ProxyConfig[] {
  return allBrokerPorts(ports, cluster.brokers).flatMap((b) => [
    proxy(brokerName(cluster, b.id), b.proxy, b.proxied),
    ...(cluster.brokers > 1 ? [proxy(peerProxyName(b.id), b.peerProxy, b.peer)] : []),
  ]);
}

/** The cross-zone latency of a cluster's replication links, both ways. */
export async function addCrossZoneLatency(ports: Ports, cluster: KafkaCluster): Promise<void> {
  const latency = toxicLatencyMs(cluster.crossZoneMs);
  if (cluster.brokers === 1 || latency === 0) return;
  for (const b of allBrokerPorts(ports, cluster.brokers)) {
    for (const stream of ['upstream', 'downstream'] as const) {
      const res = await fetch(`${toxiproxyUrl(ports)}/proxies/${peerProxyName(b.id)}/toxics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `${BASELINE_PREFIX}cross-zone-${stream}`,
          type: 'latency',
          stream,
          toxicity: 1,
          attributes: { latency, jitter: 0 },
        }),
        signal: AbortSignal.timeout(2_000),
      });
      if (!res.ok)
        throw new Error(`cross-zone latency on ${peerProxyName(b.id)}: HTTP ${res.status}`);
    }
  }
}
