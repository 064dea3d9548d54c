/**
 * `hunt stack up | down | status`: the local stack of real components (each broker's
 * stand-in, Toxiproxy), each a daemon with a pid file, a log and a readiness probe.
 * `stack.json` in the state dir records the ports and options in force so every other part
 * finds the endpoints. Which components there are is the caller's (system/stack.ts): this
 * file knows none by name.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../common/user-error.ts';
import { loadProxies } from './components/toxiproxy.ts';
import type { Component, ComponentContext, StackOptions } from './components/types.ts';
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

export class StackError extends UserError {
  override name = 'StackError';
}

export interface StackInfo {
  ports: Ports;
  /** Each broker's stand-in options, under its driver's name (a cluster's size, a store). */
  options: StackOptions;
  state: string;
  startedAt: string;
  components: string[];
}

type Log = (line: string) => void;

const infoFile = (paths: Paths) => join(paths.state, 'stack.json');

export function readStackInfo(paths: Paths): StackInfo | undefined {
  const file = infoFile(paths);
  if (!existsSync(file)) return undefined;
  const info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  return { ...info, options: info.options ?? {} };
}

/** The proxies Toxiproxy serves: each component's own, then those of chaos/proxies.json. */
export function stackProxies(
  components: readonly Component[],
  c: Pick<ComponentContext, 'ports' | 'options'>,
) {
  return [...components.flatMap((x) => x.proxies?.(c) ?? []), ...loadProxies(c.ports)];
}

export function context(
  components: readonly Component[],
  paths: Paths,
  ports: Ports,
  options: StackOptions = {},
): ComponentContext {
  return {
    paths,
    ports,
    tools: toolPaths(paths),
    options,
    proxies: stackProxies(components, { ports, options }),
  };
}

/** A component's daemon names: its own, or those it declares (a cluster's brokers). */
export const daemonsOf = (
  component: Component,
  ctx: Pick<ComponentContext, 'ports' | 'options'>,
): string[] => component.daemons?.(ctx) ?? [component.name];

/** Every listening port of the stack, named by component and role, checked before any start. */
async function assertPortsFree(components: readonly Component[], ctx: ComponentContext) {
  for (const component of components) {
    for (const [role, port] of Object.entries(component.listens(ctx))) {
      if (await portInUse(port)) {
        throw new StackError(
          `port ${port} (${component.name} ${role}) is already in use; free it or choose another ` +
            `port (HUNT_PORT_OFFSET or HUNT_PORT_* variables)`,
        );
      }
    }
  }
}

function assertToolsInstalled(components: readonly Component[], paths: Paths): void {
  const dirs = toolDirs(paths);
  const needed = [...new Set(components.flatMap((c) => c.requires ?? []))];
  const missing = needed.map((t) => dirs[t]).filter((d) => !isInstalled(d));
  if (missing.length > 0) {
    throw new StackError(`tools missing (${missing.join(', ')}): run 'hunt setup' first`);
  }
}

export async function stackUp(
  components: readonly Component[],
  paths: Paths,
  ports: Ports,
  log: Log,
  /**
   * `options`: each broker's stand-in options; `only`: start just these components (a run
   * against an existing system needs Toxiproxy alone); a running stack is reused when at
   * least these run.
   */
  opts: { options?: StackOptions; only?: string[] } = {},
): Promise<StackInfo> {
  const options = opts.options ?? {};
  const wanted = components.filter((c) => !opts.only || opts.only.includes(c.name));
  const existing = readStackInfo(paths);
  if (existing) {
    const ctx = context(components, paths, existing.ports, existing.options);
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
    await stackDown(components, paths, log);
  }
  assertToolsInstalled(wanted, paths);
  const ctx = context(wanted, paths, ports, options);
  await assertPortsFree(wanted, ctx);
  mkdirSync(paths.state, { recursive: true });
  const info: StackInfo = {
    ports,
    options,
    state: paths.state,
    startedAt: new Date().toISOString(),
    components: wanted.map((c) => c.name),
  };
  writeFileSync(infoFile(paths), `${JSON.stringify(info, null, 2)}\n`);
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
      const version = await component.version(ctx);
      const where = Object.values(component.listens(ctx)).join(', ');
      const pids = records.map((r) => r.pid).join(', ');
      log(
        `[stack] ${component.name} ${version}: ready on ${where} (pid ${pids}, ${elapsed(started)})`,
      );
    }
    for (const component of wanted) await component.afterStack?.(ctx);
  } catch (err) {
    log(`[stack] start failed, stopping what was started: ${(err as Error).message}`);
    await stackDown(components, paths, () => {});
    throw err;
  }
  return info;
}

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Stops every daemon of this state dir (the stack's, and any engine, fulfillment service or k6
 * a killed run left), then waits for the ports to close.
 */
export async function stackDown(
  components: readonly Component[],
  paths: Paths,
  log: Log,
): Promise<void> {
  const info = readStackInfo(paths);
  const ctx = context(components, paths, info?.ports ?? ({} as Ports), info?.options);
  const order = [...components].reverse().flatMap((c) => (info ? daemonsOf(c, ctx) : [c.name]));
  const daemons = listDaemons(paths.state).sort(
    (a, b) => order.indexOf(a.name) - order.indexOf(b.name),
  );
  const stop = async (daemon: (typeof daemons)[number]) => {
    const wasRunning = isRunning(paths.state, daemon);
    await stopDaemon(paths.state, daemon.name);
    if (wasRunning) log(`[stack] ${daemon.name}: stopped (pid ${daemon.pid})`);
  };
  // A cluster's daemons go together (their components are last in the order): stopped one
  // by one, the last would wait for a controller quorum that is already gone.
  const together = new Set(
    components.filter((c) => c.stopTogether).flatMap((c) => daemonsOf(c, ctx)),
  );
  const isTogether = (d: { name: string }) => info !== undefined && together.has(d.name);
  for (const daemon of daemons.filter((d) => !isTogether(d))) await stop(daemon);
  await Promise.all(daemons.filter(isTogether).map(stop));
  if (info) {
    const ports = components.flatMap((c) => Object.values(c.listens(ctx)));
    const deadline = Date.now() + 10_000;
    for (const port of ports) {
      while ((await portInUse(port)) && Date.now() < deadline) await sleep(100);
    }
    for (const component of components) component.cleanup?.(ctx);
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
export async function stopStrays(
  components: readonly Component[],
  paths: Paths,
  log: Log,
): Promise<void> {
  const info = readStackInfo(paths);
  const ctx = context(components, paths, info?.ports ?? ({} as Ports), info?.options);
  const stack = new Set<string>(components.flatMap((c) => daemonsOf(c, ctx)));
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
  all: readonly Component[],
  paths: Paths,
  fallbackPorts: Ports,
): Promise<{ up: boolean; state: string; components: ComponentStatus[] }> {
  const info = readStackInfo(paths);
  const ctx = context(all, paths, info?.ports ?? fallbackPorts, info?.options);
  const components = await Promise.all(
    all.map(async (component): Promise<ComponentStatus> => {
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
        ports: component.listens(ctx),
        version,
        log: daemon?.log ?? null,
      };
    }),
  );
  return { up: components.every((c) => c.state === 'running'), state: paths.state, components };
}
