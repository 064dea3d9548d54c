/**
 * A Summary for a run that left none (killed before `hunt run` wrote summary.json): counts
 * from audit.json or the timeline, figures from the timeline, marked incomplete. Latency
 * percentiles are filled in from the samples by the loader, as for every run.
 */

import { DEFAULT_PROMISE_MS, timelineSymptoms } from '../analysis/symptoms.ts';
import type { Audit, RunManifest, Summary, TimelinePoint } from '../contract/schema.ts';
import { SCHEMA_VERSION } from '../contract/schema.ts';
import { backlogFigures, breakerFigures, producerFigures } from './timeline.ts';

export function deriveSummary(
  m: RunManifest,
  timeline: TimelinePoint[],
  audit: Audit | null,
): Summary {
  const last = timeline.at(-1);
  const durationS = last ? last.t + 1 : 0;
  // Without a timeline (and an audit) the counts are unknown, not 0.
  const sum = (get: (p: TimelinePoint) => number) =>
    last ? Math.round(timeline.reduce((n, p) => n + get(p), 0)) : null;
  const accepted = audit?.accepted ?? sum((p) => p.acceptedPerS);
  const delivered = audit?.delivered ?? sum((p) => p.deliveredPerS);
  const firstFired = new Map<string, number>();
  for (const p of timeline)
    for (const a of p.alerts) if (!firstFired.has(a)) firstFired.set(a, p.t);
  return {
    schema: SCHEMA_VERSION,
    runId: m.runId,
    backend: m.backend,
    scenario: m.scenario,
    plan: m.plan,
    design: null,
    switches: null,
    hostBusy: m.machine.loadAvg1m === null ? null : m.machine.loadAvg1m > m.machine.cores,
    durationS,
    complete: false,
    accepted,
    delivered,
    dlq: { total: audit?.inDlq ?? last?.dlqTotal ?? null, byReason: {} },
    // Unknown is never zero: without an audit nobody knows what was lost.
    lost: audit?.lost ?? null,
    undelivered: audit?.undelivered ?? null,
    duplicates: audit?.duplicates ?? null,
    shed: last?.shedTotal ?? null,
    throughput: { acceptedPerS: accepted !== null && durationS > 0 ? accepted / durationS : null },
    http: null,
    answers: null,
    e2e: null,
    e2eSamples: {
      count: null,
      deliveredMinusDlq: audit && audit.delivered !== null ? audit.delivered - audit.inDlq : null,
    },
    backlog: backlogFigures(timeline),
    breaker: breakerFigures(timeline),
    ...producerFigures(timeline),
    alerts: [...firstFired].map(([name, firedAtS]) => ({ name, firedAtS, lagS: null })),
    symptoms: timelineSymptoms(timeline, m.backlogCritical ?? null, DEFAULT_PROMISE_MS),
    budgets: [],
  };
}
