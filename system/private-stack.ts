/**
 * A private stack: its own state dir and a free port offset, so it runs beside a developer's
 * stack (and other private ones) without touching it. Integration tests and the engine
 * benchmark use it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackOptions } from '../stack/components/types.ts';
import {
  type Paths,
  type Ports,
  portEnvName,
  resolvePaths,
  resolvePorts,
} from '../stack/config.ts';
import { portInUse } from '../stack/process.ts';
import { claimPorts, sweepStaleClaims } from './port-claims.ts';
import { components, stackDown, stackUp } from './stack.ts';

export interface PrivateStack {
  ports: Ports;
  paths: Paths;
  /** Environment that points the CLI (and any child process) at this stack. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A port offset whose every port is free right now, outside the ephemeral port range. */
export async function freePortOffset(): Promise<number> {
  if (!swept) {
    sweepStaleClaims();
    swept = true;
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    // Every port stays below 32768, where the kernel's ephemeral range starts: a listening
    // port in that range can be taken at any moment by some client's outgoing connection.
    // (A cluster's third broker's proxies sit 200 above the named ports.)
    const offset = 1_000 + 10 * Math.floor(Math.random() * 1_240);
    const all = stackPorts(resolvePorts({ HUNT_PORT_OFFSET: String(offset) }));
    // Claimed first, then checked: another process choosing at the same moment sees the claim
    // even though nothing listens yet.
    const release = claimPorts(all);
    if (!release) continue;
    const busy = await Promise.all(all.map((p) => portInUse(p)));
    if (!busy.some(Boolean)) {
      claims.set(offset, release);
      return offset;
    }
    release();
  }
  throw new Error('no free port offset found');
}

/** The port claims of the offsets this process chose, held until their stack stops. */
const claims = new Map<number, () => void>();
// What a caller never gave up (an env whose stack the CLI started) goes when this process
// exits; a killed process's claims are swept by the next process that chooses an offset.
process.once('exit', () => {
  for (const release of claims.values()) release();
});
/** Whether this process has swept the claims of processes that are gone. */
let swept = false;

/** Gives up the claim on a stack's ports. */
function releaseOffset(env: Record<string, string>): void {
  const offset = Number(env.HUNT_PORT_OFFSET);
  claims.get(offset)?.();
  claims.delete(offset);
}

/** Every port a stack at these ports may listen on, its components' reserved ones included. */
function stackPorts(ports: Ports): number[] {
  const reserved = components().flatMap((c) => c.reserves?.(ports) ?? []);
  return [...new Set([...Object.values(ports), ...reserved])];
}

/**
 * `n` private stacks side by side, started together. Each offset's claim covers every port its
 * stack may take, those it listens on only during a run (its engine's) included, so the
 * offsets chosen here are disjoint as well as free.
 */
export async function startPrivateStacks(
  n: number,
  log: (line: string) => void = () => {},
): Promise<PrivateStack[]> {
  const envs: Awaited<ReturnType<typeof privateStackEnv>>[] = [];
  while (envs.length < n) envs.push(await privateStackEnv());
  // Numbered as the caller numbers its lanes, so interleaved lines say which stack they are.
  const say = (i: number) => (line: string) => log(`[${i + 1}] ${line}`);
  const stacks = envs.map(({ ports, paths, env }, i) => ({
    ports,
    paths,
    env,
    async stop() {
      await stackDown(paths, say(i));
      rmSync(paths.state, { recursive: true, force: true });
      releaseOffset(env);
    },
  }));
  const up = await Promise.allSettled(envs.map((e, i) => stackUp(e.paths, e.ports, say(i))));
  const failed = up.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(stacks.map((s) => s.stop().catch(() => {})));
    throw failed.reason;
  }
  return stacks;
}

export async function privateStackEnv(): Promise<{
  ports: Ports;
  paths: Paths;
  env: Record<string, string>;
}> {
  const offset = await freePortOffset();
  const state = mkdtempSync(join(tmpdir(), 'hunt-stack-'));
  const env = { HUNT_PORT_OFFSET: String(offset), HUNT_STATE: state };
  const ports = resolvePorts(env);
  // Pass explicit ports too, so a child's own HUNT_PORT_* variables cannot disagree.
  for (const [key, port] of Object.entries(ports)) {
    Object.assign(env, { [portEnvName(key as keyof Ports)]: String(port) });
  }
  return { ports, paths: resolvePaths({ ...process.env, ...env }), env };
}

export async function startPrivateStack(
  log: (line: string) => void = () => {},
  /** `only`: just these components (a test of one broker needs no other broker's daemon). */
  opts: { options?: StackOptions; only?: string[] } = {},
): Promise<PrivateStack> {
  const { ports, paths, env } = await privateStackEnv();
  try {
    await stackUp(paths, ports, log, opts);
  } catch (err) {
    releaseOffset(env);
    throw err;
  }
  return {
    ports,
    paths,
    env,
    async stop() {
      await stackDown(paths, log);
      rmSync(paths.state, { recursive: true, force: true });
      releaseOffset(env);
    },
  };
}
