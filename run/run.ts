/**
 * `hunt run`: one scenario with one fault plan against one backend, on one clock. It starts
 * the fulfillment service and the engine on a fresh topic/stream, then the collector, the
 * chaos runner and k6 together; waits for k6, undoes the faults, waits for the backlog to
 * drain, audits, and writes a complete, self-describing results directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plan } from '../chaos/plan.ts';
import { clearLeftovers, holdRunQuota } from '../chaos/run-quota.ts';
import type { EngineStatus } from '../engine/status.ts';
import type { Budgets } from '../reports/budgets.ts';
import type { Audit, RunManifest, Summary } from '../reports/schema.ts';
import { readTimeline } from '../reports/timeline.ts';
import { k6Command } from '../scenarios/lib-node/run-k6.ts';
import { HOST, type Paths, resolvePorts } from '../stack/config.ts';
import { stopDaemon } from '../stack/process.ts';
import { readStackInfo, stackDown, stackUp } from '../stack/stack.ts';
import { REPO_ROOT } from '../stack/tools.ts';
import { audit } from './audit.ts';
import { k6Accepted, readLedger, readStreamCopy } from './audit-read.ts';
import type { Collector } from './collector.ts';
import { kinesisStoreFor } from './kinesis-store.ts';
import { drain, loadPhase } from './load-phase.ts';
import { inspectShape } from './load-shape.ts';
import { emulation, newManifest } from './manifest.ts';
import type { Progress } from './progress.ts';
import { engineStatus, startEngine, startFulfillment } from './services.ts';
import { buildSummary } from './summary.ts';

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
  /** Engine settings passed through (`--set`). */
  engineSettings: Record<string, string>;
  paths: Paths;
  signal: AbortSignal;
  progress: Progress;
}

/** Exit codes, distinct per outcome, most severe first. */
export const EXIT = {
  ok: 0,
  budgets: 1,
  usage: 2,
  lost: 3,
  incomplete: 4,
  interrupted: 130,
} as const;

export interface RunResult {
  dir: string;
  summary: Summary | null;
  audit: Audit | null;
  exitCode: number;
}

/** `20261124-044022`: sorts by time and reads at a glance in a directory listing. */
export function timestamp(at = new Date()): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

export function newRunId(backend: string, scenario: string, plan: string, at = new Date()): string {
  return `${timestamp(at)}-${backend}-${scenario}-${plan}`.replace(/[^A-Za-z0-9._-]/g, '-');
}

const writeJson = (file: string, value: unknown) =>
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/**
 * Engine thresholds sized for a burst on one small machine, so that the incident's alert
 * and admission breaker show; each can be overridden with --set.
 */
export const RUN_ENGINE_SETTINGS: Readonly<Record<string, string>> = {
  backlogCritical: '5000',
  backlogResume: '2500',
  alertBacklog: '1000',
  alertBacklogForS: '3',
  // Poison is 0.5% of the traffic by default; the alert is for a DLQ rate well above that.
  alertDlqRate: '0.05',
};

