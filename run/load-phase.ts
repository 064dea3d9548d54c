/**
 * The load phase of a run: the collector, the chaos runner and k6 start together on one
 * clock (t0); when k6 ends, the faults are undone; then the drain phase waits for the
 * backlog to reach zero while the collector keeps sampling.
 */
import { join } from 'node:path';
import { journalFile } from '../chaos/journal.ts';
import type { Plan } from '../chaos/plan.ts';
import { ChaosRecorder } from '../chaos/recorder.ts';
import { runPlan } from '../chaos/runner.ts';
import { K6_THRESHOLDS_FAILED } from '../common/exit-codes.ts';
import { AGENT_LOG_FILE } from '../contract/k6-agents.ts';
import type { EngineStatus } from '../engine/status.ts';
import { type Agent, startAgent } from '../scenarios/lib-node/k6-agents.ts';
import { K6_DAEMON, type K6Command, startK6Daemon } from '../scenarios/lib-node/run-k6.ts';
import type { Paths, Ports } from '../stack/config.ts';
import { readDaemon } from '../stack/process.ts';
import { readStackInfo } from '../stack/stack.ts';
import {
  runTargets,
  stackDownstreamControl,
  stackProcessControl,
  stackQuotaControl,
  toxiproxyUrl,
} from '../system/chaos.ts';
import { type Engines, engineProcesses, readStatus } from './engines.ts';
import type { LoadShape } from './load-shape.ts';
import type { Progress } from './progress.ts';
import { Collector } from './sampling/collector.ts';
import type { SystemUnderTest } from './system-under-test.ts';

export interface LoadContext {
  /** What the run measures: its broker's stand-in, or an existing service. */
  sut: SystemUnderTest;
  dir: string;
  paths: Paths;
  ports: Ports;
  plan: Plan;
  k6: K6Command;
  /** The load split over k6 agents (`agents/agent-<i>/`); null: the one k6 above. */
  agents: Agent[] | null;
  /** The k6 archive remote agents read on stdin. */
  archive: string | null;
  shape: LoadShape;
  progress: Progress;
  signal: AbortSignal;
  /** The engine's instances (`--producers`), every one sampled and summed. */
  engines: Engines;
}

export interface LoadOutcome {
  t0: number;
  /** The one k6's exit code, or the agents' combined (combinedExit). */
  k6Exit: number;
  /** Each agent's exit code; empty for one k6. */
  agentExits: number[];
  loadS: number;
  chaosErrors: number;
  collector: Collector;
}

export async function loadPhase(c: LoadContext): Promise<LoadOutcome> {
  const say = (line: string) => c.progress.log(line);
  const t0 = Date.now();
  const recorder = new ChaosRecorder();
  const pid = (name: string) => readDaemon(c.paths.state, name)?.pid;
  // The local stand-in's own samples (a cluster's leaders of the run's topic); none of a target.
  const local = c.sut.local;
  const sampler = local?.sampler?.({ paths: c.paths, ports: c.ports, topic: c.sut.topic }) ?? null;
  const brokers = c.sut.driver.local?.daemons(readStackInfo(c.paths)) ?? [];
  // The k6 processes on this machine, by name (`k6`, or `k6-<i>` per local agent).
  const k6Pids: Record<string, number> = {};
  const collector = new Collector({
    engineUrls: c.engines.urls,
    dir: c.dir,
    t0,
    targetRps: (t) => (t <= c.shape.durationS ? c.shape.targetRps(t) : null),
    activeFaults: () => recorder.active(),
    pids: () => ({
      ...Object.fromEntries(
        engineProcesses(c.engines.urls.length).map(([name, daemon]) => [name, pid(daemon)]),
      ),
      fulfillment: pid('fulfillment'),
      ...Object.fromEntries(brokers.map((b) => [b, pid(b)])),
      toxiproxy: pid('toxiproxy'),
      ...k6Pids,
    }),
    extra: () => sampler?.fields() ?? {},
    onStop: async () => sampler?.stop(),
    onPoint: (p) =>
      c.progress.update(p, c.shape.durationS, p.t <= c.shape.durationS ? 'load' : 'drain'),
  });
  collector.start();

  // The faults stay in force until k6 ends (or the run is interrupted), then are undone.
  const chaosAbort = new AbortController();
  const stopChaos = () => chaosAbort.abort();
  c.signal.addEventListener('abort', stopChaos);
  const chaos = runPlan(c.plan, {
    run: runTargets(c.sut.driver.name),
    toxiproxyUrl: toxiproxyUrl(c.ports),
    startedAt: t0,
    signal: chaosAbort.signal,
    recorder,
    processControl: stackProcessControl(c.paths, c.ports),
    quotaControl: stackQuotaControl(c.paths, c.ports),
    downstreamControl: stackDownstreamControl(c.ports),
    journalFile: journalFile(c.paths.state),
    holdUntilAborted: true,
    log: say,
  });

  // Daemons with pid files: `stack down` or the next run stops them if this run is killed.
  const daemons = c.agents
    ? await Promise.all(c.agents.map((a) => startAgent(a, c.paths.state, c.archive)))
    : [await startK6Daemon(c.k6, c.dir, c.paths.state)];
  daemons.forEach((d, i) => {
    const agent = c.agents?.[i];
    // A remote agent's local process is its transport (ssh), not k6: its CPU says nothing.
    if (!agent) k6Pids[K6_DAEMON] = d.pid;
    else if (agent.host === null) k6Pids[agent.daemon] = d.pid;
  });
  const stopK6 = () => {
    for (const d of daemons) d.interrupt();
  };
  c.signal.addEventListener('abort', stopK6);
  const exits = await Promise.all(daemons.map((d) => d.exited));
  c.signal.removeEventListener('abort', stopK6);
  const k6Exit = combinedExit(exits);
  const loadS = (Date.now() - t0) / 1000;
  chaosAbort.abort();
  const result = await chaos;
  c.signal.removeEventListener('abort', stopChaos);
  recorder.write(c.dir);
  exits.forEach((code, i) => {
    if (code === 0 || code === K6_THRESHOLDS_FAILED) return;
    const agent = c.agents?.[i];
    const log = agent ? join(agent.dir, AGENT_LOG_FILE) : join(c.dir, 'logs', 'k6.log');
    say(`[run] ${agent ? `agent ${i} (${agent.daemon})` : 'k6'} exited ${code}: see ${log}`);
  });
  return {
    t0,
    k6Exit,
    agentExits: c.agents ? exits : [],
    loadS,
    chaosErrors: result.errors,
    collector,
  };
}

