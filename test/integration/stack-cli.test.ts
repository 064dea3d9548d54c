/** `hunt stack` as a user runs it: a taken port, and a CLI killed halfway through `up`. */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../common/exit-codes.ts';
import type { Ports } from '../../stack/config.ts';
import { listDaemons, pidAlive, pidFile, portInUse } from '../../stack/process.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { hunt, testEnv } from './stack-fixture.ts';

const HUNT = `${REPO_ROOT}/bin/hunt.js`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function allPortsFree(ports: Ports): Promise<boolean> {
  const busy = await Promise.all(
    [ports.kafka, ports.kafkaController, ports.kafkaProxied, ports.kinesis, ports.toxiproxy].map(
      (p) => portInUse(p),
    ),
  );
  return !busy.some(Boolean);
}

describe('hunt stack (CLI)', () => {
  it('fails with a message naming a taken port and its component, leaving nothing running', async () => {
    const { env, ports, paths } = await testEnv();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.kinesis, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(resolve)));

    const up = await hunt(['stack', 'up'], env);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toContain(`port ${ports.kinesis} (kinesalite api) is already in use`);
    expect(listDaemons(paths.state)).toEqual([]);
    expect(await portInUse(ports.kafka)).toBe(false);
  });

  it('runs up, status --json and down in sequence', async () => {
    const { env, ports } = await testEnv();
    cleanups.push(() => hunt(['stack', 'down'], env));
    const up = await hunt(['stack', 'up'], env);
    expect(up.exitCode, up.stderr).toBe(0);

    const status = await hunt(['stack', 'status', '--json'], env);
    expect(status.exitCode).toBe(0);
    const parsed = JSON.parse(status.stdout) as {
      up: boolean;
      components: { name: string; pid: number; version: string }[];
    };
    expect(parsed.up).toBe(true);
    expect(parsed.components.every((c) => c.pid > 0 && c.version)).toBe(true);

    const down = await hunt(['stack', 'down'], env);
    expect(down.exitCode).toBe(0);
    expect(await allPortsFree(ports)).toBe(true);
    const after = await hunt(['stack', 'status', '--json'], env);
    // A stack that is down is a missing prerequisite, not a failure of the harness.
    expect(after.exitCode).toBe(EXIT.usage);
    expect((JSON.parse(after.stdout) as { up: boolean }).up).toBe(false);
  });

  it('takes down what `up` started after the CLI itself was SIGKILLed', async () => {
    const { env, ports, paths } = await testEnv();
    const up = execa(process.execPath, [HUNT, 'stack', 'up'], {
      env,
      reject: false,
      stdin: 'ignore',
    });
    // Kill the CLI as soon as the broker, the first daemon, has been spawned.
    const deadline = Date.now() + 30_000;
    while (!existsSync(pidFile(paths.state, 'kafka')) && Date.now() < deadline) await sleep(50);
    up.kill('SIGKILL');
    await up;
    const orphans = listDaemons(paths.state);
    expect(orphans.map((d) => d.name)).toContain('kafka');

    const down = await hunt(['stack', 'down'], env);
    expect(down.exitCode).toBe(0);
    for (const d of orphans) expect(pidAlive(d.pid)).toBe(false);
    expect(await allPortsFree(ports)).toBe(true);
  });
});
