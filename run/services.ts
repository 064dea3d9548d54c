/**
 * The processes a run starts beside the stack: the fulfillment service and the engine as
 * daemons of the stack's state dir (so `hunt stack down` and the chaos runner's kill/restart
 * find them), and k6 as a child of the run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineStatus } from '../engine/status.ts';
import type { K6Command } from '../scenarios/lib-node/run-k6.ts';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { type DaemonRecord, isRunning, startDaemon, waitFor } from '../stack/process.ts';
import { REPO_ROOT } from '../stack/tools.ts';

const HUNT = join(REPO_ROOT, 'bin', 'hunt.js');

export interface EngineLaunch {
  backend: 'kafka' | 'kinesis';
  topic: string;
  partitions: number;
  dir: string;
  data: string;
  /** Extra engine settings, e.g. { backlogCritical: '20000' }. */
  settings: Record<string, string>;
}

async function httpOk(url: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
}

export async function startFulfillment(
  paths: Paths,
  ports: Ports,
  dir: string,
): Promise<DaemonRecord> {
  const record = startDaemon(paths.state, {
    name: 'fulfillment',
    command: process.execPath,
    args: [HUNT, 'fulfillment', '--port', String(ports.fulfillment)],
    cwd: REPO_ROOT,
    env: {},
    log: join(dir, 'logs', 'fulfillment.log'),
  });
  await waitFor('fulfillment', () => httpOk(`http://${HOST}:${ports.fulfillment}/healthz`), {
    timeoutMs: 30_000,
    alive: () => isRunning(paths.state, record),
  });
  return record;
}

export async function startEngine(
  paths: Paths,
  ports: Ports,
  e: EngineLaunch,
): Promise<DaemonRecord> {
  const settings = Object.entries(e.settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const record = startDaemon(paths.state, {
    name: 'engine',
    command: process.execPath,
    args: [
      HUNT,
      'engine',
      '--backend',
      e.backend,
      '--port',
      String(ports.engine),
      '--topic',
      e.topic,
      '--partitions',
      String(e.partitions),
      '--brokers',
      `${HOST}:${ports.kafkaProxy}`,
      '--kinesis-endpoint',
      `http://${HOST}:${ports.kinesisProxy}`,
      '--fulfillment-url',
      `http://${HOST}:${ports.downstreamProxy}`,
      '--data',
      e.data,
      '--ledger',
      join(e.dir, 'ledger.txt'),
      ...settings,
    ],
    cwd: REPO_ROOT,
    env: {},
    log: join(e.dir, 'logs', 'engine.log'),
  });
  await waitFor(
    'engine (see logs/engine.log)',
    () => httpOk(`http://${HOST}:${ports.engine}/healthz`),
    {
      timeoutMs: 60_000,
      alive: () => isRunning(paths.state, record),
    },
  );
  return record;
}

export async function engineStatus(ports: Ports): Promise<EngineStatus> {
  const res = await fetch(`http://${HOST}:${ports.engine}/status`, {
    signal: AbortSignal.timeout(2_000),
  });
  if (!res.ok) throw new Error(`engine /status: HTTP ${res.status}`);
  return (await res.json()) as EngineStatus;
}

export interface K6Process {
  child: ChildProcess;
  exited: Promise<number>;
}

export function startK6(cmd: K6Command, dir: string): K6Process {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const out = openSync(join(dir, 'logs', 'k6.log'), 'a');
  const child = spawn(cmd.bin, cmd.args, {
    cwd: join(REPO_ROOT, 'scenarios'),
    env: { ...process.env, ...cmd.env },
    stdio: ['ignore', out, out],
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.once('error', () => resolve(127));
  });
  return { child, exited };
}
