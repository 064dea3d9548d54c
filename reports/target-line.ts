import type { RunTargetRecord } from '../contract/schema.ts';
import { descriptionOf } from '../drivers/descriptions.ts';

/** One line for the run's log and the report: the real broker a run used (its driver says). */
export function describeTarget(t: RunTargetRecord): string {
  return descriptionOf(t.backend)?.describeTarget?.(t) ?? `real ${t.backend}: topic ${t.topic}`;
}
