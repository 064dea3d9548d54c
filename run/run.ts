/**
 * `hunt run`: one scenario with one fault plan against one backend, on one clock, in three
 * steps: prepare (ports checked, stack up, run.json, k6 command), execute (engine, load and
 * faults, drain, audit) and finish (summary, exit code). Every step leaves a results
 * directory that describes itself, also when the run did not complete.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../chaos/plan.ts';
import { EXIT } from '../common/exit-codes.ts';
import type { Budgets } from '../reports/budgets.ts';
import type { Audit, Summary } from '../reports/schema.ts';
import { DEFAULT_PROMISE_MS } from '../reports/symptoms.ts';
import { readTimeline } from '../reports/timeline.ts';
import type { AgentsSpec } from '../scenarios/lib-node/k6-agents.ts';
import type { Paths } from '../stack/config.ts';
import type { LoadedProfile } from './fidelity.ts';
import type { Progress } from './progress.ts';
import { CATALOGUE_FILE, executeRun, type RunOutcome } from './run-execute.ts';
import { type PreparedRun, prepareRun, writeJson } from './run-prepare.ts';
import { buildSummary } from './summary.ts';
import type { RunTarget } from './target.ts';

export interface RunOptions {
  backend: 'kafka' | 'kinesis';
  scenario: string;
  plan: Plan;
  planFile: string;
  seed: number;
  profile: string;
  scale: number;
  /** k6 DURATION, e.g. "90s"; the scenario's own when absent. */
  duration?: string;
  out: string;
  runId: string;
  drainTimeoutS: number;
  /** Kinesis quota layer multiplier; null leaves quotas off. Ignored for Kafka. */
  kinesisQuota: number | null;
  partitions: number;
  budgets: Budgets;
  budgetsFile: string;
  /** Where the event id sits in each record the audit reads (a dot path); default `id`. */
  auditIdPath?: string;
  /** An order fulfilled later than this (ms) is a failed sale; default DEFAULT_PROMISE_MS. */
  promiseMs?: number;
  /** The fidelity profile (scenarios/fidelity/): service model, consumer cadence, run.json record. */
  fidelity: LoadedProfile;
  /** Engine settings passed through (`--set`). */
  engineSettings: Record<string, string>;
  /** The matrix configuration this run belongs to (`hunt compare`), recorded in summary.json. */
  configuration?: string;
  /** An existing system to run against (`--target`): no local broker is started. */
  target?: RunTarget;
  /** The load split over k6 agents (`--agents`, `--agent-hosts`); absent: one k6. */
  agents?: AgentsSpec;
  /** The engine URL the agents load (`--agent-base-url`); default the run's loopback one. */
  agentBaseUrl?: string;
  /** A non-loopback agentBaseUrl was named explicitly (`--allow-remote`): ALLOW_REMOTE=1 for k6. */
  allowRemote?: boolean;
  paths: Paths;
  signal: AbortSignal;
  progress: Progress;
}

export interface RunResult {
  dir: string;
  summary: Summary | null;
  audit: Audit | null;
  exitCode: number;
  /** Incomplete only because the backlog outlasted the drain timeout (run-execute.ts). */
  undrainedOnly: boolean;
}

/** `20261124-044022`: sorts by time and reads at a glance in a directory listing. */
export function timestamp(at = new Date()): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

export function newRunId(backend: string, scenario: string, plan: string, at = new Date()): string {
  return `${timestamp(at)}-${backend}-${scenario}-${plan}`.replace(/[^A-Za-z0-9._-]/g, '-');
}

export { RUN_ENGINE_SETTINGS } from './run-prepare.ts';

/** The most severe outcome decides the exit code. */
export function exitCodeFor(o: {
  interrupted: boolean;
  complete: boolean;
  lost: number | null;
  /** Accepted ids the audit found in neither the stream nor the DLQ. */
  lostIds: number;
  budgetsPass: boolean;
}): number {
  if (o.interrupted) return EXIT.interrupted;
  // Ids missing from the stream are lost whether or not the backlog drained.
  if (o.lostIds > 0) return EXIT.lost;
  if (!o.complete) return EXIT.incomplete;
  if (o.lost === null || o.lost > 0) return EXIT.lost;
  return o.budgetsPass ? EXIT.ok : EXIT.budgets;
}

export async function runOnce(o: RunOptions): Promise<RunResult> {
  const say = (line: string) => o.progress.log(line);
  const p = await prepareRun(o, say);
  const outcome = await executeRun(o, p, say);
  return finishRun(o, p, outcome);
}

/** summary.json, the final run.json, and INCOMPLETE when the run did not finish. */
async function finishRun(o: RunOptions, p: PreparedRun, x: RunOutcome): Promise<RunResult> {
  const points = await readTimeline(join(p.dir, 'timeline.ndjson')).catch(() => []);
  const undrainedOnly = !x.complete && x.finishedButDrain && !o.signal.aborted;
  const summary = await buildSummary({
    dir: p.dir,
    manifest: p.manifest,
    points,
    status: x.status,
    audit: x.audit,
    loadS: x.loadS,
    complete: x.complete,
    budgets: o.budgets,
    alertBacklog: Number(p.engineSettings.alertBacklog),
    backlogCritical: p.manifest.backlogCritical ?? null,
    fulfillment: x.fulfillment,
    catalogueFile: CATALOGUE_FILE,
    promiseMs: o.promiseMs ?? DEFAULT_PROMISE_MS,
    agentExits: x.agentExits,
    ...(o.configuration === undefined ? {} : { configuration: o.configuration }),
    undrainedOnly,
  });
  writeJson(join(p.dir, 'summary.json'), summary);
  Object.assign(p.manifest, { endedAt: new Date().toISOString(), complete: x.complete });
  writeJson(join(p.dir, 'run.json'), p.manifest);
  if (!x.complete)
    writeFileSync(
      join(p.dir, 'INCOMPLETE'),
      o.signal.aborted ? 'interrupted\n' : 'the run did not finish; see logs/\n',
    );
  const exitCode = exitCodeFor({
    interrupted: o.signal.aborted,
    complete: x.complete,
    lost: summary.lost,
    lostIds: x.audit?.lostIds.length ?? 0,
    budgetsPass: summary.budgets.every((b) => b.pass),
  });
  return { dir: p.dir, summary, audit: x.audit, exitCode, undrainedOnly };
}
