/**
 * `hunt run`: one scenario with one fault plan against one backend, on one clock, in three
 * steps: prepare (ports checked, stack up, run.json, k6 command), execute (engine, load and
 * faults, drain, audit) and finish (summary, exit code). Every step leaves a results
 * directory that describes itself, also when the run did not complete.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PROMISE_MS } from '../analysis/symptoms.ts';
import { EXIT } from '../common/exit-codes.ts';
import { RESULTS } from '../contract/layout.ts';
import { readTimeline } from '../reports/timeline.ts';
import type { RunOptions, RunResult } from './options.ts';
import { writeJson } from './results-files.ts';
import { CATALOGUE_FILE, executeRun, type RunOutcome } from './run-execute.ts';
import { type PreparedRun, prepareRun } from './run-prepare.ts';
import { buildSummary } from './summary.ts';

export type { RunOptions, RunResult } from './options.ts';

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
  // No timeline leaves its figures (backlog, breakers) unknown in the summary, never 0.
  const points = await readTimeline(join(p.dir, RESULTS.timeline)).catch((err: Error) => {
    o.progress.log(`[run] timeline: ${err.message}; its figures are unknown`);
    return [];
  });
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
    stalled: x.drainEnd === 'stalled',
  });
  writeJson(join(p.dir, RESULTS.summary), summary);
  Object.assign(p.manifest, { endedAt: new Date().toISOString(), complete: x.complete });
  writeJson(join(p.dir, RESULTS.run), p.manifest);
  if (!x.complete)
    writeFileSync(
      join(p.dir, RESULTS.incomplete),
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
