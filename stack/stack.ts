/**
 * `hunt stack up | down | status`: the local stack of real components (Kafka, kinesalite,
 * Toxiproxy), each a daemon with a pid file, a log and a readiness probe. `stack.json` in
 * the state dir records the ports in force so every other part finds the endpoints.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../common/user-error.ts';
import { type KafkaCluster, SINGLE_BROKER } from '../drivers/kafka/cluster.ts';
import { kafka } from '../drivers/kafka/component.ts';
import { kinesalite } from '../drivers/kinesis/kinesalite.ts';
import { kinesisQuota } from '../drivers/kinesis/quota-component.ts';
import { toxiproxy } from './components/toxiproxy.ts';
import type {
  Component,
  ComponentContext,
  ComponentName,
  KinesisStore,
} from './components/types.ts';
import { journalFile, type Paths, type Ports } from './config.ts';
import {
  isRunning,
  listDaemons,
  pidAlive,
  portInUse,
  readDaemon,
  startDaemon,
  stopDaemon,
  waitFor,
} from './process.ts';
import { isInstalled, toolDirs, toolPaths } from './tools.ts';

/** Start order; `down` goes in reverse so the proxy is the first thing to disappear. */
export const COMPONENTS = [
  kafka,
  kinesalite,
  kinesisQuota,
  toxiproxy,
] as const satisfies readonly Component[];

export class StackError extends UserError {
  override name = 'StackError';
}

export interface StackInfo {
  ports: Ports;
  kinesisStore: KinesisStore;
  /** Kafka's brokers and cross-zone latency; absent in a stack.json of one broker's time. */
  kafka?: KafkaCluster;
  state: string;
  startedAt: string;
  components: ComponentName[];
}

type Log = (line: string) => void;

const infoFile = (paths: Paths) => join(paths.state, 'stack.json');

export function readStackInfo(paths: Paths): StackInfo | undefined {
  const file = infoFile(paths);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
}

/** The Kafka cluster a stack.json records: one broker when it records none. */
export const clusterOf = (info: StackInfo | undefined): KafkaCluster =>
  info?.kafka ?? SINGLE_BROKER;

export function context(
  paths: Paths,
  ports: Ports,
  kinesisStore: KinesisStore = 'memory',
  cluster: KafkaCluster = SINGLE_BROKER,
): ComponentContext {
  return { paths, ports, tools: toolPaths(paths), kinesisStore, cluster };
}

/** A component's daemon names: its own, or those it declares (a Kafka cluster's brokers). */
export const daemonsOf = (component: Component, ctx: ComponentContext): string[] =>
  component.daemons?.(ctx) ?? [component.name];

/** Every listening port of the stack, named by component and role, checked before any start. */
async function assertPortsFree(ports: Ports, cluster: KafkaCluster): Promise<void> {
  for (const component of COMPONENTS) {
    for (const [role, port] of Object.entries(component.listens(ports, cluster))) {
      if (await portInUse(port)) {
        throw new StackError(
          `port ${port} (${component.name} ${role}) is already in use; free it or choose another ` +
            `port (HUNT_PORT_OFFSET or HUNT_PORT_* variables)`,
        );
      }
    }
  }
}

function assertToolsInstalled(paths: Paths): void {
  const dirs = toolDirs(paths);
  const missing = [dirs.kafka, dirs.toxiproxy].filter((d) => !isInstalled(d));
  if (missing.length > 0) {
    throw new StackError(`tools missing (${missing.join(', ')}): run 'hunt setup' first`);
  }
}

export async function stackUp(
  paths: Paths,
  ports: Ports,
  log: Log,
  /**
   * `only`: start just these components (a run against an existing system needs Toxiproxy
   * alone); a running stack is reused when at least these run.
   */
  opts: { kinesisStore?: KinesisStore; cluster?: KafkaCluster; only?: ComponentName[] } = {},
): Promise<StackInfo> {
  const kinesisStore = opts.kinesisStore ?? 'memory';
  const cluster = opts.cluster ?? SINGLE_BROKER;
  const wanted = COMPONENTS.filter((c) => !opts.only || opts.only.includes(c.name));
  const existing = readStackInfo(paths);
  if (existing) {
    const ctx = context(paths, existing.ports, existing.kinesisStore, clusterOf(existing));
    const running = wanted.filter((c) =>
      daemonsOf(c, ctx).every((name) => {
        const d = readDaemon(paths.state, name);
        return d && isRunning(paths.state, d);
      }),
    );
    if (running.length === wanted.length) {
      log(`[stack] already up (state ${paths.state})`);
      return existing;
    }
    log('[stack] a previous stack was left half-up; taking it down first');
    await stackDown(paths, log);
  }
  assertToolsInstalled(paths);
  await assertPortsFree(ports, cluster);
  mkdirSync(paths.state, { recursive: true });
  const info: StackInfo = {
    ports,
    kinesisStore,
    ...(cluster.brokers > 1 ? { kafka: cluster } : {}),
    state: paths.state,
    startedAt: new Date().toISOString(),
    components: wanted.map((c) => c.name),
  };
  writeFileSync(infoFile(paths), `${JSON.stringify(info, null, 2)}\n`);
  const ctx = context(paths, ports, kinesisStore, cluster);
  try {
    for (const component of wanted) {
      const started = Date.now();
      const specs = [await component.prepare(ctx)].flat();
      const records = specs.map((spec) => startDaemon(paths.state, spec));
      const logs = specs.map((s) => s.log).join(', ');
      await waitFor(`${component.name} (log: ${logs})`, () => component.ready(ctx), {
        timeoutMs: component.readyTimeoutMs,
        alive: () => records.every((r) => isRunning(paths.state, r)),
      });
      await component.afterReady?.(ctx);
      const version = await component.version(ctx);
      const where = Object.values(component.listens(ports, cluster)).join(', ');
      const pids = records.map((r) => r.pid).join(', ');
      log(
        `[stack] ${component.name} ${version}: ready on ${where} (pid ${pids}, ${elapsed(started)})`,
      );
    }
  } catch (err) {
    log(`[stack] start failed, stopping what was started: ${(err as Error).message}`);
    await stackDown(paths, () => {});
    throw err;
  }
  return info;
}

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Stops every daemon of this state dir (the stack's, and any engine, fulfillment service or k6
 * a killed run left), then waits for the ports to close.
 */
