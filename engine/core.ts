/**
 * The state every part of a running engine shares (settings, clock, counters, read model,
 * histograms, breakers), and the `GET /status` snapshot built from it.
 */
import type { Backend, BackendConsumer } from './backend.ts';
import type { Catalogue } from './catalogue.ts';
import type { EngineConfig } from './config.ts';
import type { Downstream } from './consumer/downstream.ts';
import { ReadModel } from './consumer/read-model.ts';
import { SWITCH_KEYS, type Switches } from './designs.ts';
import type { Log } from './log.ts';
import type { AlertEvaluator } from './monitor/alerts.ts';
import { BreakerBoard } from './monitor/breakers.ts';
import { Counters } from './monitor/counters.ts';
import { LatencyHistograms } from './monitor/histograms.ts';
import type { Publisher } from './producer/publisher.ts';
import type { EngineStatus } from './status.ts';

export interface EngineCore {
  c: EngineConfig;
  backend: Backend;
  log: Log;
  now: () => number;
  startedAt: number;
  counters: Counters;
  model: ReadModel;
  histograms: LatencyHistograms;
  board: BreakerBoard;
  /** True once a graceful stop began: new writes are refused, retries give up. */
  stopping: () => boolean;
}

export function newCore(
  d: { config: EngineConfig; catalogue: Catalogue; backend: Backend; log: Log; now?: () => number },
  stopping: () => boolean,
): EngineCore {
  const now = d.now ?? Date.now;
  const board = new BreakerBoard(now);
  board.onChange((name, from, to) => d.log('breaker state', { breaker: name, from, to }));
  return {
    c: d.config,
    backend: d.backend,
    log: d.log,
    now,
    startedAt: now(),
    counters: new Counters(),
    model: new ReadModel(d.catalogue),
    histograms: new LatencyHistograms(now),
    board,
    stopping,
  };
}

/** What the status reads beyond the core: the parts that hold queues and alerts. */
export interface StatusSources {
  publisher: Publisher;
  downstream: Downstream;
  alerts: AlertEvaluator;
  consumer: () => BackendConsumer | undefined;
}

export function statusOf(k: EngineCore, s: StatusSources): EngineStatus {
  const { c, counters } = k;
  return {
    schema: 1,
    backend: k.backend.name,
    runId: c.runId ?? null,
    design: c.design,
    switches: switchesOf(c),
    topic: c.topic,
    dlqTopic: c.dlqTopic,
    state: k.stopping() ? 'stopping' : 'running',
    consuming: c.consume,
    startedAt: k.startedAt,
    now: k.now(),
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
      downstream: { ...s.downstream.counts },
    },
    backlog: {
      events: counters.backlog,
      broker: s.consumer()?.lag() ?? null,
      producerQueue: s.publisher.depth,
      consumerPaused: s.downstream.paused,
      blockedPartitions: counters.blockedPartitions,
    },
    producer: producerThrottleOf(s.publisher),
    breakers: k.board.view(),
    alerts: s.alerts.view(),
  };
}

function producerThrottleOf(p: Publisher): EngineStatus['producer'] {
  const t = p.throttle();
  return { throttled: t.records, throttleMs: t.ms };
}

function switchesOf(c: EngineConfig): Switches {
  return Object.fromEntries(SWITCH_KEYS.map((k) => [k, c[k]])) as unknown as Switches;
}
