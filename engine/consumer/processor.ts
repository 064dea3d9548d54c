import type { BatchHandler, Received } from '../backend.ts';
import type { DlqEntry } from '../dlq/entry.ts';
import type { DlqWriter } from '../dlq/writer.ts';
import { decodeEvent, type HuntEvent } from '../event.ts';
import type { Counters } from '../monitor/counters.ts';
import type { Downstream } from './downstream.ts';
import type { ReadModel } from './read-model.ts';

export interface ProcessorDeps {
  model: ReadModel;
  downstream: Downstream;
  dlq: DlqWriter;
  counters: Counters;
  now: () => number;
  /** Called with each applied event's end-to-end latency (publish ts → applied), ms. */
  onApplied: (e2eMs: number) => void;
  onDeadLettered: (reason: string) => void;
  /**
   * Without a DLQ (design switch `dlq` off): what a poison event does instead. It never
   * resolves; it throws once the engine stops, leaving the batch uncommitted.
   */
  blockOnPoison?: (r: Received, reason: string, keepAlive: () => Promise<void>) => Promise<never>;
}

/**
 * The consumer's work on one partition/shard batch: poison goes straight to the DLQ, already
 * applied ids are counted as duplicates, the rest go to fulfillment and then the read model.
 * It resolves only when every record was applied or dead-lettered, so the commit after it
 * never skips an event.
 */
export function batchProcessor(d: ProcessorDeps): BatchHandler {
  return async (batch: Received[], keepAlive) => {
    d.counters.consumed += batch.length;
    const fresh: { e: HuntEvent; r: Received }[] = [];
    const seen = new Set<string>();
    const dead: DlqEntry[] = [];
    // Without a DLQ the events before a poison one are delivered, then it blocks the rest.
    let blocker: { r: Received; reason: string } | undefined;
    for (const r of batch) {
      const decoded = decodeEvent(r.value);
      if (!decoded.ok) {
        if (d.blockOnPoison) {
          blocker = { r, reason: 'invalid-event' };
          break;
        }
        dead.push(entry(d, r, null, 'invalid-event', decoded.error, 0));
        continue;
      }
      const e = decoded.event;
      if (d.model.has(e.id) || seen.has(e.id)) {
        d.counters.duplicates++;
        continue;
      }
      seen.add(e.id);
      const poison = d.model.check(e);
      if (poison && d.blockOnPoison) {
        blocker = { r, reason: poison };
        break;
      }
      if (poison) dead.push(entry(d, r, e, poison, `business rule: ${poison}`, 0));
      else fresh.push({ e, r });
    }

    if (fresh.length > 0) {
      const outcome = await d.downstream.deliver(
        fresh.map((f) => f.e),
        keepAlive,
      );
      if (outcome.ok) {
        const t = d.now();
        for (const { e } of fresh) {
          d.model.apply(e);
          d.counters.applied++;
          // A re-driven DLQ entry was counted as delivered when it was dead-lettered.
          if (d.model.wasDeadLettered(e.id)) d.counters.redriven++;
          else d.counters.delivered++;
          d.onApplied(t - e.ts);
        }
      } else {
        for (const { e, r } of fresh) {
          dead.push(entry(d, r, e, outcome.reason, outcome.error, outcome.attempts));
        }
      }
    }

    if (blocker) await d.blockOnPoison!(blocker.r, blocker.reason, keepAlive);

    if (dead.length > 0) {
      await d.dlq.write(dead, keepAlive);
      for (const x of dead) {
        d.onDeadLettered(x.reason);
        if (x.event && d.model.wasDeadLettered(x.event.id)) continue;
        d.counters.dlq.add(x.reason);
        d.counters.delivered++;
        if (x.event) d.model.markDeadLettered(x.event.id);
      }
    }
  };
}

function entry(
  d: ProcessorDeps,
  r: Received,
  event: HuntEvent | null,
  reason: DlqEntry['reason'],
  error: string,
  attempts: number,
): DlqEntry {
  const out: DlqEntry = { reason, attempts, ts: d.now(), error, source: r.source, event };
  if (!event) out.raw = r.value.toString('utf8').slice(0, 4096);
  return out;
}
