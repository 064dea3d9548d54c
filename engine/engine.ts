/**
 * The engine assembled: topics, the write path (producer-side.ts), the read path
 * (consumer-side.ts), alerts, metrics and the HTTP API, and its graceful stop.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { buildApi } from './api/server.ts';
import type { Backend, BackendConsumer } from './backend.ts';
import type { Catalogue } from './catalogue.ts';
import type { EngineConfig } from './config.ts';
import type { FulfillFn } from './consumer/fulfillment-client.ts';
import type { ReadModel } from './consumer/read-model.ts';
import { consumerParts, startConsumer } from './consumer-side.ts';
import { type EngineCore, newCore, statusOf } from './core.ts';
import type { Log } from './log.ts';
import { AlertEvaluator, type AlertSink, webhookSink } from './monitor/alerts.ts';
import { openLedger } from './monitor/ledger.ts';
import { createMetrics } from './monitor/metrics.ts';
import { acceptor, startProducerSide } from './producer-side.ts';
import type { EngineStatus } from './status.ts';
import { prepareTopics } from './topics.ts';

export interface EngineDeps {
  config: EngineConfig;
  catalogue: Catalogue;
  backend: Backend;
  registry: Registry;
  log: Log;
  now?: () => number;
  /** Defaults to HTTP calls to `config.fulfillmentUrl`. */
  fulfill?: FulfillFn;
  /** Defaults to POSTing to `config.alertWebhook`. */
  alertSink?: AlertSink;
}

export interface RunningEngine {
  /** http://host:port the API listens on. */
  url: string;
  app: FastifyInstance;
  status(): EngineStatus;
  model: ReadModel;
  /** Graceful stop: refuse new writes, flush, let the consumer commit, close every client. */
  stop(): Promise<void>;
}

/** Wires the engine together and starts it: topics, producer, consumer, API, alert loop. */
export async function startEngine(d: EngineDeps): Promise<RunningEngine> {
  let stopping = false;
  const k = newCore(d, () => stopping);
  const { c, backend, log, counters } = k;

  await prepareTopics(backend, c);
  const ledger = await openLedger(c.ledger);
  const { publisher, admission } = await startProducerSide(k);
  const { downstream, dlq } = await consumerParts(k, d.fulfill);
  const alerts = new AlertEvaluator(
    c,
    d.alertSink ?? webhookSink(c.alertWebhook, log),
    log,
    `http://${c.host}:${c.port}/status`,
  );
  let consumer: BackendConsumer | undefined;
  const metrics = createMetrics(d.registry, {
    counters,
    breakers: k.board,
    brokerLag: () => consumer?.lag() ?? null,
    queueDepth: () => publisher.depth,
    alertsFiring: () => alerts.firing(),
  });
  // A producer-only instance leaves the topic to the one that consumes.
  if (c.consume) consumer = await startConsumer(k, { downstream, dlq, metrics });

  const status = () => statusOf(k, { publisher, downstream, alerts, consumer: () => consumer });
  const tick = alertLoop(
    k,
    alerts,
    c.admissionBreaker ? admission.update.bind(admission) : () => false,
  );
  const app = buildApi({
    accept: acceptor(k, { publisher, admission, ledger, metrics }),
    model: k.model,
    status,
    histograms: () => k.histograms.cumulative(),
    registry: d.registry,
    metrics,
    counters,
    bodyLimitBytes: c.bodyLimitBytes,
  });
  const address = await app.listen({ host: c.host, port: c.port });
  log('engine listening', {
    url: address,
    backend: backend.name,
    topic: c.topic,
    dlqTopic: c.dlqTopic,
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      log('engine stopping');
      await publisher.flush();
      await app.close();
      clearInterval(tick);
      await consumer?.close();
      await backend.close();
      await ledger.close();
      log('engine stopped', { accepted: counters.accepted, delivered: counters.delivered });
    })();
    return stopped;
  };
  return { url: address, app, status, model: k.model, stop };
}

/** Once a second: alert rules, and admission, which must reopen even when no request asks. */
function alertLoop(
  k: EngineCore,
  alerts: AlertEvaluator,
  updateAdmission: (backlog: number) => boolean,
): NodeJS.Timeout {
  const tick = setInterval(() => {
    updateAdmission(k.counters.backlog);
    alerts.tick(k.now(), {
      backlog: k.counters.backlog,
      breakers: k.board.view(),
      dlqTotal: k.counters.dlq.total,
      delivered: k.counters.delivered,
    });
  }, 1000);
  tick.unref();
  return tick;
}
