/**
 * The engine the scenario tests load: the real engine on the memory backend, with the
 * shipped catalogue and an always-succeeding fulfillment, in this process on a free port.
 * Read over HTTP only (/status), as k6 and the collector do.
 */
import { Registry } from 'prom-client';
import { MemoryBackend, MemoryBroker } from '../../engine/backends/memory.ts';
import { loadCatalogue } from '../../engine/catalogue.ts';
import { defaultConfig, resolveEngineConfig } from '../../engine/config.ts';
import { startEngine } from '../../engine/engine.ts';
import { silentLog } from '../../engine/log.ts';
import type { EngineStatus } from '../../engine/status.ts';

export interface TestEngine {
  url: string;
  status(): Promise<EngineStatus>;
  /** Waits until everything accepted was applied or dead-lettered, then returns /status. */
  drained(timeoutMs?: number): Promise<EngineStatus>;
  stop(): Promise<void>;
}

export async function startMemoryEngine(dataPath: string): Promise<TestEngine> {
  const config = resolveEngineConfig({
    defaults: defaultConfig({
      engine: 0,
      kafka: '127.0.0.1:1',
      kinesis: 'http://127.0.0.1:1',
      fulfillment: 'http://127.0.0.1:1',
    }),
    flags: { backend: 'memory', data: dataPath },
  });
  const backend = new MemoryBackend(
    {
      endpoints: [],
      clientId: 'scenarios-test',
      requestTimeoutMs: 1000,
      region: 'local',
      lagPollMs: 500,
      log: silentLog,
    },
    new MemoryBroker(),
  );
  const engine = await startEngine({
    config,
    catalogue: await loadCatalogue(dataPath),
    backend,
    registry: new Registry(),
    log: silentLog,
    fulfill: async () => {},
    alertSink: () => {},
  });
  const status = async (): Promise<EngineStatus> => {
    const res = await fetch(`${engine.url}/status`);
    if (!res.ok) throw new Error(`/status answered ${res.status}`);
    return (await res.json()) as EngineStatus;
  };
  return {
    url: engine.url,
    status,
    async drained(timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const s = await status();
        if (s.backlog.events === 0 && s.backlog.producerQueue === 0) return s;
        if (Date.now() > end) throw new Error(`engine did not drain: backlog ${s.backlog.events}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () => engine.stop(),
  };
}
