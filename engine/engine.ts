import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { buildApi } from './api/server.ts';
import type { Backend, BackendConsumer } from './backends/types.ts';
import type { Catalogue } from './catalogue.ts';
import type { EngineConfig } from './config.ts';
import { Downstream, downstreamBreaker } from './consumer/downstream.ts';
import { type FulfillFn, httpFulfillment } from './consumer/fulfillment-client.ts';
import { batchProcessor } from './consumer/processor.ts';
import { ReadModel } from './consumer/read-model.ts';
import { DlqWriter } from './dlq/writer.ts';
import { ShedError, StoppingError } from './errors.ts';
import { buildEvent, type EventType, encodeEvent } from './event.ts';
import type { Log } from './log.ts';
import { AlertEvaluator, type AlertSink, webhookSink } from './monitor/alerts.ts';
import { AdmissionBreaker, BreakerBoard } from './monitor/breakers.ts';
import { Counters } from './monitor/counters.ts';
import { LatencyHistograms } from './monitor/histograms.ts';
import { openLedger } from './monitor/ledger.ts';
import { createMetrics } from './monitor/metrics.ts';
import { Publisher, producerBreaker } from './producer/publisher.ts';
import type { EngineStatus } from './status.ts';

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
  const { config: c, backend, log } = d;
  const now = d.now ?? Date.now;
  const startedAt = now();
  let stopping = false;
  const counters = new Counters();
  const model = new ReadModel(d.catalogue);
  const histograms = new LatencyHistograms(now);
  const board = new BreakerBoard(now);
  board.onChange((name, from, to) => log('breaker state', { breaker: name, from, to }));

  await backend.ensureTopic(c.topic, c.partitions);
  await backend.ensureTopic(c.dlqTopic, c.partitions);
  const ledger = await openLedger(c.ledger);

  const pubOpts = {
    ...c,
    breakerFailures: c.producerBreakerFailures,
    breakerHalfOpenAfterMs: c.producerHalfOpenAfterMs,
  };
  const pBreaker = producerBreaker(pubOpts);
  board.attach('producer', pBreaker);
  const publisher = new Publisher(await backend.createProducer(c.topic), pBreaker, pubOpts);
  const admission = new AdmissionBreaker(board, 'backlog', c.backlogCritical, c.backlogResume);

  const dsOpts = {
    maxAttempts: c.downstreamMaxAttempts,
    retryBaseMs: c.downstreamRetryBaseMs,
    retryMaxMs: c.downstreamRetryMaxMs,
    breakerFailures: c.downstreamBreakerFailures,
    breakerHalfOpenAfterMs: c.downstreamHalfOpenAfterMs,
    pausePollMs: 100,
  };
  const dBreaker = downstreamBreaker(dsOpts);
  board.attach('downstream', dBreaker);
  const fulfill = d.fulfill ?? httpFulfillment(c.fulfillmentUrl, c.downstreamTimeoutMs);
  const downstream = new Downstream(fulfill, dBreaker, dsOpts, () => stopping);
  const dlq = new DlqWriter(
    await backend.createProducer(c.dlqTopic),
    c.publishTimeoutMs,
    () => stopping,
    now,
  );

  const alerts = new AlertEvaluator(
    c,
    d.alertSink ?? webhookSink(c.alertWebhook, log),
    log,
    `http://${c.host}:${c.port}/status`,
  );
  let consumer: BackendConsumer | undefined;
  const metrics = createMetrics(d.registry, {
    counters,
    breakers: board,
    brokerLag: () => consumer?.lag() ?? null,
    queueDepth: () => publisher.depth,
    alertsFiring: () => alerts.firing(),
  });

  consumer = await backend.createConsumer(
    c.topic,
    c.group,
    batchProcessor({
      model,
      downstream,
      dlq,
      counters,
      now,
      onApplied: (ms) => {
        histograms.recordE2eMs(ms);
        metrics.e2e.observe(ms / 1000);
      },
      onDeadLettered: (reason) => log('dead-lettered', { reason }),
    }),
  );

  const accept = async (
    type: EventType,
    huntId: string,
    playerId: string,
    payload: Record<string, unknown>,
  ) => {
    if (stopping) throw new StoppingError();
    if (admission.update(counters.backlog)) throw new ShedError('backlog-critical', 1);
    ledger.check();
    const t0 = performance.now();
    const e = buildEvent(type, huntId, playerId, payload, now());
    await publisher.publish({ key: huntId, value: encodeEvent(e), ts: e.ts });
    const ms = performance.now() - t0;
    histograms.recordPublishMs(ms);
    metrics.publish.observe(ms / 1000);
    counters.published++;
    ledger.append(e.id);
    counters.accepted++;
    return e.id;
  };

  const status = (): EngineStatus => ({
    schema: 1,
    backend: backend.name,
    topic: c.topic,
    dlqTopic: c.dlqTopic,
    state: stopping ? 'stopping' : 'running',
    startedAt,
    now: now(),
    counts: {
      accepted: counters.accepted,
      published: counters.published,
      consumed: counters.consumed,
      delivered: counters.delivered,
      applied: counters.applied,
      redriven: counters.redriven,
      duplicates: counters.duplicates,
      dlq: counters.dlq.toJSON(),
      shed: counters.shed.toJSON(),
      rejected: counters.rejected.toJSON(),
      failed: counters.failed.toJSON(),
    },
    backlog: {
      events: counters.backlog,
      broker: consumer?.lag() ?? null,
      producerQueue: publisher.depth,
      consumerPaused: downstream.paused,
    },
    breakers: board.view(),
    alerts: alerts.view(),
  });

  const tick = setInterval(() => {
    // Re-evaluated here too, so that admission reopens when no request comes in to ask.
    admission.update(counters.backlog);
    alerts.tick(now(), {
      backlog: counters.backlog,
      breakers: board.view(),
      dlqTotal: counters.dlq.total,
      delivered: counters.delivered,
    });
  }, 1000);
  tick.unref();

  const app = buildApi({
    accept,
    model,
    status,
    histograms: () => histograms.interval(),
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
  return { url: address, app, status, model, stop };
}
