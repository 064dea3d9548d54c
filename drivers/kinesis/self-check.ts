/**
 * The Kinesis stand-in's self-check: what the quota layer's service model delivered
 * (GET /quota/stats) beside the profile's latency and propagation targets.
 */
import { type CheckRow, checkRow, type FidelityCheck } from '../../contract/fidelity-check.ts';
import type { FidelityProfile } from '../../contract/fidelity-schema.ts';

interface Observed {
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}
/** GET /quota/stats of the quota layer. */
export interface LayerStats {
  ops: Record<string, Observed>;
  propagation: Observed;
}

/** The check for a Kinesis run; `stats` null when the layer could not be asked (every row flagged). */
export function fidelityCheck(profile: FidelityProfile, stats: LayerStats | null): FidelityCheck {
  const rows: CheckRow[] = [];
  const k = profile.kinesis;
  for (const [op, l] of Object.entries(k?.latency ?? {})) {
    if (l.value.p50 <= 0) continue;
    const o = stats?.ops[op];
    // An operation never called has nothing to compare: only a called one can miss its target.
    if (stats && (!o || o.count === 0)) continue;
    rows.push(checkRow(`${op} p50`, l.value.p50, o?.p50Ms ?? null, o?.count ?? 0));
    rows.push(checkRow(`${op} p99`, l.value.p99, o?.p99Ms ?? null, o?.count ?? 0));
  }
  const target = k?.propagationTargetMs?.value;
  if (target !== undefined) {
    const p = stats?.propagation;
    rows.push(checkRow('propagation mean', target, p?.meanMs ?? null, p?.count ?? 0));
  }
  return { profile: profile.name, source: 'kinesis quota layer', rows };
}

/** What the quota layer's service model delivered (GET /quota/stats); null if it cannot say. */
export async function kinesisModelStats(adminUrl: string): Promise<LayerStats | null> {
  try {
    const res = await fetch(`${adminUrl.replace(/\/$/, '')}/quota/stats`);
    return res.ok ? ((await res.json()) as LayerStats) : null;
  } catch {
    return null;
  }
}

/** The quota layer's counter of write records it refused on one stream (GET /metrics). */
const THROTTLED = /^hunt_kinesis_quota_throttled_records_total\{([^}]*)\}\s+([\d.eE+]+)$/;
const WRITES = new Set(['PutRecords', 'PutRecord']);

/** Records PutRecords and PutRecord were refused on `stream`; null: the layer did not answer. */
export async function throttledWrites(adminUrl: string, stream: string): Promise<number | null> {
  let text: string;
  try {
    const res = await fetch(`${adminUrl.replace(/\/$/, '')}/metrics`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) return null;
    text = await res.text();
  } catch {
    return null;
  }
  return throttledWritesIn(text, stream);
}

export function throttledWritesIn(metrics: string, stream: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    const m = THROTTLED.exec(line.trim());
    if (!m) continue;
    const labels = Object.fromEntries(
      [...m[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (labels.stream === stream && WRITES.has(labels.op ?? '')) total += Number(m[2]);
  }
  return total;
}
