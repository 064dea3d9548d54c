/**
 * The runner against a real Toxiproxy 2.12: every toxic type it applies changes the traffic
 * through its proxy, and is gone afterwards; SIGINT mid-plan leaves nothing behind; a crashed
 * runner's leftovers are removed by the next start. Toxiproxy's upstream here is a tiny TCP
 * server (send `N\n`, get N bytes and a close), so each effect is measured exactly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../chaos/plan.ts';
import { runPlan } from '../../chaos/runner.ts';
import { toxiproxyApi } from '../../chaos/toxiproxy.ts';
import { ChaosRecord } from '../../contract/schema.ts';
import { HOST, resolvePaths } from '../../stack/config.ts';
import { portInUse, waitFor } from '../../stack/process.ts';
import { REPO_ROOT, toolPaths } from '../../stack/tools.ts';
import { planTargets, runTargets } from '../../system/chaos.ts';

let upstream: Server;
let toxiproxy: ChildProcess;
let api: string;
const listen: Record<string, number> = {};
const tmp = mkdtempSync(join(tmpdir(), 'hunt-chaos-'));

async function freePort(): Promise<number> {
  for (;;) {
    // Below 32768: the ephemeral range, where client sockets could take the port first.
    const p = 20_000 + Math.floor(Math.random() * 12_000);
    if (!(await portInUse(p))) return p;
  }
}

interface Exchange {
  ms: number;
  bytes: number;
  chunks: number;
  error?: string;
}

/** Asks the proxy for `n` bytes; answers when the connection ends, fails, or after `limitMs`. */
function exchange(proxy: string, n: number, limitMs = 3_000): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const r: Exchange = { ms: 0, bytes: 0, chunks: 0 };
    const s = connect({ host: HOST, port: listen[proxy]! }, () => s.write(`${n}\n`));
    const done = (error?: string) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ ...r, ms: Date.now() - started, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => done('no end'), limitMs);
    s.on('data', (d: Buffer) => {
      r.bytes += d.length;
      r.chunks++;
    });
    s.on('end', () => done(r.bytes < n ? 'short' : undefined));
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

async function proxies() {
  return toxiproxyApi(api).proxies();
}

/** Runs a one-step plan, calls `during` inside its window, then waits for the plan's end. */
async function during<T>(
  fault: string,
  probe: () => Promise<T>,
): Promise<{ seen: T; record: ChaosRecord }> {
  const plan = parsePlan(
    `description: test\nsteps:\n  - { at: 0, for: 4, ${fault} }\n`,
    'test.yaml',
    planTargets(),
  );
  const run = runPlan(plan, { run: runTargets('kafka'), toxiproxyUrl: api });
  await waitFor(
    'fault applied',
    async () => {
      const p = await proxies();
      if (!p.some((x) => x.toxics.length > 0 || !x.enabled)) throw new Error('not yet');
    },
    { timeoutMs: 3_000, intervalMs: 20 },
  );
  const seen = await probe();
  const { record } = await run;
  return { seen, record };
}

beforeAll(async () => {
  upstream = createServer((s) => {
    s.once('data', (d) => {
      const n = Number.parseInt(d.toString(), 10) || 0;
      s.end(Buffer.alloc(n, 120));
    });
    s.on('error', () => {});
  });
  upstream.listen(0, HOST);
  await once(upstream, 'listening');
  const up = (upstream.address() as { port: number }).port;
  const apiPort = await freePort();
  for (const name of ['kafka', 'kinesis', 'downstream']) listen[name] = await freePort();
  const config = join(tmp, 'proxies.json');
  writeFileSync(
    config,
    JSON.stringify(
      Object.entries(listen).map(([name, port]) => ({
        name,
        listen: `${HOST}:${port}`,
        upstream: `${HOST}:${up}`,
      })),
    ),
  );
  toxiproxy = spawn(
    toolPaths(resolvePaths()).toxiproxyServer,
    ['-host', HOST, '-port', String(apiPort), '-config', config],
    {
      stdio: 'ignore',
    },
  );
  api = `http://${HOST}:${apiPort}`;
  await waitFor(
    'toxiproxy',
    async () => {
      if ((await proxies()).length !== 3) throw new Error('proxies not yet populated');
    },
    { timeoutMs: 10_000 },
  );
});

afterAll(() => {
  toxiproxy?.kill('SIGKILL');
  upstream?.close();
});

