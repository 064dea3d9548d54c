import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isRunning,
  killDaemon,
  listDaemons,
  pidAlive,
  portInUse,
  readDaemon,
  restartDaemon,
  startDaemon,
  stopDaemon,
} from './process.ts';

function sleeper(state: string, name = 'sleeper') {
  return startDaemon(state, {
    name,
    command: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1000)'],
    cwd: state,
    env: {},
    log: join(state, `${name}.log`),
  });
}

describe('daemons', () => {
  it('starts, finds, kills, restarts and stops a daemon through its pid file', async () => {
    const state = mkdtempSync(join(tmpdir(), 'hunt-proc-'));
    const first = sleeper(state);
    expect(isRunning(state, first)).toBe(true);
    expect(listDaemons(state).map((d) => d.name)).toEqual(['sleeper']);

    await killDaemon(state, 'sleeper');
    expect(pidAlive(first.pid)).toBe(false);
    expect(readDaemon(state, 'sleeper')).toBeDefined();

    const second = restartDaemon(state, 'sleeper');
    expect(second.pid).not.toBe(first.pid);
    expect(isRunning(state, second)).toBe(true);

    await stopDaemon(state, 'sleeper');
    expect(pidAlive(second.pid)).toBe(false);
    expect(listDaemons(state)).toEqual([]);
  });

  it('does not trust a pid that is not this daemon of this state dir', () => {
    const state = mkdtempSync(join(tmpdir(), 'hunt-proc-'));
    const record = sleeper(state);
    expect(isRunning(join(state, 'elsewhere'), record)).toBe(false);
    expect(isRunning(state, { ...record, name: 'other' })).toBe(false);
    expect(isRunning(state, { ...record, pid: process.pid })).toBe(false);
    process.kill(record.pid, 'SIGKILL');
  });
});

describe('portInUse', () => {
  it('sees a listener and its absence', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(await portInUse(port)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await portInUse(port)).toBe(false);
  });
});
