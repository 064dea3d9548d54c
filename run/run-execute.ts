/**
 * The run itself, once prepared: the fulfillment service and the engine start on the run's
 * topic, then load and faults on one clock, the drain, and the audit. It never throws: what
 * happened is in the outcome, and everything it started is stopped on every path.
 */
import { join } from 'node:path';
import type { QuotaSetting } from '../chaos/faults/types.ts';
import { K6_THRESHOLDS_FAILED } from '../common/exit-codes.ts';
import { FIDELITY_CHECK_FILE } from '../contract/fidelity-check.ts';
import type { RunFidelity } from '../contract/fidelity-schema.ts';
import { RESULTS } from '../contract/layout.ts';
import type { Audit } from '../contract/schema.ts';
import type { EngineStatus } from '../engine/status.ts';
import { auditProof } from '../reports/integrity.ts';
import type { Paths } from '../stack/config.ts';
import { stopDaemon } from '../stack/process.ts';
import { readStackInfo } from '../stack/stack.ts';
import { REPO_ROOT } from '../stack/tools.ts';
import { holdRunQuota } from '../system/leftovers.ts';
import { stackDown } from '../system/stack.ts';
import { witnessFiles } from './agents/merge.ts';
import { audit } from './audit/audit.ts';
import { k6Accepted, readLedger, readStreamCopy } from './audit/read.ts';
import { readK6Witness } from './audit/witness.ts';
import { readStatus, startEngines, stopEngines } from './engines.ts';
import { type DrainEnd, drain, loadPhase } from './load-phase.ts';
import type { RunOptions } from './options.ts';
import { writeJson } from './results-files.ts';
import type { PreparedRun } from './run-prepare.ts';
import type { Collector } from './sampling/collector.ts';
import { fulfillmentStatus, startFulfillment } from './services.ts';

export interface RunOutcome {
  /** Load ran to its end, faults were undone without error, the backlog drained, the audit ran. */
  complete: boolean;
  status: EngineStatus | null;
  audit: Audit | null;
  /** Seconds k6 offered load. */
  loadS: number;
  /** The fulfillment service's /status after the drain; null when it could not be read. */
  fulfillment: unknown;
  /**
   * Everything but the drain went through: load to its end, faults undone, the audit run
   * and witnessed. A run that only failed to drain measured a backlog that outlasted the
   * drain timeout: a symptom of the system, not a failure of the harness.
   */
  finishedButDrain: boolean;
  /** Each k6 agent's exit code; empty for one k6. */
  agentExits: number[];
  /** How the drain ended; null when it never started. */
  drainEnd: DrainEnd | null;
}

/** The catalogue the engine and k6 use: failed sales are valued at its prices. */
export const CATALOGUE_FILE = join(REPO_ROOT, 'scenarios', 'data', 'default.json');

