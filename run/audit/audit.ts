/**
 * The zero-loss audit. Its witness is the load generator, never the system under test: the
 * accepted set is the event ids k6 got a 202 for, read from k6's own samples
 * (run/audit/witness.ts). After the drain, an independent reader reads the whole topic or
 * stream and its DLQ from the start (run/audit/read.ts), and the two are compared:
 *
 *   lost            k6 got a 202, yet the id is in neither the stream nor the DLQ
 *   undelivered     k6 got a 202 and the event is in the stream, but the consumer had not
 *                   delivered it when the run ended (the engine's delivered count falls
 *                   short): a backlog left behind, or events a consumer skipped
 *   duplicates      delivered more than once: ids the stream holds twice (a producer retry)
 *                   and redeliveries the consumer counted
 *   unacknowledged  in the stream although k6 got no 202 for it (a 504 or a timeout whose
 *                   write landed): allowed, reported
 *   foreign         in the stream, never sent by k6: another writer, or invented events
 *
 * The engine's ledger is only a cross-check, reported both ways: a 202 with no ledger line,
 * a ledger line with no 202.
 */
import { AUDIT_ID_SAMPLE, type Audit, SCHEMA_VERSION } from '../../contract/schema.ts';
import type { K6Witness } from './witness.ts';

export interface AuditInput {
  /** What k6 saw: the ids answered 202, every id it sent, writes it sent without an id. */
  witness: K6Witness;
  /** The engine's ledger of accepted ids, when it left one. */
  ledger: Iterable<string> | null;
  /** Event ids as read from the main topic/stream, repeats included. */
  stream: Iterable<string>;
  /** Original event ids of the DLQ entries, repeats included. */
  dlq: Iterable<string>;
  /** Records and DLQ entries whose event id could not be read. */
  unreadable: { stream: number; dlq: number };
  /** k6's hunt_accepted counter, when a k6 summary exists. */
  k6Accepted: number | null;
  /** The engine's own counts after the drain; null when its status could not be read. */
  engine: { delivered: number; duplicates: number } | null;
}

function countIds(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

function idList(ids: Iterable<string>): { count: number; ids: string[] } {
  const all = [...ids];
  return { count: all.length, ids: all.slice(0, AUDIT_ID_SAMPLE) };
}

const without = <T>(a: Iterable<T>, b: { has(x: T): boolean }) => [...a].filter((x) => !b.has(x));

export function audit(input: AuditInput): Audit {
  const accepted = input.witness.accepted;
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
  const engine = input.engine;
  const undelivered =
    engine === null ? null : Math.max(0, accepted.size - (engine.delivered - unacknowledged));
  const ledger = input.ledger === null ? null : new Set(input.ledger);

  return {
    schema: SCHEMA_VERSION,
    witness: 'k6-samples',
    accepted: accepted.size,
    k6Accepted: input.k6Accepted,
    unwitnessed: input.witness.unwitnessed,
    inStream: stream.size,
    inDlq: dlq.size,
    unreadable: input.unreadable,
    delivered: engine && Math.min(engine.delivered, accepted.size + unacknowledged),
    lost: lostIds.length,
    lostIds,
    // An id missing from the stream is also undelivered: only the rest are in the stream.
    undelivered: undelivered === null ? null : Math.max(0, undelivered - lostIds.length),
    duplicates: engine && Math.max(engine.duplicates, duplicateIds.length),
    duplicateIds,
    unacknowledged,
    foreign: idList(without(stream.keys(), input.witness.sent)),
    ledger: ledger && {
      lines: ledger.size,
      missing: idList(without(accepted, ledger)),
      extra: idList(without(ledger, accepted)),
    },
  };
}
