/**
 * Runs a plan on the run's clock: applies each step at `at`, undoes it at `at + for`, and
 * records what really happened. Whatever ends it (its end, an abort on SIGINT/SIGTERM, a
 * failing step) it undoes every fault it applied before returning.
 */
import type { ChaosRecord } from '../contract/schema.ts';
import { type Clock, realClock } from './clock.ts';
import type {
  DownstreamControl,
  FaultContext,
  ProcessControl,
  QuotaControl,
  Revert,
  ToxiproxyApi,
} from './faults/types.ts';
import { Journal } from './journal.ts';
import { type Plan, type ResolvedStep, resolveStep } from './plan.ts';
import { ChaosRecorder } from './recorder.ts';
import type { RunTargets } from './targets.ts';
import { toxiproxyApi } from './toxiproxy.ts';

export interface RunPlanOptions {
  /** The run's backend and what its broker offers a plan (`broker` resolves to it). */
  run: RunTargets;
  toxiproxyUrl?: string;
  /** Instead of toxiproxyUrl, e.g. a fake in tests. */
  toxiproxy?: ToxiproxyApi;
  /** The run's t=0 (epoch ms), shared with k6 and the collector; default now. */
  startedAt?: number;
  signal?: AbortSignal;
  recorder?: ChaosRecorder;
  processControl?: ProcessControl;
  quotaControl?: QuotaControl;
  /** The fulfillment service's capacity, for `downstream:` steps. */
  downstreamControl?: DownstreamControl;
  clock?: Clock;
  /** POST /reset first, removing a crashed runner's toxics and re-enabling proxies. Default true. */
  reset?: boolean;
  /** Where kills and quota changes in force are noted, so the next start can undo them. */
  journalFile?: string;
  /** Keep open-ended steps in force past the plan's end until `signal` aborts (`hunt run`). */
  holdUntilAborted?: boolean;
  log?: (line: string) => void;
}

export interface RunPlanResult {
  record: ChaosRecord;
  /** The whole timeline ran (false when aborted first). */
  complete: boolean;
  /** Steps that failed to apply or to be undone. */
  errors: number;
}

interface Action {
  t: number;
  revert: boolean;
  step: ResolvedStep;
}

export async function runPlan(plan: Plan, opts: RunPlanOptions): Promise<RunPlanResult> {
  const clock = opts.clock ?? realClock;
  const startedAt = opts.startedAt ?? clock.now();
  const recorder = opts.recorder ?? new ChaosRecorder();
  const log = opts.log ?? (() => {});
  const toxiproxy = opts.toxiproxy ?? toxiproxyApi(requireUrl(opts.toxiproxyUrl));
  const nowS = () => (clock.now() - startedAt) / 1000;
  const journal = new Journal(opts.journalFile);
  const ctxFor = (step: number, target: string): FaultContext => {
    const ctx: FaultContext = { step, target, toxiproxy };
    if (opts.processControl) ctx.processes = opts.processControl;
    if (opts.quotaControl) ctx.quotas = opts.quotaControl;
    if (opts.downstreamControl) ctx.downstream = opts.downstreamControl;
    return ctx;
  };

  const steps: ResolvedStep[] = [];
  for (const s of plan.steps) {
    try {
      steps.push(resolveStep(plan, s, opts.run));
    } catch (err) {
      recorder.unresolved({
        step: s.index,
        label: s.key,
        kind: s.key,
        target: '',
        plannedAtS: s.at,
        plannedForS: s.for,
        appliedAtS: null,
        removedAtS: null,
        error: `resolve: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  recorder.begin(plan.name, startedAt, steps);

  if (opts.reset ?? true) await toxiproxy.reset();
  await journal.recover((entry) => ctxFor(-1, entry.target), log);

  const actions: Action[] = [];
  for (const step of steps) {
    actions.push({ t: step.at, revert: false, step });
    if (step.for !== null || !opts.holdUntilAborted) {
      actions.push({ t: step.until, revert: true, step });
    }
  }
  // Undo before apply at one instant, so back-to-back windows (a flap) hand over cleanly.
  actions.sort(
    (a, b) => a.t - b.t || Number(b.revert) - Number(a.revert) || a.step.index - b.step.index,
  );

  const active = new Map<number, Revert>();
  // One chain per target: a slow restart delays only later steps on the same target.
  const chains = new Map<string, Promise<void>>();
  const enqueue = (key: string, work: () => Promise<void>) => {
    chains.set(key, (chains.get(key) ?? Promise.resolve()).then(work));
  };

  const apply = async (step: ResolvedStep) => {
    try {
      log(`t=${nowS().toFixed(1)}s apply steps[${step.index}]: ${step.label}`);
      active.set(step.index, await step.fault.apply(step.spec, ctxFor(step.index, step.target)));
      const revert = active.get(step.index)!;
      if (step.fault.recover) journal.add(step.index, step.key, step.target, revert.memo);
      recorder.applied(step.index, nowS());
    } catch (err) {
      log(`t=${nowS().toFixed(1)}s steps[${step.index}] failed: ${String(err)}`);
      recorder.failed(step.index, 'apply', err);
    }
  };
  const undo = async (step: ResolvedStep) => {
    const revert = active.get(step.index);
    if (!revert) return;
    active.delete(step.index);
    try {
      log(`t=${nowS().toFixed(1)}s undo steps[${step.index}]: ${step.label}`);
      await revert();
      journal.remove(step.index);
      recorder.removed(step.index, nowS());
    } catch (err) {
      log(`t=${nowS().toFixed(1)}s undo steps[${step.index}] failed: ${String(err)}`);
      recorder.failed(step.index, 'remove', err);
    }
  };

  let complete = true;
  for (const action of actions) {
    await clock.sleepUntil(startedAt + action.t * 1000, opts.signal);
    if (opts.signal?.aborted) {
      complete = false;
      break;
    }
    const { step } = action;
    enqueue(`${step.key}:${step.target}`, () => (action.revert ? undo(step) : apply(step)));
  }
  if (complete && opts.holdUntilAborted && opts.signal) {
    await clock.sleepUntil(Number.POSITIVE_INFINITY, opts.signal);
  }

  // Let in-flight steps settle, then undo what is still in force, newest first.
  await Promise.all(chains.values());
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  for (const index of [...active.keys()].reverse()) {
    await undo(byIndex.get(index)!);
  }
  const errors = recorder.errors().length;
  return { record: recorder.toRecord(), complete, errors };
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('runPlan: toxiproxyUrl or toxiproxy is required');
  return url;
}
