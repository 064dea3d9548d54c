/**
 * `hunt engine` as a separate process, as a user runs it: its whole output kept, its exit
 * code and how long it ran; and what a test does with it (wait until it serves, post a burst).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../stack/tools.ts';
import { eventually } from './engine-harness.ts';

export interface SpawnedEngine {
  proc: ChildProcess;
  /** stdout and stderr as written so far. */
  output(): string;
  /** Exit code and ms since the spawn. */
  exited: Promise<{ code: number | null; ms: number }>;
  /** SIGTERM (a graceful stop) unless it already exited; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function spawnEngine(
  args: string[],
  env: Record<string, string>,
  /** Node's own options, e.g. a heap limit. */
  nodeArgs: string[] = [],
): SpawnedEngine {
  const t0 = Date.now();
  const hunt = join(REPO_ROOT, 'bin', 'hunt.js');
  const proc = spawn(process.execPath, [...nodeArgs, hunt, 'engine', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => {
    out += c;
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) =>
    proc.once('exit', (code) => resolve({ code, ms: Date.now() - t0 })),
  );
  return {
    proc,
    output: () => out,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return (await exited).code;
    },
  };
}

/** Resolves once the engine answers /healthz; throws with its output if it exits first. */
export async function engineUp(e: SpawnedEngine, url: string, timeoutMs = 60_000): Promise<void> {
  await eventually(
    'the engine to answer /healthz',
    async () => {
      if (e.proc.exitCode !== null) throw new Error(`the engine exited:\n${e.output()}`);
      return fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    },
    timeoutMs,
  );
}

/** Posts `n` player registrations at once; the statuses, and the ids of the accepted ones. */
export async function postRegistrations(
  url: string,
  n: number,
  tag: string,
): Promise<{ accepted: string[]; statuses: number[] }> {
  const rs = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const r = await fetch(`${url}/hunts/hunt-01/players`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ playerId: `${tag}-${i}`, displayName: `Spieler ${i}` }),
      });
      return { status: r.status, body: (await r.json()) as { id?: string } };
    }),
  );
  return {
    statuses: rs.map((r) => r.status),
    accepted: rs.filter((r) => r.status === 202).map((r) => r.body.id!),
  };
}

/** The ids in a fulfillment service's record (engine/fulfillment/record.ts). */
export function fulfilledIds(record: string): Set<string> {
  if (!existsSync(record)) return new Set();
  const lines = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  return new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
}