export async function stackDown(paths: Paths, log: Log): Promise<void> {
  const info = readStackInfo(paths);
  const ctx = context(paths, info?.ports ?? ({} as Ports), info?.kinesisStore, clusterOf(info));
  const order = [...COMPONENTS]
    .reverse()
    .flatMap((c) => (info ? daemonsOf(c, ctx) : [c.name as string]));
  const daemons = listDaemons(paths.state).sort(
    (a, b) => order.indexOf(a.name) - order.indexOf(b.name),
  );
  const stop = async (daemon: (typeof daemons)[number]) => {
    const wasRunning = isRunning(paths.state, daemon);
    await stopDaemon(paths.state, daemon.name);
    if (wasRunning) log(`[stack] ${daemon.name}: stopped (pid ${daemon.pid})`);
  };
  // A cluster's brokers go together (they are last in the order): stopped one by one, the
  // last would wait for a controller quorum that is already gone.
  const isBroker = (d: { name: string }) => /^kafka-\d+$/.test(d.name);
  for (const daemon of daemons.filter((d) => !isBroker(d))) await stop(daemon);
  await Promise.all(daemons.filter(isBroker).map(stop));
  if (info) {
    const ports = COMPONENTS.flatMap((c) => Object.values(c.listens(info.ports, clusterOf(info))));
    const deadline = Date.now() + 10_000;
    for (const port of ports) {
      while ((await portInUse(port)) && Date.now() < deadline) await sleep(100);
    }
    for (const id of ['', ...daemonsOf(COMPONENTS[0], ctx)]) {
      rmSync(join(paths.state, 'kafka', id === 'kafka' ? '' : id, 'data'), {
        recursive: true,
        force: true,
      });
    }
    rmSync(join(paths.state, 'kinesalite', 'data'), { recursive: true, force: true });
    rmSync(infoFile(paths), { force: true });
  }
  // Whatever a killed run left in force (quotas, lying mode, kills) went with the stack.
  rmSync(journalFile(paths.state), { force: true });
  if (daemons.length === 0 && !info) log('[stack] nothing to stop');
  else log('[stack] down');
}

/**
 * Stops the daemons of this state dir that are not stack components (an engine, fulfillment
 * service or k6 that a killed run left behind), leaving the stack itself up.
 */
export async function stopStrays(paths: Paths, log: Log): Promise<void> {
  const info = readStackInfo(paths);
  const ctx = context(paths, info?.ports ?? ({} as Ports), info?.kinesisStore, clusterOf(info));
  const stack = new Set<string>(COMPONENTS.flatMap((c) => daemonsOf(c, ctx)));
  for (const daemon of listDaemons(paths.state)) {
    if (stack.has(daemon.name)) continue;
    // A live run's own processes are not strays: that run is still measuring with them.
    if (daemon.owner !== undefined && daemon.owner !== process.pid && pidAlive(daemon.owner))
      continue;
    const wasRunning = isRunning(paths.state, daemon);
    await stopDaemon(paths.state, daemon.name);
    if (wasRunning)
      log(`[stack] ${daemon.name}: a killed run's leftover, stopped (pid ${daemon.pid})`);
  }
}

export interface ComponentStatus {
  name: string;
  state: 'running' | 'stopped' | 'unhealthy';
  pid: number | null;
  ports: Record<string, number>;
  version: string | null;
  log: string | null;
}

export async function stackStatus(
  paths: Paths,
  fallbackPorts: Ports,
): Promise<{ up: boolean; state: string; components: ComponentStatus[] }> {
  const info = readStackInfo(paths);
  const ctx = context(paths, info?.ports ?? fallbackPorts, info?.kinesisStore, clusterOf(info));
  const components = await Promise.all(
    COMPONENTS.map(async (component): Promise<ComponentStatus> => {
      const all = daemonsOf(component, ctx).map((name) => readDaemon(paths.state, name));
      const daemon = all[0];
      const alive = all.every((d) => d !== undefined && isRunning(paths.state, d));
      let state: ComponentStatus['state'] = alive ? 'running' : 'stopped';
      let version: string | null = null;
      if (alive) {
        try {
          await component.ready(ctx);
          version = await component.version(ctx);
        } catch {
          state = 'unhealthy';
        }
      }
      return {
        name: component.name,
        state,
        pid: alive ? (daemon?.pid ?? null) : null,
        ports: component.listens(ctx.ports, ctx.cluster),
        version,
        log: daemon?.log ?? null,
      };
    }),
  );
  return { up: components.every((c) => c.state === 'running'), state: paths.state, components };
}