export async function executeRun(
  o: RunOptions,
  p: PreparedRun,
  say: (line: string) => void,
): Promise<RunOutcome> {
  const out: RunOutcome = {
    complete: false,
    status: null,
    audit: null,
    loadS: 0,
    fulfillment: null,
    finishedButDrain: false,
    agentExits: [],
    drainEnd: null,
  };
  const stopped = () => o.signal.aborted;
  const producers = o.producers ?? 1;
  let collector: Collector | undefined;
  let releaseQuota: (() => Promise<void>) | undefined;
  try {
    // Journaled, so that a run killed before it turns the quota off leaves it to be undone.
    const quota: QuotaSetting =
      p.quota !== null ? { mode: 'on', multiplier: p.quota } : { mode: 'off', multiplier: 1 };
    if (p.serviceModel) quota.model = p.serviceModel;
    const provider = p.sut.local?.chaos.quota?.provider;
    // A stated capacity held by a quota of its own (Kafka's client quota) is the run's quota.
    const hold = p.capacityQuota ?? (p.quota !== null || p.serviceModel ? quota : null);
    if (hold && provider) releaseQuota = await holdRunQuota(o.paths, p.ports, provider, hold, say);
    say(
      `[run] ${o.runId}: ${o.backend}, scenario ${o.scenario}, plan ${o.plan.name}, ~${Math.round(p.shape.durationS)} s of load`,
    );
    say(fidelityLine(p.manifest.fidelity));
    const capacity = p.manifest.fidelity?.capacity;
    if (capacity) say(`[run] capacity: ${capacity.line}`);
    if (p.sut.described) say(`[run] target: ${p.sut.described}`);
    const conn = p.sut.connection(p.ports);
    // What an existing topic held before the run is not the run's: the audit reads from here.
    const from = await p.sut.markStart(conn);
    await startFulfillment(o.paths, p.ports, p.dir, o.runId);
    const engines = await startEngines(
      o.paths,
      p.ports,
      {
        driver: p.sut.driver,
        runId: o.runId,
        topic: p.sut.topic,
        partitions: p.sut.partitions,
        dir: p.dir,
        data: CATALOGUE_FILE,
        settings: p.engineSettings,
        ...(p.sut.engineTarget ? { target: p.sut.engineTarget } : {}),
      },
      producers,
    );
    await readBackFidelity(o, p, say);
    if (stopped()) return out;

    const load = await loadPhase({
      sut: p.sut,
      dir: p.dir,
      paths: o.paths,
      ports: p.ports,
      plan: o.plan,
      k6: p.k6,
      agents: p.agents,
      archive: p.archive,
      shape: p.shape,
      progress: o.progress,
      signal: o.signal,
      engines,
    });
    out.agentExits = load.agentExits;
    collector = load.collector;
    out.loadS = load.loadS;
    p.manifest.startedAt = new Date(load.t0).toISOString();
    if (stopped()) return out;

    out.drainEnd = await drain(engines.urls, o.drainTimeoutS, o.signal, o.drainStallS ?? null);
    const drained = out.drainEnd === 'drained';
    await collector.stop();
    collector = undefined;
    if (p.serviceModel) await fidelitySelfCheck(o, p, say);
    out.status = await readStatus(engines.urls);
    // Read before the services stop: what the downstream was offered and served.
    out.fulfillment = await fulfillmentStatus(p.ports).catch(() => null);
    if (stopped()) return out;
    if (out.drainEnd === 'stalled')
      say(
        `[run] backlog stalled: nothing delivered for ${o.drainStallS} s, the drain ends here (its time censored)`,
      );
    else if (!drained) say(`[run] backlog did not drain within ${o.drainTimeoutS} s`);
    await stopServices(o.paths, producers);

    say(
      `[run] audit: reading the topic/stream and its DLQ from ${p.sut.record ? "the run's start" : 'the start'}`,
    );
    const copy = await readStreamCopy(
      conn,
      p.sut.topic,
      out.status?.dlqTopic ?? p.sut.dlqTopic,
      o.auditIdPath,
      from,
    );
    out.audit = audit({
      witness: await readK6Witness(witnessFiles(p.dir, p.manifest)),
      ledger: readLedger(p.dir, producers),
      stream: copy.stream,
      dlq: copy.dlq,
      unreadable: copy.unreadable,
      k6Accepted: k6Accepted(p.dir, (why) => say(`[run] audit: ${why}`)),
      engine: out.status && {
        delivered: out.status.counts.delivered,
        duplicates: out.status.counts.duplicates,
      },
    });
    writeJson(join(p.dir, RESULTS.audit), out.audit);
    const k6Finished = load.k6Exit === 0 || load.k6Exit === K6_THRESHOLDS_FAILED;
    const unproven = auditProof(out.audit);
    if (unproven) say(`[run] audit: ${unproven}`);
    // Without the engine's counts, what it delivered, shed and dead-lettered is unknown.
    if (!out.status) say("[run] the engine's status could not be read: its counts are unknown");
    out.finishedButDrain =
      k6Finished && load.chaosErrors === 0 && unproven === null && out.status !== null;
    out.complete = drained && out.finishedButDrain;
    return out;
  } catch (err) {
    if (!stopped()) say(`[run] failed: ${(err as Error).message}`);
    return out;
  } finally {
    await collector?.stop().catch(() => {});
    await stopServices(o.paths, producers);
    await releaseQuota?.().catch(() => {});
    if (p.ownStack) await stackDown(o.paths, say);
    o.progress.done();
  }
}

/** The profile, and what it could not make real here: said before the load, not only in the report. */
function fidelityLine(f: RunFidelity | undefined): string {
  if (!f) return '[run] fidelity: not recorded';
  const line = (level: string) =>
    Object.entries(f.dimensions)
      .filter(([, d]) => d.level === level)
      .map(([name, d]) => `${name} (${d.note})`);
  const unknown = line('unknown');
  const yet = unknown.length > 0 ? `; unknown until read back: ${unknown.join('; ')}` : '';
  return `[run] fidelity ${f.profile.name} v${f.profile.version}; absent: ${line('absent').join('; ') || 'none'}${yet}`;
}

/**
 * The engine has created the run's topic: what the broker made of it grades the dimensions
 * resting on it (Kafka's replication), in run.json at once so that a killed run keeps it.
 */
async function readBackFidelity(o: RunOptions, p: PreparedRun, say: (line: string) => void) {
  const readBack = p.sut.local?.readBack;
  const fidelity = p.manifest.fidelity;
  if (!readBack || !fidelity) return;
  const c = { paths: o.paths, ports: p.ports, stack: readStackInfo(o.paths) };
  const r = await readBack(c, p.sut.topic, fidelity);
  p.manifest.fidelity = r.fidelity;
  writeJson(join(p.dir, RESULTS.run), p.manifest);
  say(`[run] fidelity read back: ${r.line}`);
}

/** The service model's measurements against the profile's targets; a gap is reported, not fatal. */
async function fidelitySelfCheck(o: RunOptions, p: PreparedRun, say: (line: string) => void) {
  const selfCheck = p.sut.local?.selfCheck;
  if (!selfCheck) return;
  const c = { paths: o.paths, ports: p.ports, stack: readStackInfo(o.paths) };
  const check = await selfCheck(c, o.fidelity.profile);
  writeJson(join(p.dir, FIDELITY_CHECK_FILE), check);
  const flagged = check.rows.filter((r) => r.flagged).map((r) => r.what);
  if (flagged.length > 0)
    say(`[run] fidelity self-check: more than 25% off the profile: ${flagged.join(', ')}`);
}

async function stopServices(paths: Paths, producers: number): Promise<void> {
  await stopEngines(paths, producers);
  await stopDaemon(paths.state, 'fulfillment', { graceMs: 5_000 });
}
