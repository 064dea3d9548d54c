import type { RunTargetRecord } from '../contract/schema.ts';
import { driverOf } from '../drivers/registry.ts';

/** One line for the run's log and the report: the real broker a run used (its driver says). */
export function describeTarget(t: RunTargetRecord): string {
  return driverOf(t.backend).target?.describe(t) ?? `real ${t.backend}: topic ${t.topic}`;
}
