/**
 * The engine of a run as a system of `producers` instances ("more producer instances", the
 * stopgap): one instance alone on the engine's address, or several on ports of their own
 * behind one balancer on it. Only the first consumes (docs/stopgaps.md says why); the
 * others are producers. Whatever reads the engine's state reads every instance and sums.
 */
import * as hdr from 'hdr-histogram-js';
import { UserError } from '../common/user-error.ts';
import { resolveSwitches } from '../engine/designs.ts';
import type { HistogramsSnapshot } from '../engine/monitor/histograms.ts';
import type { EngineStatus } from '../engine/status.ts';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { freePort, stopDaemon } from '../stack/process.ts';
import { sumStatuses } from './engine-sum.ts';
import {
  BALANCER_DAEMON,
  type EngineLaunch,
  engineDaemon,
  startBalancer,
  startEngine,
} from './services.ts';

/** The most instances a run starts: each is a Node process on this machine's cores. */
export const MAX_PRODUCERS = 8;

/**
 * Several engine instances (`--producers`) each judge the backlog by their own accepted −
 * delivered, which is not the system's: the admission breaker and the backlog alert would
 * act on a figure no instance has. Refused before anything starts rather than measured wrong.
 */
export function assertProducersFit(producers: number, settings: Record<string, string>): void {
  if (!Number.isInteger(producers) || producers < 1 || producers > MAX_PRODUCERS)
    throw new UserError(
      `--producers: expected a whole number from 1 to ${MAX_PRODUCERS}, got '${producers}'`,
    );
  if (producers === 1) return;
  const design = settings.design === 'naive' ? 'naive' : 'hardened';
  const flag = (k: 'admissionBreaker' | 'backlogAlert') =>
    settings[k] === undefined ? undefined : settings[k] === 'true' || settings[k] === '1';
  const switches = resolveSwitches(design, {
    ...(flag('admissionBreaker') === undefined
      ? {}
      : { admissionBreaker: flag('admissionBreaker')! }),
    ...(flag('backlogAlert') === undefined ? {} : { backlogAlert: flag('backlogAlert')! }),
  });
  const on = (['admissionBreaker', 'backlogAlert'] as const).filter((k) => switches[k]);
  if (on.length > 0)
    throw new UserError(
      `--producers ${producers}: ${on.join(' and ')} must be off (design ${design}): each ` +
        `instance sees only its own backlog, not the system's (design naive, or ${on[0]} false)`,
    );
}

export interface Engines {
  /** Each instance's own base URL, the consuming one first. */
  urls: string[];
  /** The address clients load: the balancer's with several, else the one instance's. */
  url: string;
}

/**
 * Starts the instances (the consuming one first, so that it alone creates the topic), then,
 * with several, the balancer on the engine's port.
 */
export async function startEngines(
  paths: Paths,
  ports: Ports,
  e: EngineLaunch,
  producers: number,
): Promise<Engines> {
  if (producers <= 1) {
    await startEngine(paths, ports, e);
    const url = `http://${HOST}:${ports.engine}`;
    return { urls: [url], url };
  }
  const own: number[] = [];
  for (let i = 0; i < producers; i++) own.push(await freePort());
  await startEngine(paths, ports, e, { index: 0, port: own[0]! });
  await Promise.all(
    own.slice(1).map((port, k) => startEngine(paths, ports, e, { index: k + 1, port })),
  );
  const urls = own.map((p) => `http://${HOST}:${p}`);
  await startBalancer(paths, ports, e.dir, e.runId, urls);
  return { urls, url: `http://${HOST}:${ports.engine}` };
}

async function getJson<T>(url: string, timeoutMs: number): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Every instance's /status summed; null when one could not be read (its counts unknown). */
export async function readStatus(urls: string[], timeoutMs = 2_000): Promise<EngineStatus | null> {
  const all = await Promise.all(
    urls.map((u) => getJson<EngineStatus>(`${u}/status`, timeoutMs).catch(() => null)),
  );
  if (all.some((s) => s === null)) return null;
  return sumStatuses(all as EngineStatus[]);
}

/** Every instance's /metrics, one after another (Prometheus text adds up: prom.ts sums label sets). */
export async function readMetrics(urls: string[], timeoutMs = 900): Promise<string | null> {
  const all = await Promise.all(
    urls.map((u) =>
      fetch(`${u}/metrics`, { signal: AbortSignal.timeout(timeoutMs) })
        .then((r) => (r.ok ? r.text() : null))
        .catch(() => null),
    ),
  );
  return all.some((t) => t === null) ? null : all.join('\n');
}

/** Several compressed histograms added into one; throws when one cannot be decoded. */
export function addHistograms(all: string[]): string {
  const [first, ...rest] = all.map((b) => hdr.decodeFromCompressedBase64(b));
  try {
    first!.autoResize = true;
    for (const h of rest) first!.add(h);
    return hdr.encodeIntoCompressedBase64(first!);
  } finally {
    first?.destroy();
    for (const h of rest) h.destroy();
  }
}

/**
 * Every instance's cumulative histograms added; null when one could not be read. The start
 * is the latest instance's, so that a restarted instance reads as a new engine (hlog-file.ts).
 */
export async function readHistograms(
  urls: string[],
  timeoutMs = 900,
): Promise<HistogramsSnapshot | null> {
  const all = await Promise.all(
    urls.map((u) => getJson<HistogramsSnapshot>(`${u}/histograms`, timeoutMs).catch(() => null)),
  );
  if (all.some((h) => h === null)) return null;
  const snaps = all as HistogramsSnapshot[];
  if (snaps.length === 1) return snaps[0]!;
  try {
    return {
      startMs: Math.max(...snaps.map((h) => h.startMs)),
      endMs: Math.max(...snaps.map((h) => h.endMs)),
      unit: 'us',
      e2e: addHistograms(snaps.map((h) => h.e2e)),
      publish: addHistograms(snaps.map((h) => h.publish)),
      counts: {
        e2e: snaps.reduce((n, h) => n + h.counts.e2e, 0),
        publish: snaps.reduce((n, h) => n + h.counts.publish, 0),
      },
    };
  } catch {
    return null;
  }
}

/** The process names sampled for CPU: `engine` alone, or `engine-<i>` and the balancer. */
export function engineProcesses(producers: number): [name: string, daemon: string][] {
  if (producers <= 1) return [['engine', 'engine']];
  return [
    ...Array.from(
      { length: producers },
      (_, i) => [`engine-${i}`, engineDaemon(i)] as [string, string],
    ),
    [BALANCER_DAEMON, BALANCER_DAEMON],
  ];
}

/** The balancer first (no new writes reach an instance), then every instance, each gracefully. */
export async function stopEngines(paths: Paths, producers: number): Promise<void> {
  await stopDaemon(paths.state, BALANCER_DAEMON, { graceMs: 5_000 });
  await Promise.all(
    Array.from({ length: Math.max(1, producers) }, (_, i) =>
      stopDaemon(paths.state, engineDaemon(i), { graceMs: 30_000 }),
    ),
  );
}
