/**
 * Toxiproxy, with the proxies of chaos/proxies.json (Toxiproxy's own populate format).
 * Addresses there carry the default ports; each is rewritten to the port in force, so a
 * stack on shifted ports gets the same proxies. A Kafka cluster replaces the `kafka` proxy
 * by one per broker (`kafka-<id>`) and adds one per replication link (`kafka-<id>-peer`),
 * which carry the cross-zone latency as baseline toxics.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allBrokerPorts,
  brokerName,
  type KafkaCluster,
  peerProxyName,
  SINGLE_BROKER,
  toxicLatencyMs,
} from '../../drivers/kafka/cluster.ts';
import { DEFAULT_PORTS, HOST, type Ports } from '../config.ts';
import { REPO_ROOT } from '../tools.ts';
import type { Component } from './types.ts';

export interface ProxyConfig {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export const PROXIES_FILE = join(REPO_ROOT, 'chaos', 'proxies.json');

/**
 * Toxics that belong to the stack, not to a fault: their names start with this, and the
 * chaos runner's reset keeps them (chaos/toxiproxy.ts).
 */
export const BASELINE_PREFIX = 'baseline-';

export function stackProxies(ports: Ports, cluster: KafkaCluster = SINGLE_BROKER): ProxyConfig[] {
  const proxies = loadProxies(ports);
  if (cluster.brokers === 1) return proxies;
  const brokers = allBrokerPorts(ports, cluster.brokers).flatMap((b) => [
    proxy(brokerName(cluster, b.id), b.proxy, b.proxied),
    proxy(peerProxyName(b.id), b.peerProxy, b.peer),
  ]);
  return [...brokers, ...proxies.filter((p) => p.name !== 'kafka')];
}

const proxy = (name: string, listen: number, upstream: number): ProxyConfig => ({
  name,
  listen: `${HOST}:${listen}`,
  upstream: `${HOST}:${upstream}`,
  enabled: true,
});

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

export function loadProxies(ports: Ports, file = PROXIES_FILE): ProxyConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new Error(`${file}: expected an array of proxies`);
  return raw.map((p: Partial<ProxyConfig>, i) => {
    for (const field of ['name', 'listen', 'upstream'] as const) {
      if (typeof p[field] !== 'string')
        throw new Error(`${file}: proxy ${i}: '${field}' must be a string`);
    }
    return {
      name: p.name!,
      listen: remap(p.listen!, ports),
      upstream: remap(p.upstream!, ports),
      enabled: p.enabled ?? true,
    };
  });
}

function remap(address: string, ports: Ports): string {
  const [host, port] = address.split(':');
  const key = (Object.keys(DEFAULT_PORTS) as (keyof Ports)[]).find(
    (k) => String(DEFAULT_PORTS[k]) === port,
  );
  return key ? `${host}:${ports[key]}` : address;
}

const portOf = (address: string) => Number(address.split(':')[1]);

export function toxiproxyUrl(ports: Ports): string {
  return `http://${HOST}:${ports.toxiproxy}`;
}

async function get(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

export const toxiproxy: Component = {
  name: 'toxiproxy',
  readyTimeoutMs: 20_000,
  listens: (ports, cluster) => ({
    api: ports.toxiproxy,
    ...Object.fromEntries(
      stackProxies(ports, cluster).map((p) => [`proxy ${p.name}`, portOf(p.listen)]),
    ),
  }),
  async prepare({ ports, paths, tools, cluster }) {
    const dir = join(paths.state, 'toxiproxy');
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'proxies.json');
    writeFileSync(config, `${JSON.stringify(stackProxies(ports, cluster), null, 2)}\n`);
    return {
      name: 'toxiproxy',
      command: tools.toxiproxyServer,
      args: ['-host', HOST, '-port', String(ports.toxiproxy), '-config', config],
      cwd: dir,
      env: {},
      log: join(dir, 'toxiproxy.log'),
    };
  },
  async ready({ ports, cluster }) {
    const proxies = JSON.parse(await get(`${toxiproxyUrl(ports)}/proxies`)) as Record<
      string,
      unknown
    >;
    const missing = stackProxies(ports, cluster).filter((p) => !(p.name in proxies));
    if (missing.length > 0)
      throw new Error(`proxies not created yet: ${missing.map((p) => p.name).join(', ')}`);
  },
  afterReady: ({ ports, cluster }) => addCrossZoneLatency(ports, cluster ?? SINGLE_BROKER),
  async version({ ports }) {
    const body = (await get(`${toxiproxyUrl(ports)}/version`)).trim();
    try {
      return String((JSON.parse(body) as { version?: string }).version ?? body);
    } catch {
      return body;
    }
  },
};
