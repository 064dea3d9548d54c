import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../common/user-error.ts';

/** Every port the harness listens on or connects to; all bound to 127.0.0.1. */
export interface Ports {
  engine: number;
  fulfillment: number;
  toxiproxy: number;
  kafka: number;
  kafkaController: number;
  /** The broker's second client listener, reached only through the kafka proxy. */
  kafkaProxied: number;
  kafkaProxy: number;
  /** A cluster broker's replication listener and its proxy (drivers/kafka/cluster.ts); unused alone. */
  kafkaPeer: number;
  kafkaPeerProxy: number;
  kinesis: number;
  /** The Kinesis quota layer (chaos/quota) in front of kinesalite; its admin routes too. */
  kinesisQuota: number;
  kinesisProxy: number;
  downstreamProxy: number;
}

export const DEFAULT_PORTS: Readonly<Ports> = {
  engine: 8080,
  fulfillment: 8081,
  toxiproxy: 8474,
  kafka: 9092,
  kafkaController: 9093,
  kafkaProxied: 9094,
  kafkaProxy: 19094,
  kafkaPeer: 9095,
  kafkaPeerProxy: 19095,
  kinesis: 4567,
  kinesisQuota: 4568,
  kinesisProxy: 14567,
  downstreamProxy: 18081,
};

export const HOST = '127.0.0.1';

export interface Paths {
  /** Pinned tools (k6, Toxiproxy, Kafka jars), shared by every checkout. */
  cache: string;
  /** A running stack's pid files, logs, data and stack.json. */
  state: string;
}

type Env = Record<string, string | undefined>;

export function resolvePaths(env: Env = process.env): Paths {
  const cache = resolve(env.HUNT_CACHE ?? join(homedir(), '.cache', 'hunt-harness'));
  const state = resolve(env.HUNT_STATE ?? join(cache, 'stack'));
  return { cache, state };
}

/**
 * The chaos journal of a state dir: faults and quotas in force that a killed runner or run
 * left behind (chaos/journal.ts). `stack down` forgets it, since nothing it names survives.
 */
export function journalFile(stateDir: string): string {
  return join(stateDir, 'chaos-journal.json');
}

/** `HUNT_PORT_KAFKA` style name for a port key. */
export function portEnvName(key: keyof Ports): string {
  return `HUNT_PORT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/**
 * Ports from the defaults, shifted by `HUNT_PORT_OFFSET` (so a second stack, e.g. a test's,
 * can run beside a developer's), then overridden one by one by `HUNT_PORT_<NAME>`.
 */
export function resolvePorts(env: Env = process.env, overrides: Partial<Ports> = {}): Ports {
  const offset = parsePort('HUNT_PORT_OFFSET', env.HUNT_PORT_OFFSET ?? '0', 0);
  const ports = {} as Ports;
  for (const key of Object.keys(DEFAULT_PORTS) as (keyof Ports)[]) {
    const name = portEnvName(key);
    const fromEnv = env[name];
    ports[key] =
      overrides[key] ??
      (fromEnv !== undefined ? parsePort(name, fromEnv, 1) : DEFAULT_PORTS[key] + offset);
    if (ports[key] > 65_535) throw new ConfigError(`${name}: port ${ports[key]} is above 65535`);
  }
  const seen = new Map<number, string>();
  for (const [key, port] of Object.entries(ports)) {
    const other = seen.get(port);
    if (other) throw new ConfigError(`ports ${other} and ${key} are both ${port}`);
    seen.set(port, key);
  }
  return ports;
}

function parsePort(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > 65_535) {
    throw new ConfigError(`${name}: expected a whole number from ${min} to 65535, got '${raw}'`);
  }
  return n;
}

export class ConfigError extends UserError {
  override name = 'ConfigError';
}

/** True for 127.0.0.0/8, ::1 and localhost: the only targets the harness loads by default. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
