/**
 * The fidelity self-check (fidelity-check.json): what a broker's service model delivered, as
 * the model itself measured it, beside the profile's targets. A gap over 25%, or a target
 * that could not be measured, is flagged: the emulation did not do what the profile says.
 * An operation called too few times to judge is shown and not flagged.
 */
import { z } from 'zod';

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
  /** Where the measurements come from (`kinesis quota layer`). */
  source: z.string(),
  rows: z.array(CheckRow),
});
export type FidelityCheck = z.infer<typeof FidelityCheck>;

/** One row: a target beside what was measured, judged once there are enough samples. */
export function checkRow(
  what: string,
  targetMs: number,
  measuredMs: number | null,
  samples: number,
): CheckRow {
  const gap = measuredMs === null || targetMs === 0 ? null : (measuredMs - targetMs) / targetMs;
  const judged = measuredMs !== null && samples >= MIN_SAMPLES;
  const flagged = measuredMs === null || (judged && gap !== null && Math.abs(gap) > MAX_GAP);
  return { what, targetMs, measuredMs, samples, gap, judged, flagged };
}
