/**
 * Claims on ports across processes: one file per port under a shared dir, created only if
 * absent and holding the claimant's pid. Private stacks started at once by separate processes
 * (test workers, a benchmark beside them) check that their ports are free before any of them
 * listens, so a check alone lets two offsets whose port sets overlap both pass; a claim does not.
 * A claim whose process is gone is stale and taken over.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../stack/process.ts';

export const PORT_CLAIMS_DIR = join(tmpdir(), 'hunt-port-claims');

/** Removes the claims of processes that are gone (a test worker is killed, not exited). */
export function sweepStaleClaims(dir = PORT_CLAIMS_DIR): void {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return;
  }
  for (const f of files) {
    try {
      if (holderGone(join(dir, f))) rmSync(join(dir, f), { force: true });
    } catch {
      // Removed meanwhile by its holder or another sweeper.
    }
  }
}

/**
 * Whether the process that wrote the claim `file` is gone. A file being written reads empty:
 * its writer is alive.
 */
function holderGone(file: string): boolean {
  const holder = Number(readFileSync(file, 'utf8').trim() || Number.NaN);
  return !Number.isNaN(holder) && !pidAlive(holder);
}

/** True when this process now holds the claim on `port`. */
function claimOne(dir: string, port: number): boolean {
  const file = join(dir, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (!holderGone(file)) return false;
    rmSync(file, { force: true });
  }
  return false;
}

/**
 * Claims every one of `ports` or none: returns the release, or null when another live
 * process holds any of them.
 */
export function claimPorts(ports: number[], dir = PORT_CLAIMS_DIR): (() => void) | null {
  mkdirSync(dir, { recursive: true });
  const held: number[] = [];
  const release = () => {
    for (const p of held.splice(0)) rmSync(join(dir, String(p)), { force: true });
  };
  for (const p of ports) {
    if (!claimOne(dir, p)) {
      release();
      return null;
    }
    held.push(p);
  }
  return release;
}
