/**
 * The read path of a running engine: the consumer applying events to the read model through
 * the downstream (fulfillment) call behind its breaker, and the DLQ for what cannot apply.
 */
import type { BackendConsumer } from './backend.ts';
import { Downstream, downstreamBreaker } from './consumer/downstream.ts';
import { type FulfillFn, httpFulfillment } from './consumer/fulfillment-client.ts';
import { poisonBlocker } from './consumer/poison-block.ts';
import { batchProcessor } from './consumer/processor.ts';
import type { EngineCore } from './core.ts';
import { DlqWriter } from './dlq/writer.ts';
import { neverOpens } from './monitor/breakers.ts';
import type { EngineMetrics } from './monitor/metrics.ts';

export async function consumerParts(
  k: EngineCore,
  fulfillOverride: FulfillFn | undefined,
): Promise<{ downstream: Downstream; dlq: DlqWriter }> {
  const { c } = k;
  const dsOpts = {
    // Nowhere to send what keeps failing: retry it for ever (backoff still bounded).
    maxAttempts: c.dlq ? c.downstreamMaxAttempts : Number.POSITIVE_INFINITY,
    retryBaseMs: c.downstreamRetryBaseMs,
    retryMaxMs: c.downstreamRetryMaxMs,
    breakerFailures: c.downstreamBreakerFailures,
    breakerHalfOpenAfterMs: c.downstreamHalfOpenAfterMs,
    pausePollMs: 100,
  };
  const dBreaker = c.downstreamBreaker ? downstreamBreaker(dsOpts) : neverOpens();
  k.board.attach('downstream', dBreaker);
  const fulfill = fulfillOverride ?? httpFulfillment(c.fulfillmentUrl, c.downstreamTimeoutMs);
  const downstream = new Downstream(fulfill, dBreaker, dsOpts, k.stopping);
  const dlq = new DlqWriter(
    await k.backend.createProducer(c.dlqTopic),
    c.publishTimeoutMs,
    k.stopping,
    k.now,
  );
  return { downstream, dlq };
}

export function startConsumer(
  k: EngineCore,
  p: { downstream: Downstream; dlq: DlqWriter; metrics: EngineMetrics },
): Promise<BackendConsumer> {
  return k.backend.createConsumer(
    k.c.topic,
    k.c.group,
    batchProcessor({
      model: k.model,
      downstream: p.downstream,
      dlq: p.dlq,
      counters: k.counters,
      now: k.now,
      onApplied: (ms) => {
        k.histograms.recordE2eMs(ms);
        p.metrics.e2e.observe(ms / 1000);
      },
      onDeadLettered: (reason) => k.log('dead-lettered', { reason }),
      ...(k.c.dlq
        ? {}
        : {
            blockOnPoison: poisonBlocker({
              retryMs: k.c.downstreamRetryMaxMs,
              stopping: k.stopping,
              log: k.log,
              onBlocked: (n) => {
                k.counters.blockedPartitions += n;
              },
            }),
          }),
    }),
  );
}
