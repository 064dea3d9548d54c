/**
 * The engine against a private real stack, for the engine integration tests: Kafka or
 * kinesalite behind Toxiproxy, the fulfillment service behind the downstream proxy, the
 * engine in-process with fast breaker settings passed in explicitly.
 */
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { Toxiproxy } from 'toxiproxy-node-client';
import { expect } from 'vitest';
import type { Backend, BackendName } from '../../engine/backend.ts';
import { fixtureCatalogue } from '../../engine/catalogue.ts';
import { defaultConfig, type EngineConfig, resolveEngineConfig } from '../../engine/config.ts';
import { type RunningEngine, startEngine } from '../../engine/engine.ts';
import { startFulfillment } from '../../engine/fulfillment/server.ts';
import type { Log } from '../../engine/log.ts';
import { HOST } from '../../stack/config.ts';
import { createBackend } from '../../system/engine.ts';
import { componentsOf, startTestStack, type TestStack } from './stack-fixture.ts';

export interface EngineHarness {
  stack: TestStack;
  engine: RunningEngine;
  config: EngineConfig;
  fulfillment: FastifyInstance;
  toxiproxy: Toxiproxy;
  /** A second backend client for reading topics directly, as the audit would. */
  reader: Backend;
  logs: string[];
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, string> }>;
  stop(): Promise<void>;
}

export async function startEngineHarness(
  backend: Exclude<BackendName, 'memory'>,
  /** Engine settings beyond the suite's own, e.g. `{ kafkaProducer: 'platformatic' }`. */
  extra: Record<string, unknown> = {},
): Promise<EngineHarness> {
  const stack = await startTestStack(() => {}, { only: componentsOf(backend) });
  const logs: string[] = [];
  const log: Log = (msg, f) =>
    logs.push(`${new Date().toISOString()} ${msg} ${JSON.stringify(f ?? {})}`);
  try {
    const fulfillment = await startFulfillment({ host: HOST, port: stack.ports.fulfillment });
    const p = stack.ports;
    const config = resolveEngineConfig({
      defaults: defaultConfig({
        engine: p.engine,
        kafka: `${HOST}:${p.kafkaProxy}`,
        kinesis: `http://${HOST}:${p.kinesisProxy}`,
        fulfillment: `http://${HOST}:${p.downstreamProxy}`,
      }),
      flags: {
        backend,
        topic: `hunt-events-it-${Date.now().toString(36)}`,
        partitions: 2,
        publishTimeoutMs: 1500,
        producerBreakerFailures: 2,
        producerHalfOpenAfterMs: 1000,
        downstreamTimeoutMs: 500,
        downstreamHalfOpenAfterMs: 500,
        downstreamRetryBaseMs: 20,
        downstreamRetryMaxMs: 200,
        lagPollMs: 500,
        ...extra,
      },
    });
    const make = (id: string) => createBackend(config, stack.paths, log, id);
    const engine = await startEngine({
      config,
      catalogue: fixtureCatalogue(),
      backend: make('hunt-engine-it'),
      registry: new Registry(),
      log,
    });
    const reader = make('hunt-reader-it');
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${engine.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as Record<string, string> };
    };
    return {
      stack,
      engine,
      config,
      fulfillment,
      toxiproxy: new Toxiproxy(`http://${HOST}:${p.toxiproxy}`),
      reader,
      logs,
      post,
      async stop() {
        await engine.stop().catch(() => {});
        await reader.close().catch(() => {});
        await fulfillment.close();
        await stack.stop();
      },
    };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

export async function eventually(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<number> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

/** Event ids found in a topic/stream, with how often each occurs. */
export async function idsIn(reader: Backend, topic: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  await reader.readAll(topic, (r) => {
    const id = JSON.parse(r.value.toString()).id as string;
    ids.set(id, (ids.get(id) ?? 0) + 1);
  });
  return ids;
}

/**
 * Every accepted id was applied or dead-lettered. Delivered may exceed accepted: a write
 * whose ack arrived after the engine gave up (504) is in the topic without being accepted.
 */
export async function expectDrained(h: EngineHarness, accepted: Set<string>): Promise<void> {
  const m = h.engine.model;
  const missing = () => [...accepted].filter((id) => !m.has(id) && !m.wasDeadLettered(id));
  await eventually(
    'every accepted id applied or dead-lettered',
    () => missing().length === 0,
    20_000,
  ).catch(() => expect(missing()).toEqual([]));
  const s = h.engine.status();
  expect(s.counts.delivered).toBeGreaterThanOrEqual(s.counts.accepted);
  expect(s.backlog.events).toBe(0);
}
