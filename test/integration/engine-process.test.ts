/**
 * `hunt engine --backend memory` as a process on a real socket, no stack: what only a
 * separate process shows. Oversized bodies get their 413 however the client streams them;
 * a SIGKILL after a 202 never loses that event's ledger line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { HOST } from '../../stack/config.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { eventually } from './engine-harness.ts';
import { testEnv } from './stack-fixture.ts';

const hunt = join(REPO_ROOT, 'bin', 'hunt.js');
let engine: ChildProcess | undefined;
let state: string | undefined;
afterEach(async () => {
  if (engine && engine.exitCode === null && engine.signalCode === null) {
    const exited = new Promise((r) => engine!.once('exit', r));
    engine.kill('SIGKILL');
    await exited;
  }
  if (state) rmSync(state, { recursive: true, force: true });
});

async function startEngine(args: string[] = []) {
  const { ports, paths, env } = await testEnv();
  state = paths.state;
  const ledger = join(paths.state, 'ledger.txt');
  engine = spawn(
    process.execPath,
    [hunt, 'engine', '--backend', 'memory', '--ledger', ledger, ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://${HOST}:${ports.engine}`;
  await eventually(
    'engine up',
    () =>
      fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    30_000,
  );
  return { url, ledger, proc: engine };
}

/** POSTs a 12 MB body in 64 KiB writes, as fast as the socket takes them. */
function bigBody(url: string, path: string, size = 12 * 1024 * 1024) {
  return new Promise<{ status?: number; body?: unknown; error?: string }>((resolve) => {
    const req = request(
      new URL(path, url),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(size) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
        res.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
      },
    );
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

test('10 barrages of 12 MB bodies: every one reads its 413 and JSON error', async () => {
  const { url } = await startEngine();
  const answers = [];
  for (let barrage = 0; barrage < 10; barrage++) {
    answers.push(
      ...(await Promise.all([bigBody(url, '/orders'), bigBody(url, '/hunts/h1/claims')])),
    );
  }
  for (const a of answers) {
    expect(a).toEqual({
      status: 413,
      body: { error: 'body-too-large', message: expect.any(String) },
    });
  }
  // The connection is still good for an ordinary request.
  const ok = await fetch(`${url}/hunts/h1/players`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ playerId: 'p1', displayName: 'x' }),
  });
  expect(ok.status).toBe(202);
});

test('SIGKILL after N 202s: the ledger holds all N ids', async () => {
  const { url, ledger, proc } = await startEngine();
  const accepted: string[] = [];
  let killed = false;
  const exited = new Promise((r) => proc.once('exit', r));
  const worker = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const r = await fetch(`${url}/hunts/h1/players`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ playerId: `p${w}-${i}`, displayName: 'x' }),
      }).catch(() => undefined);
      if (r?.status !== 202) continue;
      const { id } = (await r.json().catch(() => ({}))) as { id?: string };
      if (!id || killed) continue;
      accepted.push(id);
      if (accepted.length >= 2000) {
        killed = true;
        proc.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 50 }, (_, w) => worker(w)));
  await exited;
  const lines = new Set(readFileSync(ledger, 'utf8').split('\n').filter(Boolean));
  expect(accepted.length).toBeGreaterThanOrEqual(2000);
  expect(accepted.filter((id) => !lines.has(id))).toEqual([]);
});
