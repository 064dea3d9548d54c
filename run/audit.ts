/**
 * The zero-loss audit. After the drain, an independent reader reads the whole topic or
 * stream and its DLQ from the start; their event ids are compared with the engine's ledger
 * of accepted ids (written after each broker ack, before the 202) and with k6's count of
 * 202 answers.
 *
 *   lost            accepted, yet in neither the stream nor the DLQ; or accepted and never
 *                   delivered by the consumer (the engine's delivered count falls short)
 *   duplicates      delivered more than once: ids the stream holds twice (a producer retry)
 *                   and redeliveries the consumer counted
 *   unacknowledged  in the stream although no client got a 202 for it (a write whose ack was
 *                   lost on the way back): allowed, reported
 */
import { type Audit, SCHEMA_VERSION } from '../reports/schema.ts';

export interface AuditInput {
  /** The engine's ledger: one accepted id per 202. */
  ledger: Iterable<string>;
  /** Event ids as read from the main topic/stream, repeats included. */
  stream: Iterable<string>;
  /** Original event ids of the DLQ entries, repeats included. */
  dlq: Iterable<string>;
  /** 202 answers counted by k6, when a k6 summary exists. */
  k6Accepted: number | null;
  /** The engine's own counts after the drain. */
  engine: { delivered: number; duplicates: number };
}

function countIds(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

export function audit(input: AuditInput): Audit {
  const accepted = new Set(input.ledger);
  const stream = countIds(input.stream);
  const dlq = countIds(input.dlq);

  const lostIds = [...accepted].filter((id) => !stream.has(id) && !dlq.has(id));
  // A poison event is in the stream once and in the DLQ once: that is one delivery.
  const duplicateIds = [...new Set([...stream.keys(), ...dlq.keys()])].filter(
    (id) => (stream.get(id) ?? 0) > 1 || (dlq.get(id) ?? 0) > 1,
  );
  let unacknowledged = 0;
  for (const id of stream.keys()) if (!accepted.has(id)) unacknowledged++;
  // The consumer delivers unacknowledged writes too: only the rest of its count is accepted ones.
  const undelivered = Math.max(0, accepted.size - (input.engine.delivered - unacknowledged));

  return {
    schema: SCHEMA_VERSION,
    accepted: accepted.size,
    k6Accepted: input.k6Accepted,
    inStream: stream.size,
    inDlq: dlq.size,
    delivered: Math.min(input.engine.delivered, accepted.size + unacknowledged),
    // An id missing from the stream is also undelivered: count the larger, not the sum.
    lost: Math.max(lostIds.length, undelivered),
    lostIds,
    duplicates: Math.max(input.engine.duplicates, duplicateIds.length),
    duplicateIds,
    unacknowledged,
  };
}
