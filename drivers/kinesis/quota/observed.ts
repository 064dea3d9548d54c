/**
 * What the service model delivered, measured by the layer itself: each operation's time from
 * request to answer (upstream and injected delay included), and propagation: the service's
 * share of the time from a record being stored (the upstream's answer to its write) to the
 * answer of the GetRecords that returns it.
 */

/** Samples kept per series; beyond it, reservoir sampling keeps a uniform subset. */
const KEEP = 20_000;
/** Stored records awaiting their first read; the oldest are dropped beyond it. */
const MAX_PENDING = 200_000;
/**
 * AWS allows 5 GetRecords a second per shard: a consumer polling as fast as allowed reads a
 * stored record within this. Waiting longer before the read (a consumer's pause, a shard it
 * holds back) is the consumer's time, not the service's, and is left out.
 */
export const POLL_MS = 200;

export interface Observed {
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

class Series {
  private readonly kept: number[] = [];
  private count = 0;
  private sum = 0;

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (this.kept.length < KEEP) this.kept.push(v);
    else {
      const i = Math.floor(Math.random() * this.count);
      if (i < KEEP) this.kept[i] = v;
    }
  }

  summary(): Observed {
    if (this.count === 0) return { count: 0, meanMs: null, p50Ms: null, p99Ms: null };
    const s = [...this.kept].sort((a, b) => a - b);
    const at = (q: number) => round(s[Math.min(s.length - 1, Math.floor(q * s.length))]!);
    return {
      count: this.count,
      meanMs: round(this.sum / this.count),
      p50Ms: at(0.5),
      p99Ms: at(0.99),
    };
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

type Json = Record<string, unknown>;

export class ObservedService {
  private ops = new Map<string, Series>();
  private propagation = new Series();
  /** Sequence number -> when it was stored. */
  private pending = new Map<string, number>();

  reset(): void {
    this.ops = new Map();
    this.propagation = new Series();
    this.pending = new Map();
  }

  /** A call handled by the upstream: the records a write stored, from now readable. */
  handled(op: string, status: number, json: unknown, now: number): void {
    if (status !== 200 || !json || typeof json !== 'object') return;
    const j = json as Json;
    if (op === 'PutRecord' && typeof j.SequenceNumber === 'string')
      this.stored(j.SequenceNumber, now);
    if (op === 'PutRecords' && Array.isArray(j.Records))
      for (const r of j.Records as Json[])
        if (typeof r.SequenceNumber === 'string') this.stored(r.SequenceNumber, now);
  }

  /**
   * A call answered after `ms`: its duration, and for a read the records it returned, each
   * as the read's own time plus the wait for it since the record was stored, up to POLL_MS.
   */
  answered(op: string, status: number, json: unknown, ms: number, now: number): void {
    const s = this.ops.get(op) ?? new Series();
    this.ops.set(op, s);
    s.add(ms);
    if (op !== 'GetRecords' || status !== 200 || !json || typeof json !== 'object') return;
    const records = (json as Json).Records;
    if (!Array.isArray(records)) return;
    for (const r of records as Json[]) {
      const stored = this.pending.get(String(r.SequenceNumber));
      if (stored === undefined) continue;
      this.pending.delete(String(r.SequenceNumber));
      const arrived = now - ms;
      this.propagation.add(ms + Math.min(POLL_MS, Math.max(0, arrived - stored)));
    }
  }

  private stored(seq: string, now: number): void {
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(seq, now);
  }

  summary(): { ops: Record<string, Observed>; propagation: Observed } {
    return {
      ops: Object.fromEntries([...this.ops].map(([op, s]) => [op, s.summary()])),
      propagation: this.propagation.summary(),
    };
  }
}