export async function runOnce(o: RunOptions): Promise<RunResult> {
  const dir = resolve(o.out);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const say = (line: string) => o.progress.log(line);
  const ownStack = readStackInfo(o.paths) === undefined;
  const info = ownStack
    ? await stackUp(o.paths, resolvePorts(), say, {
        kinesisStore: kinesisStoreFor(o.plan, o.backend),
      })
    : readStackInfo(o.paths)!;
  const ports = info.ports;
  const topic = `hunt-${o.runId}`.slice(0, 120);
  const engineSettings = { ...RUN_ENGINE_SETTINGS, ...o.engineSettings };
  const quotaOn = o.backend === 'kinesis' && o.kinesisQuota !== null;

  const manifest: RunManifest = await newManifest(
    {
      runId: o.runId,
      backend: o.backend,
      scenario: o.scenario,
      plan: o.plan.name,
      profile: o.profile,
      seed: o.seed,
      scale: o.scale,
      backlogCritical: Number(engineSettings.backlogCritical),
      emulation: emulation(
        o.backend,
        o.partitions,
        quotaOn ? o.kinesisQuota : null,
        info.kinesisStore,
      ),
    },
    o.paths,
  );
  Object.assign(manifest, {
    topic,
    planFile: o.planFile,
    budgetsFile: o.budgetsFile,
    duration: o.duration ?? null,
    engineSettings,
  });
  writeJson(join(dir, 'run.json'), manifest);

  const k6 = k6Command({
    scenario: o.scenario,
    resultsDir: dir,
    env: {
      BASE_URL: `http://${HOST}:${ports.engine}`,
      SEED: String(o.seed),
      SCALE: String(o.scale),
      PROFILE: o.profile,
      BUDGETS: resolve(o.budgetsFile),
      ...(o.duration ? { DURATION: o.duration } : {}),
    },
  });
  const shape = await inspectShape(k6);

  let complete = false;
  let status: EngineStatus | null = null;
  let result: Audit | null = null;
  let collector: Collector | undefined;
  let loadS = 0;
  let releaseQuota: (() => Promise<void>) | undefined;
  const interrupted = () => o.signal.aborted;
  try {
    await clearLeftovers(o.paths, ports, say);
    const quota = { mode: 'on' as const, multiplier: o.kinesisQuota ?? 1 };
    if (quotaOn) releaseQuota = await holdRunQuota(o.paths, ports, quota, say);
    say(
      `[run] ${o.runId}: ${o.backend}, scenario ${o.scenario}, plan ${o.plan.name}, ~${Math.round(shape.durationS)} s of load`,
    );
    await startFulfillment(o.paths, ports, dir);
    await startEngine(o.paths, ports, {
      backend: o.backend,
      topic,
      partitions: o.partitions,
      dir,
      data: join(REPO_ROOT, 'scenarios', 'data', 'default.json'),
      settings: engineSettings,
    });
    if (interrupted()) throw new Error('interrupted');

    const load = await loadPhase({ ...o, dir, ports, k6, shape });
    collector = load.collector;
    loadS = load.loadS;
    manifest.startedAt = new Date(load.t0).toISOString();
    if (interrupted()) throw new Error('interrupted');

    const drained = await drain(ports.engine, o.drainTimeoutS, o.signal);
    await collector.stop();
    collector = undefined;
    status = await engineStatus(ports).catch(() => status);
    if (interrupted()) throw new Error('interrupted');
    if (!drained) say(`[run] backlog did not drain within ${o.drainTimeoutS} s`);
    await stopServices(o.paths);

    say('[run] audit: reading the topic/stream and its DLQ from the start');
    const copy = await readStreamCopy(o.backend, ports, topic, status?.dlqTopic ?? `${topic}-dlq`);
    result = audit({
      ledger: readLedger(dir),
      stream: copy.stream,
      dlq: copy.dlq,
      k6Accepted: k6Accepted(dir),
      engine: {
        delivered: status?.counts.delivered ?? 0,
        duplicates: status?.counts.duplicates ?? 0,
      },
    });
    writeJson(join(dir, 'audit.json'), result);
    complete = drained && (load.k6Exit === 0 || load.k6Exit === 99) && load.chaosErrors === 0;
  } catch (err) {
    if (!interrupted()) say(`[run] failed: ${(err as Error).message}`);
  } finally {
    await collector?.stop().catch(() => {});
    await stopServices(o.paths);
    await releaseQuota?.().catch(() => {});
    if (ownStack) await stackDown(o.paths, say);
    o.progress.done();
  }

  const points = await readTimeline(join(dir, 'timeline.ndjson')).catch(() => []);
  const summary = await buildSummary({
    dir,
    manifest,
    points,
    status,
    audit: result,
    loadS,
    complete,
    budgets: o.budgets,
    alertBacklog: Number(engineSettings.alertBacklog),
  });
  writeJson(join(dir, 'summary.json'), summary);
  Object.assign(manifest, { endedAt: new Date().toISOString(), complete });
  writeJson(join(dir, 'run.json'), manifest);
  if (!complete)
    writeFileSync(
      join(dir, 'INCOMPLETE'),
      o.signal.aborted ? 'interrupted\n' : 'the run did not finish; see logs/\n',
    );

  // Ids missing from the stream are lost whether or not the backlog drained.
  const exitCode = o.signal.aborted
    ? EXIT.interrupted
    : (result?.lostIds.length ?? 0) > 0
      ? EXIT.lost
      : !complete
        ? EXIT.incomplete
        : summary.lost > 0
          ? EXIT.lost
          : summary.budgets.some((b) => !b.pass)
            ? EXIT.budgets
            : EXIT.ok;
  return { dir, summary, audit: result, exitCode };
}

async function stopServices(paths: Paths): Promise<void> {
  await stopDaemon(paths.state, 'engine', { graceMs: 30_000 });
  await stopDaemon(paths.state, 'fulfillment', { graceMs: 5_000 });
}
