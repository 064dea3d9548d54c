/**
 * The fidelity self-check (fidelity-check.json): what the Kinesis service model delivered,
 * as the quota layer measured it, beside the profile's targets. A gap over 25%, or a target
 * that could not be measured, is flagged: the emulation did not do what the profile says.
 * An operation called too few times to judge is shown and not flagged.
 */
import { z } from 'zod';
import type { FidelityProfile } from '../contract/fidelity-schema.ts';

export const FIDELITY_CHECK_FILE = 'fidelity-check.json';
export const MAX_GAP = 0.25;
/** Fewer samples than this judge nothing (a p99 of three calls is one call): shown, not flagged. */
export const MIN_SAMPLES = 20;

export const CheckRow = z.strictObject({
  /** e.g. `PutRecords p50`, `propagation mean`. */
  what: z.string(),
  targetMs: z.number().nonnegative(),
  measuredMs: z.number().nonnegative().nullable(),
  samples: z.number().int().nonnegative(),
  /** (measured − target) / target; null when not measured. */
  gap: z.number().nullable(),
  /** Whether there were enough samples to judge the gap (MIN_SAMPLES). */
  judged: z.boolean(),
  flagged: z.boolean(),
});
export type CheckRow = z.infer<typeof CheckRow>;

export const FidelityCheck = z.strictObject({
  profile: z.string(),
  /** Where the measurements come from. */
  source: z.literal('kinesis quota layer'),
  rows: z.array(CheckRow),
});
export type FidelityCheck = z.infer<typeof FidelityCheck>;

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

function row(what: string, targetMs: number, measuredMs: number | null, samples: number): CheckRow {
  const gap = measuredMs === null || targetMs === 0 ? null : (measuredMs - targetMs) / targetMs;
  const judged = measuredMs !== null && samples >= MIN_SAMPLES;
  const flagged = measuredMs === null || (judged && gap !== null && Math.abs(gap) > MAX_GAP);
  return { what, targetMs, measuredMs, samples, gap, judged, flagged };
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
    rows.push(row(`${op} p50`, l.value.p50, o?.p50Ms ?? null, o?.count ?? 0));
    rows.push(row(`${op} p99`, l.value.p99, o?.p99Ms ?? null, o?.count ?? 0));
  }
  const target = k?.propagationTargetMs?.value;
  if (target !== undefined) {
    const p = stats?.propagation;
    rows.push(row('propagation mean', target, p?.meanMs ?? null, p?.count ?? 0));
  }
  return { profile: profile.name, source: 'kinesis quota layer', rows };
}
