/**
 * The engine the scenario tests load, started as users start it: `hunt fulfillment` and
 * `hunt engine --backend memory` with the shipped catalogue, on free ports, as child
 * processes (so k6 measures a separate server, not one sharing the test's event loop).
 * Read over HTTP only (/status), as k6 and the collector do.
 */
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { EngineStatus } from '../../engine/status.ts';
import { HOST } from '../../stack/config.ts';
import { freePort } from '../../stack/process.ts';
import { REPO_ROOT } from '../../stack/tools.ts';

export interface TestEngine {
  url: string;
  status(): Promise<EngineStatus>;
  /** Waits until everything accepted was applied or dead-lettered, then returns /status. */
  drained(timeoutMs?: number): Promise<EngineStatus>;
  /** What the engine logged, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

const HUNT = join(REPO_ROOT, 'bin', 'hunt.js');

export async function startMemoryEngine(dataPath: string): Promise<TestEngine> {
  const [enginePort, fulfillmentPort] = [await freePort(), await freePort()];
  const children: ResultPromise[] = [];
  let output = '';
  const spawn = (args: string[]) => {
    const child = execa(process.execPath, [HUNT, ...args], {
      reject: false,
      all: true,
      cleanup: true,
    });
    child.all?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    });
    children.push(child);
  };
  spawn(['fulfillment', '--port', String(fulfillmentPort)]);
  spawn([
    'engine',
    '--backend',
    'memory',
    '--port',
    String(enginePort),
    '--data',
    dataPath,
    '--fulfillment-url',
    `http://${HOST}:${fulfillmentPort}`,
  ]);
  const url = `http://${HOST}:${enginePort}`;
  const stop = async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children);
  };
  try {
    await waitFor(`${url}/healthz`, 30_000);
  } catch (e) {
    await stop();
    throw new Error(`engine did not start: ${(e as Error).message}\n${output}`);
  }
  const status = async (): Promise<EngineStatus> => {
    const res = await fetch(`${url}/status`);
    if (!res.ok) throw new Error(`/status answered ${res.status}`);
    return (await res.json()) as EngineStatus;
  };
  return {
    url,
    status,
    async drained(timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const s = await status();
        if (s.backlog.events === 0 && s.backlog.producerQueue === 0) return s;
        if (Date.now() > end) throw new Error(`engine did not drain: backlog ${s.backlog.events}`);
        await sleep(100);
      }
    },
    log: () => output,
    stop,
  };
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms: ${last}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
