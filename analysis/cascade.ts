/**
 * The cascade symptom and the engine's design, read tolerantly from the fulfillment
 * service's and the engine's /status: a field an older service does not report is
 * unknown (null), never 0.
 */
import type { Symptoms } from '../contract/schema.ts';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
const sum = (vs: (number | null)[]): number | null =>
  vs.some((v) => v === null) ? null : vs.reduce<number>((n, v) => n + (v ?? 0), 0);

/**
 * What the downstream was offered and served, its error rate (answers that were 5xx, 4xx,
 * timed out or refused, over what it was offered), and the engine's retries per event delivered.
 */
export function cascadeFigures(fulfillment: unknown, engine: unknown): Symptoms['cascade'] {
  const f = obj(fulfillment);
  const offered = num(f?.offered);
  const served = num(f?.served);
  const failed = sum([f?.errors5xx, f?.errors4xx, f?.timedOut, f?.refused].map(num));
  const counts = obj(obj(engine)?.counts);
  const retries = num(obj(counts?.downstream)?.retries);
  const delivered = num(counts?.delivered);
  return {
    offered,
    served,
    errorRate: offered === null || failed === null || offered === 0 ? null : failed / offered,
    retries,
    retriesPerEvent:
      retries === null || delivered === null || delivered === 0 ? null : retries / delivered,
  };
}

/** The engine's design preset and switches, as its /status reports them; null when it does not. */
export function designOf(engine: unknown): {
  design: string | null;
  switches: Record<string, boolean> | null;
} {
  const e = obj(engine);
  const design = typeof e?.design === 'string' ? e.design : null;
  const raw = obj(e?.switches);
  const switches = raw
    ? Object.fromEntries(
        Object.entries(raw).filter((kv): kv is [string, boolean] => typeof kv[1] === 'boolean'),
      )
    : null;
  return { design, switches };
}
