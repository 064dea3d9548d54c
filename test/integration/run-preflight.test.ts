/**
 * A run measures only the processes it started: a process already on the engine port stops
 * `hunt run` before any load; a foreign service on a port, or a daemon that dies while
 * starting, fails the start at once and says why. No broker is needed for any of this.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { driverOf } from '../../drivers/registry.ts';
import { buildFulfillment } from '../../engine/fulfillment/server.ts';
import { startEngine, startFulfillment } from '../../run/services.ts';
import { HOST } from '../../stack/config.ts';
import { listDaemons, stopDaemon } from '../../stack/process.ts';
import { hunt, testEnv } from './stack-fixture.ts';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A stale engine: answers /healthz and /status like one, for another run and topic. */
async function staleEngine(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(req.url === '/status' ? { runId: 'old', topic: 'hunt-old' } : { ok: true }),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  closers.push(() => new Promise((r) => server.close(r)));
  return server;
}

describe('hunt run preflight', () => {
  it('refuses, before any stack or load, when a process already holds the engine port', async () => {
    const { ports, paths, env } = await testEnv();
    await staleEngine(ports.engine);
    const out = join(mkdtempSync(join(tmpdir(), 'hunt-preflight-')), 'run');
    const run = await hunt(['run', '--backend', 'kafka', '--scenario', 'smoke', '--out', out], env);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(2);
    expect(run.stderr).toContain(`port ${ports.engine} (engine) is already in use`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'k6-samples.csv.gz'))).toBe(false);
    expect(existsSync(join(out, 'timeline.ndjson'))).toBe(false);
    expect(listDaemons(paths.state)).toEqual([]);
  });
});

describe('run services start as themselves', () => {
  it('a foreign fulfillment service on the port fails the start at once, naming it', async () => {
    const { ports, paths } = await testEnv();
    const foreign = buildFulfillment({ instance: 'someone-else' });
    await foreign.listen({ host: HOST, port: ports.fulfillment });
    closers.push(() => foreign.close());
    const dir = mkdtempSync(join(tmpdir(), 'hunt-preflight-'));
    mkdirSync(join(dir, 'logs'));
    closers.push(() => stopDaemon(paths.state, 'fulfillment', { graceMs: 2_000 }));
    const started = Date.now();
    await expect(startFulfillment(paths, ports, dir, 'run-a')).rejects.toThrow(
      /fulfillment service answering on its port is not this run's \(instance "someone-else"/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an engine that dies while starting fails the start at once with its log line', async () => {
    const { ports, paths } = await testEnv();
    const dir = mkdtempSync(join(tmpdir(), 'hunt-preflight-'));
    mkdirSync(join(dir, 'logs'));
    closers.push(() => stopDaemon(paths.state, 'engine', { graceMs: 2_000 }));
    const started = Date.now();
    await expect(
      startEngine(paths, ports, {
        driver: driverOf('kafka'),
        runId: 'run-b',
        topic: 'hunt-run-b',
        partitions: 1,
        dir,
        data: 'scenarios/data/default.json',
        settings: { maxBatch: '0' },
      }),
    ).rejects.toThrow(/exited while starting: .*maxBatch/);
    // Far sooner than the 60 s readiness timeout.
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
