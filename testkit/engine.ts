import { Registry } from 'prom-client';
import { MemoryBackend, MemoryBroker } from '../drivers/memory/backend.ts';
import { fixtureCatalogue } from '../engine/catalogue.ts';
import { defaultConfig, type EngineConfigInput, resolveEngineConfig } from '../engine/config.ts';
import type { FulfillFn } from '../engine/consumer/fulfillment-client.ts';
import { type RunningEngine, startEngine } from '../engine/engine.ts';
import { silentLog } from '../engine/log.ts';
import type { AlertmanagerAlert } from '../engine/monitor/alerts.ts';

/** An engine on the memory backend with fast settings, for unit tests. */
export async function memoryEngine(
  overrides: Partial<EngineConfigInput> = {},
  fulfill: FulfillFn = async () => {},
): Promise<{ engine: RunningEngine; broker: MemoryBroker; alerts: AlertmanagerAlert[] }> {
  const broker = new MemoryBroker();
  const config = resolveEngineConfig({
    defaults: defaultConfig({
      engine: 0,
      kafka: '127.0.0.1:1',
      kinesis: 'http://127.0.0.1:1',
      fulfillment: 'http://127.0.0.1:1',
    }),
    flags: {
      backend: 'memory',
      publishTimeoutMs: 200,
      producerHalfOpenAfterMs: 300,
      downstreamHalfOpenAfterMs: 200,
      downstreamRetryBaseMs: 5,
      downstreamRetryMaxMs: 20,
      ...overrides,
    },
  });
  const backend = new MemoryBackend(
    {
      endpoints: [],
      clientId: 'test',
      requestTimeoutMs: 1000,
      region: 'x',
      lagPollMs: 100,
      log: silentLog,
    },
    broker,
  );
  const alerts: AlertmanagerAlert[] = [];
  const engine = await startEngine({
    config,
    catalogue: fixtureCatalogue(),
    backend,
    registry: new Registry(),
    log: silentLog,
    fulfill,
    alertSink: (a) => alerts.push(...a),
  });
  return { engine, broker, alerts };
}

export async function until(
  cond: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const json = (payload: unknown) => ({
  headers: { 'content-type': 'application/json' },
  payload: JSON.stringify(payload),
});
