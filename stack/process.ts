/**
 * Daemons: long-running processes the harness starts and must be able to find again after
 * its own process died. Each has a pid file (JSON) in the state dir holding how it was
 * started, so `stack down` can stop it and the chaos runner can SIGKILL and restart it
 * identically. Each daemon carries HUNT_DAEMON=<state dir>#<name> in its environment; a pid
 * is trusted only while its environment still says so, so a recycled pid never gets a signal
 * meant for a daemon that is long gone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DaemonSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  log: string;
  /**
   * The pid of the process that started this daemon for its own use (a run's engine, k6):
   * once that owner is gone, the daemon is a leftover anyone may stop.
   */
  owner?: number;
}

export interface DaemonRecord extends DaemonSpec {
  pid: number;
  startedAt: string;
}

const PID_DIR = 'pids';

export function pidFile(stateDir: string, name: string): string {
  return join(stateDir, PID_DIR, `${name}.json`);
}

/** Starts a detached process group with stdout and stderr appended to its log. */
export function startDaemon(stateDir: string, spec: DaemonSpec): DaemonRecord {
  const { record, child } = spawnDaemon(stateDir, spec);
  child.unref();
  return record;
}

/**
 * How a daemon whose output the caller reads is wired (a remote k6 agent: its archive in on
 * stdin, its samples out on stdout); stderr always goes to the log.
 */
export interface DaemonIo {
  /** A file fed to the daemon's stdin. */
  stdin?: string;
  /** stdout as a pipe the caller reads (child.stdout), not the log. */
  stdoutPipe?: boolean;
}

/**
 * Like startDaemon, for a daemon whose exit the caller awaits (k6 under `hunt run`): the pid
 * file lets `stack down` or the next run stop it if the caller dies first.
 */
export function spawnDaemon(
  stateDir: string,
  spec: DaemonSpec,
  io: DaemonIo = {},
): { record: DaemonRecord; child: ChildProcess } {
  mkdirSync(dirname(spec.log), { recursive: true });
  mkdirSync(join(stateDir, PID_DIR), { recursive: true });
  const out = openSync(spec.log, 'a');
  const input = io.stdin !== undefined ? openSync(io.stdin, 'r') : 'ignore';
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, HUNT_DAEMON: daemonMark(stateDir, spec.name) },
    detached: true,
    stdio: [input, io.stdoutPipe ? 'pipe' : out, out],
  });
  closeSync(out);
  if (typeof input === 'number') closeSync(input);
  if (child.pid === undefined)
    throw new Error(`daemon ${spec.name}: could not start ${spec.command}`);
  const record: DaemonRecord = { ...spec, pid: child.pid, startedAt: new Date().toISOString() };
  // Written whole, then renamed into place: a CLI killed mid-write must not leave an empty pid
  // file, which would hide a running daemon from `stack down`.
  const file = pidFile(stateDir, spec.name);
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
  return { record, child };
}

export function readDaemon(stateDir: string, name: string): DaemonRecord | undefined {
  const file = pidFile(stateDir, name);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DaemonRecord;
  } catch {
    return undefined;
  }
}

export function listDaemons(stateDir: string): DaemonRecord[] {
  const dir = join(stateDir, PID_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readDaemon(stateDir, f.slice(0, -'.json'.length)))
    .filter((d): d is DaemonRecord => d !== undefined);
}

/** The process exists and has not exited; a zombie awaiting its parent's reap counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const daemonMark = (stateDir: string, name: string) => `${stateDir}#${name}`;

/** Alive and still ours: the process exists and its environment carries this daemon's mark. */
export function isRunning(stateDir: string, record: DaemonRecord): boolean {
  if (!pidAlive(record.pid)) return false;
  try {
    const environ = readFileSync(`/proc/${record.pid}/environ`, 'utf8').split('\0');
    return environ.includes(`HUNT_DAEMON=${daemonMark(stateDir, record.name)}`);
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops a daemon: SIGTERM to its process group, SIGKILL after `graceMs`. Removes the pid file
 * unless `keepRecord` (the chaos runner keeps it to restart the daemon later).
 */
export async function stopDaemon(
  stateDir: string,
  name: string,
  opts: { graceMs?: number; signal?: NodeJS.Signals; keepRecord?: boolean } = {},
): Promise<void> {
  const record = readDaemon(stateDir, name);
  if (!record) return;
  if (isRunning(stateDir, record)) {
    signalGroup(record.pid, opts.signal ?? 'SIGTERM');
    const deadline = Date.now() + (opts.graceMs ?? 15_000);
    // Ownership was checked once; from here on only whether the pid has exited matters (an
    // exiting process loses its command line before it is gone).
    while (pidAlive(record.pid) && Date.now() < deadline) await sleep(100);
    if (pidAlive(record.pid)) {
      signalGroup(record.pid, 'SIGKILL');
      while (pidAlive(record.pid)) await sleep(50);
    }
  }
  if (!opts.keepRecord) rmSync(pidFile(stateDir, name), { force: true });
}

/** SIGKILLs a daemon's whole group at once (a fault, not a shutdown), keeping its record. */
export async function killDaemon(stateDir: string, name: string): Promise<DaemonRecord> {
  const record = readDaemon(stateDir, name);
  if (!record) throw new Error(`no daemon '${name}' in ${stateDir}`);
  await stopDaemon(stateDir, name, { signal: 'SIGKILL', graceMs: 5_000, keepRecord: true });
  return record;
}

/** Starts a daemon again from its recorded spec, e.g. after `killDaemon`. */
export function restartDaemon(stateDir: string, name: string): DaemonRecord {
  const record = readDaemon(stateDir, name);
  if (!record) throw new Error(`no daemon '${name}' in ${stateDir}`);
  if (isRunning(stateDir, record)) return record;
  const { pid: _pid, startedAt: _startedAt, ...spec } = record;
  return startDaemon(stateDir, spec);
}

/** True when something already listens on 127.0.0.1:port (or it cannot be bound). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** A port the OS hands out as unused now (another process may still take it before use). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  opts: { timeoutMs: number; intervalMs?: number; alive?: () => boolean },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (opts.alive && !opts.alive()) throw new Error(`${what}: the process exited`);
    try {
      return await probe();
    } catch (err) {
      last = err;
    }
    await sleep(opts.intervalMs ?? 250);
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new Error(`${what}: not ready after ${opts.timeoutMs} ms (${reason})`);
}