describe('each toxic type applied by the runner changes traffic through its proxy', () => {
  it('baseline: 1,000 bytes at once', async () => {
    const r = await exchange('kafka', 1000);
    expect(r).toMatchObject({ bytes: 1000 });
    expect(r.error).toBeUndefined();
    expect(r.ms).toBeLessThan(200);
  });

  it.each([
    [
      'latency',
      'toxic: { proxy: broker, type: latency, attributes: { latency: 400 } }',
      (r: Exchange) => {
        expect(r.ms).toBeGreaterThanOrEqual(400);
        expect(r.bytes).toBe(1000);
      },
    ],
    [
      'bandwidth',
      'toxic: { proxy: kafka, type: bandwidth, attributes: { rate: 50 } }',
      // 100,000 bytes at 50 KB/s: about two seconds.
      (r: Exchange) => {
        expect(r.ms).toBeGreaterThanOrEqual(1500);
        expect(r.bytes).toBe(100_000);
      },
    ],
    [
      'timeout 0 (blackhole)',
      'toxic: { proxy: kafka, type: timeout, stream: upstream, attributes: { timeout: 0 } }',
      (r: Exchange) => {
        expect(r.error).toBe('no end');
        expect(r.bytes).toBe(0);
      },
    ],
    [
      'timeout',
      'toxic: { proxy: kafka, type: timeout, stream: upstream, attributes: { timeout: 300 } }',
      (r: Exchange) => {
        expect(r.bytes).toBe(0);
        expect(r.ms).toBeGreaterThanOrEqual(250);
        expect(r.ms).toBeLessThan(2000);
      },
    ],
    [
      'reset_peer',
      'toxic: { proxy: kafka, type: reset_peer, stream: upstream, attributes: { timeout: 0 } }',
      (r: Exchange) => {
        expect(r.bytes).toBe(0);
        expect(r.error).toMatch(/ECONNRESET|short/);
      },
    ],
    [
      'slow_close',
      'toxic: { proxy: kafka, type: slow_close, attributes: { delay: 600 } }',
      (r: Exchange) => {
        expect(r.ms).toBeGreaterThanOrEqual(600);
        expect(r.bytes).toBe(1000);
      },
    ],
    [
      'slicer',
      'toxic: { proxy: kafka, type: slicer, attributes: { average_size: 50, delay: 10000 } }',
      (r: Exchange) => {
        expect(r.chunks).toBeGreaterThanOrEqual(10);
        expect(r.bytes).toBe(1000);
      },
    ],
    [
      'limit_data',
      'toxic: { proxy: kafka, type: limit_data, attributes: { bytes: 100 } }',
      (r: Exchange) => {
        expect(r.bytes).toBeLessThanOrEqual(100);
        expect(r.error).toBe('short');
      },
    ],
    [
      'disable',
      'disable: { proxy: downstream }',
      (r: Exchange) => {
        expect(r.bytes).toBe(0);
        expect(r.error).toMatch(/ECONNREFUSED|ECONNRESET|short/);
      },
    ],
  ] as const)('%s', async (_name, fault, check) => {
    const proxy = fault.includes('downstream') ? 'downstream' : 'kafka';
    const n = fault.includes('bandwidth') ? 100_000 : 1000;
    const { seen, record } = await during(fault, () => exchange(proxy, n));
    check(seen);
    expect(record.events[0]).toMatchObject({ error: null, plannedAtS: 0, plannedForS: 4 });
    expect(record.events[0]!.removedAtS).toBeGreaterThanOrEqual(4);
    // Gone afterwards: no toxic left, every proxy enabled, traffic back to normal.
    expect((await proxies()).every((p) => p.enabled && p.toxics.length === 0)).toBe(true);
    const after = await exchange(proxy, 1000);
    expect(after.error).toBeUndefined();
    expect(after.ms).toBeLessThan(200);
  });
});

describe('cleanup', () => {
  const planFile = join(tmp, 'long.yaml');
  writeFileSync(
    planFile,
    [
      'description: long faults to interrupt',
      'steps:',
      '  - { at: 0, for: 60, toxic: { proxy: kafka, type: latency, attributes: { latency: 100 } } }',
      '  - { at: 0, for: 60, toxic: { proxy: downstream, type: bandwidth, attributes: { rate: 10 } } }',
      '  - { at: 0, for: 60, disable: { proxy: kinesis } }',
    ].join('\n'),
  );

  function startCli(results: string): ChildProcess {
    return spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'bin/hunt.js'),
        'chaos',
        'run',
        planFile,
        '--toxiproxy',
        api,
        '--results',
        results,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HUNT_STATE: join(tmp, 'state') },
      },
    );
  }

  async function faultsInForce(): Promise<void> {
    await waitFor(
      'faults in force',
      async () => {
        const p = await proxies();
        if (p.reduce((n, x) => n + x.toxics.length, 0) !== 2 || p.every((x) => x.enabled))
          throw new Error('not yet');
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  }

  it.each(['SIGINT', 'SIGTERM'] as const)('after %s mid-plan no toxic remains', async (signal) => {
    const results = join(tmp, `results-${signal}`);
    const cli = startCli(results);
    await faultsInForce();
    cli.kill(signal);
    const [code] = await once(cli, 'exit');
    expect(code).toBe(130);
    expect((await proxies()).every((p) => p.enabled && p.toxics.length === 0)).toBe(true);
    const record = ChaosRecord.parse(JSON.parse(readFileSync(join(results, 'chaos.json'), 'utf8')));
    expect(record.events.map((e) => e.removedAtS !== null && e.removedAtS < 60)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("a crashed runner's leftovers are removed at the next start", async () => {
    const cli = startCli(join(tmp, 'results-crash'));
    await faultsInForce();
    cli.kill('SIGKILL');
    await once(cli, 'exit');
    expect((await proxies()).some((p) => p.toxics.length > 0)).toBe(true);
    await runPlan(parsePlan('description: none\nsteps: []\n', 'none.yaml', planTargets()), {
      run: runTargets('kafka'),
      toxiproxyUrl: api,
    });
    expect((await proxies()).every((p) => p.enabled && p.toxics.length === 0)).toBe(true);
  });
});