/**
 * The agents' exit codes as one: a failure (anything but 0 and 99) wins, then 99. Each
 * agent judges k6's thresholds on its own share only, so with several agents 99 is a hint;
 * the run's budgets are judged on the merged samples (run/summary.ts).
 */
export function combinedExit(exits: number[]): number {
  const failed = exits.find((c) => c !== 0 && c !== K6_THRESHOLDS_FAILED);
  if (failed !== undefined) return failed;
  return exits.includes(K6_THRESHOLDS_FAILED) ? K6_THRESHOLDS_FAILED : 0;
}

/** How a drain ended: the backlog emptied, the consumer stalled (censored), or the timeout. */
export type DrainEnd = 'drained' | 'stalled' | 'timeout';

/**
 * Waits until everything accepted was delivered, nothing is queued, and the consumer is caught
 * up; or, with `stallS`, until the consumer has made no progress for that long (stalled).
 */
export async function drain(
  engineUrls: string[],
  timeoutS: number,
  signal: AbortSignal,
  stallS: number | null = null,
): Promise<DrainEnd> {
  const deadline = Date.now() + timeoutS * 1000;
  const stall = stallS === null ? null : new StallWatch(stallS);
  while (Date.now() < deadline && !signal.aborted) {
    const s = await readStatus(engineUrls);
    if (s && drained(s)) return 'drained';
    if (stall?.stalled(s, Date.now())) return 'stalled';
    await new Promise((r) => setTimeout(r, 500));
  }
  return 'timeout';
}

/**
 * A consumer that delivered nothing for `stallS` seconds while its backlog stayed put, not
 * held by a breaker, will not drain by waiting out the timeout (a poison event blocking its
 * partition): the drain can end there, its time censored. An unreadable status is no
 * evidence of a stall, so it restarts the watch.
 */
export class StallWatch {
  private since: number | null = null;
  private last: { delivered: number; events: number } | null = null;

  constructor(private readonly stallS: number) {}

  stalled(s: EngineStatus | null, now: number): boolean {
    const still =
      s !== null &&
      this.last !== null &&
      s.counts.delivered === this.last.delivered &&
      s.backlog.events === this.last.events &&
      s.backlog.events > 0 &&
      s.backlog.producerQueue === 0 &&
      !s.backlog.consumerPaused;
    this.last = s && { delivered: s.counts.delivered, events: s.backlog.events };
    if (!still) {
      this.since = s === null ? null : now;
      return false;
    }
    this.since ??= now;
    return now - this.since >= this.stallS * 1000;
  }
}

/**
 * accepted − delivered can reach zero early when writes the client never saw acknowledged
 * (a 504) were delivered too, so the consumer's lag behind the broker must be zero as well;
 * an unknown lag is not zero.
 */
export function drained(s: EngineStatus): boolean {
  return s.backlog.events <= 0 && s.backlog.producerQueue === 0 && s.backlog.broker?.value === 0;
}
