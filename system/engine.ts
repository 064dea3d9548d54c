/**
 * The engine wired to its driver: its settings from the running stack (each broker's
 * stand-in reached through Toxiproxy), a config file, the environment and flags, checked by
 * the configured backend's driver; its backend; a failure to reach the broker at start as
 * one line.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { driverNames, driverOf, localDrivers } from '../drivers/registry.ts';
import type { BrokerSettings } from '../drivers/types.ts';
import type { Backend } from '../engine/backend.ts';
import {
  type BrokerCheck,
  defaultConfig,
  type EngineConfig,
  type EngineConfigInput,
  readConfigFile,
  resolveEngineConfig,
} from '../engine/config.ts';
import { BrokerConnectError, EngineConfigError } from '../engine/errors.ts';
import type { Log } from '../engine/log.ts';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { readStackInfo, type StackInfo } from '../stack/stack.ts';
import { REPO_ROOT } from '../stack/tools.ts';

/**
 * Endpoints the engine uses by default: those of the running stack (its stack.json) when
 * there is one, else the configured ports. Brokers and fulfillment are reached through
 * their Toxiproxy proxies, so that chaos can act on them.
 */
export function stackEndpoints(paths: Paths, ports: Ports): { ports: Ports; fromStack: boolean } {
  const info = readStackInfo(paths);
  return info ? { ports: info.ports, fromStack: true } : { ports, fromStack: false };
}

/** Every stand-in's settings through the stack's proxies (a cluster's every broker proxy). */
export function viaProxies(ports: Ports, stack: StackInfo | undefined): Partial<EngineConfigInput> {
  return Object.assign({}, ...localDrivers().map((d) => d.local.viaProxies(ports, stack)));
}

/** The configured backend's driver on the settings: their problems and the hosts they reach. */
export function brokerCheck(c: EngineConfigInput): BrokerCheck {
  const d = driverOf(c.backend);
  return { problems: d.engine.problems?.(c) ?? [], hosts: d.engine.hosts(c) };
}

/** resolveEngineConfig with the drivers' checks: what every caller outside the engine uses. */
export function resolveConfig(
  p: Omit<Parameters<typeof resolveEngineConfig>[0], 'broker' | 'backends'>,
): EngineConfig {
  return resolveEngineConfig({ ...p, broker: brokerCheck, backends: driverNames() });
}

export async function engineConfigFrom(p: {
  paths: Paths;
  ports: Ports;
  env: Record<string, string | undefined>;
  flags: Record<string, unknown>;
  configFile?: string;
}): Promise<EngineConfig> {
  const { ports } = stackEndpoints(p.paths, p.ports);
  const defaults = {
    ...defaultConfig({
      engine: ports.engine,
      kafka: '',
      kinesis: '',
      fulfillment: `http://${HOST}:${ports.downstreamProxy}`,
    }),
    ...viaProxies(ports, readStackInfo(p.paths)),
  };
  defaults.data = join(REPO_ROOT, 'scenarios', 'data', 'default.json');
  const file = p.configFile ? await readConfigFile(p.configFile) : undefined;
  const config = resolveConfig({ defaults, file, env: p.env, flags: p.flags });
  config.data = resolve(config.data);
  if (!existsSync(config.data)) {
    throw new EngineConfigError(
      `data: catalogue ${config.data} does not exist; write one with 'hunt data --seed 1 --out ${config.data}'`,
    );
  }
  return config;
}

/** The configured backend, its clients named after `clientId`. */
export function createBackend(c: EngineConfig, paths: Paths, log: Log, clientId: string): Backend {
  return backendFor(c, {
    clientId,
    startAt: c.createTopic ? 'earliest' : 'now',
    requestTimeoutMs: c.publishTimeoutMs,
    lagPollMs: c.lagPollMs,
    checkpointDir: join(paths.state, 'kinesis-checkpoints'),
    log,
  });
}

/** A backend of `s.backend` connected as `s` says (the audit's reader, `hunt dlq`). */
export function backendFor(
  s: BrokerSettings & { backend: string },
  o: {
    clientId: string;
    requestTimeoutMs: number;
    lagPollMs: number;
    log: Log;
    startAt?: 'earliest' | 'now';
    checkpointDir?: string;
  },
): Backend {
  return driverOf(s.backend).engine.backend(s, { ...o, endpoints: [], region: s.region });
}

/**
 * What an error at start becomes: a failure to reach the broker is one line naming the
 * setting to fix (secrets redacted even from the client's own words); others stay as they
 * were, with their stack.
 */
export function startFailure(c: BrokerSettings & { backend: string }, err: unknown): unknown {
  const line = driverOf(c.backend).engine.startFailure?.(c, err);
  return line === undefined ? err : new BrokerConnectError(line, { cause: err });
}
