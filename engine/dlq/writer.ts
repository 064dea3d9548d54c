import { handleWhenResult, retry } from 'cockatiel';
import type { BackendProducer } from '../backend.ts';
import { fullJitter } from '../consumer/downstream.ts';
import { StoppingError } from '../errors.ts';
import type { DlqEntry } from './entry.ts';

/**
 * Writes DLQ entries and resolves only once the broker acknowledged them all, because the
 * consumer commits right after. A failing DLQ stalls the consumer instead of losing events.
 */
export class DlqWriter {
  constructor(
    private readonly producer: BackendProducer,
    private readonly timeoutMs: number,
    private readonly stopping: () => boolean,
    private readonly now: () => number,
  ) {}

  async write(entries: DlqEntry[], keepAlive: () => Promise<void>): Promise<void> {
    if (entries.length === 0) return;
    let pending = entries;
    // Until every entry is acked (no attempt limit), unless the engine stops.
    const retries = retry(
      handleWhenResult(() => pending.length > 0 && !this.stopping()),
      { maxAttempts: Number.POSITIVE_INFINITY, backoff: fullJitter(100, 2000) },
    );
    await retries.execute(async ({ attempt }) => {
      if (attempt > 0) await keepAlive();
      const records = pending.map((e) => ({
        key: e.event?.huntId ?? 'undecodable',
        value: Buffer.from(JSON.stringify(e)),
        ts: this.now(),
      }));
      try {
        const outcomes = await withDeadline(this.producer.send(records), this.timeoutMs);
        pending = pending.filter((_, i) => outcomes[i] !== undefined);
      } catch {
        // Whole call failed: retry all of them.
      }
    });
    if (pending.length > 0) throw new StoppingError();
  }
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`no ack within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}
