/**
 * summary.json for one run, from what the run left in its results directory: exact HTTP
 * percentiles from every k6 sample, end-to-end percentiles from the engine's HDR log, the
 * 1 Hz timeline, the engine's final counts and the audit; then each budget evaluated.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cascadeFigures, designOf } from '../analysis/cascade.ts';
import { readSales } from '../analysis/sales.ts';
import { detectFigures } from '../analysis/symptoms.ts';
import { percentilesMs, readHlog } from '../contract/hdr.ts';
import { answersOf } from '../contract/k6-samples.ts';
import {
  type Audit,
  HISTOGRAM_FILES,
  type Percentiles,
  type RunManifest,
  SCHEMA_VERSION,
  type Summary,
  type TimelinePoint,
} from '../contract/schema.ts';
import type { EngineStatus } from '../engine/status.ts';
import { type Budgets, evaluateBudgets, type K6Figures } from '../reports/budgets.ts';
import { backlogFigures, breakerFigures, producerFigures } from '../reports/timeline.ts';
import { mergeAgents } from './agents/merge.ts';

export interface SummaryInput {
  dir: string;
  manifest: RunManifest;
  points: TimelinePoint[];
  status: EngineStatus | null;
  audit: Audit | null;
  /** Seconds k6 offered load. */
  loadS: number;
  complete: boolean;
  budgets: Budgets;
  /** The engine's backlog alert threshold (events), to measure the alert's lag. */
  alertBacklog: number;
  /** The engine's backlog-critical threshold (events): time to detect runs from its crossing. */
  backlogCritical: number | null;
  /** The fulfillment service's /status after the drain; null when it could not be read. */
  fulfillment: unknown;
  /** The catalogue the run's orders were priced from. */
  catalogueFile: string;
  /** An order fulfilled later than this (ms) is a failed sale. */
  promiseMs: number;
  /** Each k6 agent's exit code, when the load was split over agents. */
  agentExits?: (number | null)[];
  /** The matrix configuration the run belongs to (`hunt compare`). */
  configuration?: string;
  /** Incomplete only because the backlog outlasted the drain timeout. */
  undrainedOnly?: boolean;
  /** The drain was ended early on a consumer that made no progress (load-phase.ts StallWatch). */
  stalled?: boolean;
}

/**
 * HTTP figures from every k6 sample, of every agent: latency of the 202s, answers by status
 * and reason, and one row per agent when the load was split.
 */
export async function httpFigures(
  dir: string,
  manifest: Pick<RunManifest, 'agents'>,
  points: TimelinePoint[],
  agentExits?: (number | null)[],
): Promise<{
  http: Percentiles | null;
  answers: Summary['answers'];
  k6: K6Figures;
  agents: Summary['agents'];
}> {
  const m = await mergeAgents(dir, manifest, points, agentExits);
  const samples = m.samples;
  if (!samples)
    return {
      http: null,
      answers: null,
      k6: { errorRate: null, droppedIterations: null },
      agents: m.rows,
    };
  return {
    http: percentilesMs(samples.http),
    answers: answersOf(samples),
    k6: { errorRate: samples.errorRate, droppedIterations: samples.droppedIterations },
    agents: m.rows,
  };
}

async function e2eFigures(dir: string): Promise<{ e2e: Percentiles | null; count: number | null }> {
  const file = join(dir, HISTOGRAM_FILES.e2e);
  if (!existsSync(file)) return { e2e: null, count: null };
  const h = readHlog(await readFile(file, 'utf8'));
  const p = percentilesMs(h);
  const count = h.totalCount;
  h.destroy();
  return { e2e: p, count };
}

/** When each alert first fired, and for the backlog alert how long after the backlog crossed its threshold. */
export function alertFigures(points: TimelinePoint[], alertBacklog: number): Summary['alerts'] {
  const crossedAt = points.find((p) => p.backlog >= alertBacklog)?.t ?? null;
  const seen = new Map<string, number>();
  for (const p of points) for (const name of p.alerts) if (!seen.has(name)) seen.set(name, p.t);
  return [...seen].map(([name, firedAtS]) => ({
    name,
    firedAtS,
    lagS:
      name === 'HuntBacklogCritical' && crossedAt !== null
        ? Math.max(0, firedAtS - crossedAt)
        : null,
  }));
}

/** The producer side's figures; the engine's final count of throttled records when it was read. */
function producerSummary(
  points: TimelinePoint[],
  status: EngineStatus | null,
): Pick<Summary, 'producerQueuePeak' | 'brokerThrottled'> {
  const f = producerFigures(points);
  const final = status?.producer?.throttled;
  return {
    producerQueuePeak: f.producerQueuePeak,
    brokerThrottled: typeof final === 'number' ? final : f.brokerThrottled,
  };
}

export async function buildSummary(i: SummaryInput): Promise<Summary> {
  const [{ http, answers, k6, agents }, { e2e, count }, sales] = await Promise.all([
    httpFigures(i.dir, i.manifest, i.points, i.agentExits),
    e2eFigures(i.dir),
    readSales(i.dir, i.catalogueFile, i.promiseMs),
  ]);
  const m = i.manifest.machine;
  const counts = i.status?.counts;
  // What neither the audit nor the engine's status gave is unknown (null), never 0.
  const accepted = i.audit?.accepted ?? counts?.accepted ?? null;
  const summary: Summary = {
    schema: SCHEMA_VERSION,
    runId: i.manifest.runId,
    backend: i.manifest.backend,
    scenario: i.manifest.scenario,
    plan: i.manifest.plan,
    ...designOf(i.status),
    ...(i.configuration === undefined ? {} : { configuration: i.configuration }),
    hostBusy: m && m.loadAvg1m !== null ? m.loadAvg1m > m.cores : null,
    durationS: i.points.at(-1)?.t ?? 0,
    complete: i.complete,
    ...(i.undrainedOnly === undefined ? {} : { undrainedOnly: i.undrainedOnly }),
    accepted,
    delivered: counts?.delivered ?? i.audit?.delivered ?? null,
    dlq: { total: counts?.dlq.total ?? null, byReason: counts?.dlq.byReason ?? {} },
    // Unknown is never zero: a run without an audit has lost an unknown number of events.
    lost: i.audit?.lost ?? null,
    undelivered: i.audit?.undelivered ?? null,
    duplicates: i.audit?.duplicates ?? counts?.duplicates ?? null,
    shed: counts?.shed.total ?? null,
    throughput: {
      acceptedPerS:
        accepted !== null && i.loadS > 0 ? Math.round((accepted / i.loadS) * 10) / 10 : null,
    },
    http,
    answers,
    e2e,
    // Every event applied (delivered and not dead-lettered) recorded one end-to-end sample.
    e2eSamples: {
      count,
      deliveredMinusDlq: counts ? counts.delivered - counts.dlq.total : null,
    },
    backlog: { ...backlogFigures(i.points), ...(i.stalled ? { stalled: true } : {}) },
    breaker: breakerFigures(i.points),
    ...producerSummary(i.points, i.status),
    alerts: alertFigures(i.points, i.alertBacklog),
    symptoms: {
      detect: detectFigures(i.points, i.backlogCritical),
      cascade: cascadeFigures(i.fulfillment, i.status),
      sales,
    },
    budgets: [],
    ...(agents ? { agents } : {}),
  };
  summary.budgets = evaluateBudgets(i.budgets, summary, k6);
  return summary;
}
