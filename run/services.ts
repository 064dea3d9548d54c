/**
 * The services a run starts beside the stack: the fulfillment service and the engine, as
 * daemons of the stack's state dir owned by the run (so `hunt stack down`, the chaos
 * runner's kill/restart and the next run find them), each confirmed by its identity.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Driver } from '../drivers/types.ts';
import { BALANCER_HEALTH } from '../engine/balancer/server.ts';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { type DaemonRecord, isRunning, startDaemon, waitFor } from '../stack/process.ts';
import { readStackInfo } from '../stack/stack.ts';
import { REPO_ROOT } from '../stack/tools.ts';
import { viaProxies } from '../system/engine.ts';
import { ledgerFile } from './audit/read.ts';

const HUNT = join(REPO_ROOT, 'bin', 'hunt.js');

export interface EngineLaunch {
  driver: Driver;
  /** Shown in the engine's /status: readiness checks it is this run's engine. */
  runId: string;
  topic: string;
  partitions: number;
  dir: string;
  data: string;
  /** Extra engine settings, e.g. { backlogCritical: '20000' }. */
  settings: Record<string, string>;
  /**
   * An existing system: the engine reads its connection settings from the target file
   * itself (secrets from its environment), so no credential is on a command line.
   */
  target?: { file: string; args: string[]; allowRemote: boolean };
}

/** Where the engine's broker is: the stack's proxies, or the target file's settings. */
function connectionArgs(paths: Paths, ports: Ports, e: EngineLaunch): string[] {
  if (e.target) {
    return [
      '--config',
      e.target.file,
      ...e.target.args,
      ...(e.target.allowRemote ? ['--allow-remote'] : []),
    ];
  }
  const settings = viaProxies(ports, readStackInfo(paths));
  return Object.entries(settings).flatMap(([k, v]) => [
    '--set',
    `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`,
  ]);
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Fails at once when what answers on the port is not the process this run started. */
function expectIdentity(what: string, got: Record<string, unknown>, want: Record<string, string>) {
  for (const [key, value] of Object.entries(want)) {
    if (got[key] !== value) {
      throw new IdentityError(
        `${what} answering on its port is not this run's (${key} ${JSON.stringify(got[key])}, ` +
          `expected ${JSON.stringify(value)}): another process holds the port`,
      );
    }
  }
}

class IdentityError extends Error {
  override name = 'IdentityError';
}

/** The last non-empty line of a log, to say why a process died while starting. */
export function lastLogLine(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    return lines.at(-1)?.slice(0, 500) ?? '';
  } catch {
    return '';
  }
}

/**
 * Waits until the daemon answers as itself. A daemon that exits while starting fails at
 * once with its log's last line; a foreign process on its port fails at once too.
 */
async function waitReady(
  paths: Paths,
  record: DaemonRecord,
  what: string,
  timeoutMs: number,
  probe: () => Promise<void>,
): Promise<void> {
  let foreign: IdentityError | undefined;
  try {
    await waitFor(
      what,
      () =>
        probe().catch((err) => {
          if (err instanceof IdentityError) foreign = err;
          throw err;
        }),
      { timeoutMs, alive: () => !foreign && isRunning(paths.state, record) },
    );
  } catch (err) {
    if (foreign) throw foreign;
    if (!isRunning(paths.state, record)) {
      throw new Error(`${what} exited while starting: ${lastLogLine(record.log) || '(empty log)'}`);
    }
    throw err;
  }
}

export async function startFulfillment(
  paths: Paths,
  ports: Ports,
  dir: string,
  instance: string,
): Promise<DaemonRecord> {
  const record = startDaemon(paths.state, {
    name: 'fulfillment',
    command: process.execPath,
    args: [
      HUNT,
      'fulfillment',
      '--port',
      String(ports.fulfillment),
      '--instance',
      instance,
      '--record',
      join(dir, 'fulfilled.ndjson'),
    ],
    cwd: REPO_ROOT,
    env: {},
    log: join(dir, 'logs', 'fulfillment.log'),
    owner: process.pid,
  });
  await waitReady(paths, record, 'fulfillment', 30_000, async () =>
    expectIdentity(
      'the fulfillment service',
      await getJson(`http://${HOST}:${ports.fulfillment}/healthz`),
      { instance },
    ),
  );
  return record;
}

