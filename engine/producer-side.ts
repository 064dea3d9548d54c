/**
 * The write path of a running engine: the publisher behind its breaker, the admission
 * breaker on the backlog, and `accept`, which answers only after the broker's ack.
 */
import type { EngineCore } from './core.ts';
import { ShedError, StoppingError } from './errors.ts';
import { buildEvent, type EventType, encodeEvent } from './event.ts';
import { AdmissionBreaker } from './monitor/breakers.ts';
import type { Ledger } from './monitor/ledger.ts';
import type { EngineMetrics } from './monitor/metrics.ts';
import { Publisher, producerBreaker } from './producer/publisher.ts';

export type Accept = (
  type: EventType,
  huntId: string,
  playerId: string,
  payload: Record<string, unknown>,
  /** The client's name for the event (`Event-Id`); a fresh uuidv7 when absent. */
  id?: string,
) => Promise<string>;

export async function startProducerSide(
  k: EngineCore,
): Promise<{ publisher: Publisher; admission: AdmissionBreaker }> {
  const { c } = k;
  const pubOpts = {
    ...c,
    breakerFailures: c.producerBreakerFailures,
    breakerHalfOpenAfterMs: c.producerHalfOpenAfterMs,
  };
  const pBreaker = producerBreaker(pubOpts);
  k.board.attach('producer', pBreaker);
  const publisher = new Publisher(await k.backend.createProducer(c.topic), pBreaker, pubOpts);
  const admission = new AdmissionBreaker(k.board, 'backlog', c.backlogCritical, c.backlogResume);
  return { publisher, admission };
}

export function acceptor(
  k: EngineCore,
  p: {
    publisher: Publisher;
    admission: AdmissionBreaker;
    ledger: Ledger;
    metrics: EngineMetrics;
  },
): Accept {
  const { counters } = k;
  return async (type, huntId, playerId, payload, id) => {
    if (k.stopping()) throw new StoppingError();
    if (p.admission.update(counters.backlog)) throw new ShedError('backlog-critical', 1);
    p.ledger.check();
    const t0 = performance.now();
    const e = buildEvent(type, huntId, playerId, payload, k.now(), id);
    await p.publisher.publish({ key: huntId, value: encodeEvent(e), ts: e.ts });
    const ms = performance.now() - t0;
    k.histograms.recordPublishMs(ms);
    p.metrics.publish.observe(ms / 1000);
    counters.published++;
    p.ledger.append(e.id);
    counters.accepted++;
    return e.id;
  };
}
