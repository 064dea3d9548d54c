import type { Backend } from '../backend.ts';
import { encodeEvent, type HuntEvent } from '../event.ts';
import { type DlqEntry, DlqEntrySchema } from './entry.ts';

/** Reads every DLQ entry from the start; entries that do not parse are returned as such. */
export async function readDlq(
  backend: Backend,
  dlqTopic: string,
): Promise<{ entries: DlqEntry[]; unreadable: number }> {
  const entries: DlqEntry[] = [];
  let unreadable = 0;
  await backend.readAll(dlqTopic, (r) => {
    try {
      const parsed = DlqEntrySchema.safeParse(JSON.parse(r.value.toString('utf8')));
      if (parsed.success) entries.push(parsed.data as unknown as DlqEntry);
      else unreadable++;
    } catch {
      unreadable++;
    }
  });
  return { entries, unreadable };
}

export function countByReason(entries: DlqEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) out[e.reason] = (out[e.reason] ?? 0) + 1;
  return out;
}

/**
 * Re-publishes the original events of DLQ entries to the main topic, with their original
 * ids (so the read model stays idempotent) and a fresh publish time. Entries whose event
 * could not be decoded cannot be re-driven and are counted as skipped.
 */
export async function redrive(
  backend: Backend,
  topic: string,
  entries: DlqEntry[],
  now: () => number,
): Promise<{ redriven: number; skipped: number; failed: number }> {
  const events = entries.map((e) => e.event).filter((e): e is HuntEvent => e !== null);
  const producer = await backend.createProducer(topic);
  let failed = 0;
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500).map((e) => ({ ...e, ts: now() }));
    const outcomes = await producer.send(
      batch.map((e) => ({ key: e.huntId, value: encodeEvent(e), ts: e.ts })),
    );
    failed += outcomes.filter(Boolean).length;
  }
  return { redriven: events.length - failed, skipped: entries.length - events.length, failed };
}