/**
 * The engine setting `heapMiB` as Node's heap limit: a naive producer's unbounded queue then
 * meets a memory limit as a deployed one would. The engine checks the value itself.
 */
export function heapArgs(settings: Record<string, string>): string[] {
  const mib = settings.heapMiB;
  return mib !== undefined && /^\d+$/.test(mib) ? [`--max-old-space-size=${mib}`] : [];
}

/** One engine process of a run: instance 0 is `engine` (it consumes), others `engine-<i>`. */
export interface EngineInstance {
  index: number;
  port: number;
}

/** The daemon (and log) name of instance i: the first keeps the name plans and leftovers know. */
export const engineDaemon = (i: number) => (i === 0 ? 'engine' : `engine-${i}`);

export async function startEngine(
  paths: Paths,
  ports: Ports,
  e: EngineLaunch,
  at: EngineInstance = { index: 0, port: ports.engine },
): Promise<DaemonRecord> {
  const settings = Object.entries(e.settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const name = engineDaemon(at.index);
  const record = startDaemon(paths.state, {
    name,
    command: process.execPath,
    args: [
      ...heapArgs(e.settings),
      HUNT,
      'engine',
      '--backend',
      e.driver.name,
      '--port',
      String(at.port),
      '--topic',
      e.topic,
      '--partitions',
      String(e.partitions),
      ...connectionArgs(paths, ports, e),
      '--fulfillment-url',
      `http://${HOST}:${ports.downstreamProxy}`,
      '--data',
      e.data,
      '--ledger',
      join(e.dir, ledgerFile(at.index)),
      '--set',
      `runId=${e.runId}`,
      ...settings,
      // Only the first instance reads the topic: extra instances are producers (docs/stopgaps.md).
      ...(at.index > 0 ? ['--set', 'consume=false'] : []),
    ],
    cwd: REPO_ROOT,
    env: {},
    log: join(e.dir, 'logs', `${name}.log`),
    owner: process.pid,
  });
  await waitReady(paths, record, `the engine (see logs/${name}.log)`, 60_000, async () =>
    expectIdentity('the engine', await getJson(`http://${HOST}:${at.port}/status`), {
      runId: e.runId,
      topic: e.topic,
    }),
  );
  return record;
}

/** The balancer in front of several engine instances, on the engine's address. */
export const BALANCER_DAEMON = 'balancer';

export async function startBalancer(
  paths: Paths,
  ports: Ports,
  dir: string,
  runId: string,
  upstreams: string[],
): Promise<DaemonRecord> {
  const record = startDaemon(paths.state, {
    name: BALANCER_DAEMON,
    command: process.execPath,
    args: [
      HUNT,
      'balancer',
      '--port',
      String(ports.engine),
      '--instance',
      runId,
      '--upstream',
      ...upstreams,
    ],
    cwd: REPO_ROOT,
    env: {},
    log: join(dir, 'logs', 'balancer.log'),
    owner: process.pid,
  });
  await waitReady(paths, record, 'the balancer (see logs/balancer.log)', 30_000, async () =>
    expectIdentity(
      'the balancer',
      await getJson(`http://${HOST}:${ports.engine}${BALANCER_HEALTH}`),
      { instance: runId },
    ),
  );
  return record;
}

/** The fulfillment service's /status (what it was offered and served), as it reports it. */
export async function fulfillmentStatus(ports: Ports): Promise<Record<string, unknown>> {
  return getJson(`http://${HOST}:${ports.fulfillment}/status`);
}
